//! The PBFT engine: its rules one test at a time, the paper's scenarios with
//! fixed seeds, and random schedule search for the mistakes and Byzantine replicas.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod basics;
mod determinism;
mod liveness;
mod scenarios;
mod search;
mod validation;

use caucus_sim::kv::Set;
use caucus_sim::pbft::replica::ReplicaDurable;
use caucus_sim::pbft::{Behaviour, PbftCommand, PbftConfig, PbftDurable, PbftNode};
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

/// What a run showed: the clients' answers and every event in words.
#[derive(Default)]
pub struct Seen {
    pub replies: Vec<String>,
    pub notes: Vec<String>,
}

impl Seen {
    pub fn has(&self, words: &str) -> bool {
        self.notes.iter().any(|n| n.contains(words))
    }

    fn take(&mut self, step: &StepTrace) {
        for event in step.events() {
            if let TraceEvent::ClientReply { text, .. } = &event {
                self.replies.push(text.clone());
            }
            self.notes.push(event.summary());
        }
    }
}

/// Steps until `done` holds, at most `limit` steps, failing at once on a
/// violation; panics with `what` if it never holds.
pub fn run_until(
    w: &mut World<PbftNode>,
    limit: u32,
    what: &str,
    done: impl Fn(&World<PbftNode>) -> bool,
) -> Seen {
    run_dropping(w, &[], limit, what, done)
}

/// Steps like [`run_until`], dropping every message of the `kinds` as it is sent.
pub fn run_dropping(
    w: &mut World<PbftNode>,
    kinds: &[&str],
    limit: u32,
    what: &str,
    done: impl Fn(&World<PbftNode>) -> bool,
) -> Seen {
    let mut seen = Seen::default();
    for _ in 0..limit {
        for kind in kinds {
            drop_all(w, kind);
        }
        if done(w) {
            return seen;
        }
        let Ok(step) = w.apply(&Action::Step) else { break };
        if let Some(v) = violation(step) {
            panic!("violation while waiting for {what}: {v}");
        }
        seen.take(step);
    }
    assert!(done(w), "{what} did not happen within {limit} steps");
    seen
}

/// How many results client `c` has accepted.
pub fn accepted(w: &World<PbftNode>, c: u32) -> usize {
    match w.durable(client(w, c)) {
        Some(PbftDurable::Client(d)) => d.accepted.len(),
        _ => panic!("client {c} is a client"),
    }
}

/// Replica `i`'s state on disk (readable while it is crashed).
pub fn replica(w: &World<PbftNode>, i: u32) -> &ReplicaDurable {
    match w.durable(NodeId(i)) {
        Some(PbftDurable::Replica(d)) => d,
        _ => panic!("r{i} is a replica"),
    }
}

/// Makes replica `i` Byzantine.
pub fn byzantine(w: &mut World<PbftNode>, i: u32, behaviour: Behaviour) {
    let command = PbftCommand::Byzantine(behaviour);
    w.apply(&Action::Command { node: NodeId(i), command }).unwrap();
}

/// Drops every message of `kind` in flight; returns how many.
pub fn drop_all(w: &mut World<PbftNode>, kind: &str) -> usize {
    let ids: Vec<_> = w.in_flight().filter(|m| m.message.kind() == kind).map(|m| m.id).collect();
    for &id in &ids {
        w.apply(&Action::Drop(id)).unwrap();
    }
    ids.len()
}

/// Every note the last step produced.
pub fn notes(w: &World<PbftNode>) -> Vec<String> {
    w.last_step().events().map(|e| e.summary()).collect()
}
