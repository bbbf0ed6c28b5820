//! Rumor mongering (Demers §1.4): a site that learns an update keeps it as
//! a hot rumor and, every period, shares its hot rumors with a random
//! partner (push), asks a partner for its hot rumors (pull), or both. A
//! contact counts against a rumor when the partner already knew it
//! (feedback) or always (blind); the site loses interest after k counted
//! contacts (counter) or with chance 1/k at each (coin). A site that lost
//! interest is "removed"; sites that never heard are the residue.

use crate::ids::{NodeId, Time};
use crate::network::PPM;
use crate::protocol::Context;

use super::config::{Direction, Interest, Mistake, Removal};
use super::messages::Message;
use super::node::GossipNode;
use super::store::{Update, Updates};

impl GossipNode {
    /// One period of rumor mongering, passing on what was known at `cutoff`.
    pub(super) fn monger(&mut self, cutoff: Time, ctx: &mut Context<'_, Self>) {
        let config = ctx.config();
        let hot = self.hot_before(cutoff);
        // Push sites without a hot rumor have nothing to say; pull sites always ask.
        if config.direction == Direction::Push && hot.is_empty() {
            return;
        }
        for partner in Self::partners(ctx) {
            let message = match config.direction {
                Direction::Push => Message::Rumor { rumors: hot.clone() },
                Direction::Pull => Message::RumorRequest { digest: self.digest() },
                Direction::PushPull => {
                    Message::RumorExchange { rumors: hot.clone(), digest: self.digest() }
                }
            };
            ctx.send(partner, message);
            // Blind: every contact that carried a rumor counts against it.
            if config.interest == Interest::Blind && config.direction != Direction::Pull {
                for update in &hot {
                    self.count_contact(update, false, ctx);
                }
            }
        }
    }

    /// The hot rumors learned before `cutoff`.
    fn hot_before(&self, cutoff: Time) -> Updates {
        self.rumors
            .iter()
            .filter(|r| self.durable.store.get(r.update.key).is_some_and(|k| k.learned < cutoff))
            .map(|r| r.update)
            .collect()
    }

    /// Every update this site knows: a pull's digest.
    fn digest(&self) -> Updates {
        self.durable.store.entries().iter().map(|k| k.update).collect()
    }

    /// Learns the rumors in a push, and says which were useless (feedback).
    pub(super) fn hear_rumors(
        &mut self,
        from: NodeId,
        rumors: &[Update],
        ctx: &mut Context<'_, Self>,
    ) {
        let known = self.learn_rumors(from, rumors, ctx);
        if ctx.config().interest == Interest::Feedback && !known.is_empty() {
            ctx.send(from, Message::Feedback { known });
        }
    }

    /// Learns each rumor; returns those this site knew already (or knew
    /// something newer of), which made the contact useless for them.
    fn learn_rumors(
        &mut self,
        from: NodeId,
        rumors: &[Update],
        ctx: &mut Context<'_, Self>,
    ) -> Updates {
        rumors.iter().copied().filter(|&update| !self.learn(update, from, ctx)).collect()
    }

    /// Pull: answer with the hot rumors the caller lacks; each rumor the
    /// caller already had (feedback), or every rumor (blind), counts.
    pub(super) fn answer_rumor_request(
        &mut self,
        from: NodeId,
        digest: &[Update],
        ctx: &mut Context<'_, Self>,
    ) {
        let rumors = self.news_for(digest, ctx);
        if !rumors.is_empty() {
            ctx.send(from, Message::RumorReply { rumors, known: Updates::new() });
        }
    }

    /// Push-pull: the pull's answer, and the push's feedback, in one reply.
    pub(super) fn answer_rumor_exchange(
        &mut self,
        from: NodeId,
        rumors: &[Update],
        digest: &[Update],
        ctx: &mut Context<'_, Self>,
    ) {
        let news = self.news_for(digest, ctx);
        let mut known = self.learn_rumors(from, rumors, ctx);
        if ctx.config().interest == Interest::Blind {
            known.clear();
        }
        if !news.is_empty() || !known.is_empty() {
            ctx.send(from, Message::RumorReply { rumors: news, known });
        }
    }

    /// This site's hot rumors (as of the round's start) that `digest` does
    /// not cover, counting the contact against the others (feedback) or
    /// against all of them (blind).
    fn news_for(&mut self, digest: &[Update], ctx: &mut Context<'_, Self>) -> Updates {
        let covered = |u: &Update| digest.iter().any(|d| d.key == u.key && !u.newer_than(d));
        let hot = self.hot_before(Self::cutoff(ctx.config(), ctx.now()));
        let blind = ctx.config().interest == Interest::Blind;
        let mut news = Updates::new();
        for update in hot {
            let useless = covered(&update);
            if !useless {
                news.push(update);
            }
            if useless || blind {
                self.count_contact(&update, useless, ctx);
            }
        }
        news
    }

    pub(super) fn hear_rumor_reply(
        &mut self,
        from: NodeId,
        rumors: &[Update],
        known: &[Update],
        ctx: &mut Context<'_, Self>,
    ) {
        self.learn_rumors(from, rumors, ctx);
        self.hear_feedback(known, ctx);
    }

    /// Push's feedback: each rumor the partner already knew counts.
    pub(super) fn hear_feedback(&mut self, known: &[Update], ctx: &mut Context<'_, Self>) {
        for update in known {
            self.count_contact(update, true, ctx);
        }
    }

    /// A contact counts against `update`, if this site still spreads it:
    /// the site loses interest after k such contacts (counter) or with
    /// chance 1/k now (coin). `useless` says the partner knew it already.
    fn count_contact(&mut self, update: &Update, useless: bool, ctx: &mut Context<'_, Self>) {
        let config = ctx.config();
        let Some(at) = self.rumors.iter().position(|r| r.update == *update) else {
            return;
        };
        let rumor = &mut self.rumors[at];
        rumor.counted += 1;
        let lose = match config.removal {
            Removal::Counter => {
                if useless && config.has(Mistake::CounterResetOnUselessContact) {
                    rumor.counter = 0;
                } else {
                    rumor.counter += 1;
                }
                rumor.counter >= config.k
            }
            Removal::Coin => ctx.rng().chance(PPM / config.k),
        };
        if lose {
            let counted = rumor.counted;
            self.rumors.remove(at);
            let me = ctx.id();
            let update = *update;
            ctx.note_with(|| {
                format!("{me} loses interest in {update} after {counted} counted contacts")
            });
        }
    }
}
