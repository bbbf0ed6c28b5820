//! Prepared Uniqueness: within a view, no two correct replicas prepare
//! different requests at one sequence number, nor does one replica twice
//! (PBFT §4.2: if prepared(m, v, n, i) is true then prepared(m′, v, n, j)
//! is false for every correct j, i = j included, and D(m′) ≠ D(m)).

use super::{PbftGhost, involved, name};
use crate::ids::NodeId;
use crate::invariant::{Violation, WorldView};
use crate::pbft::journal::Fact;
use crate::pbft::node::PbftNode;

/// The property's name; violations carry it.
pub(super) const NAME: &str = "Prepared Uniqueness";
const SOURCE: &str = "PBFT §4.2 (prepared)";

pub(super) fn fact(
    view: &WorldView<'_, PbftNode>,
    ghost: &mut PbftGhost,
    replica: NodeId,
    fact: &Fact,
    found: &mut Vec<Violation>,
) {
    let Fact::Prepared { view: v, seq, digest } = *fact else { return };
    let (first, by) = *ghost.prepared.entry((v, seq)).or_insert((digest, replica));
    if first != digest {
        found.push(Violation::new(
            view,
            NAME,
            SOURCE,
            involved(by, replica),
            format!(
                "{} prepared digest {} at sequence number {seq} in view {v}, where {} prepared \
                 digest {}",
                name(view, replica),
                digest.short(),
                name(view, by),
                first.short()
            ),
        ));
    }
}
