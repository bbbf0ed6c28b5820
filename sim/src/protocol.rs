//! The sans-IO contract between the simulator and a consensus engine.
//!
//! A node handles one input at a time (a message, a timer, a client request or
//! a protocol command) and writes what it wants done to a [`Context`]: messages
//! to send, timers to set or cancel, and a one-line note saying why. It never
//! touches the network or a clock. What survives a crash is its `Durable` part
//! alone: a restart rebuilds the node from that through [`Protocol::boot`].

use std::fmt::Debug;
use std::hash::{Hash, Hasher};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::ids::{NodeId, NodeKind, Time};
use crate::invariant::{Violation, WorldView};
use crate::rng::NodeRng;
use crate::signed::Signed;
use crate::trace::{Name, StableHasher, StepTrace};

/// A consensus engine: the state of one node, and how it reacts to inputs.
pub trait Protocol: Clone + Debug + Sized {
    /// Cluster-wide settings (size, timing, enabled mistakes, …).
    type Config: Clone + Debug;
    /// What nodes send each other. `Hash`: the trace hash covers what a
    /// message says, not only its kind (see [`Protocol::message_digest`]).
    type Message: Clone + Debug + PartialEq + Hash;
    /// A node's timers. Setting a timer that is already pending replaces it.
    type Timer: Clone + Debug + Ord + Hash;
    /// A client request, as the user types it.
    type Request: Clone + Debug + PartialEq + Hash + Serialize + DeserializeOwned;
    /// A protocol-specific action (force an election, make a replica Byzantine).
    type Command: Clone + Debug + PartialEq + Hash + Serialize + DeserializeOwned;
    /// What a node keeps on disk: all that survives a crash.
    type Durable: Clone + Debug;
    /// History the invariants keep across steps (for example every entry ever
    /// applied at each index). It lives in the world, so it follows seeks.
    type Ghost: Clone + Debug + Default;
    /// What the engine measures as the run goes (gossip: the informed
    /// fraction over time, traffic), as plain data for the page's plots and
    /// the command line. It lives in the world, so it follows seeks.
    type Measures: Clone + Debug + Default;

    /// The number of nodes the configuration asks for.
    fn node_count(config: &Self::Config) -> u32;

    /// Which kind node `id` is (PBFT: replica or client). Nodes of every
    /// kind are crashed, restarted and partitioned alike; a broadcast goes
    /// to the sender's own kind only. One kind unless an engine says more.
    fn node_kind(_config: &Self::Config, _id: NodeId) -> NodeKind {
        NodeKind(0)
    }

    /// The durable state of a node that has never run.
    fn initial_durable(config: &Self::Config, id: NodeId) -> Self::Durable;

