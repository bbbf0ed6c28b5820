//! Epidemic runs at 10,000 sites, natively: push-pull anti-entropy from one
//! update to every site, and push rumor mongering (feedback, counter,
//! k = 2) until the rumor dies out, on a bare world with the checks on and
//! notes off; then what a timeline costs at that size: copying the world
//! for a snapshot, and seeking in a whole run; and SWIM with 1,000 members
//! for 100 protocol periods.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use caucus_sim::gossip::{Direction, GossipConfig, GossipNode, workload};
    use caucus_sim::{Action, LinkParams, NodeId, Observe, Timeline, World};
    use criterion::{Criterion, criterion_group};

    const SITES: u32 = 10_000;
    const CHECKED: Observe = Observe { invariants: true, notes: false };

    fn runs(c: &mut Criterion) {
        let mut group = c.benchmark_group("gossip, 10,000 sites, world");
        group.sample_size(10);
        for (name, config) in [
            (
                "push-pull anti-entropy to full spread",
                GossipConfig::anti_entropy(SITES, Direction::PushPull),
            ),
            (
                "push rumor mongering k = 2 until it dies out",
                GossipConfig::rumor_mongering(SITES, Direction::Push),
            ),
        ] {
            group.bench_function(name, |b| {
                b.iter(|| {
                    workload::run(black_box(config.clone()), 1, LinkParams::default(), CHECKED)
                })
            });
        }
        group.finish();
    }

    /// The page's timeline of the push-pull run, notes and checks on.
    fn page_timeline() -> Timeline<GossipNode> {
        let config = GossipConfig::anti_entropy(SITES, Direction::PushPull);
        let world = World::observing(config, 1, LinkParams::default(), Observe::default());
        let mut timeline = Timeline::new(world);
        timeline
            .apply(Action::Request { node: NodeId(0), request: workload::FIRST_UPDATE })
            .expect("site 0 is up");
        while !workload::finished(timeline.world()) {
            timeline.apply(Action::Step).expect("gossip always has a timer pending");
        }
        timeline
    }

    fn timeline(c: &mut Criterion) {
        let mut group = c.benchmark_group("gossip, 10,000 sites, timeline");
        let mut timeline = page_timeline();
        let end = timeline.len();
        group.bench_function("copy the world for a snapshot (at full spread)", |b| {
            b.iter(|| black_box(timeline.world().clone()))
        });
        // Seeks to spread-out steps, each far from the last: every one
        // restores a snapshot and replays up to one interval.
        let mut at = 0u64;
        group.bench_function("seek anywhere in the whole run", |b| {
            b.iter(|| {
                at = (at + end * 7 / 17) % end;
                timeline.seek(black_box(at)).expect("within the run");
            })
        });
        group.finish();
    }

    /// SWIM: 1,000 members for 100 protocol periods, with a crash at the
    /// tenth, the checks on and notes off.
    fn swim(c: &mut Criterion) {
        use caucus_sim::gossip::swim::{SwimConfig, SwimNode};
        let mut group = c.benchmark_group("swim, 1,000 members");
        group.sample_size(10);
        let config = SwimConfig::new(1_000);
        group.bench_function("100 periods, one crash", |b| {
            b.iter(|| {
                let mut w =
                    World::<SwimNode>::observing(config.clone(), 1, LinkParams::default(), CHECKED);
                w.run_until(10 * config.period);
                w.apply(&Action::Crash(NodeId(500))).expect("up");
                w.run_until(100 * config.period);
                black_box(w.measures().messages)
            })
        });
        group.finish();
    }

    criterion_group!(benches, runs, timeline, swim);
}
