//! Leader Append-Only (Figure 3): a leader never overwrites or deletes
//! entries in its log; it only appends new entries (§5.3).

use super::{Changed, RaftGhost};
use crate::invariant::{Violation, WorldView};
use crate::raft::node::{RaftNode, Role};

/// The property's name as Figure 3 gives it; violations carry it.
pub(super) const NAME: &str = "Leader Append-Only";

pub(super) fn check(
    view: &WorldView<'_, RaftNode>,
    ghost: &RaftGhost,
    changed: &[Changed],
    found: &mut Vec<Violation>,
) {
    for Changed { id, before } in changed {
        let Some(node) = view.node(*id).filter(|n| n.role() == Role::Leader) else { continue };
        let term = node.current_term();
        // Only a server that already led this term must have kept its log.
        if ghost.leading.get(id) != Some(&term) {
            continue;
        }
        let now = &ghost.logs[id];
        let kept = before.prefix.len();
        if !now.same_prefix(before, kept) {
            // The first index whose prefix hash differs is the first entry changed.
            let at = (0..kept)
                .find(|&i| now.prefix.get(i) != Some(&before.prefix[i]))
                .unwrap_or(kept) as u64
                + 1;
            found.push(Violation::new(
                view,
                NAME,
                "Raft §5.3, Figure 3",
                vec![*id],
                format!("leader {id} of term {term} changed or removed its entry at index {at}"),
            ));
        }
    }
}
