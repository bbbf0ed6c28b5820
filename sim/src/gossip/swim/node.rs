//! One SWIM member: its incarnation (durable, so a restart rejoins above
//! every earlier life), its view of the group, its queue of news, its
//! current probe and the pings it relays for others. The failure detector
//! is in `probe.rs`, the handling of news in `news.rs`.

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::gossip::config::Timing;
use crate::ids::{NodeId, Time};
use crate::invariant::{Violation, WorldView};
use crate::protocol::{Context, Protocol};
use crate::trace::{Name, StepTrace};

use super::config::SwimConfig;
use super::dissemination::Queue;
use super::measures::SwimMeasures;
use super::membership::{Entry, Status, View};
use super::messages::SwimMessage;

/// What survives a crash.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SwimDurable {
    /// The highest incarnation this member has used.
    pub incarnation: u32,
    /// Whether it is in the group (it may have left, or never joined).
    pub member: bool,
    /// Whether it has run before: a restart rejoins.
    pub booted: bool,
    /// The last sequence number it gave a ping: kept across a restart, so
    /// an ack still on its way from before the crash matches nothing new.
    pub seq: u32,
}

/// SWIM has no clients: its users act on members by commands.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SwimRequest {}

/// A user's action on a node, refused in words when it cannot apply.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SwimCommand {
    /// Join the group through member `via`.
    Join { via: NodeId },
    /// Leave the group, telling others.
    Leave,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SwimTimer {
    /// The protocol period: judge the last probe, start the next.
    Period,
    /// No direct ack yet: ask k members to ping the target.
    PingTimeout,
    /// A suspicion of this member times out (§4.2).
    Suspicion(NodeId),
}

/// The probe of this period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Probe {
    pub target: NodeId,
    pub seq: u32,
    pub acked: bool,
}

/// A ping this member sends on another's behalf (ping-req).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Relay {
    pub seq: u32,
    pub requester: NodeId,
    pub their_seq: u32,
    pub since: Time,
}

/// What one input did that the measures count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Started a probe of this member.
    Probed(NodeId),
    /// A probe of this member ended with no ack.
    ProbeFailed(NodeId),
    /// Began to suspect this member.
    Suspected(NodeId),
    /// Came to hold this member dead (declared it, or heard so).
    Declared(NodeId),
    /// Declared this member dead itself: its suspicion timed out, or (with
    /// suspicion off) its probe failed.
    Confirmed(NodeId),
}

/// Round-robin probing (§4.3) in the order i ↦ (a·i + b) mod n, a and b
/// drawn afresh each cycle: every member once a cycle, in a new order, in
/// constant space, where the paper's shuffled list would cost n a member.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Order {
    pub(super) a: u32,
    pub(super) b: u32,
    pub(super) next: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwimNode {
    pub(super) durable: SwimDurable,
    pub(super) view: View,
    pub(super) queue: Queue,
    pub(super) probe: Option<Probe>,
    pub(super) relays: SmallVec<[Relay; 2]>,
    /// Whom this member suspects, and since when.
    pub(super) suspicions: SmallVec<[(NodeId, Time); 2]>,
    /// Whether a contact has let it in (a joiner asks again each period until one does).
    pub(super) joined: bool,
    pub(super) order: Order,
    pub(super) changes: SmallVec<[Change; 2]>,
}

impl SwimNode {
    /// Whether this node is in the group now.
    pub fn is_member(&self) -> bool {
        self.durable.member
    }

    pub fn incarnation(&self) -> u32 {
        self.durable.incarnation
    }

    /// What this member believes of `id`.
    pub fn entry(&self, config: &SwimConfig, id: NodeId) -> Entry {
        self.view.get(id, config.initial)
    }

