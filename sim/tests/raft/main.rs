//! The Raft engine: its rules one test at a time, the paper's scenarios with
//! fixed seeds, and random schedule search for the mistakes.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod basics;
mod mistakes;
mod scenarios;

use caucus_sim::raft::{RaftConfig, RaftNode, Role, Set};
use caucus_sim::{Action, LinkParams, NodeId, StepTrace, TraceEvent, Violation, World};

pub fn n(i: u32) -> NodeId {
    NodeId(i)
}

pub fn world(config: RaftConfig, seed: u64) -> World<RaftNode> {
    World::new(config, seed, LinkParams::default())
}

/// Steps until `done` holds, at most `limit` steps; panics with `what` if it never does.
/// Fails at once on any invariant violation.
pub fn run_until(
    w: &mut World<RaftNode>,
    limit: u32,
    what: &str,
    done: impl Fn(&World<RaftNode>) -> bool,
) {
    for _ in 0..limit {
        if done(w) {
            return;
        }
        let step = w.apply(&Action::Step).expect("Raft always has a timer pending");
        if let Some(v) = violation(step) {
            panic!("violation while waiting for {what}: {v}");
        }
    }
    assert!(done(w), "{what} did not happen within {limit} steps");
}

/// Steps `count` times, collecting violations.
pub fn steps(w: &mut World<RaftNode>, count: u32) -> Vec<Violation> {
    let mut found = Vec::new();
    for _ in 0..count {
        let step = w.apply(&Action::Step).expect("Raft always has a timer pending");
        found.extend(violation(step));
    }
    found
}

/// The first violation a step found.
pub fn violation(step: &StepTrace) -> Option<Violation> {
    step.violations().first().cloned()
}

/// The live leaders, with their terms.
pub fn leaders(w: &World<RaftNode>) -> Vec<(NodeId, u64)> {
    (0..w.node_count())
        .filter_map(|i| {
            w.node(n(i)).filter(|s| s.role() == Role::Leader).map(|s| (n(i), s.current_term()))
        })
        .collect()
}

pub use caucus_sim::raft::view::leader;

pub fn set(text: &str) -> Set {
    Set::parse(text).unwrap()
}

pub fn request(w: &mut World<RaftNode>, node: NodeId, text: &str) -> Vec<String> {
    let step = w.apply(&Action::Request { node, request: set(text) }).unwrap();
    step.events()
        .filter_map(|e| match e {
            TraceEvent::ClientReply { text, .. } => Some(text),
            _ => None,
        })
        .collect()
}

/// Every note the last step produced.
pub fn notes(w: &World<RaftNode>) -> Vec<String> {
    w.last_step().events().map(|e| e.summary()).collect()
}
