//! The normal case (OSDI 1999, §4.1 and §4.2): requests, the three phases
//! PRE-PREPARE, PREPARE and COMMIT, execution in sequence-number order, and
//! replies.

use std::hash::{Hash, Hasher};

use super::byzantine::Behaviour;
use super::config::{Mistake, PbftConfig, Seq};
use super::journal::Fact;
use super::messages::{
    Digest, LastReply, Message, PrePrepare, PreparedProof, Reply, Request, Vote,
};
use super::node::PbftNode;
use super::replica::Replica;
use crate::ids::NodeId;
use crate::protocol::Context;
use crate::signed::Signed;
use crate::trace::StableHasher;

type Ctx<'c> = Context<'c, PbftNode>;

/// A request signed by the client it names (§4.1): a replica cannot make one up.
pub(super) fn valid_request(config: &PbftConfig, request: &Signed<Request>) -> bool {
    request.signer() == request.payload().client && config.is_client(request.signer())
}

impl Replica<'_> {
    /// §4.1: a client's request, sent by the client or relayed by a backup.
    pub fn on_request(&mut self, from: NodeId, request: Signed<Request>, ctx: &mut Ctx<'_>) {
        if !valid_request(self.config, &request) {
            ctx.note_with(|| format!("{} refuses a request not signed by its client", self.me()));
            return;
        }
        let r = *request.payload();
        if let Some(last) = self.durable.last_replies.get(&r.client).copied()
            && r.timestamp <= last.timestamp
        {
            // §4.1: replicas remember the last reply to each client and resend it.
            if r.timestamp == last.timestamp {
                ctx.note_with(|| {
                    format!(
                        "{} already executed {}'s request t={}: it sends the reply again (§4.1)",
                        self.me(),
                        self.name(r.client),
                        r.timestamp
                    )
                });
                self.reply(r, last.result, ctx);
            }
            return;
        }
        let digest = r.digest();
        let new = self.durable.requests.insert(digest, request.clone()).is_none();
        // A client sends a request to a backup, or to the primary a second
        // time, only when it got no answer: something was lost.
        let asked_again = from == r.client && (!new || !self.is_primary());
        if asked_again && !self.durable.view_changing {
            self.send_status(ctx);
        }
        if self.is_primary() {
            self.order_waiting(ctx);
        } else if from == r.client && !self.durable.view_changing {
            // §4.1: a backup relays a request it got from the client to the primary.
            ctx.note_with(|| {
                format!(
                    "{} relays {}'s request {} to the primary {} and starts its view-change timer (§4.4)",
                    self.me(),
                    self.name(r.client),
                    r.op,
                    self.name(self.primary())
                )
            });
            let primary = self.primary();
            self.send(primary, Message::Request(request), ctx);
        }
        self.start_request_timer(ctx);
    }

    /// The primary gives every waiting request it has not ordered in this
    /// view the next sequence number, while it stays below H (§4.2, §4.3).
    pub fn order_waiting(&mut self, ctx: &mut Ctx<'_>) {
        if !self.is_primary() || self.durable.view_changing {
            return;
        }
        let view = self.durable.view;
        let ordered: Vec<Digest> = self
            .durable
            .log
            .values()
            .filter(|s| s.view == view)
            .filter_map(|s| s.digest())
            .collect();
        let waiting: Vec<Signed<Request>> = self
            .durable
            .requests
            .iter()
            .filter(|(d, _)| !ordered.contains(d))
            .map(|(_, r)| r.clone())
            .collect();
        if waiting.is_empty() {
            return;
        }
        if self.is(&Behaviour::Stall) {
            ctx.note_with(|| format!("{} is a stalling primary: it orders nothing", self.me()));
            return;
        }
        for request in waiting {
            let seq = self.next_seq();
            if seq > self.high_watermark() {
                let high = self.high_watermark();
                ctx.note_with(|| {
                    format!(
                        "{} holds {}: sequence number {seq} would pass the high watermark H = \
                         {high}; it waits for a stable checkpoint (§4.3)",
                        self.me(),
                        request.payload().op
                    )
                });
                return;
            }
            self.pre_prepare(seq, request, ctx);
        }
    }

    /// The next sequence number: one past the last this view has ordered.
    fn next_seq(&self) -> Seq {
        let view = self.durable.view;
        let last = self
            .durable
            .log
            .iter()
            .rev()
            .find(|(_, s)| s.view == view && s.pre_prepare.is_some())
            .map_or(0, |(&n, _)| n);
        last.max(self.low_watermark()).max(self.durable.reissued_up_to) + 1
    }

    /// §4.2: the primary multicasts ⟨PRE-PREPARE, v, n, d⟩σp with the request.
    fn pre_prepare(&mut self, seq: Seq, request: Signed<Request>, ctx: &mut Ctx<'_>) {
        let view = self.durable.view;
        let digest = request.payload().digest();
        let pp = ctx.sign(PrePrepare { view, seq, digest });
        ctx.note_with(|| {
            format!(
                "{} (primary of view {view}) assigns sequence number {seq} to {} (digest {}) (§4.2)",
                self.me(),
                request.payload().op,
                digest.short()
            )
        });
        let slot = self.durable.log.entry(seq).or_default();
        slot.view = view;
        slot.pre_prepare = Some(pp.clone());
        slot.request = Some(request.clone());
        slot.prepared = false;
        slot.committed = false;
        if self.is(&Behaviour::Equivocate) {
            self.equivocate(pp, request, ctx);
        } else {
            self.multicast(Message::PrePrepare(pp, Some(request)), ctx);
        }
        self.check_prepared(seq, ctx);
    }

    /// An equivocating primary: the request and a null request for one
    /// sequence number, to every backup, in opposite orders for the two
    /// halves, and commits for both.
    fn equivocate(&mut self, pp: Signed<PrePrepare>, request: Signed<Request>, ctx: &mut Ctx<'_>) {
        let real = *pp.payload();
        let fake = ctx.sign(PrePrepare { digest: Digest::NULL, ..real });
        ctx.note_with(|| {
            format!(
                "{} equivocates: sequence number {} is {} for some backups and null for others",
                self.me(),
                real.seq,
                real.digest.short()
            )
        });
        let backups: Vec<NodeId> = self.config.replica_ids().filter(|&r| r != self.id).collect();
        let half = backups.len() / 2;
        for (i, backup) in backups.into_iter().enumerate() {
            let first = Message::PrePrepare(pp.clone(), Some(request.clone()));
            let second = Message::PrePrepare(fake.clone(), None);
            let (a, b) = if i < half { (first, second) } else { (second, first) };
            self.send(backup, a, ctx);
            self.send(backup, b, ctx);
        }
        for digest in [real.digest, Digest::NULL] {
            let commit = ctx.sign(Vote { view: real.view, seq: real.seq, digest });
            self.multicast(Message::Commit(commit), ctx);
        }
    }

    /// §4.2: a backup accepts a PRE-PREPARE if it is signed by the primary of
    /// its view, the replica is in that view, the digest is the request's,
    /// the sequence number is between the watermarks, and it has accepted no
    /// other PRE-PREPARE for this view and sequence number.
    pub fn on_pre_prepare(
        &mut self,
        pp: Signed<PrePrepare>,
        request: Option<Signed<Request>>,
        ctx: &mut Ctx<'_>,
    ) {
        let p = *pp.payload();
        // The name is made only when a note is kept: this runs for every PRE-PREPARE.
        let (config, id) = (self.config, self.id);
        let me = || config.name(id);
        if p.view != self.durable.view {
            ctx.note_with(|| {
                format!(
                    "{} ignores a PRE-PREPARE of view {}: it is in view {} (§4.2)",
                    me(),
                    p.view,
                    self.durable.view
                )
            });
            return;
        }
        if pp.signer() != self.primary() || self.is_primary() {
            ctx.note_with(|| format!("{} refuses a PRE-PREPARE not signed by the primary", me()));
            return;
        }
        let body_ok = match &request {
            None => p.digest == Digest::NULL,
            Some(r) => valid_request(self.config, r) && r.payload().digest() == p.digest,
        };
        if !body_ok {
            ctx.note_with(|| {
                format!(
                    "{} refuses a PRE-PREPARE whose digest {} is not its request's",
                    me(),
                    p.digest.short()
                )
            });
            return;
        }
        // The new primary sends its NEW-VIEW and then its first PRE-PREPAREs:
        // one may overtake the other. Held, checked against the watermarks
        // of the new view once it is entered; only the primary's own count.
        if self.durable.view_changing {
            let early = &mut self.volatile.early;
            if early.len() < self.config.log_size as usize && !early.iter().any(|(e, _)| *e == pp) {
                ctx.note_with(|| {
                    format!(
                        "{} holds a PRE-PREPARE of view {} until that view's NEW-VIEW arrives",
                        me(),
                        p.view
                    )
                });
                self.volatile.early.push((pp, request));
            }
            return;
        }
        if !self.in_window(p.seq) {
            self.refuse_outside_window("a PRE-PREPARE", p.seq, ctx);
            return;
        }
        if self.is(&Behaviour::DoubleVote) {
            for message in [Message::Prepare(ctx.sign(vote(p))), Message::Commit(ctx.sign(vote(p)))]
            {
                self.multicast(message, ctx);
            }
        }
        let slot = self.durable.log.entry(p.seq).or_default();
        if let Some(had) = slot.digest().filter(|_| slot.view == p.view) {
            if had == p.digest {
                return;
            }
            if !self.config.has(Mistake::AcceptSecondPrePrepare) {
                ctx.note_with(|| {
                    format!(
                        "{} refuses a second PRE-PREPARE for view {}, sequence number {}: it \
                         accepted digest {} and this one says {} (§4.2)",
                        me(),
                        p.view,
                        p.seq,
                        had.short(),
                        p.digest.short()
                    )
                });
                return;
            }
            ctx.note_with(|| {
                format!("{} replaces its PRE-PREPARE for sequence number {} (mistake)", me(), p.seq)
            });
        }
        slot.view = p.view;
        slot.pre_prepare = Some(pp);
        slot.request = request.clone();
        slot.prepared = false;
        slot.committed = false;
        if let Some(r) = request
            && self
                .durable
                .last_replies
                .get(&r.payload().client)
                .is_none_or(|l| l.timestamp < r.payload().timestamp)
        {
            self.durable.requests.insert(p.digest, r);
            self.start_request_timer(ctx);
        }
        let prepare = ctx.sign(vote(p));
        self.durable
            .log
            .entry(p.seq)
            .or_default()
            .prepares
            .insert((p.view, p.digest, self.id), prepare.clone());
        ctx.note_with(|| {
            format!(
                "{} accepts the PRE-PREPARE for sequence number {} (digest {}) and multicasts PREPARE (§4.2)",
                me(),
                p.seq,
                p.digest.short()
            )
        });
        self.multicast(Message::Prepare(prepare), ctx);
        self.check_prepared(p.seq, ctx);
    }

    /// §4.2: PREPAREs from backups (never the primary) in the replica's view,
    /// between the watermarks, are kept in the log.
    pub fn on_prepare(&mut self, prepare: Signed<Vote>, ctx: &mut Ctx<'_>) {
        let Some(v) = self.accept_vote("PREPARE", &prepare, ctx) else { return };
        if prepare.signer() == self.config.primary(v.view) {
            ctx.note_with(|| format!("{} ignores a PREPARE from the primary (§4.2)", self.me()));
            return;
        }
        let slot = self.durable.log.entry(v.seq).or_default();
        if slot.prepares.insert((v.view, v.digest, prepare.signer()), prepare).is_none() {
            self.check_prepared(v.seq, ctx);
        }
    }

    /// §4.2: COMMITs in the replica's view, between the watermarks.
    pub fn on_commit(&mut self, commit: Signed<Vote>, ctx: &mut Ctx<'_>) {
        let Some(v) = self.accept_vote("COMMIT", &commit, ctx) else { return };
        let slot = self.durable.log.entry(v.seq).or_default();
        if slot.commits.insert((v.view, v.digest, commit.signer()), commit).is_none() {
            self.check_committed(v.seq, ctx);
        }
    }

    /// The checks a PREPARE and a COMMIT share. Votes of the view being
    /// changed to are kept while the NEW-VIEW is awaited (§4.4 takes only
    /// CHECKPOINT, VIEW-CHANGE and NEW-VIEW then): they count only once the
    /// view is entered, and spare a retransmission when they overtake it.
    fn accept_vote(&self, what: &str, vote: &Signed<Vote>, ctx: &mut Ctx<'_>) -> Option<Vote> {
        let v = *vote.payload();
        if !self.config.is_replica(vote.signer()) {
            return None;
        }
        if v.view != self.durable.view {
            ctx.note_with(|| {
                format!(
                    "{} ignores a {what} of view {} from {}: it is in view {} (§4.2)",
                    self.me(),
                    v.view,
                    self.name(vote.signer()),
                    self.durable.view
                )
            });
            return None;
        }
        if !self.in_window(v.seq) {
            self.refuse_outside_window(what, v.seq, ctx);
            return None;
        }
        Some(v)
    }

    /// prepared(m, v, n, i) (§4.2): the log holds the request, its
    /// PRE-PREPARE in view v with number n, and 2f PREPAREs from different
    /// backups that match it. Then the replica multicasts COMMIT.
    pub fn check_prepared(&mut self, seq: Seq, ctx: &mut Ctx<'_>) {
        let view = self.durable.view;
        if self.durable.view_changing {
            return;
        }
        let Some(slot) = self.durable.log.get(&seq) else { return };
        let Some(pp) = slot.pre_prepare.clone().filter(|_| slot.view == view && !slot.prepared)
        else {
            return;
        };
        let digest = pp.payload().digest;
        let matching =
            || slot.prepares.range((view, digest, NodeId(0))..=(view, digest, NodeId(u32::MAX)));
        let needed =
            2 * self.config.f as usize - usize::from(self.config.has(Mistake::PreparedWithFewer));
        // Counted first: this runs on every PREPARE; the proof is built once.
        if matching().count() < needed {
            return;
        }
        let prepares: Vec<Signed<Vote>> = matching().map(|(_, p)| p.clone()).collect();
        let request = slot.request.clone();
        let slot = self.durable.log.get_mut(&seq).expect("the slot exists");
        slot.prepared = true;
        slot.proof = Some(PreparedProof { pre_prepare: pp, prepares, request });
        self.record(Fact::Prepared { view, seq, digest });
        let commit = ctx.sign(Vote { view, seq, digest });
        self.durable
            .log
            .get_mut(&seq)
            .expect("the slot exists")
            .commits
            .insert((view, digest, self.id), commit.clone());
        ctx.note_with(|| {
            format!(
                "{} has prepared sequence number {seq} (digest {}): the PRE-PREPARE and {needed} \
                 matching PREPAREs; it multicasts COMMIT (§4.2)",
                self.me(),
                digest.short()
            )
        });
        self.multicast(Message::Commit(commit), ctx);
        self.check_committed(seq, ctx);
    }

    /// committed-local(m, v, n, i) (§4.2): prepared, and 2f + 1 matching
    /// COMMITs from different replicas (its own among them).
    fn check_committed(&mut self, seq: Seq, ctx: &mut Ctx<'_>) {
        let view = self.durable.view;
        let Some(slot) = self.durable.log.get(&seq) else { return };
        if !slot.prepared || slot.committed || slot.view != view {
            return;
        }
        let Some(digest) = slot.digest() else { return };
        let commits = slot
            .commits
            .range((view, digest, NodeId(0))..=(view, digest, NodeId(u32::MAX)))
            .count();
        let needed = self.config.quorum() - usize::from(self.config.has(Mistake::CommitWith2f));
        if commits < needed {
            return;
        }
        self.durable.log.get_mut(&seq).expect("the slot exists").committed = true;
        ctx.note_with(|| {
            format!(
                "{} has committed sequence number {seq} locally: {commits} matching COMMITs (§4.2)",
                self.me()
            )
        });
        self.execute_ready(ctx);
    }

    /// §4.2: execute committed requests in sequence-number order.
    pub fn execute_ready(&mut self, ctx: &mut Ctx<'_>) {
        while let Some(slot) = self.durable.log.get(&(self.durable.executed + 1)) {
            if !slot.committed {
                break;
            }
            self.execute(self.durable.executed + 1, ctx);
        }
    }

    fn execute(&mut self, seq: Seq, ctx: &mut Ctx<'_>) {
        let slot = &self.durable.log[&seq];
        let digest = slot.digest().expect("a committed slot has a pre-prepare");
        let request = slot.request.as_ref().map(|r| *r.payload());
        let d = &mut *self.durable;
        d.history = chain(d.history, digest);
        d.executed = seq;
        // §4.1: each request at most once, by the client's timestamp.
        let outcome = request.and_then(|r| {
            let fresh = d.last_replies.get(&r.client).is_none_or(|l| r.timestamp > l.timestamp);
            fresh.then(|| {
                let before = d.store.get(r.op.key);
                d.store.apply(r.op);
                d.last_replies
                    .insert(r.client, LastReply { timestamp: r.timestamp, result: before });
                before
            })
        });
        d.timeout = self.config.view_change_timeout;
        let history = d.history;
        self.record(Fact::Executed { seq, digest, request, outcome, history });
        match (request, outcome) {
            (None, _) => ctx.note_with(|| {
                format!(
                    "{} executes sequence number {seq}: the null request, which does nothing",
                    self.me()
                )
            }),
            (Some(r), Some(result)) => {
                ctx.note_with(|| {
                    format!(
                        "{} executes sequence number {seq}: {} from {} and replies (§4.2)",
                        self.me(),
                        r.op,
                        self.name(r.client)
                    )
                });
                self.durable.requests.retain(|_, w| {
                    let w = w.payload();
                    w.client != r.client || w.timestamp > r.timestamp
                });
                self.reply(r, result, ctx);
            }
            (Some(r), None) => ctx.note_with(|| {
                format!(
                    "{} skips sequence number {seq}: {}'s request t={} was executed before (§4.1)",
                    self.me(),
                    self.name(r.client),
                    r.timestamp
                )
            }),
        }
        if seq.is_multiple_of(self.config.checkpoint_period) {
            self.take_checkpoint(seq, ctx);
        }
        self.restart_request_timer(ctx);
    }

    /// ⟨REPLY, v, t, c, i, r⟩σi to the client (§4.1).
    pub fn reply(&mut self, request: Request, result: super::messages::Outcome, ctx: &mut Ctx<'_>) {
        let reply = ctx.sign(Reply {
            view: self.durable.view,
            timestamp: request.timestamp,
            client: request.client,
            result,
        });
        self.send(request.client, Message::Reply(reply), ctx);
    }
}

/// The vote matching a PRE-PREPARE.
pub(super) fn vote(pp: PrePrepare) -> Vote {
    Vote { view: pp.view, seq: pp.seq, digest: pp.digest }
}

/// The history after executing `digest`.
fn chain(history: u64, digest: Digest) -> u64 {
    let mut h = StableHasher::default();
    history.hash(&mut h);
    digest.hash(&mut h);
    h.finish()
}
