//! SWIM's failure detector (§3, §4.2, §4.3). Each protocol period a member
//! pings one member; without an ack within the ping timeout it asks k
//! others to ping that member for it (ping-req); if by the end of the
//! period no ack came, directly or through them, it suspects the member
//! (or, basic SWIM, declares it dead). A suspicion not refuted within the
//! suspicion timeout becomes a death.

use smallvec::SmallVec;

use crate::ids::NodeId;
use crate::protocol::Context;

use super::config::{Selection, SwimConfig, SwimMistake};
use super::membership::{Entry, Status};
use super::messages::{Piggyback, SwimMessage};
use super::node::{Change, Probe, Relay, SwimNode, SwimTimer};

impl SwimNode {
    pub(super) fn on_period(&mut self, ctx: &mut Context<'_, Self>) {
        let config = ctx.config();
        if let Some(probe) = self.probe.take()
            && !probe.acked
        {
            self.probe_failed(probe.target, ctx);
        }
        let now = ctx.now();
        self.relays.retain(|r| now - r.since < config.period);
        if !self.joined {
            // No member has let it in yet: ask another.
            let via = self.random_founder(config, ctx);
            ctx.send(via, SwimMessage::Join { incarnation: self.durable.incarnation });
        } else if let Some(target) = self.next_target(config, ctx) {
            self.durable.seq += 1;
            let seq = self.durable.seq;
            self.probe = Some(Probe { target, seq, acked: false });
            let news = self.piggyback(config, target);
            ctx.send(target, SwimMessage::Ping { seq, news });
            ctx.set_timer(SwimTimer::PingTimeout, config.ping_timeout);
            self.changes.push(Change::Probed(target));
        }
        Self::arm(config, ctx);
    }

    /// No direct ack within the ping timeout: ask k members to ping the target (§3).
    pub(super) fn on_ping_timeout(&mut self, ctx: &mut Context<'_, Self>) {
        let config = ctx.config();
        let Some(probe) = self.probe.filter(|p| !p.acked) else { return };
        let mut asked: SmallVec<[NodeId; 4]> = SmallVec::new();
        for _ in 0..config.indirect {
            let Some(relay) = self.random_member(config, Some((probe.target, &asked)), ctx) else {
                break;
            };
            asked.push(relay);
            let news = self.piggyback(config, relay);
            ctx.send(relay, SwimMessage::PingReq { seq: probe.seq, target: probe.target, news });
        }
    }

    /// The period ended without an ack: suspect the target (§4.2), or with
    /// suspicion switched off declare it dead (§3).
    fn probe_failed(&mut self, target: NodeId, ctx: &mut Context<'_, Self>) {
        let config = ctx.config();
        self.changes.push(Change::ProbeFailed(target));
        let held = self.view.get(target, config.initial);
        let me = ctx.id();
        if config.has(SwimMistake::NoSuspicion) {
            if held.status.in_group() {
                ctx.note_with(|| format!("{me} got no ack from {target}: declares it dead"));
                self.changes.push(Change::Confirmed(target));
                self.believe(target, Entry { status: Status::Dead, ..held }, ctx);
            }
        } else if held.status == Status::Alive {
            ctx.note_with(|| format!("{me} got no ack from {target}: suspects it"));
            self.believe(target, Entry { status: Status::Suspect, ..held }, ctx);
        }
    }

    /// A suspicion timed out unrefuted: the member is dead (§4.2).
    pub(super) fn on_suspicion_timeout(&mut self, member: NodeId, ctx: &mut Context<'_, Self>) {
        let held = self.view.get(member, ctx.config().initial);
        self.suspicions.retain(|(m, _)| *m != member);
        if held.status == Status::Suspect {
            let me = ctx.id();
            ctx.note_with(|| format!("{me}'s suspicion of {member} timed out: declares it dead"));
            self.changes.push(Change::Confirmed(member));
            self.believe(member, Entry { status: Status::Dead, ..held }, ctx);
        }
    }

    pub(super) fn on_ping(
        &mut self,
        from: NodeId,
        seq: u32,
        news: &[super::messages::News],
        ctx: &mut Context<'_, Self>,
    ) {
        self.hear(news, ctx);
        if !self.durable.member {
            return; // It just heard that it left.
        }
        let news = self.piggyback(ctx.config(), from);
        ctx.send(from, SwimMessage::Ack { seq, news });
    }

    /// Pings `target` on `from`'s behalf; its ack will be passed back.
    pub(super) fn on_ping_req(
        &mut self,
        from: NodeId,
        their_seq: u32,
        target: NodeId,
        news: &[super::messages::News],
        ctx: &mut Context<'_, Self>,
    ) {
        self.hear(news, ctx);
        self.durable.seq += 1;
        let seq = self.durable.seq;
        self.relays.push(Relay { seq, requester: from, their_seq, since: ctx.now() });
        let news = self.piggyback(ctx.config(), target);
        ctx.send(target, SwimMessage::Ping { seq, news });
    }

