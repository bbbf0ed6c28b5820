//! View changes (OSDI 1999, §4.4) and their liveness rules (§4.5.2): a
//! backup whose timer expires moves to view v + 1 and multicasts
//! VIEW-CHANGE; the primary of v + 1 gathers 2f + 1 and multicasts NEW-VIEW
//! with the PRE-PREPAREs it re-issues, which every backup recomputes.

use crate::sorted::{SortedMap, SortedSet};

use super::byzantine::Behaviour;
use super::checkpoint::certified_digest;
use super::config::{Mistake, PbftConfig, Seq, View};
use super::messages::{
    Checkpoint, Digest, Message, NewView, PrePrepare, PreparedProof, Request, ViewChange, Vote,
};
use super::node::{PbftNode, Timer};
use super::normal::{valid_request, vote};
use super::replica::Replica;
use crate::ids::distinct_nodes;
use crate::protocol::Context;
use crate::signed::Signed;

type Ctx<'c> = Context<'c, PbftNode>;

/// A VIEW-CHANGE for `new_view` that reports no checkpoint and nothing
/// prepared: what a stale or lying replica sends (§4.4).
pub(super) fn stale(new_view: View) -> ViewChange {
    ViewChange { new_view, stable: 0, checkpoint_proof: Vec::new(), prepared: Vec::new() }
}

/// Checks a P_m (§4.4): the PRE-PREPARE signed by its view's primary, and
/// 2f PREPAREs from different backups matching it, in a view before
/// `new_view` and a sequence number between the claimed watermarks.
fn check_proof(
    config: &PbftConfig,
    proof: &PreparedProof,
    new_view: View,
    stable: Seq,
) -> Result<(), String> {
    let pp = *proof.pre_prepare.payload();
    if proof.pre_prepare.signer() != config.primary(pp.view) || pp.view >= new_view {
        return Err(format!(
            "its PRE-PREPARE for sequence number {} is not signed by the primary of view {}",
            pp.seq, pp.view
        ));
    }
    if pp.seq <= stable || pp.seq > stable + config.log_size {
        return Err(format!("sequence number {} is outside its watermarks", pp.seq));
    }
    let signers = distinct_nodes(proof.prepares.iter().map(Signed::signer));
    let needed = 2 * config.f as usize - usize::from(config.has(Mistake::PreparedWithFewer));
    if signers.len() != proof.prepares.len()
        || proof.prepares.iter().any(|p| *p.payload() != vote(pp))
        || signers.iter().any(|&s| !config.is_replica(s) || s == config.primary(pp.view))
        || signers.len() < needed
    {
        return Err(format!(
            "its proof for sequence number {} lacks {needed} matching PREPAREs from different backups",
            pp.seq
        ));
    }
    let body_ok = match &proof.request {
        None => pp.digest == Digest::NULL,
        Some(r) => valid_request(config, r) && r.payload().digest() == pp.digest,
    };
    if !body_ok {
        return Err(format!(
            "its request for sequence number {} does not match the digest",
            pp.seq
        ));
    }
    Ok(())
}

/// Checks a VIEW-CHANGE for `new_view` (§4.4): its checkpoint proof, and a
/// valid proof for each prepared request, one per sequence number.
pub(super) fn check_view_change(
    config: &PbftConfig,
    vc: &Signed<ViewChange>,
    new_view: View,
) -> Result<(), String> {
    let body = vc.payload();
    if !config.is_replica(vc.signer()) || body.new_view != new_view {
        return Err(format!("it is not a replica's VIEW-CHANGE for view {new_view}"));
    }
    certified_digest(config, body.stable, &body.checkpoint_proof)?;
    let mut seqs = SortedSet::new();
    for proof in &body.prepared {
        check_proof(config, proof, new_view, body.stable)?;
        // One proof a sequence number, the highest view's (TOCS 2002; the
        // OSDI text lets a VIEW-CHANGE carry one per prepared request).
        if !seqs.insert(proof.pre_prepare.payload().seq) {
            return Err("it proves two requests for one sequence number".into());
        }
    }
    Ok(())
}

