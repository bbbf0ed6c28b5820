//! What an epidemic run measures as it goes (Demers §1.4's residue, traffic
//! and delays; the informed fraction over time the analyses predict), as
//! plain data for the page's plots and the command line. A step looks only
//! at the sites it touched and at its own trace, so its cost does not grow
//! with the number of sites.

use std::mem::size_of;

use crate::chunked::Chunked;
use crate::ids::{NodeId, Time};
use crate::invariant::WorldView;
use crate::trace::{Record, StepTrace};

use super::messages::Message;
use super::node::GossipNode;
use super::store::{Store, Update};

/// How many updates are followed: the first 32 made in a run. Later ones
/// spread as well, unmeasured.
pub const FOLLOWED_UPDATES: usize = 32;

/// How one update spread.
#[derive(Clone, Debug)]
pub struct Spread {
    pub update: Update,
    /// When its origin made it.
    pub made_at: Time,
    /// Sites that hold it, or a newer version of its key, up or down.
    pub informed: u32,
    /// Live sites that still spread it as a hot rumor ("infective").
    pub infective: u32,
    /// (time, informed) at every change of `informed`, from (made_at, 1).
    pub informed_over_time: Chunked<(Time, u32), 1024>,
    /// The sum over informed sites, the origin aside, of when each learned
    /// it after it was made: over `informed - 1`, the average delay.
    pub delay_total: u64,
    /// When the last site so far learned it.
    pub last_learned: Time,
    /// When the rumor died out (rumor mongering): no live site spread it
    /// and no rumor message was in flight. `None` while a site spreads it.
    /// In a run with several rumors, a message in flight of another delays
    /// this (the trace names a message's kind, not what it carries), so it
    /// may come later than the death itself, never earlier.
    pub died_at: Option<Time>,
}

impl Spread {
    /// The fraction of `sites` that hold it.
    pub fn informed_fraction(&self, sites: u32) -> f64 {
        f64::from(self.informed) / f64::from(sites.max(1))
    }

    /// The residue: the fraction of `sites` that never heard (Demers §1.4's s).
    pub fn residue(&self, sites: u32) -> f64 {
        1.0 - self.informed_fraction(sites)
    }

    /// The average delay from its making to a site's learning it, over the
    /// sites that learned it (Demers §1.4's t_ave), in microseconds.
    pub fn average_delay(&self) -> Option<f64> {
        (self.informed > 1).then(|| self.delay_total as f64 / f64::from(self.informed - 1))
    }

    /// The delay until the last site learned it (t_last), in microseconds.
    pub fn last_delay(&self) -> Time {
        self.last_learned - self.made_at
    }

    /// How many sites held it at the end of each round, from round 1 to
    /// the round in which `end` falls, rounds being `period` long and round
    /// r starting at r × period (`Timing::Rounds`; the update is made before
    /// round 1). The measured curve beside the analyses' (`gossip::theory`).
    pub fn informed_by_round(&self, period: Time, end: Time) -> Vec<u32> {
        let mut points = self.informed_over_time.iter().peekable();
        let mut informed = 1;
        let mut by_round = Vec::new();
        for round in 1.. {
            while let Some(&&(time, count)) = points.peek() {
                if time >= (round + 1) * period {
                    break;
                }
                informed = count;
                points.next();
            }
            by_round.push(informed);
            if (round + 1) * period > end {
                return by_round;
            }
        }
        unreachable!("the rounds run until `end`")
    }

    /// When every one of `sites` held it, if they all do.
    pub fn full_at(&self, sites: u32) -> Option<Time> {
        (self.informed == sites).then_some(self.last_learned)
    }
}

/// Messages of one kind sent so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindCount {
    pub kind: &'static str,
    pub sent: u64,
}

