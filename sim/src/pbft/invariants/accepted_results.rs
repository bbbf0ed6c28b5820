//! Accepted Results: a client accepts only the result that correct replicas
//! computed for its request (PBFT §4.1: f + 1 matching replies include one
//! from a correct replica). A result no correct replica has computed yet
//! breaks it too.

use super::{PbftGhost, involved, name, result_text};
use crate::ids::NodeId;
use crate::invariant::{Violation, WorldView};
use crate::pbft::journal::{Accepted, Fact};
use crate::pbft::node::PbftNode;

/// The property's name; violations carry it.
pub(super) const NAME: &str = "Accepted Results";
const SOURCE: &str = "PBFT §4.1";

/// Remembers the first result a correct replica computed for each request.
pub(super) fn fact(ghost: &mut PbftGhost, replica: NodeId, fact: &Fact) {
    if let Fact::Executed { request: Some(r), outcome: Some(result), .. } = *fact {
        ghost.computed.entry((r.client, r.timestamp)).or_insert((result, replica));
    }
}

/// Holds a result `client` accepted to what correct replicas computed.
pub(super) fn accepted(
    view: &WorldView<'_, PbftNode>,
    ghost: &PbftGhost,
    client: NodeId,
    accepted: &Accepted,
    found: &mut Vec<Violation>,
) {
    let Accepted { request, result } = *accepted;
    let (nodes, detail) = match ghost.computed.get(&(client, request.timestamp)) {
        Some(&(computed, _)) if computed == result => return,
        Some(&(computed, by)) => (
            involved(by, client),
            format!(
                "{} accepted {} for its request {} (t={}), but {} computed {}",
                name(view, client),
                result_text(&request, result),
                request.op,
                request.timestamp,
                name(view, by),
                result_text(&request, computed)
            ),
        ),
        None => (
            vec![client],
            format!(
                "{} accepted {} for its request {} (t={}), which no correct replica has computed",
                name(view, client),
                result_text(&request, result),
                request.op,
                request.timestamp
            ),
        ),
    };
    found.push(Violation::new(view, NAME, SOURCE, nodes, detail));
}
