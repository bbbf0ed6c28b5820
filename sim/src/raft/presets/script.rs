//! How a preset is written: a run driven step by step until the cluster
//! reaches a state, with notes (and the claims that back them) written on
//! the steps that matter.

use crate::engine::Engine;
use std::collections::BTreeMap;

use super::Claim;
use crate::raft::view::leader;
use crate::raft::{RaftConfig, RaftNode, Role, Set};
use crate::scenario::{Narration, Scenario};
use crate::{Action, LinkParams, NodeId, Timeline, World};

/// A preset as its script writes it: the scenario, and what the note on each
/// noted step claims about that step.
pub struct Written {
    pub scenario: Scenario,
    pub claims: BTreeMap<u64, Vec<Claim>>,
}

/// Writes a run as it goes, with notes on steps.
pub(super) struct Script {
    timeline: Timeline<RaftNode>,
    narration: Narration,
    claims: BTreeMap<u64, Vec<Claim>>,
}

impl Script {
    pub fn new(config: RaftConfig, seed: u64, title: &str, description: &str) -> Script {
        let world = World::new(config, seed, LinkParams::default());
        let narration =
            Narration { title: title.into(), description: description.into(), notes: Vec::new() };
        Script { timeline: Timeline::new(world), narration, claims: BTreeMap::new() }
    }

    pub fn world(&self) -> &World<RaftNode> {
        self.timeline.world()
    }

    /// A note on the step just taken (step 0: before anything happens), with
    /// what it claims about the state after that step. A second note on the
    /// same step is added to the first.
    pub fn note(&mut self, text: impl AsRef<str>, claims: impl IntoIterator<Item = Claim>) {
        let step = self.timeline.len();
        let text = match self.narration.note_at(step) {
            Some(earlier) => format!("{} {}", earlier.text, text.as_ref()),
            None => text.as_ref().to_string(),
        };
        self.narration.set_note(step, &text);
        self.claims.entry(step).or_default().extend(claims);
    }

    pub fn act(&mut self, action: Action<RaftNode>) -> Result<(), String> {
        self.timeline.apply(action).map(|_| ()).map_err(|e| e.to_string())
    }

    pub fn request(&mut self, node: NodeId, text: &str) -> Result<(), String> {
        let request = Set::parse(text)?;
        self.act(Action::Request { node, request })
    }

    /// Steps until `done` holds, at most `limit` steps.
    pub fn until(
        &mut self,
        limit: u32,
        what: &str,
        done: impl Fn(&World<RaftNode>) -> bool,
    ) -> Result<(), String> {
        for _ in 0..limit {
            if done(self.world()) {
                return Ok(());
            }
            self.act(Action::Step)?;
        }
        if done(self.world()) { Ok(()) } else { Err(format!("the preset never reached {what}")) }
    }

    /// Steps until a live server is a candidate of term `min_term` or later; returns it.
    pub fn until_candidate(&mut self, limit: u32, min_term: u64) -> Result<NodeId, String> {
        let candidate = |w: &World<RaftNode>| {
            (0..w.node_count()).map(NodeId).find(|&i| {
                w.node(i)
                    .is_some_and(|n| n.role() == Role::Candidate && n.current_term() >= min_term)
            })
        };
        self.until(limit, "a candidate", |w| candidate(w).is_some())?;
        candidate(self.world()).ok_or_else(|| "the preset expected a candidate".into())
    }

    pub fn steps(&mut self, count: u32) -> Result<(), String> {
        (0..count).try_for_each(|_| self.act(Action::Step))
    }

    pub fn leader(&self) -> Result<NodeId, String> {
        leader(self.world()).ok_or_else(|| "the preset expected a leader".to_string())
    }

    pub fn term(&self, node: NodeId) -> u64 {
        self.world().node(node).map_or(0, |n| n.current_term())
    }

    /// The scenario, opened at step 0 so the narration is read from the
    /// start, and the claims of its notes.
    pub fn finish(self) -> Written {
        let world = self.timeline.world();
        let mut scenario =
            Scenario::raft(world.config().clone(), world.seed(), LinkParams::default());
        let spec = RaftNode::spec_mut(&mut scenario.run).expect("a Raft scenario");
        spec.actions = self.timeline.log().to_vec();
        scenario.narration = self.narration;
        Written { scenario, claims: self.claims }
    }
}
