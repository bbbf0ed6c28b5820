//! Byzantine behaviours: the named ways a replica can lie, given to any
//! replica by a command (so links carry them). A Byzantine replica runs the
//! same code as a correct one; its behaviour changes what it sends, here at
//! the one place every replica's message leaves it, or at the one rule it
//! breaks. It signs only with its own key (`Context::sign`), so it can pass
//! on what others signed but never forge it.

use serde::{Deserialize, Serialize};

use super::messages::{Digest, Message, Reply, Vote};
use super::node::Timer;
use super::replica::Replica;
use crate::ids::NodeId;
use crate::protocol::Context;

/// How a Byzantine replica misbehaves.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Behaviour {
    Silent,
    Equivocate,
    WrongDigest,
    WithholdCommits,
    Stall,
    LieToClients,
    FabricatedViewChange,
    StaleViewChange,
    Replay,
    DoubleVote,
    DelayTo {
        peers: Vec<NodeId>,
    },
    /// Follows the protocol until the user picks a lie on one of its
    /// messages in flight (`Action::Substitute`, see `lies.rs`).
    YouChoose,
}

impl Behaviour {
    /// Every behaviour, with `DelayTo` towards `peers`.
    pub fn all(peers: Vec<NodeId>) -> Vec<Behaviour> {
        vec![
            Behaviour::Silent,
            Behaviour::Equivocate,
            Behaviour::WrongDigest,
            Behaviour::WithholdCommits,
            Behaviour::Stall,
            Behaviour::LieToClients,
            Behaviour::FabricatedViewChange,
            Behaviour::StaleViewChange,
            Behaviour::Replay,
            Behaviour::DoubleVote,
            Behaviour::DelayTo { peers },
            Behaviour::YouChoose,
        ]
    }

    pub fn name(&self) -> &'static str {
        match self {
            Behaviour::Silent => "silent",
            Behaviour::Equivocate => "equivocating primary",
            Behaviour::WrongDigest => "wrong digests",
            Behaviour::WithholdCommits => "withholds commits",
            Behaviour::Stall => "stalling primary",
            Behaviour::LieToClients => "lies to clients",
            Behaviour::FabricatedViewChange => "fabricated view change",
            Behaviour::StaleViewChange => "stale view change",
            Behaviour::Replay => "replays old messages",
            Behaviour::DoubleVote => "votes for everything",
            Behaviour::DelayTo { .. } => "delays messages",
            Behaviour::YouChoose => "you choose each lie",
        }
    }

    /// What the replica does, and which rule of the protocol defeats it.
    pub fn explanation(&self) -> &'static str {
        match self {
            Behaviour::Silent => {
                "It sends nothing at all; every quorum is 2f + 1 of 3f + 1 replicas, so the others \
                 go on without it (§4.2), and if it is the primary their timers replace it (§4.4)."
            }
            Behaviour::Equivocate => {
                "As primary it sends every backup two pre-prepares for one sequence number, the \
                 request and a null request, in opposite orders, and commits both; a backup keeps \
                 the first it accepted, and prepared needs 2f matching prepares, so two correct \
                 replicas never prepare different requests (§4.2)."
            }
            Behaviour::WrongDigest => {
                "Its prepares and commits carry a digest no request has; votes count only when they \
                 match the pre-prepare's digest, so they are ignored (§4.2)."
            }
            Behaviour::WithholdCommits => {
                "It prepares but never commits; committed-local needs 2f + 1 commits, which the \
                 other 2f + 1 replicas give (§4.2)."
            }
            Behaviour::Stall => {
                "As primary it never orders a request; backups that wait too long for a request \
                 they know of ask for a view change, and the next primary orders it (§4.4)."
            }
            Behaviour::LieToClients => {
                "Its replies carry a made-up result; a client accepts a result only from f + 1 \
                 replicas, at least one of them correct (§4.1)."
            }
            Behaviour::FabricatedViewChange => {
                "Its view-change claims a request prepared that never was, with only its own \
                 signatures as proof; a proof needs the primary's pre-prepare and 2f prepares from \
                 other backups, so the claim is refused (§4.4)."
            }
            Behaviour::StaleViewChange => {
                "Its view-change reports nothing prepared and no checkpoint; every committed request \
                 is prepared at f + 1 correct replicas, one of which is among the 2f + 1 \
                 view-changes the new primary uses (§4.4)."
            }
            Behaviour::Replay => {
                "It sends old messages again beside its own; views, watermarks and counting each \
                 signer once make a replayed message change nothing (§4.2, §4.3)."
            }
            Behaviour::DoubleVote => {
                "It prepares and commits every pre-prepare it sees, even two for one sequence \
                 number; quorums of 2f + 1 share a correct replica, which votes once, so with at \
                 most f such replicas no two requests commit at one sequence number (§4.2)."
            }
            Behaviour::DelayTo { .. } => {
                "It holds back its messages to chosen peers; PBFT assumes nothing about timing for \
                 safety, and the others' quorums do not need it (§3)."
            }
            Behaviour::YouChoose => {
                "It sends what the protocol says until you click one of its messages in flight and \
                 pick what it sends in its place: a pre-prepare of the null request to one backup, \
                 a vote for the null request or for a digest no request has, a made-up reply or \
                 view-change. With at most f such replicas no lie makes two correct replicas \
                 execute different requests (§4.2, §4.4)."
            }
        }
    }
}