/// What a new view starts from, computed from its VIEW-CHANGEs alike by
/// the new primary and by every backup (§4.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Reissue {
    /// min-s: the latest stable checkpoint in V, its digest and proof.
    pub min_s: Seq,
    pub digest: Digest,
    pub proof: Vec<Signed<Checkpoint>>,
    /// For each n in (min-s, max-s]: the digest of the request prepared in
    /// the highest view, or null, with the request.
    pub slots: Vec<(Seq, Digest, Option<Signed<Request>>)>,
}

pub(super) fn reissue(config: &PbftConfig, view_changes: &[Signed<ViewChange>]) -> Reissue {
    let latest = view_changes
        .iter()
        .map(Signed::payload)
        .max_by_key(|vc| vc.stable)
        .expect("a new view has view-changes");
    let min_s = latest.stable;
    let digest = certified_digest(config, min_s, &latest.checkpoint_proof)
        .expect("view-changes are checked before this");
    let mut best: SortedMap<Seq, &PreparedProof> = SortedMap::new();
    for proof in view_changes.iter().flat_map(|vc| &vc.payload().prepared) {
        let pp = proof.pre_prepare.payload();
        let higher = best.get(&pp.seq).is_none_or(|b| b.pre_prepare.payload().view < pp.view);
        if higher {
            best.insert(pp.seq, proof);
        }
    }
    let max_s = best.keys().next_back().copied().unwrap_or(min_s).max(min_s);
    let ignore = config.has(Mistake::NewPrimaryIgnoresPrepared);
    let slots = (min_s + 1..=max_s)
        .map(|n| match best.get(&n).filter(|_| !ignore) {
            Some(p) => (n, p.pre_prepare.payload().digest, p.request.clone()),
            None => (n, Digest::NULL, None),
        })
        .collect();
    Reissue { min_s, digest, proof: latest.checkpoint_proof.clone(), slots }
}

