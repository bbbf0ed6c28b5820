//! `World<P>`: the nodes, the network, the timers and the event queue of one
//! run. Every change goes through [`World::apply`] with an [`Action`]; each
//! applied action is one step, leaves a [`StepTrace`], and is followed by the
//! engine's invariant checks.
//!
//! Events are ordered by (time, id), where ids come from one counter in the
//! order things are scheduled, so the order is total and the same on every
//! replay. The queue (`queue.rs`: a sorted vector while short, a binary heap
//! when long) holds entries that are checked when they reach the top: an
//! entry whose message left early, or whose timer was cancelled, is dropped
//! then. A timer re-armed to fire later (an election timeout reset by every
//! heartbeat) keeps its one entry, which moves to the new time only when it
//! reaches the top: every pending timer has exactly one live entry, at or
//! before its time. Finding the next event, a message or a timer costs
//! O(log n), plus a short move while the queue is a vector.

mod check;
mod events;
mod queue;
mod timers;
mod wire;

use std::mem::size_of;

use smallvec::SmallVec;

use crate::action::{Action, ActionError};
use crate::ids::{MessageId, NodeId, NodeKind, Time, TimerId};
use crate::invariant::{Violation, WorldView};
use crate::network::{LinkParams, Network};
use crate::protocol::{Outputs, Protocol};
use crate::rng::{NetworkRng, NodeRng};
use crate::trace::{DropReason, Record, StepTrace, TraceEvent, chain};

/// A message on the wire.
#[derive(Clone, Debug, PartialEq)]
pub struct InFlight<M> {
    pub id: MessageId,
    pub from: NodeId,
    pub to: NodeId,
    pub message: M,
    pub sent_at: Time,
    pub arrives_at: Time,
    /// The original, when this is a duplicate.
    pub copy_of: Option<MessageId>,
    /// Its sender put other contents in its place while it flew
    /// (`Action::Substitute`): a lie, drawn as one. A copy of it is one too.
    pub replaced: bool,
}

impl<M> InFlight<M> {
    /// Records this message leaving: its kind from the engine, and beside
    /// the events the digest of what it says (`Protocol::message_digest`).
    fn record_sent<P: Protocol<Message = M>>(&self, trace: &mut StepTrace) {
        let InFlight { id, from, to, sent_at, arrives_at, copy_of, .. } = *self;
        let kind = P::message_kind(&self.message);
        trace.sent_content(P::message_digest(&self.message));
        trace.push(Record::Sent { id, from, to, kind, sent_at, arrives_at, copy_of });
    }
}

/// A timer waiting to fire.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingTimer<T> {
    pub id: TimerId,
    pub node: NodeId,
    pub timer: T,
    pub set_at: Time,
    pub fires_at: Time,
    /// The time of this timer's one live queue entry: `fires_at`, or earlier
    /// if the timer was re-armed to fire later and the entry has not moved yet.
    queued: Time,
}

/// What an action acts on ([`World::target`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Target {
    /// The node whose state it changes, if any: a message's receiver, a
    /// timer's owner, the node crashed, restarted, asked or commanded.
    pub node: Option<NodeId>,
    /// The message it delivers or drops, if any.
    pub message: Option<MessageId>,
}

/// What the queue holds: a reference to a message or a timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Due {
    Message(MessageId),
    Timer(TimerId),
}

#[derive(Clone, Debug)]
enum NodeState<P: Protocol> {
    Up(P),
    Down(P::Durable),
}

/// One node's place in the world: its state, its random stream and its timers.
#[derive(Clone, Debug)]
pub(crate) struct Slot<P: Protocol> {
    state: NodeState<P>,
    rng: NodeRng,
    /// The node's pending timers: a handful at most, so a list beats a map,
    /// and two of them are kept inline: cloning 10,000 nodes for a snapshot
    /// then allocates nothing for them.
    timers: SmallVec<[(P::Timer, TimerId); 2]>,
}

