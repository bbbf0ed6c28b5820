//! Leader Completeness (Figure 3): if a log entry is committed in a given
//! term, that entry will be present in the logs of the leaders for all
//! higher-numbered terms (§5.4).

use super::{Changed, CompleteUpTo, RaftGhost};
use crate::invariant::{Violation, WorldView};
use crate::raft::node::{RaftNode, Role};

/// The property's name as Figure 3 gives it; violations carry it.
pub(super) const NAME: &str = "Leader Completeness";

/// Records the entries the touched servers newly know committed, with the
/// term in which each was first seen committed. Returns whether any were new.
fn record_commits(view: &WorldView<'_, RaftNode>, ghost: &mut RaftGhost) -> bool {
    let before = ghost.committed.len();
    for &id in view.touched {
        let Some(node) = view.node(id) else { continue };
        let known = ghost.committed.last_key_value().map_or(0, |(&i, _)| i);
        for index in known + 1..=node.commit_index() {
            let term = node.log().term_at(index).expect("committed entries are in the log");
            ghost.committed.insert(index, (term, node.current_term()));
        }
    }
    ghost.committed.len() != before
}

/// A leader is checked when it is new, when its log changed, or when more
/// entries became committed.
pub(super) fn check(
    view: &WorldView<'_, RaftNode>,
    ghost: &mut RaftGhost,
    changed: &[Changed],
    found: &mut Vec<Violation>,
) {
    let new_commits = record_commits(view, ghost);
    for &id in view.touched {
        let Some(leader) = view.node(id).filter(|n| n.role() == Role::Leader) else { continue };
        let term = leader.current_term();
        let is_new = ghost.leading.get(&id) != Some(&term);
        if !(is_new || new_commits || changed.iter().any(|c| c.id == id)) {
            continue;
        }
        let seen = &ghost.logs[&id].prefix;
        let from = known_complete(ghost.complete_upto.get(&id), term, seen);
        let missing =
            ghost.committed.range(from + 1..).find(|&(&index, &(entry_term, in_term))| {
                in_term < term && leader.log().term_at(index) != Some(entry_term)
            });
        match missing {
            None => {
                let highest = ghost.committed.last_key_value().map_or(0, |(&i, _)| i);
                // A log shorter than that lacks only entries it need not hold.
                let index = highest.min(seen.len() as u64);
                let prefix_hash = index.checked_sub(1).map_or(0, |i| seen[i as usize]);
                ghost.complete_upto.insert(id, CompleteUpTo { term, index, prefix_hash });
            }
            Some((&index, &(entry_term, committed_in))) => {
                found.push(Violation::new(
                    view,
                    NAME,
                    "Raft §5.4, Figure 3",
                    vec![id],
                    format!(
                        "leader {id} of term {term} lacks the entry of term {entry_term} at index {index}, committed in term {committed_in}"
                    ),
                ));
                ghost.complete_upto.remove(&id);
            }
        }
    }
}

/// Up to which index the leader's log is already known to hold every
/// committed entry it must: as far as it was found complete earlier in the
/// same term, if its log is unchanged up to there (committed entries only
/// ever join at higher indexes), else nowhere. Spares a walk over every
/// committed entry on each step, which grew with the run.
fn known_complete(before: Option<&CompleteUpTo>, term: u64, prefix: &[u64]) -> u64 {
    match before {
        Some(&CompleteUpTo { term: t, index, prefix_hash })
            if t == term
                && (index == 0 || prefix.get(index as usize - 1) == Some(&prefix_hash)) =>
        {
            index
        }
        _ => 0,
    }
}
