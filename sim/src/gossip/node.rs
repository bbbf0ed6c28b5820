//! One site of an epidemic run: its store (durable: the database survives
//! a crash), its hot rumors (volatile), and how it reacts to its gossip
//! timer, to messages and to a new update. The rules themselves are in
//! `anti_entropy.rs` and `rumor.rs`.

use std::mem::size_of;

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::ids::{NodeId, Time};
use crate::invariant::{Violation, WorldView};
use crate::protocol::{Context, Protocol};
use crate::trace::{Name, StepTrace};

use super::config::{GossipConfig, Style, Timing};
use super::measures::GossipMeasures;
use super::messages::Message;
use super::store::{Key, Store, Update};

/// What survives a crash: the database.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Durable {
    pub store: Store,
}

/// A rumor a site still spreads (Demers §1.4: the site is "infective" for it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rumor {
    pub update: Update,
    /// What the site decides with: contacts counted so far (`Removal::Counter`).
    pub counter: u32,
    /// Contacts that counted against the rumor, as the rule counts them
    /// (useless ones with feedback, every one when blind), kept apart from
    /// `counter` so the checks see what a mistake hides.
    pub counted: u32,
}

/// A user's action: a new update, made at this site.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Request {
    /// Writes a new version of `key`.
    Update { key: Key },
}

/// Epidemic sites take no commands: crashes, partitions and loss are the
/// world's, and every site follows the protocol.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Command {}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer {
    /// The site's gossip period (a round, under `Timing::Rounds`).
    Gossip,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GossipNode {
    pub(super) durable: Durable,
    /// Hot rumors, by key: at most one per key, its newest version.
    pub(super) rumors: SmallVec<[Rumor; 2]>,
    /// Periods gossiped since boot (for the backup's schedule under `Timing::Free`).
    pub(super) periods: u32,
}

impl GossipNode {
    pub fn store(&self) -> &Store {
        &self.durable.store
    }

    /// The rumors this site still spreads.
    pub fn rumors(&self) -> &[Rumor] {
        &self.rumors
    }

    /// Whether this site still spreads `update`.
    pub fn is_hot(&self, update: &Update) -> bool {
        self.rumors.iter().any(|r| r.update == *update)
    }

    /// What a site passes on at `now`: under `Timing::Rounds`, what it knew
    /// when the round began, so news travels one hop a round as in the
    /// analyses; otherwise everything it knows.
    pub(super) fn cutoff(config: &GossipConfig, now: Time) -> Time {
        match config.timing {
            Timing::Rounds => now - now % config.period,
            Timing::Free { .. } => Time::MAX,
        }
    }

    /// Keeps `update` if it is news, and (rumor mongering) makes it a hot
    /// rumor, replacing an older version's. Says whether it was news.
    pub(super) fn learn(
        &mut self,
        update: Update,
        from: NodeId,
        ctx: &mut Context<'_, Self>,
    ) -> bool {
        if !self.durable.store.merge(update, ctx.now()) {
            return false;
        }
        let me = ctx.id();
        ctx.note_with(|| format!("{me} learns {update} from {from}"));
        if ctx.config().style == Style::RumorMongering {
            self.make_hot(update);
        }
        true
    }

    pub(super) fn make_hot(&mut self, update: Update) {
        let rumor = Rumor { update, counter: 0, counted: 0 };
        match self.rumors.iter_mut().find(|r| r.update.key == update.key) {
            Some(older) => *older = rumor,
            None => self.rumors.push(rumor),
        }
    }

    /// Up to `fanout` distinct partners, uniformly among the other sites.
    pub(super) fn partners(ctx: &mut Context<'_, Self>) -> SmallVec<[NodeId; 4]> {
        let (n, me, fanout) = (ctx.node_count(), ctx.id().0, ctx.config().fanout);
        let mut picked: SmallVec<[NodeId; 4]> = SmallVec::new();
        while (picked.len() as u32) < fanout.min(n - 1) {
            let pick = ctx.rng().below(n - 1);
            let peer = NodeId(if pick >= me { pick + 1 } else { pick });
            if !picked.contains(&peer) {
                picked.push(peer);
            }
        }
        picked
    }

    /// Arms the gossip timer: the next round's start, or one period with jitter.
    fn arm(config: &GossipConfig, ctx: &mut Context<'_, Self>) {
        let after = match config.timing {
            Timing::Rounds => config.period - ctx.now() % config.period,
            Timing::Free { jitter } => {
                ctx.rng().range(config.period - jitter, config.period + jitter)
            }
        };
        ctx.set_timer(Timer::Gossip, after);
    }
}