    /// Starts a node from its durable state: at the beginning, and after every crash.
    fn boot(config: &Self::Config, durable: Self::Durable, ctx: &mut Context<'_, Self>) -> Self;

    /// The part of the node that survives a crash.
    fn durable(&self) -> &Self::Durable;

    fn on_message(&mut self, from: NodeId, message: Self::Message, ctx: &mut Context<'_, Self>);

    fn on_timer(&mut self, timer: Self::Timer, ctx: &mut Context<'_, Self>);

    fn on_request(&mut self, request: Self::Request, ctx: &mut Context<'_, Self>);

    /// Applies a protocol command, or says in words why it cannot apply. On an
    /// error the world restores the node and discards the context's outputs.
    fn on_command(
        &mut self,
        command: Self::Command,
        ctx: &mut Context<'_, Self>,
    ) -> Result<(), String>;

    /// What this node puts in place of `message`, which it sent to `to` and
    /// which is still in flight, as `command` says; or in words why it
    /// cannot (it follows the protocol, or the command is no lie for this
    /// message). On an error the world restores the node and discards the
    /// context's outputs, as for [`Protocol::on_command`]. Engines without
    /// Byzantine nodes keep the default.
    fn substitute(
        &mut self,
        _to: NodeId,
        _message: &Self::Message,
        _command: Self::Command,
        _ctx: &mut Context<'_, Self>,
    ) -> Result<Self::Message, String> {
        Err("this protocol's nodes send only what the protocol says".into())
    }

    /// Bytes this node keeps on the heap beyond its own size (a log, a
    /// journal, a store that outgrew its inline room), for
    /// [`crate::World::footprint`]: the timeline budgets its snapshots in
    /// bytes. The default says none.
    fn heap_bytes(&self) -> usize {
        0
    }

    /// Bytes the ghost and the measures keep on the heap, as for
    /// [`Protocol::heap_bytes`].
    fn history_bytes(_ghost: &Self::Ghost, _measures: &Self::Measures) -> usize {
        0
    }

    /// A short name for a message's kind, for the trace and the legend
    /// (for example `RequestVote`): a constant, so that its digest for the
    /// trace hash is computed once (see [`Name`]).
    fn message_kind(message: &Self::Message) -> &'static Name;

    /// What a message says, as one word for the trace hash, so two runs that
    /// differ only in a message's contents (what a Byzantine replica wrote)
    /// hash differently. The default hashes the derived `Hash` with the
    /// [`StableHasher`], the same natively and in wasm; an engine whose
    /// messages go out on every step may fold its fields itself, more
    /// cheaply (Raft's `Message::digest`).
    fn message_digest(message: &Self::Message) -> u64 {
        let mut hasher = StableHasher::default();
        message.hash(&mut hasher);
        hasher.finish()
    }

    /// A client request in words, for the trace (for example `x=3`). An
    /// engine whose requests are frequent may write it faster than `Debug`.
    fn request_text(request: &Self::Request) -> String {
        format!("{request:?}")
    }

    /// A short name for a timer, for the trace (for example `election`).
    fn timer_kind(timer: &Self::Timer) -> &'static Name;

    /// Brings the measures up to date after a step, whether or not the
    /// invariants are checked. Only `view.touched` nodes changed, and
    /// `step` says what else happened: reading no more than that keeps the
    /// cost of a step independent of the cluster's size.
    fn measure(_view: &WorldView<'_, Self>, _step: &StepTrace, _measures: &mut Self::Measures) {}

    /// Checks the safety properties after a step, updating the ghost history.
    /// Only `view.touched` nodes changed, so a check can stay cheap on big
    /// clusters; `step` says what else happened (a property that holds only
    /// while no message is lost reads it).
    fn check(
        _view: &WorldView<'_, Self>,
        _step: &StepTrace,
        _ghost: &mut Self::Ghost,
    ) -> Vec<Violation> {
        Vec::new()
    }
}

/// What a node asked for while handling one input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimerOp<T> {
    Set { timer: T, after: Time },
    Cancel(T),
}

/// What a node asked for while handling one input. The world keeps one and
/// lends it to every handler, so its buffers are reused, not reallocated.
#[derive(Clone, Debug)]
pub(crate) struct Outputs<P: Protocol> {
    pub(crate) sends: Vec<(NodeId, P::Message)>,
    pub(crate) timer_ops: Vec<TimerOp<P::Timer>>,
    pub(crate) notes: Vec<String>,
    pub(crate) replies: Vec<String>,
}

impl<P: Protocol> Default for Outputs<P> {
    fn default() -> Self {
        Outputs { sends: Vec::new(), timer_ops: Vec::new(), notes: Vec::new(), replies: Vec::new() }
    }
}

impl<P: Protocol> Outputs<P> {
    pub(crate) fn clear(&mut self) {
        self.sends.clear();
        self.timer_ops.clear();
        self.notes.clear();
        self.replies.clear();
    }
}

/// A handler's window on the world: who and when it is, its random stream,
/// and where its outputs go.
pub struct Context<'a, P: Protocol> {
    id: NodeId,
    now: Time,
    node_count: u32,
    config: &'a P::Config,
    rng: &'a mut NodeRng,
    out: &'a mut Outputs<P>,
    notes_on: bool,
}

impl<'a, P: Protocol> Context<'a, P> {
    pub(crate) fn new(
        id: NodeId,
        now: Time,
        config: &'a P::Config,
        rng: &'a mut NodeRng,
        out: &'a mut Outputs<P>,
        notes_on: bool,
    ) -> Self {
        let node_count = P::node_count(config);
        Context { id, now, node_count, config, rng, out, notes_on }
    }

    /// The node handling the input.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The current virtual time.
    pub fn now(&self) -> Time {
        self.now
    }

    /// The engine's settings, for as long as the handler runs.
    pub fn config(&self) -> &'a P::Config {
        self.config
    }

    /// How many nodes the world has, of every kind.
    pub fn node_count(&self) -> u32 {
        self.node_count
    }

    /// Which kind of node `id` is.
    pub fn kind_of(&self, id: NodeId) -> NodeKind {
        P::node_kind(self.config, id)
    }

    /// This node's own random stream.
    pub fn rng(&mut self) -> &mut NodeRng {
        self.rng
    }

    /// Sends `message` to `to`. The network stamps the true sender, so no node
    /// can send under another's name.
    pub fn send(&mut self, to: NodeId, message: P::Message) {
        self.out.sends.push((to, message));
    }

    /// Sends `message` to every other node of this node's own kind: a
    /// replica's broadcast reaches the replicas, never the clients.
    pub fn broadcast(&mut self, message: P::Message) {
        let own = self.kind_of(self.id);
        self.broadcast_to(own, message);
    }

    /// Sends `message` to every other node of `kind` (a PBFT client sends
    /// its request to every replica).
    pub fn broadcast_to(&mut self, kind: NodeKind, message: P::Message) {
        for peer in (0..self.node_count).map(NodeId) {
            if peer != self.id && self.kind_of(peer) == kind {
                self.out.sends.push((peer, message.clone()));
            }
        }
    }

    /// Sets `timer` to fire `after` microseconds from now, replacing it if pending.
    pub fn set_timer(&mut self, timer: P::Timer, after: Time) {
        self.out.timer_ops.push(TimerOp::Set { timer, after });
    }

    /// Cancels `timer` if it is pending.
    pub fn cancel_timer(&mut self, timer: P::Timer) {
        self.out.timer_ops.push(TimerOp::Cancel(timer));
    }

    /// Answers the client outside the cluster (clients that are not nodes,
    /// as in Raft): for example "ok: x=3 applied at index 4" or "not the
    /// leader; try n2".
    pub fn reply_to_client(&mut self, text: impl Into<String>) {
        self.out.replies.push(text.into());
    }

    /// Signs `payload` as this node (the one whose handler is running). It
    /// is the only way to make a [`Signed`]: a node can pass on what another
    /// signed, never sign in its name.
    pub fn sign<T>(&self, payload: T) -> Signed<T> {
        Signed::new(self.id, payload)
    }

    /// Says in one line of words what changed and why, for the event log
    /// (for example "n3 votes for n1: its log is at least as up to date").
    pub fn note(&mut self, text: impl Into<String>) {
        if self.notes_on {
            self.out.notes.push(text.into());
        }
    }

    /// Like [`Context::note`], but the text is only made when notes are
    /// kept: hot paths use this so a run without notes pays nothing for them.
    pub fn note_with(&mut self, text: impl FnOnce() -> String) {
        if self.notes_on {
            self.out.notes.push(text());
        }
    }
}
