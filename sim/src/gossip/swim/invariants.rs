//! SWIM's checked property: while no message has been lost and no node has
//! crashed, no member declares a live member dead. A lost ack may only
//! make a member suspected, and a suspected member that is alive refutes
//! the suspicion (§4.2). Once a run has lost a message or crashed a node,
//! false deaths become possible in SWIM itself (the paper measures how
//! rare they are, §5), and the property no longer applies.

use crate::invariant::{Violation, WorldView};
use crate::trace::{Record, StepTrace};

use super::node::{Change, SwimNode};

pub const NO_FALSE_DEATH: &str = "No live member declared dead";

/// What the run has seen so far that lifts the property.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SwimGhost {
    pub lost_a_message: bool,
    pub crashed_a_node: bool,
}

pub fn check(
    view: &WorldView<'_, SwimNode>,
    step: &StepTrace,
    ghost: &mut SwimGhost,
) -> Vec<Violation> {
    for record in step.records() {
        match record {
            Record::Dropped { .. } => ghost.lost_a_message = true,
            Record::Crashed { .. } => ghost.crashed_a_node = true,
            _ => {}
        }
    }
    if ghost.lost_a_message || ghost.crashed_a_node {
        return Vec::new();
    }
    let mut found = Vec::new();
    for &id in view.touched {
        let Some(node) = view.node(id) else { continue };
        for change in node.changes() {
            if let Change::Declared(member) = *change
                && view.node(member).is_some_and(SwimNode::is_member)
            {
                found.push(Violation::new(
                    view,
                    NO_FALSE_DEATH,
                    "SWIM §4.2",
                    vec![id, member],
                    format!(
                        "{id} holds {member} dead, but {member} is up and in the group, and no \
                         message has been lost and no node has crashed"
                    ),
                ));
            }
        }
    }
    found
}
