//! Raft's safety properties (Figure 3), checked after every step, one module
//! each. History the properties need lives in [`RaftGhost`], in the world.

mod election_safety;
mod leader_append_only;
mod leader_completeness;
mod log_matching;
mod state_machine_safety;

use crate::sorted::SortedMap;
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
    pub(super) leaders: SortedMap<u64, NodeId>,
    /// Every server's log when last seen, so a check runs only when a log changed.
    pub(super) logs: SortedMap<NodeId, SeenLog>,
    /// Leader Append-Only and Leader Completeness: the term each server was
    /// last seen leading in.
    pub(super) leading: SortedMap<NodeId, u64>,
    /// Leader Completeness: each committed index, with the entry's term and
    /// the term in which it was first seen committed.
    pub(super) committed: SortedMap<u64, (u64, u64)>,
    /// State Machine Safety: the first entry any server applied at each index.
    pub(super) applied: SortedMap<u64, Entry>,
    /// How far each server's applied entries have been checked.
    pub(super) checked_applied: SortedMap<NodeId, u64>,
    /// Leader Completeness: how far each leader's log was last found to hold
    /// every committed entry it must.
    pub(super) complete_upto: SortedMap<NodeId, CompleteUpTo>,
}

/// A leader's log, found in `term` to hold every committed entry it must up
/// to `index`, with the hash of its prefix up to there (to tell later that
/// the prefix is unchanged).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct CompleteUpTo {
    pub term: u64,
    pub index: u64,
    pub prefix_hash: u64,
}

/// A log as the checks last saw it: its change count, and a hash of each of
/// its prefixes, so "is this log a prefix of that one" and "do these logs
/// agree up to index i" cost one comparison instead of a walk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeenLog {
    changes: u64,
    /// `prefix[i]` hashes entries 1 to i + 1: the hash of `prefix[i - 1]`
    /// and entry i + 1, so a longer log extends the hashes of a shorter one.
    pub(super) prefix: Vec<u64>,
}

/// The hash of a prefix: the hash of the prefix before it, and its last entry.
fn link(previous: u64, entry: &Entry) -> u64 {
    let mut h = StableHasher::default();
    previous.hash(&mut h);
    entry.hash(&mut h);
    h.finish()
}

impl SeenLog {
    /// `log` as seen now, hashing only what is new since `self` where it can.
    /// Every push and every truncation counts one change, so a change count
    /// that grew by exactly as much as the log did means entries were only
    /// appended, and the hashes seen before still hold; otherwise the log
    /// is hashed anew. (Logs grow by an entry at a time: hashing each whole
    /// log again on every append made the checks quadratic in its length.)
    fn updated(&self, log: &Log) -> SeenLog {
        let (seen, now) = (self.prefix.len() as u64, log.last_index());
        let appended_only =
            now >= seen && log.changes().checked_sub(self.changes) == Some(now - seen);
        let kept = if appended_only { self.prefix.len() } else { 0 };
        let mut prefix = Vec::with_capacity(log.entries().len());
        prefix.extend_from_slice(&self.prefix[..kept]);
        let mut previous = prefix.last().copied().unwrap_or(0);
        for entry in &log.entries()[kept..] {
            previous = link(previous, entry);
            prefix.push(previous);
        }
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
            let now = seen.updated(log);
            let before = std::mem::replace(seen, now);
            changed.push(Changed { id, before });
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::raft::kv::{Key, Set};

    fn entry(term: u64, value: i64) -> Entry {
        Entry { term, command: Set { key: Key::new("x").unwrap(), value } }
    }

    /// Hashes the whole log from nothing, the reference for the shortcut.
    fn fresh(log: &Log) -> SeenLog {
        SeenLog::default().updated(log)
    }

    #[test]
    fn hashes_kept_from_before_match_hashing_the_whole_log() {
        let mut log = Log::default();
        let mut seen = fresh(&log);
        for i in 0..20 {
            log.push(entry(1 + i / 7, i as i64));
            if i % 3 == 0 {
                log.push(entry(9, -1));
            }
            seen = seen.updated(&log);
            assert_eq!(seen, fresh(&log), "after {i}");
        }
    }

    #[test]
    fn a_truncation_is_seen_even_when_the_length_comes_back() {
        let mut log = Log::from_entries((0..6).map(|v| entry(1, v)).collect());
        let before = fresh(&log);
        log.truncate_from(4);
        log.push(entry(2, 3));
        log.push(entry(2, 4));
        log.push(entry(2, 5));
        let after = before.updated(&log);
        assert_eq!(after, fresh(&log));
        assert!(after.same_prefix(&before, 3) && !after.same_prefix(&before, 4));
    }
}
