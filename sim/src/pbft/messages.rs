//! The messages of PBFT (Castro and Liskov, OSDI 1999, §4), in the version
//! with signatures: every message a replica may show a third replica is a
//! [`Signed`] payload, made only by the signer's own context. The network
//! stamps the true sender besides; a Byzantine replica can pass on what
//! others signed, never sign in their names.

use std::hash::{Hash, Hasher};

use super::config::{Seq, View};
use crate::ids::NodeId;
use crate::kv::{KvStore, Set};
use crate::signed::Signed;
use crate::trace::{Name, StableHasher};

/// A message digest D(m) (§3): here a 64-bit hash of the message's contents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest(pub u64);

impl Digest {
    /// The digest of the null request, which the new primary puts in the
    /// gaps of a new view (§4.4) and which executes nothing.
    pub const NULL: Digest = Digest(0x6e75_6c6c); // "null"

    /// Four hex digits, for notes and the inspector.
    pub fn short(self) -> String {
        if self == Digest::NULL { "null".into() } else { format!("{:04x}", self.0 >> 48) }
    }

    fn of(value: &impl Hash) -> Digest {
        let mut hasher = StableHasher::default();
        value.hash(&mut hasher);
        let digest = hasher.finish();
        Digest(if digest == Digest::NULL.0 { digest ^ 1 } else { digest })
    }
}

/// ⟨REQUEST, o, t, c⟩σc (§4.1): operation o, the client's timestamp t, client c.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Request {
    pub op: Set,
    pub timestamp: u64,
    pub client: NodeId,
}

impl Request {
    pub fn digest(&self) -> Digest {
        Digest::of(self)
    }
}

/// ⟨PRE-PREPARE, v, n, d⟩σp (§4.2); the request travels beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PrePrepare {
    pub view: View,
    pub seq: Seq,
    pub digest: Digest,
}

/// ⟨PREPARE, v, n, d, i⟩σi and ⟨COMMIT, v, n, D(m), i⟩σi (§4.2): the same
/// fields; i is the signer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Vote {
    pub view: View,
    pub seq: Seq,
    pub digest: Digest,
}

/// What executing a request returned: the key's value before the request
/// set it (none if it was unset).
pub type Outcome = Option<i64>;

/// ⟨REPLY, v, t, c, i, r⟩σi (§4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reply {
    pub view: View,
    pub timestamp: u64,
    pub client: NodeId,
    pub result: Outcome,
}

/// ⟨CHECKPOINT, n, d, i⟩σi (§4.3): replica i's state after executing
/// sequence number n has digest d.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Checkpoint {
    pub seq: Seq,
    pub state: Digest,
}

/// P_m (§4.4): a request prepared at the sender, with its proof: the
/// PRE-PREPARE and 2f matching PREPAREs from other backups. The request
/// travels with it, so whoever re-issues it can execute it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PreparedProof {
    pub pre_prepare: Signed<PrePrepare>,
    pub prepares: Vec<Signed<Vote>>,
    pub request: Option<Signed<Request>>,
}

/// ⟨VIEW-CHANGE, v + 1, n, C, P, i⟩σi (§4.4): the sender's last stable
/// checkpoint n with its proof C (2f + 1 CHECKPOINTs), and P, a proof for
/// every request prepared at i with a sequence number above n.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ViewChange {
    pub new_view: View,
    pub stable: Seq,
    pub checkpoint_proof: Vec<Signed<Checkpoint>>,
    pub prepared: Vec<PreparedProof>,
}

/// ⟨NEW-VIEW, v + 1, V, O⟩σp (§4.4): the 2f + 1 VIEW-CHANGEs the new
/// primary acted on, and the PRE-PREPAREs it re-issues from them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NewView {
    pub view: View,
    pub view_changes: Vec<Signed<ViewChange>>,
    pub pre_prepares: Vec<Signed<PrePrepare>>,
}

/// A replica's state at a checkpoint: the key-value store, the last reply
/// to each client (§4.3 counts it as state) and the hash of every request
/// executed so far, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Snapshot {
    pub seq: Seq,
    pub store: KvStore,
    pub last_replies: Vec<(NodeId, LastReply)>,
    pub history: u64,
}

/// The last reply a replica sent a client, kept to answer a retransmitted
/// request and to execute each request at most once (§4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LastReply {
    pub timestamp: u64,
    pub result: Outcome,
}

