//! Retransmission, which the OSDI paper leaves to the implementation: lost
//! messages must not stall a replica for good. A VIEW-CHANGE or FETCH-STATE
//! is sent again until answered; a replica that a client had to ask twice
//! sends STATUS, and the others answer with what it missed (TOCS 2002's
//! status messages, simplified). An answer never asks for anything, so two
//! replicas never answer each other for good.

use super::config::{Seq, View};
use super::messages::{Checkpoint, Message, ViewChange};
use super::node::{PbftNode, Timer};
use super::replica::Replica;
use crate::ids::NodeId;
use crate::protocol::Context;
use crate::signed::Signed;

type Ctx<'c> = Context<'c, PbftNode>;

impl Replica<'_> {
    /// Sets the resend timer while a VIEW-CHANGE or FETCH-STATE waits for its answer.
    pub fn arm_resend(&mut self, ctx: &mut Context<'_, PbftNode>) {
        let waiting = self.durable.view_changing || self.volatile.fetching.is_some();
        if !waiting {
            self.volatile.resends = 0;
        } else if !self.volatile.resend_on {
            // The client's timeout, doubled at each resend (up to 32 times):
            // a replica that changed view alone must not flood the others.
            let after = self.config.client_timeout << self.volatile.resends.min(5);
            ctx.set_timer(Timer::Resend, after);
            self.volatile.resend_on = true;
        }
    }

    /// Lost messages must not stall a view change or a state transfer for
    /// good: the replica sends its VIEW-CHANGE, or its FETCH-STATE, again.
    pub fn on_resend(&mut self, ctx: &mut Context<'_, PbftNode>) {
        self.volatile.resend_on = false;
        self.volatile.resends += 1;
        let view = self.durable.view;
        let own = self.durable.view_changes.get(&view).and_then(|s| s.get(&self.id)).cloned();
        if let Some(vc) = own.filter(|_| self.durable.view_changing) {
            ctx.note_with(|| format!("{} sends its VIEW-CHANGE for view {view} again", self.me()));
            self.multicast(Message::ViewChange(vc), ctx);
        }
        if let Some(seq) = self.volatile.fetching {
            ctx.note_with(|| format!("{} asks again for the state of checkpoint {seq}", self.me()));
            self.multicast(Message::FetchState { seq }, ctx);
        }
        self.arm_resend(ctx);
    }

    /// A VIEW-CHANGE for view v, sent by a replica changing to v, reaches one
    /// that has installed v or left it: the sender may have missed what
    /// ends its wait. Like an answer to a TOCS 2002 status message (§5.2),
    /// the answer is what it may lack, and is itself never answered.
    pub fn answer_view_change(&mut self, vc: &Signed<ViewChange>, ctx: &mut Ctx<'_>) {
        let (asked, current, to) = (vc.payload().new_view, self.durable.view, vc.signer());
        if !self.durable.view_changing {
            // Its NEW-VIEW, signed by the primary, carries 2f + 1 VIEW-CHANGEs
            // and lets the sender join this view from v or any earlier one
            // (§4.4): all it needs, so no VIEW-CHANGE of this replica's goes
            // with it. A replica already in this view ignores it.
            let installed =
                self.volatile.new_view.clone().filter(|nv| nv.payload().view == current);
            if let Some(nv) = installed {
                ctx.note_with(|| {
                    let to = self.name(to);
                    format!(
                        "{} passes {to} the NEW-VIEW for view {current}, which {to} may have missed",
                        self.me()
                    )
                });
                self.send(to, Message::NewView(nv), ctx);
            }
            return;
        }
        // Changing to a later view, it has no NEW-VIEW to give; its own
        // VIEW-CHANGE for v, if it sent one, may be the one the sender lacks
        // for 2f + 1, without which it would wait in v for good.
        if let Some(own) = self.volatile.sent_view_changes.get(&asked).cloned() {
            ctx.note_with(|| {
                let to = self.name(to);
                format!(
                    "{} passes {to} its own VIEW-CHANGE for view {asked}, which {to} may still \
                     need for 2f + 1",
                    self.me()
                )
            });
            self.send(to, Message::PassedViewChange(own), ctx);
        }
    }

    /// Asks the others for what this replica missed in its view.
    pub fn send_status(&mut self, ctx: &mut Ctx<'_>) {
        let (view, executed) = (self.durable.view, self.durable.executed);
        ctx.note_with(|| {
            format!(
                "{} is asked again for a request it has not executed: it tells the others it is \
                 in view {view} and executed up to {executed}",
                self.me()
            )
        });
        self.multicast(Message::Status { view, executed }, ctx);
    }

    /// Answers a STATUS: the state, if the asker is behind this replica's
    /// stable checkpoint; else this replica's own messages of the view for
    /// every sequence number above what the asker executed.
    pub fn on_status(&mut self, from: NodeId, view: View, executed: Seq, ctx: &mut Ctx<'_>) {
        if !self.config.is_replica(from) || view != self.durable.view || self.durable.view_changing
        {
            return;
        }
        if executed < self.low_watermark() {
            self.on_fetch_state(from, executed + 1, ctx);
            return;
        }
        let me = self.id;
        let primary = self.is_primary();
        let mut again = Vec::new();
        for (_, slot) in self.durable.log.range(executed + 1..).filter(|(_, s)| s.view == view) {
            let Some(digest) = slot.digest() else { continue };
            if primary {
                let pp = slot.pre_prepare.clone().expect("a slot with a digest has a pre-prepare");
                again.push(Message::PrePrepare(pp, slot.request.clone()));
            }
            if let Some(p) = slot.prepares.get(&(view, digest, me)) {
                again.push(Message::Prepare(p.clone()));
            }
            if let Some(c) = slot.commits.get(&(view, digest, me)) {
                again.push(Message::Commit(c.clone()));
            }
        }
        // Its own CHECKPOINTs above the stable one: one lost at the edge of
        // the window would otherwise hold h back until a view change.
        let own: Vec<Checkpoint> = self
            .durable
            .snapshots
            .range(self.low_watermark() + 1..)
            .map(|(&seq, s)| Checkpoint { seq, state: s.digest() })
            .collect();
        again.extend(own.into_iter().map(|c| Message::Checkpoint(ctx.sign(c))));
        if again.is_empty() {
            return;
        }
        ctx.note_with(|| {
            format!(
                "{} sends {} the {} messages it missed",
                self.me(),
                self.name(from),
                again.len()
            )
        });
        for message in again {
            self.send(from, message, ctx);
        }
    }
}
