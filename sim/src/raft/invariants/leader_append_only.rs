//! Leader Append-Only (Figure 3): a leader never overwrites or deletes
//! entries in its log; it only appends new entries (§5.3).

use super::RaftGhost;
use crate::invariant::{Violation, WorldView};
use crate::raft::node::{RaftNode, Role};

pub(super) fn check(
    view: &WorldView<'_, RaftNode>,
    ghost: &mut RaftGhost,
    found: &mut Vec<Violation>,
) {
    for &id in view.touched {
        let Some(node) = view.node(id).filter(|n| n.role() == Role::Leader) else {
            ghost.leader_logs.remove(&id);
            continue;
        };
        let term = node.current_term();
        let now = node.log().entries();
        if let Some((seen_term, before)) = ghost.leader_logs.get(&id)
            && *seen_term == term
            && !now.starts_with(before)
        {
            let at =
                before.iter().zip(now).position(|(a, b)| a != b).unwrap_or(now.len()) as u64 + 1;
            found.push(Violation::new(
                view,
                "Leader Append-Only",
                "Raft §5.3, Figure 3",
                vec![id],
                format!("leader {id} of term {term} changed or removed its entry at index {at}"),
            ));
        }
        ghost.leader_logs.insert(id, (term, now.to_vec()));
    }
}
