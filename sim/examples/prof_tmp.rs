fn main() {
    let mut h = 0;
    for s in 0..20 {
        h ^= caucus_sim::raft::workload::raftscope(
            s,
            false,
            caucus_sim::Observe { invariants: false, notes: false },
        )
        .trace_hash;
    }
    println!("{h}");
}