impl Replica<'_> {
    /// The §4.4 timer expired: waiting for a request, or for a NEW-VIEW
    /// (then the next view change waits twice as long, §4.5.2).
    pub fn on_view_change_timer(&mut self, ctx: &mut Ctx<'_>) {
        self.volatile.timer_on = false;
        if self.durable.view_changing {
            self.durable.timeout *= 2;
            ctx.note_with(|| {
                format!(
                    "{}: no valid NEW-VIEW for view {} in time; it moves on to view {} and will \
                     wait twice as long (§4.5.2)",
                    self.me(),
                    self.durable.view,
                    self.durable.view + 1
                )
            });
        } else {
            ctx.note_with(|| {
                format!(
                    "{}'s timer expired with a request not executed: it suspects the primary {} (§4.4)",
                    self.me(),
                    self.name(self.primary())
                )
            });
        }
        self.start_view_change(self.durable.view + 1, ctx);
    }

    /// Enters view `new_view` and multicasts ⟨VIEW-CHANGE, v + 1, n, C, P, i⟩σi (§4.4).
    pub fn start_view_change(&mut self, new_view: View, ctx: &mut Ctx<'_>) {
        self.durable.view = new_view;
        self.durable.view_changing = true;
        if self.volatile.timer_on {
            ctx.cancel_timer(Timer::ViewChange);
            self.volatile.timer_on = false;
        }
        let stable = &self.durable.stable;
        let mut body = ViewChange {
            new_view,
            stable: stable.seq,
            checkpoint_proof: stable.proof.clone(),
            prepared: self
                .durable
                .log
                .range(stable.seq + 1..)
                .filter_map(|(_, slot)| slot.proof.clone())
                .collect(),
        };
        if self.is(&Behaviour::StaleViewChange) {
            body = stale(new_view);
        }
        if self.is(&Behaviour::FabricatedViewChange) {
            self.fabricate(&mut body, ctx);
        }
        let count = body.prepared.len();
        let vc = ctx.sign(body);
        ctx.note_with(|| {
            format!(
                "{} moves to view {new_view} and multicasts VIEW-CHANGE: stable checkpoint {}, \
                 {count} prepared requests with their proofs (§4.4)",
                self.me(),
                vc.payload().stable
            )
        });
        self.durable.view_changes.retain(|&v, _| v >= new_view);
        self.durable.view_changes.entry(new_view).or_default().insert(self.id, vc.clone());
        let sent = &mut self.volatile.sent_view_changes;
        sent.insert(new_view, vc.clone());
        while sent.len() > 4 {
            sent.pop_first();
        }
        self.multicast(Message::ViewChange(vc), ctx);
        self.arm_resend(ctx);
        self.progress_view_change(ctx);
    }

    /// A made-up prepared request, proven only by what this replica can sign.
    pub(super) fn fabricate(&self, body: &mut ViewChange, ctx: &mut Ctx<'_>) {
        let seq = body.stable + 1;
        let claim = PrePrepare { view: body.new_view - 1, seq, digest: Digest(0x000f_ab1e) };
        body.prepared.retain(|p| p.pre_prepare.payload().seq != seq);
        body.prepared.push(PreparedProof {
            pre_prepare: ctx.sign(claim),
            prepares: vec![ctx.sign(vote(claim))],
            request: None,
        });
        ctx.note_with(|| {
            format!("{} claims sequence number {seq} prepared with a made-up digest", self.me())
        });
    }

    /// A VIEW-CHANGE from another replica: `asking` if its sender sent it
    /// while changing to its view, not if passed on as an answer.
    pub fn on_view_change(&mut self, vc: Signed<ViewChange>, asking: bool, ctx: &mut Ctx<'_>) {
        let new_view = vc.payload().new_view;
        let current = self.durable.view;
        if new_view < current || (new_view == current && !self.durable.view_changing) {
            // Only a replica still changing to that view may need an answer;
            // answering an answer set two replicas past it answering each
            // other for good.
            if asking {
                self.answer_view_change(&vc, ctx);
            }
            return;
        }
        if let Err(why) = check_view_change(self.config, &vc, new_view) {
            ctx.note_with(|| {
                format!(
                    "{} refuses {}'s VIEW-CHANGE: {why} (§4.4)",
                    self.me(),
                    self.name(vc.signer())
                )
            });
            return;
        }
        let signer = vc.signer();
        self.durable.view_changes.entry(new_view).or_default().insert(signer, vc);
        // §4.5.2: f + 1 replicas asking for views above this one include a
        // correct one, so the replica joins the smallest of those views.
        let askers = distinct_nodes(
            self.durable.view_changes.range(current + 1..).flat_map(|(_, set)| set.keys().copied()),
        );
        if askers.len() > self.config.f as usize {
            let smallest = *self
                .durable
                .view_changes
                .range(current + 1..)
                .next()
                .expect("there are view-changes above")
                .0;
            ctx.note_with(|| {
                format!(
                    "{}: f + 1 replicas ask for a view above {current}, so it joins view {smallest} (§4.5.2)",
                    self.me()
                )
            });
            self.start_view_change(smallest, ctx);
            return;
        }
        self.progress_view_change(ctx);
    }

    /// With 2f + 1 VIEW-CHANGEs for the view it is changing to, a replica
    /// starts its timer for the NEW-VIEW (§4.5.2), and the new primary sends it.
    fn progress_view_change(&mut self, ctx: &mut Ctx<'_>) {
        let view = self.durable.view;
        if !self.durable.view_changing {
            return;
        }
        let count = self.durable.view_changes.get(&view).map_or(0, SortedMap::len);
        if count < self.config.quorum() {
            return;
        }
        if self.config.primary(view) == self.id {
            self.send_new_view(ctx);
        } else if !self.volatile.timer_on {
            ctx.set_timer(Timer::ViewChange, self.durable.timeout);
            self.volatile.timer_on = true;
        }
    }

    /// The new primary multicasts ⟨NEW-VIEW, v + 1, V, O⟩σp (§4.4).
    fn send_new_view(&mut self, ctx: &mut Ctx<'_>) {
        let view = self.durable.view;
        let set = &self.durable.view_changes[&view];
        // V: its own VIEW-CHANGE and 2f others, by replica number.
        let mut chosen: Vec<Signed<ViewChange>> = set.get(&self.id).cloned().into_iter().collect();
        chosen.extend(
            set.iter()
                .filter(|(id, _)| **id != self.id)
                .map(|(_, vc)| vc.clone())
                .take(self.config.quorum() - chosen.len()),
        );
        let plan = reissue(self.config, &chosen);
        let pre_prepares: Vec<Signed<PrePrepare>> = plan
            .slots
            .iter()
            .map(|&(seq, digest, _)| ctx.sign(PrePrepare { view, seq, digest }))
            .collect();
        let new_view =
            ctx.sign(NewView { view, view_changes: chosen, pre_prepares: pre_prepares.clone() });
        ctx.note_with(|| {
            let reissued = match plan.slots.len() as u64 {
                0 => "re-issuing nothing".to_string(),
                k => format!("re-issuing sequence numbers {} to {}", plan.min_s + 1, plan.min_s + k),
            };
            format!(
                "{} is the primary of view {view}: with 2f + 1 VIEW-CHANGEs it multicasts NEW-VIEW, \
                 {reissued} (§4.4)",
                self.me()
            )
        });
        self.volatile.new_view = Some(new_view.clone());
        self.multicast(Message::NewView(new_view), ctx);
        self.enter_view(view, plan, pre_prepares, ctx);
    }

    /// A backup accepts a NEW-VIEW if it is signed by the view's primary,
    /// holds 2f + 1 valid VIEW-CHANGEs for the view from different
    /// replicas, and its PRE-PREPAREs are the ones the backup computes (§4.4).
    /// It accepts one for any later view, even one it did not ask for: the
    /// certificates inside prove the view as well as its own VIEW-CHANGE would.
    pub fn on_new_view(&mut self, nv: Signed<NewView>, ctx: &mut Ctx<'_>) {
        let body = nv.payload();
        let view = body.view;
        if view < self.durable.view || (view == self.durable.view && !self.durable.view_changing) {
            return;
        }
        let refuse = |why: String, ctx: &mut Ctx<'_>| {
            ctx.note_with(|| {
                format!("{} refuses the NEW-VIEW for view {view}: {why} (§4.4)", self.me())
            });
        };
        if nv.signer() != self.config.primary(view) {
            return refuse("it is not signed by that view's primary".into(), ctx);
        }
        let signers = distinct_nodes(body.view_changes.iter().map(Signed::signer));
        if signers.len() != body.view_changes.len() || signers.len() < self.config.quorum() {
            return refuse(
                "it does not carry 2f + 1 VIEW-CHANGEs from different replicas".into(),
                ctx,
            );
        }
        for vc in &body.view_changes {
            if let Err(why) = check_view_change(self.config, vc, view) {
                return refuse(
                    format!("{}'s VIEW-CHANGE is invalid: {why}", self.name(vc.signer())),
                    ctx,
                );
            }
        }
        let plan = reissue(self.config, &body.view_changes);
        let expected: Vec<PrePrepare> =
            plan.slots.iter().map(|&(seq, digest, _)| PrePrepare { view, seq, digest }).collect();
        let got: Vec<PrePrepare> = body.pre_prepares.iter().map(|pp| *pp.payload()).collect();
        if got != expected || body.pre_prepares.iter().any(|pp| pp.signer() != nv.signer()) {
            return refuse(
                "its PRE-PREPAREs are not the ones its VIEW-CHANGEs call for".into(),
                ctx,
            );
        }
        let pre_prepares = body.pre_prepares.clone();
        self.volatile.new_view = Some(nv.clone());
        ctx.note_with(|| {
            format!(
                "{} accepts the NEW-VIEW for view {view}: it recomputed the same {} PRE-PREPAREs (§4.4)",
                self.me(),
                pre_prepares.len()
            )
        });
        self.enter_view(view, plan, pre_prepares, ctx);
    }

    /// Enters `view` with the re-issued PRE-PREPAREs: the protocol runs again
    /// for sequence numbers from min-s up, but nothing executes twice (§4.4).
    fn enter_view(
        &mut self,
        view: View,
        plan: Reissue,
        pre_prepares: Vec<Signed<PrePrepare>>,
        ctx: &mut Ctx<'_>,
    ) {
        self.durable.view = view;
        self.durable.view_changing = false;
        self.volatile.resends = 0;
        self.durable.view_changes.retain(|&v, _| v > view);
        if self.volatile.timer_on {
            ctx.cancel_timer(Timer::ViewChange);
            self.volatile.timer_on = false;
        }
        // Pre-prepares of earlier views are void; their proofs stay for the next VIEW-CHANGE.
        for slot in self.durable.log.values_mut() {
            slot.pre_prepare = None;
            slot.request = None;
            slot.prepared = false;
            slot.committed = false;
            slot.prepares.retain(|&(v, _, _), _| v >= view);
            slot.commits.retain(|&(v, _, _), _| v >= view);
        }
        let backup = self.config.primary(view) != self.id;
        let reissued_up_to = plan.min_s + plan.slots.len() as Seq;
        for (pp, (seq, digest, request)) in pre_prepares.into_iter().zip(plan.slots) {
            // At or below min-s the certified checkpoint covers it.
            if seq <= self.low_watermark().max(plan.min_s) {
                continue;
            }
            if let Some(r) = &request
                && self
                    .durable
                    .last_replies
                    .get(&r.payload().client)
                    .is_none_or(|l| l.timestamp < r.payload().timestamp)
            {
                self.durable.requests.insert(digest, r.clone());
            }
            let slot = self.durable.log.entry(seq).or_default();
            slot.view = view;
            slot.pre_prepare = Some(pp);
            slot.request = request;
            if backup {
                let prepare = ctx.sign(Vote { view, seq, digest });
                slot.prepares.insert((view, digest, self.id), prepare.clone());
                self.multicast(Message::Prepare(prepare), ctx);
            }
        }
        self.durable.reissued_up_to = reissued_up_to;
        // Only now may min-s become stable: that moves the window, and a
        // primary orders waiting requests at once, which must come after
        // the re-issued pre-prepares, never in their place.
        if plan.min_s > self.low_watermark() {
            if plan.min_s <= self.durable.executed
                && self
                    .durable
                    .snapshots
                    .get(&plan.min_s)
                    .is_some_and(|s| s.digest() == plan.digest)
            {
                self.make_stable(plan.min_s, plan.digest, plan.proof.clone(), ctx);
            } else {
                self.fetch_state(plan.min_s, &plan.proof, ctx);
            }
        }
        let seqs: Vec<Seq> = self.durable.log.keys().copied().collect();
        for seq in seqs {
            self.check_prepared(seq, ctx);
        }
        self.resend_checkpoints(ctx);
        self.order_waiting(ctx);
        for (pp, request) in std::mem::take(&mut self.volatile.early) {
            if pp.payload().view == view {
                self.on_pre_prepare(pp, request, ctx);
            }
        }
        self.restart_request_timer(ctx);
    }

    /// CHECKPOINTs lost before the view change would leave h where it is
    /// for good, and the new primary stalled at H. The OSDI paper leaves
    /// retransmission to the implementation and TOCS 2002 describes one;
    /// here, more simply, a replica sends its own checkpoints above the
    /// stable one again as it enters a view.
    fn resend_checkpoints(&mut self, ctx: &mut Ctx<'_>) {
        let low = self.low_watermark();
        let own: Vec<Checkpoint> = self
            .durable
            .snapshots
            .range(low + 1..)
            .map(|(&seq, s)| Checkpoint { seq, state: s.digest() })
            .collect();
        for checkpoint in own {
            let signed = ctx.sign(checkpoint);
            self.multicast(Message::Checkpoint(signed), ctx);
        }
    }
}
