//! The RaftScope workload (5 servers, RaftScope timing, a client request to
//! the leader every 50 simulated ms, 10 simulated seconds), natively, with
//! and without timeline snapshots, over eight seeds (criterion's time is for
//! all eight; divide by 8 for one run). Throughput is messages delivered.
//! RaftScope's own model code needs about 70 ms of wall time for this under
//! node on these machines; the target is at most 1/100 of that. The engine
//! alone is the like-for-like comparison (RaftScope checks nothing and
//! writes no notes); the full run is what the page does.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use caucus_sim::Observe;
    use caucus_sim::raft::workload::{BENCH_SEEDS, raftscope};
    use criterion::{Criterion, Throughput, criterion_group};

    fn workload(c: &mut Criterion) {
        let full = Observe::default();
        let engine = Observe { invariants: false, notes: false };
        let delivered: u64 =
            BENCH_SEEDS.iter().map(|&seed| raftscope(seed, false, full).messages_delivered).sum();
        let mut group = c.benchmark_group("raftscope workload, 8 seeds");
        group.throughput(Throughput::Elements(delivered));
        for (name, timeline, observe) in [
            ("engine only, world", false, engine),
            ("engine only, timeline with snapshots", true, engine),
            ("invariants and notes, world", false, full),
            ("invariants and notes, timeline with snapshots", true, full),
        ] {
            group.bench_function(name, |b| {
                b.iter(|| {
                    for seed in BENCH_SEEDS {
                        black_box(raftscope(black_box(seed), timeline, observe));
                    }
                })
            });
        }
        group.finish();
    }

    criterion_group!(benches, workload);
}
