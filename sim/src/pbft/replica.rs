//! One PBFT replica: what it keeps on disk and in memory, and the small
//! rules every part of the protocol shares (who is primary, the
//! watermarks, the request timer). The rules themselves live in
//! `normal.rs` (§4.2), `checkpoint.rs` (§4.3) and `view_change.rs` (§4.4, §4.5).

use crate::sorted::SortedMap;

use super::byzantine::Behaviour;
use super::config::{PbftConfig, Seq, View};
use super::journal::{Fact, Journal};
use super::messages::{
    Checkpoint, Digest, LastReply, Message, PrePrepare, PreparedProof, Request, Snapshot,
    ViewChange, Vote,
};
use super::node::{PbftNode, Timer};
use crate::ids::{NodeId, Time};
use crate::kv::KvStore;
use crate::protocol::Context;
use crate::signed::Signed;

/// What a replica keeps on stable storage. The OSDI paper counts a replica
/// that loses its state as faulty; here a replica writes its protocol state
/// to disk before it sends, so a crash and restart leaves it correct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaDurable {
    pub view: View,
    /// Between sending VIEW-CHANGE for `view` and accepting its NEW-VIEW: the
    /// replica takes no part in the normal case (§4.4).
    pub view_changing: bool,
    /// The message log, by sequence number, from the low watermark up (§4.2).
    pub log: SortedMap<Seq, Slot>,
    /// The last stable checkpoint: the low watermark h (§4.3).
    pub stable: StableCheckpoint,
    /// CHECKPOINTs received above the stable one, by (n, d) and signer.
    pub checkpoints: SortedMap<(Seq, Digest), SortedMap<NodeId, Signed<Checkpoint>>>,
    /// This replica's own checkpoints' states, from the stable one up.
    pub snapshots: SortedMap<Seq, Snapshot>,
    /// The highest sequence number executed.
    pub executed: Seq,
    /// The last sequence number the current view's NEW-VIEW re-issued: the
    /// primary numbers new requests above it (§4.4).
    pub reissued_up_to: Seq,
    pub store: KvStore,
    pub last_replies: SortedMap<NodeId, LastReply>,
    /// A hash of every digest executed, in order.
    pub history: u64,
    /// Valid requests known and not yet executed: while there is one, a
    /// backup's timer runs (§4.4).
    pub requests: SortedMap<Digest, Signed<Request>>,
    /// VIEW-CHANGEs received (and sent) for views from the current one up.
    pub view_changes: SortedMap<View, SortedMap<NodeId, Signed<ViewChange>>>,
    /// The view-change timeout, doubled at each view change that fails (§4.5.2).
    pub timeout: Time,
    pub byzantine: Option<Behaviour>,
    /// Whether the replica was ever Byzantine: the checks hold only correct replicas to the rules.
    pub ever_byzantine: bool,
    pub journal: Journal<Fact>,
}

/// The low watermark: a checkpoint proven by 2f + 1 CHECKPOINTs (§4.3).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StableCheckpoint {
    pub seq: Seq,
    pub digest: Digest,
    /// Empty for the initial state, which every replica starts from.
    pub proof: Vec<Signed<Checkpoint>>,
}

/// What the log holds for one sequence number (§4.2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Slot {
    /// The view of the accepted PRE-PREPARE.
    pub view: View,
    pub pre_prepare: Option<Signed<PrePrepare>>,
    pub request: Option<Signed<Request>>,
    /// PREPAREs and COMMITs by (view, digest, signer): a Byzantine replica may
    /// vote for two digests, and each vote counts only where it matches.
    pub prepares: SortedMap<(View, Digest, NodeId), Signed<Vote>>,
    pub commits: SortedMap<(View, Digest, NodeId), Signed<Vote>>,
    /// prepared(m, v, n, i) holds for the accepted PRE-PREPARE.
    pub prepared: bool,
    /// committed-local(m, v, n, i) holds.
    pub committed: bool,
    /// The proof of the request prepared here in the highest view, for VIEW-CHANGE (§4.4).
    pub proof: Option<PreparedProof>,
}

impl Slot {
    /// The accepted PRE-PREPARE's digest, if any.
    pub fn digest(&self) -> Option<Digest> {
        self.pre_prepare.as_ref().map(|pp| pp.payload().digest)
    }
}