impl Snapshot {
    /// The checkpoint's digest (§4.3).
    pub fn digest(&self) -> Digest {
        Digest::of(self)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Message {
    /// A client's request, to the primary, or to every replica on retransmission;
    /// a backup relays it to the primary (§4.1).
    Request(Signed<Request>),
    /// The primary orders a request (§4.2); none for the null request.
    PrePrepare(Signed<PrePrepare>, Option<Signed<Request>>),
    Prepare(Signed<Vote>),
    Commit(Signed<Vote>),
    Reply(Signed<Reply>),
    Checkpoint(Signed<Checkpoint>),
    /// Sent by a replica changing to that view, first and again until it
    /// is answered: it asks for what the sender lacks (§4.4).
    ViewChange(Signed<ViewChange>),
    /// A replica's own VIEW-CHANGE for a view it has left, passed on to one
    /// whose VIEW-CHANGE shows it may still gather them: an answer, so it
    /// is never answered (see `retransmit.rs`).
    PassedViewChange(Signed<ViewChange>),
    NewView(Signed<NewView>),
    /// A replica behind a stable checkpoint asks for the state (state
    /// transfer; TOCS 2002, much simplified: the whole state at once).
    FetchState {
        seq: Seq,
    },
    /// A stable checkpoint's state, with the 2f + 1 CHECKPOINTs that certify its digest.
    State {
        proof: Vec<Signed<Checkpoint>>,
        snapshot: Box<Snapshot>,
    },
    /// "I am in view v and executed up to n": a replica a client had to ask
    /// again asks the others for what it missed (TOCS 2002's status
    /// messages, simplified). Not signed: it proves nothing.
    Status {
        view: View,
        executed: Seq,
    },
}

/// The kinds' names, as the trace and the legend show them.
pub mod kinds {
    use crate::trace::Name;

    pub const REQUEST: &Name = &Name::new("REQUEST");
    pub const PRE_PREPARE: &Name = &Name::new("PRE-PREPARE");
    pub const PREPARE: &Name = &Name::new("PREPARE");
    pub const COMMIT: &Name = &Name::new("COMMIT");
    pub const REPLY: &Name = &Name::new("REPLY");
    pub const CHECKPOINT: &Name = &Name::new("CHECKPOINT");
    pub const VIEW_CHANGE: &Name = &Name::new("VIEW-CHANGE");
    pub const NEW_VIEW: &Name = &Name::new("NEW-VIEW");
    pub const FETCH_STATE: &Name = &Name::new("FETCH-STATE");
    pub const STATE: &Name = &Name::new("STATE");
    pub const STATUS: &Name = &Name::new("STATUS");
}

impl Message {
    pub fn kind(&self) -> &'static Name {
        match self {
            Message::Request(_) => kinds::REQUEST,
            Message::PrePrepare(..) => kinds::PRE_PREPARE,
            Message::Prepare(_) => kinds::PREPARE,
            Message::Commit(_) => kinds::COMMIT,
            Message::Reply(_) => kinds::REPLY,
            Message::Checkpoint(_) => kinds::CHECKPOINT,
            Message::ViewChange(_) | Message::PassedViewChange(_) => kinds::VIEW_CHANGE,
            Message::NewView(_) => kinds::NEW_VIEW,
            Message::FetchState { .. } => kinds::FETCH_STATE,
            Message::State { .. } => kinds::STATE,
            Message::Status { .. } => kinds::STATUS,
        }
    }

    /// The view a message belongs to, if it belongs to one.
    pub fn view(&self) -> Option<View> {
        match self {
            Message::PrePrepare(pp, _) => Some(pp.payload().view),
            Message::Prepare(v) | Message::Commit(v) => Some(v.payload().view),
            Message::Reply(r) => Some(r.payload().view),
            Message::ViewChange(vc) | Message::PassedViewChange(vc) => Some(vc.payload().new_view),
            Message::NewView(nv) => Some(nv.payload().view),
            Message::Status { view, .. } => Some(*view),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn digests_cover_every_field_and_never_look_null() {
        let op = Set::parse("x=1").unwrap();
        let base = Request { op, timestamp: 1, client: NodeId(4) };
        let others = [
            Request { op: Set::parse("x=2").unwrap(), ..base },
            Request { op: Set::parse("y=1").unwrap(), ..base },
            Request { timestamp: 2, ..base },
            Request { client: NodeId(5), ..base },
        ];
        for other in others {
            assert_ne!(base.digest(), other.digest(), "{other:?}");
        }
        assert_ne!(base.digest(), Digest::NULL);
        assert_eq!(Digest::NULL.short(), "null");
        assert_eq!(base.digest().short().len(), 4);
    }
}
