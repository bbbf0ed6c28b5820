//! Agreement: correct replicas never execute different requests at one
//! sequence number, in one view or across views. The paper argues it in
//! §4.2 within a view (prepared and committed-local) and in §4.4 across
//! views (the new primary re-issues what was prepared).

use super::{PbftGhost, involved, name};
use crate::ids::NodeId;
use crate::invariant::{Violation, WorldView};
use crate::pbft::journal::Fact;
use crate::pbft::node::PbftNode;

/// The property's name; violations carry it.
pub(super) const NAME: &str = "Agreement";
const SOURCE: &str = "PBFT §4.2, §4.4";

/// Compares an execution with the first one any correct replica made at its sequence number.
pub(super) fn fact(
    view: &WorldView<'_, PbftNode>,
    ghost: &mut PbftGhost,
    replica: NodeId,
    fact: &Fact,
    found: &mut Vec<Violation>,
) {
    let Fact::Executed { seq, digest, .. } = *fact else { return };
    let (first, by) = *ghost.executed.entry(seq).or_insert((digest, replica));
    if first != digest {
        found.push(Violation::new(
            view,
            NAME,
            SOURCE,
            involved(by, replica),
            format!(
                "{} executed digest {} at sequence number {seq}, where {} executed digest {}",
                name(view, replica),
                digest.short(),
                name(view, by),
                first.short()
            ),
        ));
    }
}
