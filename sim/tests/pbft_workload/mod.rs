//! The PBFT benchmark workload, shared by the native benchmark (by path),
//! the wasm benchmark and its fast test: n = 3f + 1 replicas, one client,
//! 1,000 requests handed to the client up front. The client keeps one
//! outstanding and queues the rest (§4.1), so the run is the engine's own
//! pipeline, a request at a time, until the client has accepted them all.

use caucus_sim::kv::{Key, Set};
use caucus_sim::pbft::{PbftConfig, PbftDurable, PbftNode};
use caucus_sim::{Action, LinkParams, NodeId, Observe, World};

/// The requests of one run.
pub const REQUESTS: u32 = 1_000;

/// The seed of every run: nothing in the normal case depends on luck beyond
/// link latencies, so one seed measures the engine.
pub const SEED: u64 = 1;

/// A generous bound on steps per request: a request takes about 30
/// messages at f = 1 and 150 at f = 3, plus checkpoints.
const STEPS_PER_REQUEST: u64 = 1_000;

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PbftStats {
    pub steps: u64,
    pub messages_delivered: u64,
    pub accepted: u32,
    pub violations: u64,
    pub trace_hash: u64,
}

/// One client hands `requests` requests to a cluster tolerating `f` faults;
/// the world steps until the client has accepted every one. Panics if the
/// run stalls, so a benchmark never times less work than it says.
pub fn pbft_requests(f: u32, requests: u32, seed: u64, observe: Observe) -> PbftStats {
    let config = PbftConfig::new(f, 1);
    let client = NodeId(config.replicas());
    let mut world = World::<PbftNode>::observing(config, seed, LinkParams::default(), observe);
    let key = Key::new("x").expect("a valid key");
    for value in 0..requests {
        let request = Set { key, value: i64::from(value) };
        world.apply(&Action::Request { node: client, request }).expect("the client takes it");
    }
    let limit = world.step() + u64::from(requests) * STEPS_PER_REQUEST;
    let mut accepted = accepted_by(&world, client);
    while accepted < requests {
        assert!(
            world.next_event_time().is_some() && world.step() < limit,
            "f = {f}, seed {seed}: the run stalled at step {} with {accepted} of {requests} accepted",
            world.step()
        );
        world.apply(&Action::Step).expect("a step applies");
        accepted = accepted_by(&world, client);
    }
    PbftStats {
        steps: world.step(),
        messages_delivered: world.messages_delivered(),
        accepted,
        violations: world.violation_count(),
        trace_hash: world.trace_hash(),
    }
}

fn accepted_by(world: &World<PbftNode>, client: NodeId) -> u32 {
    match world.durable(client) {
        Some(PbftDurable::Client(d)) => d.accepted.len() as u32,
        _ => 0,
    }
}
