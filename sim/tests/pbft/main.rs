//! The PBFT engine: its rules one test at a time, the paper's scenarios with
//! fixed seeds, and random schedule search for the mistakes and Byzantine replicas.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod basics;

use caucus_sim::kv::Set;
use caucus_sim::pbft::{PbftConfig, PbftNode};
use caucus_sim::{Action, LinkParams, NodeId, StepTrace, TraceEvent, Violation, World};

pub fn world(config: PbftConfig, seed: u64) -> World<PbftNode> {
    World::new(config, seed, LinkParams::default())
}

/// The id of client `c` (clients come after the replicas).
pub fn client(w: &World<PbftNode>, c: u32) -> NodeId {
    NodeId(w.config().replicas() + c)
}

pub fn set(text: &str) -> Set {
    Set::parse(text).unwrap()
}

/// Hands `text` to client `c`.
pub fn request(w: &mut World<PbftNode>, c: u32, text: &str) {
    let node = client(w, c);
    w.apply(&Action::Request { node, request: set(text) }).unwrap();
}

/// The first violation a step found.
pub fn violation(step: &StepTrace) -> Option<Violation> {
    step.violations().first().cloned()
}

/// Steps until `done` holds, at most `limit` steps, failing at once on a
/// violation; panics with `what` if it never holds. Returns the client
/// replies seen on the way.
pub fn run_until(
    w: &mut World<PbftNode>,
    limit: u32,
    what: &str,
    done: impl Fn(&World<PbftNode>) -> bool,
) -> Vec<String> {
    let mut replies = Vec::new();
    for _ in 0..limit {
        if done(w) {
            return replies;
        }
        let Ok(step) = w.apply(&Action::Step) else { break };
        if let Some(v) = violation(step) {
            panic!("violation while waiting for {what}: {v}");
        }
        replies.extend(step.events().filter_map(|e| match e {
            TraceEvent::ClientReply { text, .. } => Some(text),
            _ => None,
        }));
    }
    assert!(done(w), "{what} did not happen within {limit} steps");
    replies
}

/// How many results client `c` has accepted.
pub fn accepted(w: &World<PbftNode>, c: u32) -> usize {
    w.durable(client(w, c))
        .map(|d| match d {
            caucus_sim::pbft::PbftDurable::Client(d) => d.accepted.len(),
            caucus_sim::pbft::PbftDurable::Replica(_) => 0,
        })
        .unwrap_or(0)
}

/// Every note the last step produced.
pub fn notes(w: &World<PbftNode>) -> Vec<String> {
    w.last_step().events().map(|e| e.summary()).collect()
}
