//! Log Matching (Figure 3): if two logs contain an entry with the same index
//! and term, the logs are identical in all entries up through that index (§5.3).

use super::{Changed, RaftGhost};
use crate::ids::NodeId;
use crate::invariant::{Violation, WorldView};
use crate::raft::node::RaftNode;

/// The property's name as Figure 3 gives it; violations carry it.
pub(super) const NAME: &str = "Log Matching";

/// Only pairs with a server whose log changed this step can newly break it.
pub(super) fn check(
    view: &WorldView<'_, RaftNode>,
    ghost: &RaftGhost,
    changed: &[Changed],
    found: &mut Vec<Violation>,
) {
    let is_changed = |id: NodeId| changed.iter().any(|c| c.id == id);
    for &Changed { id: a, .. } in changed {
        let Some(log_a) = view.durable(a).map(|d| d.log.entries()) else { continue };
        for b in view.node_ids().filter(|&b| b != a) {
            // A pair of two changed servers is checked once.
            if b < a && is_changed(b) {
                continue;
            }
            let Some(log_b) = view.durable(b).map(|d| d.log.entries()) else { continue };
            let shared = log_a.len().min(log_b.len());
            // The highest index where both hold an entry of the same term.
            let Some(top) = (0..shared).rev().find(|&i| log_a[i].term == log_b[i].term) else {
                continue;
            };
            // Equal prefix hashes mean equal prefixes; only a mismatch is walked.
            if ghost.logs[&a].same_prefix(&ghost.logs[&b], top + 1) {
                continue;
            }
            if let Some(i) = (0..=top).find(|&i| log_a[i] != log_b[i]) {
                found.push(violation(view, a, b, i as u64 + 1, top as u64 + 1, log_a[top].term));
            }
        }
    }
}

fn violation(
    view: &WorldView<'_, RaftNode>,
    a: NodeId,
    b: NodeId,
    at: u64,
    top: u64,
    term: u64,
) -> Violation {
    let (first, second) = if a < b { (a, b) } else { (b, a) };
    Violation::new(
        view,
        NAME,
        "Raft §5.3, Figure 3",
        vec![first, second],
        format!(
            "{first} and {second} both hold an entry of term {term} at index {top}, but differ at index {at}"
        ),
    )
}