/// What a replica keeps only in memory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplicaVolatile {
    /// The view-change timer is set (waiting for a request, or for NEW-VIEW).
    pub timer_on: bool,
    /// The resend timer is set (a VIEW-CHANGE or FETCH-STATE unanswered).
    pub resend_on: bool,
    /// How many times in a row it was sent again: each wait is twice the last.
    pub resends: u32,
    /// The VIEW-CHANGEs this replica sent for its last few views, to send
    /// again to a replica still gathering them for a view it has left.
    pub sent_view_changes: SortedMap<View, Signed<ViewChange>>,
    /// The NEW-VIEW of the view this replica is in, to pass on to a replica
    /// whose VIEW-CHANGE shows it missed it.
    pub new_view: Option<Signed<super::messages::NewView>>,
    /// A state transfer asked for, up to this sequence number.
    pub fetching: Option<Seq>,
    /// PRE-PREPAREs of the view being changed to that arrived before its
    /// NEW-VIEW (the new primary sends both at once), held until it comes.
    pub early: Vec<(Signed<PrePrepare>, Option<Signed<Request>>)>,
    /// Byzantine: messages held back, and messages kept to replay.
    pub delayed: Vec<(NodeId, Message)>,
    pub replay_pool: Vec<Message>,
    pub replay_next: usize,
}

impl ReplicaDurable {
    pub fn new(config: &PbftConfig) -> ReplicaDurable {
        let genesis = Snapshot::default();
        ReplicaDurable {
            view: 0,
            view_changing: false,
            log: SortedMap::new(),
            stable: StableCheckpoint { seq: 0, digest: genesis.digest(), proof: Vec::new() },
            checkpoints: SortedMap::new(),
            snapshots: SortedMap::from([(0, genesis)]),
            executed: 0,
            reissued_up_to: 0,
            store: KvStore::default(),
            last_replies: SortedMap::new(),
            history: 0,
            requests: SortedMap::new(),
            view_changes: SortedMap::new(),
            timeout: config.view_change_timeout,
            byzantine: None,
            ever_byzantine: false,
            journal: Journal::new(),
        }
    }

    /// The state as a checkpoint records it.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            seq: self.executed,
            store: self.store.clone(),
            last_replies: self.last_replies.iter().map(|(&c, &r)| (c, r)).collect(),
            history: self.history,
        }
    }

    /// Whether the replica follows the protocol (and always has).
    pub fn correct(&self) -> bool {
        !self.ever_byzantine
    }
}

/// A replica as one handler sees it: its id and settings, and both parts of
/// its state, borrowed for the call.
pub(super) struct Replica<'a> {
    pub id: NodeId,
    pub config: &'a PbftConfig,
    pub durable: &'a mut ReplicaDurable,
    pub volatile: &'a mut ReplicaVolatile,
}

impl Replica<'_> {
    pub fn me(&self) -> String {
        self.config.name(self.id)
    }

    pub fn name(&self, id: NodeId) -> String {
        self.config.name(id)
    }

    pub fn primary(&self) -> NodeId {
        self.config.primary(self.durable.view)
    }

    pub fn is_primary(&self) -> bool {
        self.primary() == self.id
    }

    /// h and H (§4.3).
    pub fn low_watermark(&self) -> Seq {
        self.durable.stable.seq
    }

    pub fn high_watermark(&self) -> Seq {
        self.durable.stable.seq + self.config.log_size
    }

    /// h < n ≤ H (§4.2).
    pub fn in_window(&self, seq: Seq) -> bool {
        seq > self.low_watermark() && seq <= self.high_watermark()
    }

    /// Writes why a message outside the watermarks is refused.
    pub fn refuse_outside_window(&self, what: &str, seq: Seq, ctx: &mut Context<'_, PbftNode>) {
        let (h, high) = (self.low_watermark(), self.high_watermark());
        ctx.note_with(|| {
            format!(
                "{} refuses {what} for sequence number {seq}: outside its watermarks h = {h}, \
                 H = {high} (§4.3)",
                self.me()
            )
        });
    }

    /// The §4.4 timer: a replica in the normal case runs it while it knows
    /// of a request it has not executed, restarted each time one executes.
    /// The paper times backups only; here the primary too, since a primary
    /// that cannot complete a request is as stuck as its backups: when the
    /// backups that could help have executed the request or moved to a
    /// later view, no backup's timer would ever end the view.
    pub fn restart_request_timer(&mut self, ctx: &mut Context<'_, PbftNode>) {
        if self.durable.view_changing {
            return;
        }
        let waiting = !self.durable.requests.is_empty();
        if waiting {
            ctx.set_timer(Timer::ViewChange, self.durable.timeout);
            self.volatile.timer_on = true;
        } else if self.volatile.timer_on {
            ctx.cancel_timer(Timer::ViewChange);
            self.volatile.timer_on = false;
        }
    }

    /// Starts the §4.4 timer if it is not running and a request waits.
    pub fn start_request_timer(&mut self, ctx: &mut Context<'_, PbftNode>) {
        if !self.volatile.timer_on {
            self.restart_request_timer(ctx);
        }
    }

    pub fn record(&mut self, fact: Fact) {
        self.durable.journal.push(fact);
    }
}
