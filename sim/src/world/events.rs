//! How the world performs events: delivering a message, firing a timer,
//! crashing and booting a node, running a handler and applying what it asked
//! for (sends through the network, timers set and cancelled, notes).

use super::{InFlight, NodeState, PendingTimer, World};
use crate::action::ActionError;
use crate::ids::{MessageId, NodeId, Time, TimerId};
use crate::protocol::{Context, Outputs, Protocol, TimerOp};
use crate::trace::{DropReason, Record, StepTrace, TraceEvent};

impl<P: Protocol> World<P> {
    pub(super) fn fresh_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    pub(super) fn take_message(&mut self, id: MessageId) -> InFlight<P::Message> {
        // Its queue entry goes stale and is skipped when it reaches the top.
        self.in_flight.remove(id).expect("checked: the message is in flight")
    }

    /// Hands a message to its receiver, unless the receiver is down or the
    /// network now blocks the link, in which case it is lost.
    pub(super) fn deliver(&mut self, id: MessageId, trace: &mut StepTrace) {
        let m = self.take_message(id);
        let kind = P::message_kind(&m.message);
        let blocked = self.network.blocked(m.from, m.to);
        let reason = match (blocked, self.node(m.to)) {
            (Some(b), _) => Some(DropReason::Blocked(b)),
            (None, None) => Some(DropReason::ReceiverDown),
            (None, Some(_)) => None,
        };
        if let Some(reason) = reason {
            trace.push(Record::Dropped { id, from: m.from, to: m.to, kind, reason });
            return;
        }
        trace.push(Record::Delivered { id, from: m.from, to: m.to, kind, sent_at: m.sent_at });
        self.delivered += 1;
        let (from, message) = (m.from, m.message);
        self.handle(m.to, trace, |p, ctx| p.on_message(from, message, ctx));
    }

    /// The sender of message `id` puts what `command` makes of it in its
    /// place (`Action::Substitute`): the message keeps its id, route and
    /// times, so the rest of the schedule is as it was. The engine's note
    /// says what the lie is, and the trace folds in the new contents.
    pub(super) fn substitute(
        &mut self,
        id: MessageId,
        command: &P::Command,
        trace: &mut StepTrace,
    ) -> Result<(), ActionError> {
        let m = self.in_flight.get(id).expect("checked: the message is in flight");
        let (from, to, original) = (m.from, m.to, m.message.clone());
        let command = command.clone();
        let mut forged = None;
        self.handle_refusable(from, trace, |p, ctx| {
            forged = Some(p.substitute(to, &original, command, ctx)?);
            Ok(())
        })?;
        let m = self.in_flight.get_mut(id).expect("a handler cannot take a message out of flight");
        m.message = forged.expect("the handler succeeded");
        m.replaced = true;
        let kind = P::message_kind(&m.message);
        trace.sent_content(P::message_digest(&m.message));
        trace.push(Record::Substituted { id, from, to, kind });
        Ok(())
    }

    pub(super) fn fire(&mut self, id: TimerId, trace: &mut StepTrace) {
        let t = self.timers.remove(id).expect("checked: the timer is pending");
        self.slots[t.node.index()].forget_timer(&t.timer);
        trace.push(Record::TimerFired { id, node: t.node, timer: P::timer_kind(&t.timer) });
        let timer = t.timer;
        self.handle(t.node, trace, |p, ctx| p.on_timer(timer, ctx));
    }

    /// A crash loses the volatile state and every pending timer; messages on
    /// their way to the node stay in flight and are lost when they arrive.
    pub(super) fn crash(&mut self, node: NodeId, trace: &mut StepTrace) {
        let slot = &mut self.slots[node.index()];
        let durable = slot.durable().clone();
        slot.state = NodeState::Down(durable);
        for (_, id) in std::mem::take(&mut slot.timers) {
            self.timers.remove(id).expect("a node's timers are pending");
        }
        self.touched.push(node);
        trace.push(Record::Crashed { node });
    }

    /// Starts a down node from its durable state alone.
    pub(super) fn boot(&mut self, node: NodeId, trace: &mut StepTrace) {
        // Every node's first boot is step 0; only restarts are news.
        if self.step > 0 {
            trace.push(Record::Restarted { node });
        }
        let (booted, out) = self.with_context(node, |state, config, ctx| {
            let NodeState::Down(durable) = state else {
                unreachable!("checked: only a down node boots")
            };
            P::boot(config, durable.clone(), ctx)
        });
        self.slots[node.index()].state = NodeState::Up(booted);
        self.take_outputs(node, out, trace);
    }

