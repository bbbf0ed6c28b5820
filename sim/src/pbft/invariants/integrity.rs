//! Integrity: a correct replica executes only requests that clients issued
//! (or null requests), under their own digests, and each request with
//! effect at most once (PBFT §3: clients sign their requests, so a faulty
//! replica cannot make one up; §4.1: a client's timestamps order its
//! requests, and a replica executes one whose timestamp is not above the
//! last it executed for that client without effect).

use super::{PbftGhost, name, request_text};
use crate::ids::NodeId;
use crate::invariant::{Violation, WorldView};
use crate::pbft::journal::Fact;
use crate::pbft::messages::{Digest, Request};
use crate::pbft::node::{PbftDurable, PbftNode};

/// The property's name; violations carry it.
pub(super) const NAME: &str = "Integrity";
const SOURCE: &str = "PBFT §3, §4.1";

pub(super) fn fact(
    view: &WorldView<'_, PbftNode>,
    ghost: &mut PbftGhost,
    replica: NodeId,
    fact: &Fact,
    found: &mut Vec<Violation>,
) {
    let mut broken = |nodes: Vec<NodeId>, detail: String| {
        found.push(Violation::new(view, NAME, SOURCE, nodes, detail));
    };
    match *fact {
        Fact::Executed { seq, digest, request, outcome, .. } => {
            let own = request.as_ref().map_or(Digest::NULL, Request::digest);
            if own != digest {
                let what = request.map_or("the null request".into(), |r| request_text(view, &r));
                broken(
                    vec![replica],
                    format!(
                        "{} executed {what} at sequence number {seq} under digest {}, which is \
                         not its digest",
                        name(view, replica),
                        digest.short()
                    ),
                );
            }
            let (Some(r), Some(_)) = (request, outcome) else { return };
            if !issued(view, &r) {
                broken(
                    vec![replica, r.client],
                    format!(
                        "{} executed {} at sequence number {seq}, which {} never issued",
                        name(view, replica),
                        request_text(view, &r),
                        name(view, r.client)
                    ),
                );
            }
            let latest = ghost.effects.entry(replica).or_default().entry(r.client).or_insert(0);
            let before = std::mem::replace(latest, r.timestamp.max(*latest));
            if before >= r.timestamp {
                let when = if before == r.timestamp {
                    "a second time".to_string()
                } else {
                    format!("after its request t={before}")
                };
                broken(
                    vec![replica],
                    format!(
                        "{} executed {} with effect {when}, at sequence number {seq}: a client's \
                         requests take effect at most once, in timestamp order",
                        name(view, replica),
                        request_text(view, &r)
                    ),
                );
            }
        }
        // The installed state's replies say which requests took effect up
        // to the checkpoint; forgetting what this replica executed before
        // is the simple sound choice (it may miss a repeat, never invent one).
        Fact::Installed { .. } => {
            ghost.effects.remove(&replica);
        }
        Fact::Prepared { .. } => {}
    }
}

/// Whether the client the request names issued it, with this operation at this timestamp.
fn issued(view: &WorldView<'_, PbftNode>, request: &Request) -> bool {
    matches!(
        view.durable(request.client),
        Some(PbftDurable::Client(c)) if c.issued.get(&request.timestamp) == Some(&request.op)
    )
}