impl<P: Protocol> Slot<P> {
    pub(crate) fn live(&self) -> Option<&P> {
        match &self.state {
            NodeState::Up(node) => Some(node),
            NodeState::Down(_) => None,
        }
    }

    pub(crate) fn durable(&self) -> &P::Durable {
        match &self.state {
            NodeState::Up(node) => node.durable(),
            NodeState::Down(durable) => durable,
        }
    }

    fn timer(&self, timer: &P::Timer) -> Option<TimerId> {
        self.timers.iter().find(|(t, _)| t == timer).map(|&(_, id)| id)
    }

    /// Forgets `timer`, returning its id if it was pending.
    fn forget_timer(&mut self, timer: &P::Timer) -> Option<TimerId> {
        let at = self.timers.iter().position(|(t, _)| t == timer)?;
        Some(self.timers.swap_remove(at).1)
    }
}

/// What a run records beyond its own state. Both are on by default; a
/// benchmark of the engine alone, or a very long search, may turn them off.
/// The trace hash covers what is recorded, so it differs between settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Observe {
    /// Run the engine's invariant checks after every step.
    pub invariants: bool,
    /// Keep the engines' one-line notes on why things changed.
    pub notes: bool,
}

impl Default for Observe {
    fn default() -> Self {
        Observe { invariants: true, notes: true }
    }
}

/// One simulated run.
#[derive(Clone, Debug)]
pub struct World<P: Protocol> {
    config: P::Config,
    seed: u64,
    now: Time,
    step: u64,
    next_id: u64,
    slots: Vec<Slot<P>>,
    network: Network,
    network_rng: NetworkRng,
    in_flight: wire::Wire<P::Message>,
    timers: timers::Timers<P::Timer>,
    /// (due time, id) of every message and timer, plus stale entries not yet
    /// at the top; the top is always live between steps.
    queue: queue::EventQueue,
    /// What the top of the queue stands for, found when the queue was last
    /// pruned (at the end of every step), so a step need not look it up again.
    top: Option<Due>,
    ghost: P::Ghost,
    measures: P::Measures,
    trace_hash: u64,
    /// What the last step did. Boxed, with a cleared spare for the next
    /// step to record into: a step moves two pointers, not two traces.
    last: Box<StepTrace>,
    spare: Option<Box<StepTrace>>,
    touched: Vec<NodeId>,
    violations: u64,
    delivered: u64,
    observe: Observe,
    /// The handlers' output buffers, lent to each handler in turn (`None`
    /// only while lent: putting `None` back costs nothing to drop). Boxed,
    /// so that lending them moves a pointer, not four vectors.
    scratch: Option<Box<Outputs<P>>>,
}

impl<P: Protocol> World<P> {
    /// Boots every node from its initial durable state. Step 0 is the boot.
    pub fn new(config: P::Config, seed: u64, links: LinkParams) -> World<P> {
        World::observing(config, seed, links, Observe::default())
    }

    /// A world that records only what `observe` asks for.
    pub fn observing(
        config: P::Config,
        seed: u64,
        links: LinkParams,
        observe: Observe,
    ) -> World<P> {
        let n = P::node_count(&config);
        let slots = (0..n)
            .map(|i| {
                let id = NodeId(i);
                Slot {
                    state: NodeState::Down(P::initial_durable(&config, id)),
                    rng: NodeRng::new(seed, id),
                    timers: SmallVec::new(),
                }
            })
            .collect();
        let mut world = World {
            config,
            seed,
            now: 0,
            step: 0,
            next_id: 0,
            slots,
            network: Network::new(links),
            network_rng: NetworkRng::new(seed),
            in_flight: wire::Wire::default(),
            timers: timers::Timers::default(),
            queue: queue::EventQueue::default(),
            top: None,
            ghost: P::Ghost::default(),
            measures: P::Measures::default(),
            trace_hash: 0,
            last: Box::default(),
            spare: None,
            touched: Vec::new(),
            violations: 0,
            delivered: 0,
            observe,
            scratch: Some(Box::default()),
        };
        let mut trace = Box::<StepTrace>::default();
        for i in 0..n {
            world.boot(NodeId(i), &mut trace);
        }
        world.finish_step(trace);
        world
    }

