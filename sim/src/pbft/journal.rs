//! What a node did that the safety checks must see: a replica's prepared
//! certificates and executions, a client's requests and accepted results.
//! Each node appends to its own journal (on its disk, so a crash keeps it);
//! the checks read what is new since they last looked, so a check costs
//! what the step did, not what the run did.

use super::config::{Seq, View};
use super::messages::{Digest, Outcome, Request};
use crate::chunked::Chunked;

/// A journal: it only grows, for the whole run. Kept in small chunks that
/// copies share (`Chunked`), so a timeline's snapshot of the world copies a
/// pointer for each 64 entries and the last few entries, not the entries:
/// copied whole, ten replicas' journals made a snapshot of a PBFT f = 3
/// world cost 1.2 ms 320,000 steps in (0.19 ms now), and every snapshot
/// held its own copy.
pub type Journal<T> = Chunked<T, 64>;

/// One thing a replica did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact {
    /// prepared(m, v, n, i) became true (§4.2).
    Prepared { view: View, seq: Seq, digest: Digest },
    /// The replica executed sequence number `seq`: `request` (none for the
    /// null request), with `outcome` (none when the request had been
    /// executed before, under another sequence number, and so did nothing:
    /// §4.1's at-most-once rule). `history` hashes every digest executed so
    /// far, in order.
    Executed {
        seq: Seq,
        digest: Digest,
        request: Option<Request>,
        outcome: Option<Outcome>,
        history: u64,
    },
    /// The replica took a stable checkpoint's state from another replica
    /// (state transfer) and now stands at `seq` with `history`.
    Installed { seq: Seq, history: u64 },
}

/// One result a client accepted (§4.1: f + 1 matching replies).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub request: Request,
    pub result: Outcome,
}
