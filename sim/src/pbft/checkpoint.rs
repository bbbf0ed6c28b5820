//! Checkpoints, watermarks and garbage collection (OSDI 1999, §4.3), and
//! state transfer for a replica that fell behind a stable checkpoint
//! (TOCS 2002, its state-transfer section, simplified: the whole state at once, checked against
//! the digest 2f + 1 replicas signed).

use super::config::{PbftConfig, Seq};
use super::journal::Fact;
use super::messages::{Checkpoint, Digest, Message, Snapshot};
use super::node::PbftNode;
use super::replica::{Replica, StableCheckpoint};
use crate::ids::{NodeId, distinct_nodes};
use crate::protocol::Context;
use crate::signed::Signed;

type Ctx<'c> = Context<'c, PbftNode>;

/// The digest a proof of a stable checkpoint at `seq` certifies: 2f + 1
/// CHECKPOINTs from different replicas for `seq` with one digest (§4.3). The
/// initial state needs no proof.
pub(super) fn certified_digest(
    config: &PbftConfig,
    seq: Seq,
    proof: &[Signed<Checkpoint>],
) -> Result<Digest, String> {
    if seq == 0 && proof.is_empty() {
        return Ok(Snapshot::default().digest());
    }
    let Some(first) = proof.first() else {
        return Err(format!("checkpoint {seq} comes without its proof"));
    };
    let digest = first.payload().state;
    let signers = distinct_nodes(proof.iter().map(Signed::signer));
    if proof.iter().any(|c| *c.payload() != Checkpoint { seq, state: digest })
        || signers.len() != proof.len()
        || signers.iter().any(|&s| !config.is_replica(s))
        || signers.len() < config.quorum()
    {
        return Err(format!(
            "checkpoint {seq}'s proof is not {} matching CHECKPOINTs from different replicas",
            config.quorum()
        ));
    }
    Ok(digest)
}