    /// The entries of its view that differ from the group at the start.
    pub fn view_changes(&self) -> impl Iterator<Item = (NodeId, Entry)> + '_ {
        self.view.changed()
    }

    /// Whom it suspects, and since when (each has a suspicion timer).
    pub fn suspicions(&self) -> &[(NodeId, Time)] {
        &self.suspicions
    }

    pub fn probe(&self) -> Option<Probe> {
        self.probe
    }

    /// The news it still passes on, with how often each was sent.
    pub fn queue(&self) -> &Queue {
        &self.queue
    }

    /// What the last input did, for the measures and checks.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Arms the period timer: the next period's start, or a period with jitter.
    pub(super) fn arm(config: &SwimConfig, ctx: &mut Context<'_, Self>) {
        let after = match config.timing {
            Timing::Rounds => config.period - ctx.now() % config.period,
            Timing::Free { jitter } => {
                ctx.rng().range(config.period - jitter, config.period + jitter)
            }
        };
        ctx.set_timer(SwimTimer::Period, after);
    }

    fn start(config: &SwimConfig, ctx: &mut Context<'_, Self>) {
        match config.timing {
            Timing::Rounds => Self::arm(config, ctx),
            Timing::Free { .. } => {
                let phase = ctx.rng().range(1, config.period);
                ctx.set_timer(SwimTimer::Period, phase);
            }
        }
    }
}

impl Protocol for SwimNode {
    type Config = SwimConfig;
    type Message = SwimMessage;
    type Timer = SwimTimer;
    type Request = SwimRequest;
    type Command = SwimCommand;
    type Durable = SwimDurable;
    type Ghost = super::invariants::SwimGhost;
    type Measures = SwimMeasures;

    fn node_count(config: &SwimConfig) -> u32 {
        config.nodes
    }

    fn initial_durable(config: &SwimConfig, id: NodeId) -> SwimDurable {
        SwimDurable { incarnation: 0, member: id.0 < config.initial, booted: false, seq: 0 }
    }

    fn boot(config: &SwimConfig, mut durable: SwimDurable, ctx: &mut Context<'_, Self>) -> Self {
        let restart = durable.booted;
        durable.booted = true;
        let mut node = SwimNode {
            durable,
            view: View::default(),
            queue: Queue::default(),
            probe: None,
            relays: SmallVec::new(),
            suspicions: SmallVec::new(),
            joined: true,
            order: Order::default(),
            changes: SmallVec::new(),
        };
        if node.durable.member {
            if restart {
                // A restarted member lost its view: it joins again, above its last incarnation.
                node.rejoin(config, None, ctx);
            } else {
                Self::start(config, ctx);
            }
        }
        node
    }

    fn durable(&self) -> &SwimDurable {
        &self.durable
    }

    fn on_message(&mut self, from: NodeId, message: SwimMessage, ctx: &mut Context<'_, Self>) {
        self.changes.clear();
        if !self.durable.member {
            return;
        }
        match message {
            SwimMessage::Ping { seq, news } => self.on_ping(from, seq, &news, ctx),
            SwimMessage::PingReq { seq, target, news } => {
                self.on_ping_req(from, seq, target, &news, ctx)
            }
            SwimMessage::Ack { seq, news } => self.on_ack(seq, &news, ctx),
            SwimMessage::Join { incarnation } => self.on_join(from, incarnation, ctx),
            SwimMessage::JoinAck { view } => self.on_join_ack(&view, ctx),
        }
    }

    fn on_timer(&mut self, timer: SwimTimer, ctx: &mut Context<'_, Self>) {
        self.changes.clear();
        if !self.durable.member {
            return;
        }
        match timer {
            SwimTimer::Period => self.on_period(ctx),
            SwimTimer::PingTimeout => self.on_ping_timeout(ctx),
            SwimTimer::Suspicion(member) => self.on_suspicion_timeout(member, ctx),
        }
    }

    fn on_request(&mut self, request: SwimRequest, _: &mut Context<'_, Self>) {
        match request {}
    }

    fn on_command(
        &mut self,
        command: SwimCommand,
        ctx: &mut Context<'_, Self>,
    ) -> Result<(), String> {
        self.changes.clear();
        let (config, me) = (ctx.config(), ctx.id());
        match command {
            SwimCommand::Join { via } => {
                if self.durable.member {
                    return Err(format!("{me} is already in the group"));
                }
                if via == me || via.0 >= config.nodes {
                    return Err(format!(
                        "{me} can join only through another of the {} nodes, not {via}",
                        config.nodes
                    ));
                }
                self.durable.member = true;
                self.rejoin(config, Some(via), ctx);
            }
            SwimCommand::Leave => {
                if !self.durable.member {
                    return Err(format!("{me} is not in the group"));
                }
                self.leave(config, ctx);
            }
        }
        Ok(())
    }

