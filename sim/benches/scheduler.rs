//! Scheduler throughput and seek time (issue: caucus-sim). Run by `cargo xtask bench`.
//!
//! - events per second on ping-pong with 5 and with 1,000 nodes;
//! - `seek` in a 100,000-event run: end to middle and back, and scrubbing
//!   backwards through 64 arbitrary steps (the time per seek is what matters).

// Criterion does not build for wasm32; clippy checks this file there too.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use caucus_sim::pingpong::{Config, PingPong};
    use caucus_sim::{Action, LinkParams, Timeline, World};
    use criterion::{BatchSize, Criterion, Throughput, criterion_group};

    const EVENTS: u64 = 20_000;

    fn world(nodes: u32) -> World<PingPong> {
        World::new(Config::new(nodes), 1, LinkParams::default())
    }

    fn throughput(c: &mut Criterion) {
        let mut group = c.benchmark_group("scheduler");
        group.throughput(Throughput::Elements(EVENTS));
        for nodes in [5, 1_000] {
            group.bench_function(format!("ping-pong {nodes} nodes, {EVENTS} events"), |b| {
                b.iter_batched(
                    || world(nodes),
                    |mut w| {
                        for _ in 0..EVENTS {
                            w.apply(&Action::Step).unwrap();
                        }
                        black_box(w.trace_hash())
                    },
                    BatchSize::LargeInput,
                )
            });
        }
        group.finish();
    }

    fn seek(c: &mut Criterion) {
        let mut timeline = Timeline::new(world(5));
        for _ in 0..100_000 {
            timeline.apply(Action::Step).unwrap();
        }
        let mut group = c.benchmark_group("timeline");
        group.bench_function("seek in a 100,000-event run (end → middle → end)", |b| {
            b.iter(|| {
                timeline.seek(black_box(50_001)).unwrap();
                timeline.seek(black_box(100_000)).unwrap();
            })
        });
        // Scrubbing backwards across the whole run: 64 seeks, each to an
        // arbitrary step, so the replay from the nearest snapshot varies.
        group.throughput(Throughput::Elements(64));
        group.bench_function("64 seeks scrubbing back across a 100,000-event run", |b| {
            b.iter(|| {
                for i in (0..64u64).rev() {
                    timeline.seek(black_box(i * 1_559 + 777)).unwrap();
                }
            })
        });
        group.finish();
    }

    criterion_group!(benches, throughput, seek);
}
