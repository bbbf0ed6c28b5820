//! The PBFT workload (n = 3f + 1 replicas, one client, 1,000 requests handed
//! to the client up front, run until it has accepted them all) at f = 1 and
//! f = 3, natively, on a bare world, the engine alone and with invariants
//! and notes. Throughput is messages delivered. Beside each, in the same
//! group, the RaftScope workload on a bare world (its time is for all eight
//! seeds): the aim is at least half of Raft's messages delivered per second.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/pbft_workload/mod.rs"]
mod pbft_workload;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use caucus_sim::Observe;
    use caucus_sim::raft::workload::{BENCH_SEEDS, raftscope};
    use criterion::{Criterion, Throughput, criterion_group};

    use super::pbft_workload::{REQUESTS, SEED, pbft_requests};

    fn workload(c: &mut Criterion) {
        let engine = Observe { invariants: false, notes: false };
        let full = Observe::default();
        let raft_delivered: u64 =
            BENCH_SEEDS.iter().map(|&seed| raftscope(seed, false, full).messages_delivered).sum();
        for (name, observe) in [("engine only", engine), ("invariants and notes", full)] {
            let mut group = c.benchmark_group(format!("pbft workload, {name}, world"));
            for f in [1, 3] {
                let run = pbft_requests(f, REQUESTS, SEED, observe);
                assert_eq!(run.accepted, REQUESTS, "{run:?}");
                group.throughput(Throughput::Elements(run.messages_delivered));
                group.bench_function(format!("pbft f={f}, 1 client, {REQUESTS} requests"), |b| {
                    b.iter(|| pbft_requests(black_box(f), REQUESTS, black_box(SEED), observe))
                });
            }
            group.throughput(Throughput::Elements(raft_delivered));
            group.bench_function("raftscope, 8 seeds (the reference)", |b| {
                b.iter(|| {
                    for seed in BENCH_SEEDS {
                        black_box(raftscope(black_box(seed), false, observe));
                    }
                })
            });
            group.finish();
        }
    }

    criterion_group!(benches, workload);
}