    pub(super) fn on_ack(
        &mut self,
        seq: u32,
        news: &[super::messages::News],
        ctx: &mut Context<'_, Self>,
    ) {
        self.hear(news, ctx);
        if let Some(probe) = self.probe.as_mut().filter(|p| p.seq == seq) {
            probe.acked = true;
            let target = probe.target;
            ctx.cancel_timer(SwimTimer::PingTimeout);
            // §4.2: a suspected member that answers a ping is un-marked.
            // Only here: news of alive at the same incarnation overrides
            // no one else's suspicion, so none is spread; the member's own
            // refutation does that.
            let held = self.view.get(target, ctx.config().initial);
            if held.status == Status::Suspect {
                self.view.set(target, Entry { status: Status::Alive, ..held });
                self.suspicions.retain(|(m, _)| *m != target);
                ctx.cancel_timer(SwimTimer::Suspicion(target));
            }
        } else if let Some(at) = self.relays.iter().position(|r| r.seq == seq) {
            let relay = self.relays.remove(at);
            let news = self.piggyback(ctx.config(), relay.requester);
            ctx.send(relay.requester, SwimMessage::Ack { seq: relay.their_seq, news });
        }
    }

    pub(super) fn piggyback(&mut self, config: &SwimConfig, to: NodeId) -> Piggyback {
        self.queue.take(to, config.max_piggyback, config.retransmits())
    }

    /// Whom to ping this period: at random (§3) or round-robin (§4.3),
    /// among the members this one holds alive or suspect.
    fn next_target(&mut self, config: &SwimConfig, ctx: &mut Context<'_, Self>) -> Option<NodeId> {
        match config.selection {
            Selection::Random => self.random_member(config, None, ctx),
            Selection::RoundRobin => self.next_in_order(config, ctx),
        }
    }

    fn eligible(&self, config: &SwimConfig, id: NodeId, me: NodeId) -> bool {
        id != me && self.view.get(id, config.initial).status.in_group()
    }

    /// A member in the group at random, other than this one and those in
    /// `besides` (a target and the members already asked): drawn among the
    /// founders and the members whose entries changed (`View::candidate`),
    /// so a small group in a large cluster costs no more than a large one.
    /// A few draws, then a pass over those candidates.
    pub(super) fn random_member(
        &self,
        config: &SwimConfig,
        besides: Option<(NodeId, &[NodeId])>,
        ctx: &mut Context<'_, Self>,
    ) -> Option<NodeId> {
        let me = ctx.id();
        let candidates = config.initial + self.view.changed_len() as u32;
        let ok = |i: u32| {
            let (id, entry) = self.view.candidate(i, config.initial)?;
            let asked = besides.is_some_and(|(target, asked)| id == target || asked.contains(&id));
            (id != me && entry.status.in_group() && !asked).then_some(id)
        };
        for _ in 0..32 {
            if let Some(id) = ok(ctx.rng().below(candidates)) {
                return Some(id);
            }
        }
        let all: Vec<NodeId> = (0..candidates).filter_map(ok).collect();
        (!all.is_empty()).then(|| all[ctx.rng().below(all.len() as u32) as usize])
    }

    /// The next member in this cycle's order; a new order when it ends.
    fn next_in_order(
        &mut self,
        config: &SwimConfig,
        ctx: &mut Context<'_, Self>,
    ) -> Option<NodeId> {
        let (n, me) = (config.nodes, ctx.id());
        for _ in 0..2 * n {
            if self.order.next == 0 || self.order.next > n {
                self.new_order(n, ctx);
            }
            let i = self.order.next - 1;
            self.order.next += 1;
            let id = NodeId(
                ((u64::from(self.order.a) * u64::from(i) + u64::from(self.order.b)) % u64::from(n))
                    as u32,
            );
            if self.eligible(config, id, me) {
                return Some(id);
            }
        }
        None
    }

    /// A new cycle: a uniform offset b and a uniform multiplier a coprime
    /// with n, so i ↦ (a·i + b) mod n visits every member once.
    fn new_order(&mut self, n: u32, ctx: &mut Context<'_, Self>) {
        let gcd = |mut a: u32, mut b: u32| {
            while b != 0 {
                (a, b) = (b, a % b);
            }
            a
        };
        let a = loop {
            let a = 1 + ctx.rng().below(n.max(2) - 1);
            if gcd(a, n) == 1 {
                break a;
            }
        };
        self.order = super::node::Order { a, b: ctx.rng().below(n), next: 1 };
    }
}