    fn message_kind(message: &SwimMessage) -> &'static Name {
        message.kind()
    }

    fn timer_kind(timer: &SwimTimer) -> &'static Name {
        const PERIOD: &Name = &Name::new("Period");
        const PING_TIMEOUT: &Name = &Name::new("PingTimeout");
        const SUSPICION: &Name = &Name::new("Suspicion");
        match timer {
            SwimTimer::Period => PERIOD,
            SwimTimer::PingTimeout => PING_TIMEOUT,
            SwimTimer::Suspicion(_) => SUSPICION,
        }
    }

    fn heap_bytes(&self) -> usize {
        self.view.heap_bytes() + self.queue.heap_bytes()
    }

    fn history_bytes(_: &super::invariants::SwimGhost, measures: &SwimMeasures) -> usize {
        measures.heap_bytes()
    }

    fn measure(view: &WorldView<'_, Self>, step: &StepTrace, measures: &mut SwimMeasures) {
        measures.update(view, step);
    }

    fn check(
        view: &WorldView<'_, Self>,
        step: &StepTrace,
        ghost: &mut super::invariants::SwimGhost,
    ) -> Vec<Violation> {
        super::invariants::check(view, step, ghost)
    }
}

impl SwimNode {
    /// Joins (again): a fresh incarnation above every earlier one, alive
    /// in its own view, and a Join to `via` or to a random founder, asked
    /// again each period until a member answers.
    fn rejoin(&mut self, config: &SwimConfig, via: Option<NodeId>, ctx: &mut Context<'_, Self>) {
        let me = ctx.id();
        self.durable.incarnation += 1;
        let entry = Entry { status: Status::Alive, incarnation: self.durable.incarnation };
        self.view.set(me, entry);
        self.joined = false;
        let via = via.unwrap_or_else(|| self.random_founder(config, ctx));
        ctx.send(via, SwimMessage::Join { incarnation: self.durable.incarnation });
        ctx.note_with(|| format!("{me} asks {via} to let it join"));
        Self::start(config, ctx);
    }

    /// A founder other than this node, at random (any other node when this
    /// is the only founder): whom a restarted member asks to let it in.
    pub(super) fn random_founder(
        &self,
        config: &SwimConfig,
        ctx: &mut Context<'_, Self>,
    ) -> NodeId {
        let me = ctx.id().0;
        let pool = if config.initial > 1 || me != 0 { config.initial } else { config.nodes };
        if pool == 1 {
            return NodeId(0);
        }
        if me >= pool {
            return NodeId(ctx.rng().below(pool));
        }
        let pick = ctx.rng().below(pool - 1);
        NodeId(if pick >= me { pick + 1 } else { pick })
    }

    /// Leaves: the news goes to λ⌈ln(n + 1)⌉ members in pings, then
    /// this node falls silent.
    fn leave(&mut self, config: &SwimConfig, ctx: &mut Context<'_, Self>) {
        let me = ctx.id();
        let left = Entry { status: Status::Left, incarnation: self.durable.incarnation };
        let news = super::messages::News { member: me, entry: left };
        for _ in 0..config.retransmits() {
            if let Some(to) = self.random_member(config, None, ctx) {
                self.durable.seq += 1;
                let seq = self.durable.seq;
                ctx.send(to, SwimMessage::Ping { seq, news: [news].into_iter().collect() });
            }
        }
        self.durable.member = false;
        self.probe = None;
        ctx.cancel_timer(SwimTimer::Period);
        ctx.cancel_timer(SwimTimer::PingTimeout);
        for (member, _) in std::mem::take(&mut self.suspicions) {
            ctx.cancel_timer(SwimTimer::Suspicion(member));
        }
        ctx.note_with(|| format!("{me} leaves the group"));
    }
}
