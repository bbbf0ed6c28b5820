//! Raft's safety properties (Figure 3), checked after every step, one module
//! each. History the properties need lives in [`RaftGhost`], in the world.

mod election_safety;
mod leader_append_only;
mod leader_completeness;
mod log_matching;
mod state_machine_safety;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use super::log::{Entry, Log};
use super::node::{RaftNode, Role};
use crate::ids::NodeId;
use crate::invariant::{Violation, WorldView};
use crate::trace::StableHasher;

/// The name of every property checked, as violations carry them.
pub const PROPERTY_NAMES: [&str; 5] = [
    election_safety::NAME,
    leader_append_only::NAME,
    log_matching::NAME,
    leader_completeness::NAME,
    state_machine_safety::NAME,
];

/// What the checks remember across steps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RaftGhost {
    /// Election Safety: the leader seen in each term.
    pub(super) leaders: BTreeMap<u64, NodeId>,
    /// Every server's log when last seen, so a check runs only when a log changed.
    pub(super) logs: BTreeMap<NodeId, SeenLog>,
    /// Leader Append-Only and Leader Completeness: the term each server was
    /// last seen leading in.
    pub(super) leading: BTreeMap<NodeId, u64>,
    /// Leader Completeness: each committed index, with the entry's term and
    /// the term in which it was first seen committed.
    pub(super) committed: BTreeMap<u64, (u64, u64)>,
    /// State Machine Safety: the first entry any server applied at each index.
    pub(super) applied: BTreeMap<u64, Entry>,
    /// How far each server's applied entries have been checked.
    pub(super) checked_applied: BTreeMap<NodeId, u64>,
}

/// A log as the checks last saw it: its change count, and a hash of each of
/// its prefixes, so "is this log a prefix of that one" and "do these logs
/// agree up to index i" cost one comparison instead of a walk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeenLog {
    changes: u64,
    /// `prefix[i]` hashes entries 1 to i + 1.
    pub(super) prefix: Vec<u64>,
}

impl SeenLog {
    fn of(log: &Log) -> SeenLog {
        let mut h = StableHasher::default();
        let prefix = log
            .entries()
            .iter()
            .map(|e| {
                e.hash(&mut h);
                h.finish()
            })
            .collect();
        SeenLog { changes: log.changes(), prefix }
    }

    /// Whether the first `len` entries of two logs are the same.
    pub(super) fn same_prefix(&self, other: &SeenLog, len: usize) -> bool {
        len == 0
            || (self.prefix.len() >= len
                && other.prefix.len() >= len
                && self.prefix[len - 1] == other.prefix[len - 1])
    }
}

/// A server whose log the last step changed, with its log as last seen.
pub(super) struct Changed {
    pub id: NodeId,
    pub before: SeenLog,
}

pub(super) fn check(view: &WorldView<'_, RaftNode>, ghost: &mut RaftGhost) -> Vec<Violation> {
    let mut found = Vec::new();
    let changed = changed_logs(view, ghost);
    election_safety::check(view, ghost, &mut found);
    leader_append_only::check(view, ghost, &changed, &mut found);
    log_matching::check(view, ghost, &changed, &mut found);
    state_machine_safety::check(view, ghost, &mut found);
    leader_completeness::check(view, ghost, &changed, &mut found);
    for &id in view.touched {
        match view.node(id).filter(|n| n.role() == Role::Leader) {
            Some(leader) => ghost.leading.insert(id, leader.current_term()),
            None => ghost.leading.remove(&id),
        };
    }
    found
}

/// The touched servers whose logs differ from when they were last seen.
/// Logs change far less often than steps happen, so most steps stop here.
fn changed_logs(view: &WorldView<'_, RaftNode>, ghost: &mut RaftGhost) -> Vec<Changed> {
    let mut changed = Vec::new();
    for &id in view.touched {
        let Some(log) = view.durable(id).map(|d| &d.log) else { continue };
        let seen = ghost.logs.entry(id).or_default();
        // The length check catches a starting log (Figure 7) seen for the first time.
        if seen.changes != log.changes() || seen.prefix.len() as u64 != log.last_index() {
            let before = std::mem::replace(seen, SeenLog::of(log));
            changed.push(Changed { id, before });
        }
    }
    changed
}
