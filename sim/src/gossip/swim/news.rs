//! What a member does with membership news (§4.2): it keeps news that
//! overrides what it holds and passes it on; it starts a suspicion timer
//! for a new suspect; and news that it is itself suspected or dead it
//! refutes, with an incarnation above the accusation's.

use crate::ids::NodeId;
use crate::protocol::Context;

use super::config::SwimMistake;
use super::membership::{Entry, Status};
use super::messages::{News, SwimMessage};
use super::node::{Change, SwimNode, SwimTimer};

impl SwimNode {
    /// Takes in piggybacked news.
    pub(super) fn hear(&mut self, news: &[News], ctx: &mut Context<'_, Self>) {
        let (me, initial) = (ctx.id(), ctx.config().initial);
        for &News { member, entry } in news {
            if member == me {
                let mine = self.view.get(me, initial);
                if entry.overrides(&mine) {
                    self.refute(entry, ctx);
                } else if matches!(entry.status, Status::Suspect | Status::Dead) {
                    // A stale accusation: whoever still passes it on has not
                    // heard the refutation, which may have run out of
                    // retransmissions. Pass it on again.
                    self.queue.push(News { member: me, entry: mine });
                }
            } else if entry.overrides(&self.view.get(member, initial)) {
                self.believe(member, entry, ctx);
            }
        }
    }

    /// Holds `entry` for `member` and passes it on; a suspicion starts its
    /// timer, anything else stops it.
    pub(super) fn believe(&mut self, member: NodeId, entry: Entry, ctx: &mut Context<'_, Self>) {
        let config = ctx.config();
        self.view.set(member, entry);
        self.queue.push(News { member, entry });
        let suspected = self.suspicions.iter().position(|(m, _)| *m == member);
        match entry.status {
            Status::Suspect => {
                self.changes.push(Change::Suspected(member));
                if suspected.is_none() {
                    self.suspicions.push((member, ctx.now()));
                    ctx.set_timer(SwimTimer::Suspicion(member), config.suspicion_timeout());
                }
            }
            status => {
                if status == Status::Dead {
                    self.changes.push(Change::Declared(member));
                }
                if let Some(at) = suspected {
                    self.suspicions.remove(at);
                    ctx.cancel_timer(SwimTimer::Suspicion(member));
                }
            }
        }
    }

    /// News that this member is suspected, dead or gone, which it is not:
    /// it says it is alive with an incarnation above the news' (§4.2).
    /// Only a member raises its own incarnation.
    fn refute(&mut self, accusation: Entry, ctx: &mut Context<'_, Self>) {
        let me = ctx.id();
        if !ctx.config().has(SwimMistake::NoIncarnation) {
            self.durable.incarnation = self.durable.incarnation.max(accusation.incarnation) + 1;
        }
        let alive = Entry { status: Status::Alive, incarnation: self.durable.incarnation };
        self.view.set(me, alive);
        self.queue.push(News { member: me, entry: alive });
        let (word, incarnation) = (accusation.status.word(), alive.incarnation);
        ctx.note_with(|| {
            format!("{me} hears it is {word}: says it is alive, incarnation {incarnation}")
        });
    }

    /// A node asks to join: hold it alive, pass that on, and hand it this view.
    pub(super) fn on_join(&mut self, from: NodeId, incarnation: u32, ctx: &mut Context<'_, Self>) {
        let config = ctx.config();
        let entry = Entry { status: Status::Alive, incarnation };
        if entry.overrides(&self.view.get(from, config.initial)) {
            self.believe(from, entry, ctx);
        }
        let me = ctx.id();
        let mut view: Vec<News> =
            self.view.changed().map(|(member, entry)| News { member, entry }).collect();
        if !view.iter().any(|n| n.member == me) {
            view.push(News { member: me, entry: self.view.get(me, config.initial) });
        }
        ctx.send(from, SwimMessage::JoinAck { view });
        ctx.note_with(|| format!("{me} lets {from} join"));
    }

    /// A member let this node in: take its view, suspicions and all.
    pub(super) fn on_join_ack(&mut self, view: &[News], ctx: &mut Context<'_, Self>) {
        if self.joined {
            return;
        }
        self.joined = true;
        let (me, initial) = (ctx.id(), ctx.config().initial);
        let timeout = ctx.config().suspicion_timeout();
        for &News { member, entry } in view {
            // State handed over, not news: held, not passed on.
            if member != me && entry.overrides(&self.view.get(member, initial)) {
                self.view.set(member, entry);
                if entry.status == Status::Dead {
                    self.changes.push(Change::Declared(member));
                }
                if entry.status == Status::Suspect
                    && !self.suspicions.iter().any(|(m, _)| *m == member)
                {
                    self.suspicions.push((member, ctx.now()));
                    ctx.set_timer(SwimTimer::Suspicion(member), timeout);
                }
            }
        }
        ctx.note_with(|| format!("{me} is in the group"));
    }
}
