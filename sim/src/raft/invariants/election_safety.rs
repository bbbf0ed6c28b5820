//! Election Safety (Figure 3): at most one leader can be elected in a given term (§5.2).

use super::RaftGhost;
use crate::invariant::{Violation, WorldView};
use crate::raft::node::{RaftNode, Role};

/// The property's name as Figure 3 gives it; violations carry it.
pub(super) const NAME: &str = "Election Safety";

pub(super) fn check(
    view: &WorldView<'_, RaftNode>,
    ghost: &mut RaftGhost,
    found: &mut Vec<Violation>,
) {
    for &id in view.touched {
        let Some(node) = view.node(id).filter(|n| n.role() == Role::Leader) else { continue };
        let term = node.current_term();
        let first = *ghost.leaders.entry(term).or_insert(id);
        if first != id {
            found.push(Violation::new(
                view,
                NAME,
                "Raft §5.2, Figure 3",
                vec![first, id],
                format!("{first} and {id} were both elected leader in term {term}"),
            ));
        }
    }
}
