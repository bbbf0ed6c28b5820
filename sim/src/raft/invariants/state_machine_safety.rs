//! State Machine Safety (Figure 3): if a server has applied a log entry at a
//! given index to its state machine, no other server will ever apply a
//! different log entry for the same index (§5.4.3).

use super::RaftGhost;
use crate::invariant::{Violation, WorldView};
use crate::raft::node::RaftNode;

/// The property's name as Figure 3 gives it; violations carry it.
pub(super) const NAME: &str = "State Machine Safety";

pub(super) fn check(
    view: &WorldView<'_, RaftNode>,
    ghost: &mut RaftGhost,
    found: &mut Vec<Violation>,
) {
    for &id in view.touched {
        let Some(node) = view.node(id) else {
            // A crashed server applies nothing; after restart it applies again from index 1.
            ghost.checked_applied.insert(id, 0);
            continue;
        };
        let checked = ghost.checked_applied.entry(id).or_insert(0);
        if node.last_applied() < *checked {
            *checked = 0;
        }
        // Entries applied since the last check were applied during this step,
        // from the log as it is now.
        for index in *checked + 1..=node.last_applied() {
            let entry = *node.log().get(index).expect("applied entries are in the log");
            let first = *ghost.applied.entry(index).or_insert(entry);
            if first != entry {
                found.push(Violation::new(
                    view,
                    NAME,
                    "Raft §5.4.3, Figure 3",
                    vec![id],
                    format!(
                        "{id} applied {} (term {}) at index {index}, where {} (term {}) was applied before",
                        entry.command, entry.term, first.command, first.term
                    ),
                ));
            }
        }
        *checked = node.last_applied();
    }
}