impl KindCount {
    /// One more message of `kind` sent, in `counts` (kinds in the order first sent).
    pub(crate) fn tally(counts: &mut Vec<KindCount>, kind: &'static str) {
        match counts.iter_mut().find(|k| k.kind == kind) {
            Some(count) => count.sent += 1,
            None => counts.push(KindCount { kind, sent: 1 }),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct GossipMeasures {
    /// The updates followed, in the order they were made.
    pub updates: Vec<Spread>,
    /// Messages sent so far, those lost on the way included.
    pub messages: u64,
    /// The same, by kind, in the order each kind was first sent.
    pub by_kind: Vec<KindCount>,
    /// Messages in flight of the kinds that carry rumors.
    pub rumor_messages_in_flight: u64,
    /// Per site, two bits per followed update (bit 2i: holds it; bit
    /// 2i + 1: spreads it), as the last step that touched the site left it.
    bits: Vec<u64>,
}

impl GossipMeasures {
    /// Messages per site so far, of every kind or of `kind`.
    pub fn messages_per_site(&self, sites: u32, kind: Option<&str>) -> f64 {
        let sent = match kind {
            None => self.messages,
            Some(kind) => self.by_kind.iter().filter(|k| k.kind == kind).map(|k| k.sent).sum(),
        };
        sent as f64 / f64::from(sites.max(1))
    }

    /// Bytes on the heap. The series' chunks are shared with copies of
    /// the measures, and counted here in full.
    pub fn heap_bytes(&self) -> usize {
        let series: usize = self
            .updates
            .iter()
            .map(|s| s.informed_over_time.len() * size_of::<(Time, u32)>())
            .sum();
        self.bits.capacity() * size_of::<u64>()
            + self.updates.capacity() * size_of::<Spread>()
            + self.by_kind.capacity() * size_of::<KindCount>()
            + series
    }

    pub(super) fn update(&mut self, view: &WorldView<'_, GossipNode>, step: &StepTrace) {
        if self.bits.is_empty() {
            self.bits = vec![0; view.node_count() as usize];
        }
        for record in step.records() {
            match record {
                Record::Sent { kind, .. } => {
                    self.messages += 1;
                    let kind = kind.as_str();
                    KindCount::tally(&mut self.by_kind, kind);
                    if Message::carries_rumors(kind) {
                        self.rumor_messages_in_flight += 1;
                    }
                }
                // A message lost as it is sent is recorded sent, then dropped.
                Record::Delivered { kind, .. } | Record::Dropped { kind, .. }
                    if Message::carries_rumors(kind.as_str()) =>
                {
                    self.rumor_messages_in_flight -= 1;
                }
                _ => {}
            }
        }
        for &id in view.touched {
            self.site(view, id);
        }
        let quiet = self.rumor_messages_in_flight == 0;
        for spread in &mut self.updates {
            if spread.infective > 0 {
                spread.died_at = None;
            } else if quiet && spread.died_at.is_none() && spread.informed > 0 {
                spread.died_at = Some(view.now);
            }
        }
    }

    /// Brings one touched site's bits, and the counts they feed, up to date.
    fn site(&mut self, view: &WorldView<'_, GossipNode>, id: NodeId) {
        let node = view.node(id);
        let Some(store) = node.map(GossipNode::store).or(view.durable(id).map(|d| &d.store)) else {
            return;
        };
        self.follow_new(store);
        let now = view.now;
        let old = self.bits[id.index()];
        let mut new = 0;
        for (i, spread) in self.updates.iter_mut().enumerate() {
            let holds = store.covers(&spread.update);
            let spreads = node.is_some_and(|n| n.is_hot(&spread.update));
            new |= u64::from(holds) << (2 * i) | u64::from(spreads) << (2 * i + 1);
            let (held, spread_before) = (old >> (2 * i) & 1 == 1, old >> (2 * i + 1) & 1 == 1);
            if holds && !held {
                spread.informed += 1;
                if spread.informed > 1 {
                    spread.delay_total += now - spread.made_at;
                }
                spread.last_learned = now;
                spread.informed_over_time.push((now, spread.informed));
            }
            // A store never forgets: `informed` only grows.
            match (spreads, spread_before) {
                (true, false) => spread.infective += 1,
                (false, true) => spread.infective -= 1,
                _ => {}
            }
        }
        self.bits[id.index()] = new;
    }

    /// Starts following the updates in `store` that are new to the
    /// measures: a site that holds an update nobody else held made it now.
    fn follow_new(&mut self, store: &Store) {
        for known in store.entries() {
            if self.updates.len() == FOLLOWED_UPDATES {
                return;
            }
            if self.updates.iter().any(|s| s.update == known.update) {
                continue;
            }
            // An update superseded before it was followed (a newer version
            // arrived first) is not followed: it never stood alone.
            self.updates.push(Spread {
                update: known.update,
                made_at: known.learned,
                informed: 0,
                infective: 0,
                informed_over_time: Chunked::new(),
                delay_total: 0,
                last_learned: known.learned,
                died_at: None,
            });
        }
    }
}
