//! PBFT's safety properties, checked after every step, one module each.
//! Replicas and clients append what they did to journals on their disks
//! (`journal.rs`); after each step the checks read only the touched nodes'
//! entries added since they last looked, so a check costs what the step
//! did. History the properties need lives in [`PbftGhost`], in the world.
//!
//! Only correct replicas are held to the properties: a replica that was
//! ever Byzantine may journal anything, and its facts are read past.

mod accepted_results;
mod agreement;
mod integrity;
mod prefixes;
mod prepared;
#[cfg(test)]
mod tests;

use crate::sorted::SortedMap;

use super::client::ClientDurable;
use super::config::{Seq, View};
use super::journal::{Fact, Journal};
use super::messages::{Digest, Outcome, Request};
use super::node::{PbftDurable, PbftNode};
use super::replica::ReplicaDurable;
use crate::ids::NodeId;
use crate::invariant::{Violation, WorldView};

/// The name of every property checked, as violations carry them.
pub const PROPERTY_NAMES: [&str; 5] =
    [agreement::NAME, prefixes::NAME, integrity::NAME, prepared::NAME, accepted_results::NAME];

/// What the checks remember across steps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PbftGhost {
    /// How many journal entries (a replica) or accepted results (a client)
    /// of each node have been read.
    pub(super) read: SortedMap<NodeId, u64>,
    /// Agreement: the first digest a correct replica executed at each
    /// sequence number, and that replica.
    pub(super) executed: SortedMap<Seq, (Digest, NodeId)>,
    /// Executed Prefixes: the first history (the hash of every digest
    /// executed up to there) a correct replica reached at each sequence
    /// number, and that replica.
    pub(super) histories: SortedMap<Seq, (u64, NodeId)>,
    /// Executed Prefixes: the sequence number each correct replica executed
    /// (or installed the state of) last.
    pub(super) last_executed: SortedMap<NodeId, Seq>,
    /// Integrity: for each correct replica, the latest timestamp of each
    /// client whose request it executed with effect since it last installed
    /// a state.
    pub(super) effects: SortedMap<NodeId, SortedMap<NodeId, u64>>,
    /// Prepared Uniqueness: the first digest a correct replica prepared at
    /// each (view, sequence number), and that replica.
    pub(super) prepared: SortedMap<(View, Seq), (Digest, NodeId)>,
    /// Accepted Results: the first result a correct replica computed for
    /// each (client, timestamp), and that replica.
    pub(super) computed: SortedMap<(NodeId, u64), (Outcome, NodeId)>,
}

pub(super) fn check(view: &WorldView<'_, PbftNode>, ghost: &mut PbftGhost) -> Vec<Violation> {
    let mut found = Vec::new();
    // Replicas first, so that what a client accepts is held to every
    // result computed up to now, whatever the order of `touched`.
    for &id in view.touched {
        if let Some(PbftDurable::Replica(replica)) = view.durable(id) {
            read_replica(view, ghost, id, replica, &mut found);
        }
    }
    for &id in view.touched {
        if let Some(PbftDurable::Client(client)) = view.durable(id) {
            read_client(view, ghost, id, client, &mut found);
        }
    }
    found
}

/// Holds each new fact of a replica's journal to every property.
fn read_replica(
    view: &WorldView<'_, PbftNode>,
    ghost: &mut PbftGhost,
    id: NodeId,
    replica: &ReplicaDurable,
    found: &mut Vec<Violation>,
) {
    let facts = unread(&mut ghost.read, id, &replica.journal);
    // A Byzantine replica's facts prove nothing; the cursor moves past them all the same.
    if !replica.correct() {
        return;
    }
    for fact in facts {
        see(view, ghost, id, fact, found);
    }
}

/// Holds one fact of a correct replica to every property.
fn see(
    view: &WorldView<'_, PbftNode>,
    ghost: &mut PbftGhost,
    id: NodeId,
    fact: &Fact,
    found: &mut Vec<Violation>,
) {
    agreement::fact(view, ghost, id, fact, found);
    prefixes::fact(view, ghost, id, fact, found);
    integrity::fact(view, ghost, id, fact, found);
    prepared::fact(view, ghost, id, fact, found);
    accepted_results::fact(ghost, id, fact);
}

/// Holds each result a client newly accepted to what correct replicas computed.
fn read_client(
    view: &WorldView<'_, PbftNode>,
    ghost: &mut PbftGhost,
    id: NodeId,
    client: &ClientDurable,
    found: &mut Vec<Violation>,
) {
    for accepted in unread(&mut ghost.read, id, &client.accepted) {
        accepted_results::accepted(view, ghost, id, accepted, found);
    }
}

/// The entries of `all` not read before, moving the node's cursor past them.
fn unread<'a, T>(
    read: &mut SortedMap<NodeId, u64>,
    id: NodeId,
    all: &'a Journal<T>,
) -> impl Iterator<Item = &'a T> + use<'a, T> {
    let cursor = read.entry(id).or_insert(0);
    let from = usize::try_from(*cursor).unwrap_or(usize::MAX);
    *cursor = all.len() as u64;
    all.iter_from(from)
}

/// A node's name as notes write it: r0, r1, … and c0, c1, ….
fn name(view: &WorldView<'_, PbftNode>, id: NodeId) -> String {
    view.config.name(id)
}

/// The nodes a violation names: both, or one if they are the same.
fn involved(first: NodeId, then: NodeId) -> Vec<NodeId> {
    if first == then { vec![then] } else { vec![first, then] }
}

/// A request in words: "c0's x=1 (t=1)".
fn request_text(view: &WorldView<'_, PbftNode>, request: &Request) -> String {
    format!("{}'s {} (t={})", name(view, request.client), request.op, request.timestamp)
}

/// A result in words, as the client's note gives it: "x was 1".
fn result_text(request: &Request, outcome: Outcome) -> String {
    match outcome {
        Some(before) => format!("\"{} was {before}\"", request.op.key),
        None => format!("\"{} was unset\"", request.op.key),
    }
}
