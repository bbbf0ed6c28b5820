//! Executed Prefixes: the requests correct replicas have executed, in
//! sequence-number order, are prefixes of one another (PBFT §4.2: requests
//! execute in the order of their sequence numbers, each number once). Each
//! execution's history hashes every digest executed up to it, so two
//! replicas agree up to n exactly when their histories at n are equal; and
//! a replica's executions must follow one another, n after n − 1, except
//! where it installed a checkpoint's state (state transfer, §4.3).

use super::{PbftGhost, involved, name};
use crate::ids::NodeId;
use crate::invariant::{Violation, WorldView};
use crate::pbft::config::Seq;
use crate::pbft::journal::Fact;
use crate::pbft::node::PbftNode;

/// The property's name; violations carry it.
pub(super) const NAME: &str = "Executed Prefixes";
const SOURCE: &str = "PBFT §4.2";

pub(super) fn fact(
    view: &WorldView<'_, PbftNode>,
    ghost: &mut PbftGhost,
    replica: NodeId,
    fact: &Fact,
    found: &mut Vec<Violation>,
) {
    match *fact {
        Fact::Executed { seq, history, .. } => {
            let previous = ghost.last_executed.insert(replica, seq).unwrap_or(0);
            if seq != previous + 1 {
                found.push(Violation::new(
                    view,
                    NAME,
                    SOURCE,
                    vec![replica],
                    format!(
                        "{} executed sequence number {seq} right after {previous}: a replica \
                         executes every sequence number, one after another",
                        name(view, replica)
                    ),
                ));
            }
            same_history(view, ghost, replica, seq, history, found);
        }
        Fact::Installed { seq, history } => {
            ghost.last_executed.insert(replica, seq);
            same_history(view, ghost, replica, seq, history, found);
        }
        Fact::Prepared { .. } => {}
    }
}

/// Compares what `replica` executed up to `seq` with what the first
/// correct replica seen there had.
fn same_history(
    view: &WorldView<'_, PbftNode>,
    ghost: &mut PbftGhost,
    replica: NodeId,
    seq: Seq,
    history: u64,
    found: &mut Vec<Violation>,
) {
    let (first, by) = *ghost.histories.entry(seq).or_insert((history, replica));
    if first != history {
        found.push(Violation::new(
            view,
            NAME,
            SOURCE,
            involved(by, replica),
            format!(
                "the requests {} executed up to sequence number {seq} are not those {} executed \
                 up to there: neither's executions are a prefix of the other's",
                name(view, replica),
                name(view, by)
            ),
        ));
    }
}
