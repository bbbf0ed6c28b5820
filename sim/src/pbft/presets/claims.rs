//! What a PBFT preset's note says about its step, in a form a test checks
//! against a replay of the preset (`tests/notes.rs`), as Raft's presets do:
//! each note carries its claims beside its words. The test also holds the
//! words to the safety checks: a note on a step where a property breaks
//! must name it (with `Breaks` or `StillBroken`), a property's first break
//! must have a note, and a note names a property only where it is broken.

use crate::NodeId;

/// One claim of a note about the state at its step, after the step.
/// Replicas and clients are node ids (r0 is `NodeId(0)`; with f = 1, c0 is
/// `NodeId(4)`); a request reads as the phase matrix shows it, `x=1`, or
/// `null` for the null request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The replica is up, in this view, and not changing views.
    InView(NodeId, u64),
    /// The replica has sent its VIEW-CHANGE for this view and waits for its NEW-VIEW.
    ViewChanging(NodeId, u64),
    /// The node is crashed.
    Down(NodeId),
    /// The replica lies in some way (it shows on the faulty-replicas line).
    Byzantine(NodeId),
    /// The replica follows the protocol and always has.
    Correct(NodeId),
    /// (replica, view, sequence number, request): the replica accepted a
    /// PRE-PREPARE of this view for this request at this sequence number.
    PrePrepared(NodeId, u64, u64, &'static str),
    /// prepared(m, v, n, i) holds for this request at this sequence number.
    Prepared(NodeId, u64, &'static str),
    /// The replica has not prepared anything at this sequence number.
    NotPrepared(NodeId, u64),
    /// committed-local(m, v, n, i) holds for this request at this sequence number.
    Committed(NodeId, u64, &'static str),
    /// The highest sequence number the replica has executed.
    Executed(NodeId, u64),
    /// (replica, key, value): the replica's state holds key = value.
    Applied(NodeId, &'static str, i64),
    /// The client has sent its outstanding request to every replica.
    Retransmitted(NodeId),
    /// (client, request, replies): at this very step the client accepted the
    /// result of this request, on this many matching replies.
    Accepts(NodeId, &'static str, usize),
    /// How many results the client has accepted.
    AcceptedCount(NodeId, usize),
    /// (from, to, kind): a message of this kind (`PRE-PREPARE`) is in flight.
    InFlight(NodeId, NodeId, &'static str),
    /// The replica has taken a checkpoint at this sequence number.
    Checkpoint(NodeId, u64),
    /// The replica's last stable checkpoint, its low watermark h.
    Stable(NodeId, u64),
    /// The sequence numbers the replica's message log holds, in order.
    LogHolds(NodeId, Vec<u64>),
    /// At this very step the replica installed the state of a stable
    /// checkpoint at this sequence number, taken from another replica.
    Installs(NodeId, u64),
    /// The network is split into exactly these groups (none: it is whole).
    Partition(Vec<Vec<NodeId>>),
    /// This step breaks the property (named as on the properties panel) for
    /// the first time in the run: it turns red. The note must say "<name>
    /// turns red".
    Breaks(&'static str),
    /// This step finds the property broken again; it broke earlier. The note
    /// must name it.
    StillBroken(&'static str),
    /// No property has broken so far.
    NothingBroken,
}
