//! Raft's safety properties (Figure 3), checked after every step, one module
//! each. History the properties need lives in [`RaftGhost`], in the world.

mod election_safety;
mod leader_append_only;
mod leader_completeness;
mod log_matching;
mod state_machine_safety;

use std::collections::BTreeMap;

use super::log::Entry;
use super::node::RaftNode;
use crate::ids::NodeId;
use crate::invariant::{Violation, WorldView};

/// What the checks remember across steps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RaftGhost {
    /// Election Safety: the leader seen in each term.
    pub(super) leaders: BTreeMap<u64, NodeId>,
    /// Leader Append-Only: each leader's log when last seen, with its term.
    pub(super) leader_logs: BTreeMap<NodeId, (u64, Vec<Entry>)>,
    /// Leader Completeness: each committed index, with the entry's term and
    /// the term in which it was first seen committed.
    pub(super) committed: BTreeMap<u64, (u64, u64)>,
    /// State Machine Safety: the first entry any server applied at each index.
    pub(super) applied: BTreeMap<u64, Entry>,
    /// How far each server's applied entries have been checked.
    pub(super) checked_applied: BTreeMap<NodeId, u64>,
}

impl RaftGhost {
    /// Every index known committed, with its entry's term.
    pub fn committed(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.committed.iter().map(|(&i, &(t, _))| (i, t))
    }
}

pub(super) fn check(view: &WorldView<'_, RaftNode>, ghost: &mut RaftGhost) -> Vec<Violation> {
    let mut found = Vec::new();
    election_safety::check(view, ghost, &mut found);
    leader_append_only::check(view, ghost, &mut found);
    log_matching::check(view, &mut found);
    state_machine_safety::check(view, ghost, &mut found);
    // After State Machine Safety: it reads the commits this step recorded.
    leader_completeness::check(view, ghost, &mut found);
    found
}