    /// Runs a handler that cannot refuse (a message, a timer, a request).
    pub(super) fn handle(
        &mut self,
        node: NodeId,
        trace: &mut StepTrace,
        handler: impl FnOnce(&mut P, &mut Context<'_, P>),
    ) {
        let done = self.run_handler(node, trace, false, |p, ctx| {
            handler(p, ctx);
            Ok(())
        });
        done.expect("only commands can be refused");
    }

    /// Runs a command's handler, which may refuse. The node is copied first
    /// so that a refusal can put it back; nothing else pays for that copy.
    pub(super) fn handle_refusable(
        &mut self,
        node: NodeId,
        trace: &mut StepTrace,
        handler: impl FnOnce(&mut P, &mut Context<'_, P>) -> Result<(), String>,
    ) -> Result<(), ActionError> {
        self.run_handler(node, trace, true, handler)
    }

    fn run_handler(
        &mut self,
        node: NodeId,
        trace: &mut StepTrace,
        refusable: bool,
        handler: impl FnOnce(&mut P, &mut Context<'_, P>) -> Result<(), String>,
    ) -> Result<(), ActionError> {
        let slot = &self.slots[node.index()];
        let saved = refusable.then(|| (slot.state.clone(), slot.rng.clone()));
        let (result, mut out) = self.with_context(node, |state, _, ctx| {
            let NodeState::Up(state) = state else {
                unreachable!("checked: only an up node handles inputs")
            };
            handler(state, ctx)
        });
        if let Err(reason) = result {
            // A refusal restores the node and its random stream and discards its outputs.
            let slot = &mut self.slots[node.index()];
            (slot.state, slot.rng) = saved.expect("only a refusable handler refuses");
            out.clear();
            self.give_back(out);
            return Err(ActionError::Refused { node, reason });
        }
        self.take_outputs(node, out, trace);
        Ok(())
    }

    /// Runs `f` on `node`'s state with a context that lends it the node's
    /// random stream and the world's output buffers; returns `f`'s result
    /// and the outputs it wrote.
    fn with_context<R>(
        &mut self,
        node: NodeId,
        f: impl FnOnce(&mut NodeState<P>, &P::Config, &mut Context<'_, P>) -> R,
    ) -> (R, Box<Outputs<P>>) {
        let mut out = self.scratch.take().unwrap_or_default();
        let slot = &mut self.slots[node.index()];
        let mut ctx =
            Context::new(node, self.now, &self.config, &mut slot.rng, &mut out, self.observe.notes);
        let result = f(&mut slot.state, &self.config, &mut ctx);
        (result, out)
    }

    /// Marks `node` touched, applies its outputs and gives the buffers back.
    fn take_outputs(&mut self, node: NodeId, mut out: Box<Outputs<P>>, trace: &mut StepTrace) {
        self.touched.push(node);
        self.apply_outputs(node, &mut out, trace);
        self.give_back(out);
    }

    /// Returns the lent output buffers. The slot is empty while they are
    /// lent, so there is nothing to drop (forgetting `None` frees nothing,
    /// and spares a drop call on every step).
    fn give_back(&mut self, out: Box<Outputs<P>>) {
        let empty = self.scratch.replace(out);
        debug_assert!(empty.is_none(), "the buffers were lent once");
        std::mem::forget(empty);
    }

    /// Applies what a handler asked for, draining `outputs` for reuse.
    fn apply_outputs(&mut self, node: NodeId, outputs: &mut Outputs<P>, trace: &mut StepTrace) {
        for text in outputs.notes.drain(..) {
            trace.record(TraceEvent::Note { node, text });
        }
        for text in outputs.replies.drain(..) {
            trace.record(TraceEvent::ClientReply { node, text });
        }
        for op in outputs.timer_ops.drain(..) {
            match op {
                TimerOp::Set { timer, after } => self.set_timer(node, timer, after, trace),
                TimerOp::Cancel(timer) => {
                    if let Some(id) = self.slots[node.index()].forget_timer(&timer) {
                        self.timers.remove(id).expect("a node's timers are pending");
                        trace.push(Record::TimerCancelled {
                            id,
                            node,
                            timer: P::timer_kind(&timer),
                        });
                    }
                }
            }
        }
        for (to, message) in outputs.sends.drain(..) {
            self.send(node, to, message, trace);
        }
    }

    fn set_timer(&mut self, node: NodeId, timer: P::Timer, after: Time, trace: &mut StepTrace) {
        let fires_at = self.now.saturating_add(after);
        // Re-arming a pending timer keeps its id: it is the same timer. Its
        // queue entry, at or before the old time, still comes first; only an
        // earlier time needs a new entry (see the queue's note in mod.rs).
        if let Some(id) = self.slots[node.index()].timer(&timer) {
            let t = self.timers.get_mut(id).expect("a node's timers are pending");
            if fires_at < t.queued {
                t.queued = fires_at;
                self.queue.push(fires_at, id.0);
            }
            (t.set_at, t.fires_at) = (self.now, fires_at);
            trace.push(Record::TimerSet { id, node, timer: P::timer_kind(&timer), fires_at });
            return;
        }
        let id = TimerId(self.fresh_id());
        trace.push(Record::TimerSet { id, node, timer: P::timer_kind(&timer), fires_at });
        self.slots[node.index()].timers.push((timer.clone(), id));
        self.queue.push(fires_at, id.0);
        let pending =
            PendingTimer { id, node, timer, set_at: self.now, fires_at, queued: fires_at };
        self.timers.insert(pending);
    }

    /// Puts a message on the wire, or loses it at once if the link is blocked
    /// or the network's loss draw says so. It may also be duplicated.
    fn send(&mut self, from: NodeId, to: NodeId, message: P::Message, trace: &mut StepTrace) {
        assert!(to.0 < self.node_count(), "{from} sent to {to}, which is not in the cluster");
        let id = MessageId(self.fresh_id());
        let kind = P::message_kind(&message);
        let params = self.network.link(from, to);
        let draws = self.network_rng.draws(id);
        let lost = match self.network.blocked(from, to) {
            Some(b) => Some(DropReason::Blocked(b)),
            None if draws.lost(params.loss_ppm) => Some(DropReason::Lost),
            None => None,
        };
        let latency = draws.latency(params.latency_min, params.latency_max);
        let copy =
            (lost.is_none() && draws.duplicated(params.duplicate_ppm)).then(|| message.clone());
        let m = self.on_the_wire(from, to, message, id, latency, None);
        if let Some(reason) = lost {
            m.record_sent::<P>(trace);
            trace.push(Record::Dropped { id, from, to, kind, reason });
            return;
        }
        self.launch(m, trace);
        if let Some(message) = copy {
            let copy_id = MessageId(self.fresh_id());
            let latency = draws.duplicate_latency(params.latency_min, params.latency_max);
            let c = self.on_the_wire(from, to, message, copy_id, latency, Some(id));
            self.launch(c, trace);
        }
    }

    /// The user's "duplicate this message": a copy with a latency of its own.
    pub(super) fn duplicate(&mut self, id: MessageId, trace: &mut StepTrace) {
        let m = self.in_flight.get(id).expect("checked: in flight").clone();
        let copy = MessageId(self.fresh_id());
        let params = self.network.link(m.from, m.to);
        let latency = self.network_rng.draws(copy).latency(params.latency_min, params.latency_max);
        let mut c = self.on_the_wire(m.from, m.to, m.message, copy, latency, Some(m.id));
        c.replaced = m.replaced;
        self.launch(c, trace);
    }

    /// A message leaving `from` now, due after `latency`.
    fn on_the_wire(
        &self,
        from: NodeId,
        to: NodeId,
        message: P::Message,
        id: MessageId,
        latency: Time,
        copy_of: Option<MessageId>,
    ) -> InFlight<P::Message> {
        let sent_at = self.now;
        let arrives_at = sent_at.saturating_add(latency);
        InFlight { id, from, to, message, sent_at, arrives_at, copy_of, replaced: false }
    }

    /// Records that `m` was sent and puts it in flight.
    fn launch(&mut self, m: InFlight<P::Message>, trace: &mut StepTrace) {
        m.record_sent::<P>(trace);
        self.queue.push(m.arrives_at, m.id.0);
        self.in_flight.insert(m);
    }
}
