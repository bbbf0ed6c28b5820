//! The RaftScope workload (5 servers, RaftScope timing, a client request to
//! the leader every 50 simulated ms, 10 simulated seconds), natively, with
//! and without timeline snapshots. Throughput is messages delivered.
//! RaftScope's own model code needs about 70 ms of wall time for this under
//! node on these machines; the target is at most 1/100 of that.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use caucus_sim::raft::workload::raftscope;
    use criterion::{Criterion, Throughput, criterion_group};

    fn workload(c: &mut Criterion) {
        let delivered = raftscope(1, false).messages_delivered;
        let mut group = c.benchmark_group("raftscope workload");
        group.throughput(Throughput::Elements(delivered));
        group.bench_function("world, invariants on", |b| {
            b.iter(|| black_box(raftscope(black_box(1), false)))
        });
        group.bench_function("timeline with snapshots, invariants on", |b| {
            b.iter(|| black_box(raftscope(black_box(1), true)))
        });
        group.finish();
    }

    criterion_group!(benches, workload);
}