impl Protocol for GossipNode {
    type Config = GossipConfig;
    type Message = Message;
    type Timer = Timer;
    type Request = Request;
    type Command = Command;
    type Durable = Durable;
    type Ghost = ();
    type Measures = GossipMeasures;

    fn node_count(config: &GossipConfig) -> u32 {
        config.nodes
    }

    fn initial_durable(_: &GossipConfig, _: NodeId) -> Durable {
        Durable::default()
    }

    fn boot(config: &GossipConfig, durable: Durable, ctx: &mut Context<'_, Self>) -> Self {
        match config.timing {
            Timing::Rounds => Self::arm(config, ctx),
            // A random phase, so free-running sites do not gossip in step.
            Timing::Free { .. } => {
                let phase = ctx.rng().range(1, config.period);
                ctx.set_timer(Timer::Gossip, phase);
            }
        }
        GossipNode { durable, rumors: SmallVec::new(), periods: 0 }
    }

    fn durable(&self) -> &Durable {
        &self.durable
    }

    fn on_message(&mut self, from: NodeId, message: Message, ctx: &mut Context<'_, Self>) {
        match message {
            Message::Push { updates } | Message::Store { updates } => {
                self.take_store(from, &updates, ctx)
            }
            Message::Pull => self.answer_pull(from, ctx),
            Message::Exchange { updates } => self.answer_exchange(from, &updates, ctx),
            Message::Rumor { rumors } => self.hear_rumors(from, &rumors, ctx),
            Message::RumorRequest { digest } => self.answer_rumor_request(from, &digest, ctx),
            Message::RumorExchange { rumors, digest } => {
                self.answer_rumor_exchange(from, &rumors, &digest, ctx)
            }
            Message::RumorReply { rumors, known } => {
                self.hear_rumor_reply(from, &rumors, &known, ctx)
            }
            Message::Feedback { known } => self.hear_feedback(&known, ctx),
        }
    }

    fn on_timer(&mut self, Timer::Gossip: Timer, ctx: &mut Context<'_, Self>) {
        let config = ctx.config();
        self.periods = self.periods.wrapping_add(1);
        let cutoff = Self::cutoff(config, ctx.now());
        match config.style {
            Style::AntiEntropy => self.resolve_differences(config.direction, cutoff, ctx),
            Style::RumorMongering => {
                self.monger(cutoff, ctx);
                // Demers §1.5: anti-entropy now and then repairs what rumor mongering missed.
                if let Some(backup) = config.backup {
                    let period = match config.timing {
                        Timing::Rounds => ctx.now() / config.period,
                        Timing::Free { .. } => u64::from(self.periods),
                    };
                    if period.is_multiple_of(u64::from(backup.every)) {
                        self.resolve_differences(backup.direction, cutoff, ctx);
                    }
                }
            }
        }
        Self::arm(config, ctx);
    }

    fn on_request(&mut self, Request::Update { key }: Request, ctx: &mut Context<'_, Self>) {
        let version = self.durable.store.get(key).map_or(1, |k| k.update.version + 1);
        let update = Update { key, version, origin: ctx.id() };
        self.durable.store.merge(update, ctx.now());
        if ctx.config().style == Style::RumorMongering {
            self.make_hot(update);
        }
        let me = ctx.id();
        ctx.note_with(|| format!("{me} writes {update}"));
    }

    fn on_command(&mut self, command: Command, _: &mut Context<'_, Self>) -> Result<(), String> {
        match command {}
    }

    fn message_kind(message: &Message) -> &'static Name {
        message.kind()
    }

    fn request_text(Request::Update { key }: &Request) -> String {
        format!("update k{key}")
    }

    fn timer_kind(Timer::Gossip: &Timer) -> &'static Name {
        const GOSSIP: &Name = &Name::new("Gossip");
        GOSSIP
    }

    fn heap_bytes(&self) -> usize {
        self.durable.store.heap_bytes()
            + if self.rumors.spilled() { self.rumors.capacity() * size_of::<Rumor>() } else { 0 }
    }

    fn history_bytes(_: &(), measures: &GossipMeasures) -> usize {
        measures.heap_bytes()
    }

    fn measure(view: &WorldView<'_, Self>, step: &StepTrace, measures: &mut GossipMeasures) {
        measures.update(view, step);
    }

    fn check(view: &WorldView<'_, Self>, _: &StepTrace, _: &mut ()) -> Vec<Violation> {
        super::invariants::check(view)
    }
}
