//! What a SWIM run measures as it goes (§5's quantities): for each crash
//! of a member, when some member first suspected it (or declared it dead)
//! and when every live member held it dead; probes, and how many of those
//! of live members failed; false suspicions and false deaths; messages.
//! A step reads only the members it touched and its own trace.

use std::mem::size_of;

use crate::gossip::measures::KindCount;
use crate::ids::{NodeId, Time};
use crate::invariant::WorldView;
use crate::trace::{Record, StepTrace};

use super::node::{Change, SwimNode};

/// One crash of a member, and how the group learned of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub member: NodeId,
    pub crashed_at: Time,
    /// When some member first suspected it, or declared it dead, after the crash.
    pub first_detected: Option<Time>,
    /// Live members that hold it dead now.
    pub holders: u32,
    /// When every live member first held it dead.
    pub everyone_knew: Option<Time>,
    /// One bit a node: counted in `holders`.
    held: Vec<u64>,
}

impl Failure {
    fn holds(&self, id: NodeId) -> bool {
        self.held.get(id.index() / 64).is_some_and(|bits| bits >> (id.index() % 64) & 1 == 1)
    }

    fn flip(&mut self, id: NodeId) {
        self.held[id.index() / 64] ^= 1 << (id.index() % 64);
    }
}

#[derive(Clone, Debug, Default)]
pub struct SwimMeasures {
    pub messages: u64,
    pub by_kind: Vec<KindCount>,
    /// Probes started.
    pub probes: u64,
    /// Probes of members that were up which ended without an ack.
    pub failed_probes_of_live: u64,
    /// Suspicions of members that were up and in the group.
    pub false_suspicions: u64,
    /// Deaths declared (or heard) of members that were up and in the group,
    /// counted once for each member that came to hold one.
    pub false_deaths: u64,
    /// Deaths of members that were up and in the group declared by a
    /// member itself (not heard): each starts a wave of `false_deaths`.
    pub false_confirmations: u64,
    pub failures: Vec<Failure>,
    /// Members up and in the group now.
    pub live_members: u32,
    /// One bit a node: counted in `live_members`.
    live: Vec<u64>,
}

impl SwimMeasures {
    /// Messages per member per protocol period, over `periods` periods.
    pub fn messages_per_member_per_period(&self, members: u32, periods: f64) -> f64 {
        self.messages as f64 / (f64::from(members.max(1)) * periods.max(1e-9))
    }

    pub fn heap_bytes(&self) -> usize {
        self.by_kind.capacity() * size_of::<KindCount>()
            + self.failures.iter().map(|f| f.held.capacity() * size_of::<u64>()).sum::<usize>()
            + self.failures.capacity() * size_of::<Failure>()
            + self.live.capacity() * size_of::<u64>()
    }

    pub(super) fn update(&mut self, view: &WorldView<'_, SwimNode>, step: &StepTrace) {
        if self.live.is_empty() {
            self.live = vec![0; view.node_count().div_ceil(64) as usize];
        }
        for record in step.records() {
            match record {
                Record::Sent { kind, .. } => {
                    self.messages += 1;
                    KindCount::tally(&mut self.by_kind, kind.as_str());
                }
                Record::Crashed { node } if self.is_live(*node) => self.failures.push(Failure {
                    member: *node,
                    crashed_at: view.now,
                    first_detected: None,
                    holders: 0,
                    everyone_knew: None,
                    held: vec![0; self.live.len()],
                }),
                _ => {}
            }
        }
        let mut moved = false;
        for &id in view.touched {
            let member = view.node(id).is_some_and(SwimNode::is_member);
            if member != self.is_live(id) {
                moved = true;
                self.live[id.index() / 64] ^= 1 << (id.index() % 64);
                if member {
                    self.live_members += 1;
                } else {
                    self.live_members -= 1;
                    // A member that crashed or left holds nothing any more.
                    for failure in self.failures.iter_mut().filter(|f| f.holds(id)) {
                        failure.flip(id);
                        failure.holders -= 1;
                    }
                }
            }
        }
        for &id in view.touched {
            let Some(node) = view.node(id) else { continue };
            for &change in node.changes() {
                moved |= matches!(change, Change::Declared(_));
                self.count(view, id, change);
            }
        }
        if moved {
            let live_members = self.live_members;
            for failure in &mut self.failures {
                let over = self
                    .live
                    .get(failure.member.index() / 64)
                    .is_some_and(|bits| bits >> (failure.member.index() % 64) & 1 == 1);
                if failure.everyone_knew.is_none() && !over && failure.holders >= live_members {
                    failure.everyone_knew = Some(view.now);
                }
            }
        }
    }

    fn is_live(&self, id: NodeId) -> bool {
        self.live.get(id.index() / 64).is_some_and(|bits| bits >> (id.index() % 64) & 1 == 1)
    }

    /// Counts what member `by` did.
    fn count(&mut self, view: &WorldView<'_, SwimNode>, by: NodeId, change: Change) {
        let up = |m: NodeId| view.node(m).is_some_and(SwimNode::is_member);
        match change {
            Change::Probed(_) => self.probes += 1,
            Change::ProbeFailed(m) if up(m) => self.failed_probes_of_live += 1,
            Change::Suspected(m) if up(m) => self.false_suspicions += 1,
            Change::Declared(m) if up(m) => self.false_deaths += 1,
            Change::Suspected(m) | Change::Declared(m) => {
                let Some(failure) = self.failures.iter_mut().rev().find(|f| f.member == m) else {
                    return;
                };
                failure.first_detected.get_or_insert(view.now);
                if matches!(change, Change::Declared(_)) && !failure.holds(by) {
                    failure.flip(by);
                    failure.holders += 1;
                }
            }
            Change::Confirmed(m) if up(m) => self.false_confirmations += 1,
            Change::ProbeFailed(_) | Change::Confirmed(_) => {}
        }
    }
}