/// Messages a replica replays from: the first few it received.
const REPLAY_POOL: usize = 16;

impl Replica<'_> {
    /// Sends `message` to one node: every message a replica sends leaves
    /// through here (or [`Replica::multicast`]), where a behaviour can change it.
    pub(super) fn send(
        &mut self,
        to: NodeId,
        message: Message,
        ctx: &mut Context<'_, super::PbftNode>,
    ) {
        let Some(behaviour) = self.durable.byzantine.clone() else {
            ctx.send(to, message);
            return;
        };
        let message = match (&behaviour, message) {
            (Behaviour::Silent, _) => return,
            (Behaviour::WithholdCommits, Message::Commit(_)) => return,
            (Behaviour::WrongDigest, Message::Prepare(vote)) => {
                Message::Prepare(ctx.sign(wrong(*vote.payload())))
            }
            (Behaviour::WrongDigest, Message::Commit(vote)) => {
                Message::Commit(ctx.sign(wrong(*vote.payload())))
            }
            (Behaviour::LieToClients, Message::Reply(reply)) => {
                Message::Reply(ctx.sign(made_up(*reply.payload())))
            }
            (Behaviour::DelayTo { peers }, message) if peers.contains(&to) => {
                if self.volatile.delayed.is_empty() {
                    ctx.set_timer(Timer::Release, self.config.byzantine_delay);
                }
                self.volatile.delayed.push((to, message));
                return;
            }
            (Behaviour::Replay, message) => {
                if !self.volatile.replay_pool.is_empty() {
                    let old = self.volatile.replay_pool
                        [self.volatile.replay_next % self.volatile.replay_pool.len()]
                    .clone();
                    self.volatile.replay_next += 1;
                    ctx.send(to, old);
                }
                message
            }
            (_, message) => message,
        };
        ctx.send(to, message);
    }

    /// Sends `message` to every other replica.
    pub(super) fn multicast(&mut self, message: Message, ctx: &mut Context<'_, super::PbftNode>) {
        let me = self.id;
        for peer in self.config.replica_ids().filter(|&r| r != me) {
            self.send(peer, message.clone(), ctx);
        }
    }

    /// A replica that replays keeps the first messages it received.
    pub(super) fn remember_for_replay(&mut self, message: &Message) {
        if self.volatile.replay_pool.len() < REPLAY_POOL
            && matches!(self.durable.byzantine, Some(Behaviour::Replay))
        {
            self.volatile.replay_pool.push(message.clone());
        }
    }

    /// The delay is over: send what was held back.
    pub(super) fn release(&mut self, ctx: &mut Context<'_, super::PbftNode>) {
        let held = std::mem::take(&mut self.volatile.delayed);
        let (me, count) = (self.config.name(self.id), held.len());
        ctx.note_with(|| format!("{me} lets {count} held-back messages go"));
        for (to, message) in held {
            ctx.send(to, message);
        }
    }

    pub(super) fn is(&self, behaviour: &Behaviour) -> bool {
        self.durable.byzantine.as_ref() == Some(behaviour)
    }
}

/// The same reply with a result no replica computed.
pub(super) fn made_up(reply: Reply) -> Reply {
    Reply { result: Some(reply.result.map_or(1, |v| v.wrapping_add(1))), ..reply }
}

/// A vote for a digest no request has.
pub(super) fn wrong(vote: Vote) -> Vote {
    Vote { digest: Digest(vote.digest.0 ^ 0xbad0_0000_0000_0bad), ..vote }
}