impl Replica<'_> {
    /// §4.3: after executing a multiple of the period, the replica records
    /// its state and multicasts ⟨CHECKPOINT, n, d, i⟩σi.
    pub fn take_checkpoint(&mut self, seq: Seq, ctx: &mut Ctx<'_>) {
        let snapshot = self.durable.snapshot();
        let state = snapshot.digest();
        self.durable.snapshots.insert(seq, snapshot);
        let checkpoint = ctx.sign(Checkpoint { seq, state });
        ctx.note_with(|| {
            format!(
                "{} takes checkpoint {seq} (state digest {}) and multicasts CHECKPOINT (§4.3)",
                self.me(),
                state.short()
            )
        });
        self.multicast(Message::Checkpoint(checkpoint.clone()), ctx);
        self.on_checkpoint(checkpoint, ctx);
    }

    /// §4.3: CHECKPOINTs above the stable checkpoint are kept, even above
    /// H: that is how a replica learns it fell behind (TOCS 2002, state transfer).
    pub fn on_checkpoint(&mut self, checkpoint: Signed<Checkpoint>, ctx: &mut Ctx<'_>) {
        let c = *checkpoint.payload();
        if !self.config.is_replica(checkpoint.signer()) || c.seq <= self.low_watermark() {
            return;
        }
        let set = self.durable.checkpoints.entry((c.seq, c.state)).or_default();
        set.insert(checkpoint.signer(), checkpoint);
        if set.len() < self.config.quorum() {
            return;
        }
        let proof: Vec<Signed<Checkpoint>> = set.values().cloned().collect();
        if c.seq > self.durable.executed {
            // Behind: it will take this checkpoint itself when it executes
            // c.seq, unless it is so far behind that c.seq is above H.
            if c.seq > self.high_watermark() {
                self.fetch_state(c.seq, &proof, ctx);
            }
        } else if self.durable.snapshots.get(&c.seq).is_some_and(|s| s.digest() == c.state) {
            self.make_stable(c.seq, c.state, proof, ctx);
        }
    }

    /// §4.3: a checkpoint with a proof is stable: h moves up to it and the
    /// log, older checkpoints and their messages are discarded.
    pub fn make_stable(
        &mut self,
        seq: Seq,
        digest: Digest,
        proof: Vec<Signed<Checkpoint>>,
        ctx: &mut Ctx<'_>,
    ) {
        if seq <= self.low_watermark() {
            return;
        }
        let d = &mut *self.durable;
        d.stable = StableCheckpoint { seq, digest, proof };
        let before = d.log.len();
        d.log.retain(|&n, _| n > seq);
        d.checkpoints.retain(|&(n, _), _| n > seq);
        d.snapshots.retain(|&n, _| n >= seq);
        let collected = before - d.log.len();
        let high = self.high_watermark();
        ctx.note_with(|| {
            format!(
                "{}: checkpoint {seq} is stable (2f + 1 matching CHECKPOINTs); h = {seq}, H = {high}, \
                 {collected} log entries collected (§4.3)",
                self.me()
            )
        });
        self.order_waiting(ctx);
    }

    /// Asks the replicas that certified checkpoint `seq` for its state.
    pub fn fetch_state(&mut self, seq: Seq, proof: &[Signed<Checkpoint>], ctx: &mut Ctx<'_>) {
        if self.volatile.fetching.is_some_and(|f| f >= seq) {
            return;
        }
        self.volatile.fetching = Some(seq);
        ctx.note_with(|| {
            format!(
                "{} is behind stable checkpoint {seq} (it executed up to {}): it fetches the state",
                self.me(),
                self.durable.executed
            )
        });
        let me = self.id;
        for signer in proof.iter().map(Signed::signer).filter(|&s| s != me) {
            self.send(signer, Message::FetchState { seq }, ctx);
        }
        self.arm_resend(ctx);
    }

    /// Sends the stable checkpoint's state, if it is at least as new as asked.
    pub fn on_fetch_state(&mut self, from: NodeId, seq: Seq, ctx: &mut Ctx<'_>) {
        let stable = self.durable.stable.clone();
        let Some(snapshot) = self.durable.snapshots.get(&stable.seq).filter(|_| stable.seq >= seq)
        else {
            return;
        };
        let snapshot = Box::new(snapshot.clone());
        ctx.note_with(|| {
            format!(
                "{} sends {} the state of checkpoint {}",
                self.me(),
                self.name(from),
                stable.seq
            )
        });
        self.send(from, Message::State { proof: stable.proof, snapshot }, ctx);
    }

    /// Installs a checkpoint's state after checking it against the digest
    /// that 2f + 1 replicas signed: a faulty replica cannot pass off a wrong state.
    pub fn on_state(
        &mut self,
        proof: Vec<Signed<Checkpoint>>,
        snapshot: Snapshot,
        ctx: &mut Ctx<'_>,
    ) {
        let seq = snapshot.seq;
        if seq <= self.durable.executed {
            return;
        }
        match certified_digest(self.config, seq, &proof) {
            Ok(digest) if digest == snapshot.digest() => {
                let d = &mut *self.durable;
                d.store = snapshot.store.clone();
                // Inserted one by one, as `collect` would keep them (the last
                // of a client wins), without a sort of its own in the wasm.
                d.last_replies.clear();
                for &(client, reply) in &snapshot.last_replies {
                    d.last_replies.insert(client, reply);
                }
                d.history = snapshot.history;
                d.executed = seq;
                let replies = d.last_replies.clone();
                d.requests.retain(|_, r| {
                    let r = r.payload();
                    replies.get(&r.client).is_none_or(|l| l.timestamp < r.timestamp)
                });
                d.snapshots.insert(seq, snapshot.clone());
                self.record(Fact::Installed { seq, history: snapshot.history });
                if self.volatile.fetching.is_some_and(|f| f <= seq) {
                    self.volatile.fetching = None;
                }
                ctx.note_with(|| {
                    format!(
                        "{} installs the state of checkpoint {seq}: its digest {} is the one 2f + 1 \
                         replicas signed",
                        self.me(),
                        digest.short()
                    )
                });
                self.make_stable(seq, digest, proof, ctx);
                self.execute_ready(ctx);
                self.restart_request_timer(ctx);
            }
            Ok(_) => ctx.note_with(|| {
                format!(
                    "{} refuses the state of checkpoint {seq}: its digest is not the certified one",
                    self.me()
                )
            }),
            Err(why) => ctx.note_with(|| format!("{} refuses a state: {why}", self.me())),
        }
    }
}