    pub fn config(&self) -> &P::Config {
        &self.config
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Virtual time now, in microseconds.
    pub fn now(&self) -> Time {
        self.now
    }

    /// How many actions have been applied.
    pub fn step(&self) -> u64 {
        self.step
    }

    pub fn node_count(&self) -> u32 {
        self.slots.len() as u32
    }

    /// Which kind of node `id` is (PBFT: replica or client).
    pub fn node_kind(&self, id: NodeId) -> NodeKind {
        P::node_kind(&self.config, id)
    }

    /// A node's live state, or `None` while it is crashed or out of range.
    pub fn node(&self, id: NodeId) -> Option<&P> {
        self.slots.get(id.index()).and_then(Slot::live)
    }

    /// A node's durable state (for a crashed node, what it will restart from).
    pub fn durable(&self, id: NodeId) -> Option<&P::Durable> {
        self.slots.get(id.index()).map(Slot::durable)
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    pub fn observe(&self) -> Observe {
        self.observe
    }

    pub fn ghost(&self) -> &P::Ghost {
        &self.ghost
    }

    /// What the engine has measured so far ([`Protocol::measure`]).
    pub fn measures(&self) -> &P::Measures {
        &self.measures
    }

    /// Every message in flight, oldest first: what "deliver this one next" offers.
    pub fn in_flight(&self) -> impl Iterator<Item = &InFlight<P::Message>> {
        self.in_flight.iter()
    }

    pub fn message(&self, id: MessageId) -> Option<&InFlight<P::Message>> {
        self.in_flight.get(id)
    }

    /// Every pending timer, oldest first.
    pub fn pending_timers(&self) -> impl Iterator<Item = &PendingTimer<P::Timer>> {
        self.timers.iter()
    }

    /// Entries in the event queue, live or stale: what the queue costs in
    /// memory, for tests that check it stays bounded.
    pub fn queue_len(&self) -> usize {
        self.queue.len()
    }

    /// About how many bytes this world holds: its nodes (with what
    /// [`Protocol::heap_bytes`] says they keep on the heap), messages,
    /// timers, queue, ghost and measures. Chunks shared with other copies
    /// are counted in each; what a crashed node keeps on the heap is not.
    /// The timeline budgets its snapshots with it.
    pub fn footprint(&self) -> usize {
        let slots: usize = self
            .slots
            .iter()
            .map(|slot| {
                let timers = if slot.timers.spilled() {
                    slot.timers.capacity() * size_of::<(P::Timer, TimerId)>()
                } else {
                    0
                };
                timers + slot.live().map_or(0, P::heap_bytes)
            })
            .sum();
        size_of::<Self>()
            + self.slots.capacity() * size_of::<Slot<P>>()
            + slots
            + self.in_flight.footprint()
            + self.timers.footprint()
            + self.queue.len() * size_of::<(Time, u64)>()
            + P::history_bytes(&self.ghost, &self.measures)
    }

    /// When the next event is due, if any is.
    pub fn next_event_time(&self) -> Option<Time> {
        self.queue.peek().map(|(t, _)| t)
    }

    /// What `action` would act on, found before it is applied (a viewer
    /// keeps what it needs of the state it is about to change): the one node
    /// whose state it changes, and the message it takes out of flight.
    pub fn target(&self, action: &Action<P>) -> Target {
        let message = |id: MessageId| Target {
            node: self.in_flight.get(id).map(|m| m.to),
            message: Some(id),
        };
        let timer =
            |id: TimerId| Target { node: self.timers.get(id).map(|t| t.node), message: None };
        let node = |n: NodeId| Target { node: Some(n), message: None };
        match action {
            Action::Step => match self.top {
                Some(Due::Message(id)) => message(id),
                Some(Due::Timer(id)) => timer(id),
                None => Target::default(),
            },
            Action::Deliver(id) | Action::Drop(id) => message(*id),
            Action::Fire(id) => timer(*id),
            Action::Crash(n) | Action::Restart(n) => node(*n),
            Action::Request { node: n, .. } | Action::Command { node: n, .. } => node(*n),
            // The message stays in flight; only its sender's handler runs.
            Action::Substitute { message: id, .. } => {
                Target { node: self.in_flight.get(*id).map(|m| m.from), message: None }
            }
            Action::Duplicate(_)
            | Action::Partition(_)
            | Action::Heal
            | Action::Cut { .. }
            | Action::Restore { .. }
            | Action::SetLink { .. }
            | Action::AdvanceTo(_) => Target::default(),
        }
    }

    /// What the last step did.
    pub fn last_step(&self) -> &StepTrace {
        &self.last
    }

    /// A hash of every step's trace so far: equal hashes mean equal runs.
    pub fn trace_hash(&self) -> u64 {
        self.trace_hash
    }

    /// How many messages have been delivered so far.
    pub fn messages_delivered(&self) -> u64 {
        self.delivered
    }

    /// How many invariant violations have been found so far.
    pub fn violation_count(&self) -> u64 {
        self.violations
    }

    /// The view the invariant checks read.
    pub fn view(&self) -> WorldView<'_, P> {
        WorldView {
            step: self.step,
            now: self.now,
            config: &self.config,
            slots: &self.slots,
            touched: &self.touched,
        }
    }

    /// Performs events in time order until the next one is due after `until`,
    /// then lets time pass to `until`. Returns how many steps were applied.
    pub fn run_until(&mut self, until: Time) -> u64 {
        let start = self.step;
        while self.next_event_time().is_some_and(|t| t <= until) {
            self.apply(&Action::Step).expect("an event is pending");
        }
        if until > self.now {
            self.apply(&Action::AdvanceTo(until)).expect("no event is due before `until`");
        }
        self.step - start
    }

    /// Applies one action as one step, or changes nothing and says why not.
    pub fn apply(&mut self, action: &Action<P>) -> Result<&StepTrace, ActionError> {
        self.check(action)?;
        // Only a command or a substitute can still be refused from here on: it keeps the last
        // step's touched nodes and events aside, to leave them as they were.
        // Every other action reuses their buffers.
        let refusable = matches!(action, Action::Command { .. } | Action::Substitute { .. });
        let (touched_before, mut trace) = if refusable {
            (std::mem::take(&mut self.touched), Box::default())
        } else {
            self.touched.clear();
            (Vec::new(), self.spare.take().unwrap_or_default())
        };
        match action {
            Action::Step => {
                let (time, id) = self.queue.pop().expect("checked");
                let due = self.top.take().expect("the top of the queue is live");
                debug_assert_eq!(Some(due), self.due(time, id));
                self.now = self.now.max(time);
                match due {
                    Due::Message(id) => self.deliver(id, &mut trace),
                    Due::Timer(id) => self.fire(id, &mut trace),
                }
            }
            Action::Deliver(id) => self.deliver(*id, &mut trace),
            Action::Fire(id) => self.fire(*id, &mut trace),
            Action::Drop(id) => {
                let m = self.take_message(*id);
                trace.push(Record::Dropped {
                    id: m.id,
                    from: m.from,
                    to: m.to,
                    kind: P::message_kind(&m.message),
                    reason: DropReason::ByUser,
                });
            }
            Action::Duplicate(id) => self.duplicate(*id, &mut trace),
            Action::Crash(node) => self.crash(*node, &mut trace),
            Action::Restart(node) => self.boot(*node, &mut trace),
            Action::Partition(groups) => {
                self.network.partition(self.node_count(), groups);
                trace.record(TraceEvent::Partitioned { groups: self.network.groups() });
            }
            Action::Heal => {
                self.network.heal();
                trace.push(Record::Healed);
            }
            Action::Cut { from, to } => {
                self.network.cut(*from, *to);
                trace.push(Record::LinkCut { from: *from, to: *to });
            }
            Action::Restore { from, to } => {
                self.network.restore(*from, *to);
                trace.push(Record::LinkRestored { from: *from, to: *to });
            }
            Action::SetLink { link, params } => {
                match link {
                    Some((from, to)) => self.network.set_link(*from, *to, *params),
                    None => self.network.set_all(*params),
                }
                trace.push(Record::LinkChanged { link: *link, params: *params });
            }
            Action::Request { node, request } => {
                trace
                    .record(TraceEvent::Request { node: *node, request: P::request_text(request) });
                let request = request.clone();
                self.handle(*node, &mut trace, |p, ctx| p.on_request(request, ctx));
            }
            Action::Command { node, command } => {
                trace.record(TraceEvent::Command { node: *node, command: format!("{command:?}") });
                let command = command.clone();
                let done =
                    self.handle_refusable(*node, &mut trace, |p, ctx| p.on_command(command, ctx));
                if let Err(refused) = done {
                    self.touched = touched_before;
                    return Err(refused);
                }
            }
            Action::AdvanceTo(to) => {
                self.now = *to;
                trace.push(Record::TimeAdvanced { to: *to });
            }
            Action::Substitute { message, command } => {
                if let Err(refused) = self.substitute(*message, command, &mut trace) {
                    self.touched = touched_before;
                    return Err(refused);
                }
            }
        }
        self.step += 1;
        self.finish_step(trace);
        Ok(&self.last)
    }

    /// What the queue entry (time, id) stands for, if it is still live.
    fn due(&self, time: Time, id: u64) -> Option<Due> {
        if self.in_flight.get(MessageId(id)).is_some_and(|m| m.arrives_at == time) {
            return Some(Due::Message(MessageId(id)));
        }
        if self.timers.get(TimerId(id)).is_some_and(|t| t.queued == time && t.fires_at == time) {
            return Some(Due::Timer(TimerId(id)));
        }
        None
    }

    /// Makes the top of the queue live: drops stale entries, and moves an
    /// early entry of a timer that was re-armed to fire later to its new time.
    fn prune_queue(&mut self) {
        self.top = None;
        while let Some((time, id)) = self.queue.peek() {
            if let Some(due) = self.due(time, id) {
                self.top = Some(due);
                return;
            }
            self.queue.pop();
            // A timer's own entry, early because the timer was re-armed: move it.
            if let Some(t) = self.timers.get_mut(TimerId(id))
                && t.queued == time
            {
                t.queued = t.fires_at;
                self.queue.push(t.fires_at, id);
            }
        }
    }

    /// Runs the invariant checks, records the step's trace and folds it into the hash.
    fn finish_step(&mut self, mut trace: Box<StepTrace>) {
        self.prune_queue();
        // Built field by field, not with `view()`: the checks also borrow the ghost mutably.
        let view = WorldView {
            step: self.step,
            now: self.now,
            config: &self.config,
            slots: &self.slots,
            touched: &self.touched,
        };
        if self.observe.invariants {
            let found: Vec<Violation> = P::check(&view, &trace, &mut self.ghost);
            if !found.is_empty() {
                self.violations += found.len() as u64;
                found.into_iter().for_each(|v| trace.record(TraceEvent::Violation(v)));
            }
        }
        (trace.step, trace.time) = (self.step, self.now);
        P::measure(&view, &trace, &mut self.measures);
        self.trace_hash = chain(self.trace_hash, &trace);
        let mut done = std::mem::replace(&mut self.last, trace);
        done.clear();
        self.spare = Some(done);
    }
}
