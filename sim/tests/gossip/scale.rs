//! What a 10,000-site run costs in memory, counted by `World::footprint`
//! (the timeline's snapshot budget counts the same way). Times are for the
//! benchmarks (`cargo xtask bench`), never for tests.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use caucus_sim::gossip::{Direction, GossipConfig, GossipNode, workload};
use caucus_sim::timeline::SNAPSHOT_BUDGET;
use caucus_sim::{Action, LinkParams, Observe, Timeline, World};

const SITES: u32 = 10_000;

/// A site costs its slot (state, random stream, timers), its pending
/// timer and queue entry, and nothing for the settings, which all sites
/// share: 371 bytes when this was written.
#[test]
fn a_site_costs_under_400_bytes() {
    let world = World::<GossipNode>::new(
        GossipConfig::anti_entropy(SITES, Direction::PushPull),
        1,
        LinkParams::default(),
    );
    let per_site = world.footprint() / SITES as usize;
    assert!(per_site < 400, "{per_site} bytes a site");
}

/// The page's run: push-pull anti-entropy from one update to every one of
/// 10,000 sites, played into a timeline with notes and checks on. Its
/// snapshots stay within their byte budget; the action log, the snapshots
/// and the world on screen hold well under 200 MB; and snapshots stay close
/// enough that a seek anywhere replays at most 40,000 steps (a dozen
/// milliseconds in wasm, by `cargo xtask bench`).
#[test]
fn a_10000_site_run_with_its_timeline_stays_small() {
    let config = GossipConfig::anti_entropy(SITES, Direction::PushPull);
    let world = World::observing(config, 1, LinkParams::default(), Observe::default());
    let mut timeline = Timeline::new(world);
    timeline
        .apply(Action::Request { node: caucus_sim::NodeId(0), request: workload::FIRST_UPDATE })
        .unwrap();
    while !workload::finished(timeline.world()) {
        timeline.apply(Action::Step).unwrap();
    }
    let steps = timeline.len();
    assert!(steps > 200_000, "{steps} steps: every site gossips every round");
    assert!(timeline.snapshot_bytes() <= SNAPSHOT_BUDGET);
    let log = steps as usize * size_of::<Action<GossipNode>>();
    let total = log + timeline.snapshot_bytes() + timeline.world().footprint();
    assert!(
        total < 120 << 20,
        "{} MB: log {} MB, snapshots {} MB",
        total >> 20,
        log >> 20,
        timeline.snapshot_bytes() >> 20
    );
    let mut at = timeline.snapshot_steps();
    at.push(steps);
    let widest = at.windows(2).map(|w| w[1] - w[0]).max().unwrap();
    assert!(widest <= 40_000, "snapshots {widest} steps apart: {at:?}");
}
