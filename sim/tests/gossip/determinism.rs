//! A fixed gossip scenario's trace hash and measures, pinned. This file
//! runs natively and, under wasm-bindgen-test, in headless Chromium: both
//! must reach the same numbers, or a gossip link made in one would not
//! reproduce in the other.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use caucus_sim::gossip::{Direction, GossipConfig, GossipNode, Request, Timing, workload};
use caucus_sim::network::PPM;
use caucus_sim::{Action, LinkParams, MILLIS, NodeId, World};

/// Moves only with a change to what a gossip run does; once gossip links
/// exist, such a change needs a new link format version.
const PINNED_TRACE_HASH: u64 = 0x465b_f16f_d26c_c6cf;

/// 1,000 free-running sites, push-pull rumor mongering with a coin, lossy
/// and duplicating links, a crash, a partition and its heal, three updates.
fn fixed_scenario() -> World<GossipNode> {
    let config = GossipConfig {
        timing: Timing::Free { jitter: 20 * MILLIS },
        removal: caucus_sim::gossip::Removal::Coin,
        k: 3,
        ..GossipConfig::rumor_mongering(1_000, Direction::PushPull)
    };
    let links = LinkParams {
        latency_min: 2 * MILLIS,
        latency_max: 30 * MILLIS,
        loss_ppm: PPM / 20,
        duplicate_ppm: PPM / 50,
    };
    let mut w = workload::start(config, 2026, links, caucus_sim::Observe::default());
    let act = |w: &mut World<GossipNode>, a: Action<GossipNode>| {
        w.apply(&a).unwrap();
    };
    w.run_until(350 * MILLIS);
    act(&mut w, Action::Crash(NodeId(7)));
    act(&mut w, Action::Partition(vec![(0..300).map(NodeId).collect()]));
    act(&mut w, Action::Request { node: NodeId(500), request: Request::Update { key: 1 } });
    w.run_until(900 * MILLIS);
    act(&mut w, Action::Heal);
    act(&mut w, Action::Request { node: NodeId(9), request: Request::Update { key: 0 } });
    w.run_until(3_000 * MILLIS);
    w
}

#[test]
fn the_fixed_gossip_scenario_has_the_pinned_trace_hash_and_measures() {
    let w = fixed_scenario();
    let measures = w.measures();
    let informed: Vec<u32> = measures.updates.iter().map(|s| s.informed).collect();
    let summary = (w.step(), informed, measures.messages, w.trace_hash());
    assert_eq!(summary, (62_604, vec![999, 990, 984], 36_733, PINNED_TRACE_HASH), "{summary:?}");
}
