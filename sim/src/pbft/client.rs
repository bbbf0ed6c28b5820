//! A PBFT client (OSDI 1999, §4.1): one request outstanding at a time, sent
//! to the primary it believes in; a result accepted at f + 1 matching
//! replies; on timeout the request goes to every replica.

use std::collections::VecDeque;

use crate::sorted::SortedMap;

use super::config::{CLIENT, Mistake, PbftConfig, REPLICA, View};
use super::journal::{Accepted, Journal};
use super::messages::{Message, Outcome, Reply, Request};
use super::node::{PbftNode, Timer};
use crate::ids::NodeId;
use crate::kv::Set;
use crate::protocol::Context;
use crate::signed::Signed;

type Ctx<'c> = Context<'c, PbftNode>;

/// What a client keeps on disk: its clock for timestamps (so they keep
/// growing across a restart, §4.1), and what it asked and accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientDurable {
    pub next_timestamp: u64,
    /// Every request it issued, by timestamp.
    pub issued: SortedMap<u64, Set>,
    pub accepted: Journal<Accepted>,
}

/// What a client keeps in memory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientVolatile {
    /// The view of the latest reply: its primary gets the next request.
    pub view: View,
    pub outstanding: Option<Outstanding>,
    /// Requests typed while one was outstanding.
    pub queue: VecDeque<Set>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outstanding {
    pub request: Signed<Request>,
    /// Each replica's answer, counted once per replica.
    pub replies: SortedMap<NodeId, Outcome>,
    /// The view each reply was sent in.
    pub views: SortedMap<NodeId, View>,
    /// Whether it went to every replica after a timeout.
    pub retransmitted: bool,
}

pub(super) struct Client<'a> {
    pub id: NodeId,
    pub config: &'a PbftConfig,
    pub durable: &'a mut ClientDurable,
    pub volatile: &'a mut ClientVolatile,
}

impl Client<'_> {
    fn me(&self) -> String {
        self.config.name(self.id)
    }

    pub fn on_request(&mut self, op: Set, ctx: &mut Ctx<'_>) {
        if self.volatile.outstanding.is_some() {
            ctx.note_with(|| {
                format!(
                    "{} queues {op}: it has a request outstanding (one at a time, §4.1)",
                    self.me()
                )
            });
            self.volatile.queue.push_back(op);
            return;
        }
        self.issue(op, ctx);
    }

    /// ⟨REQUEST, o, t, c⟩σc to the primary it believes in (§4.1).
    fn issue(&mut self, op: Set, ctx: &mut Ctx<'_>) {
        self.durable.next_timestamp += 1;
        let timestamp = self.durable.next_timestamp;
        self.durable.issued.insert(timestamp, op);
        let request = ctx.sign(Request { op, timestamp, client: self.id });
        let primary = self.config.primary(self.volatile.view);
        ctx.note_with(|| {
            format!(
                "{} sends {op} (t={timestamp}) to {}, the primary of view {} as far as it knows (§4.1)",
                self.me(),
                self.config.name(primary),
                self.volatile.view
            )
        });
        ctx.send(primary, Message::Request(request.clone()));
        ctx.set_timer(Timer::Retransmit, self.config.client_timeout);
        self.volatile.outstanding = Some(Outstanding {
            request,
            replies: SortedMap::new(),
            views: SortedMap::new(),
            retransmitted: false,
        });
    }

    /// No f + 1 matching replies in time: the request goes to every replica (§4.1).
    pub fn on_retransmit(&mut self, ctx: &mut Ctx<'_>) {
        let Some(out) = self.volatile.outstanding.as_mut() else { return };
        out.retransmitted = true;
        let request = out.request.clone();
        ctx.note_with(|| {
            format!(
                "{} has no f + 1 matching replies for {}: it sends the request to every replica (§4.1)",
                self.config.name(self.id),
                request.payload().op
            )
        });
        ctx.broadcast_to(REPLICA, Message::Request(request));
        ctx.set_timer(Timer::Retransmit, self.config.client_timeout);
    }

    /// A REPLY counts once per replica; f + 1 matching ones are a result (§4.1).
    pub fn on_reply(&mut self, reply: Signed<Reply>, ctx: &mut Ctx<'_>) {
        let r = *reply.payload();
        let replica = reply.signer();
        if !self.config.is_replica(replica) || r.client != self.id {
            return;
        }
        let Some(out) = self.volatile.outstanding.as_mut() else { return };
        let request = *out.request.payload();
        if r.timestamp != request.timestamp {
            return;
        }
        out.replies.insert(replica, r.result);
        out.views.insert(replica, r.view);
        let matching = out.replies.values().filter(|&&v| v == r.result).count();
        let needed = if self.config.has(Mistake::ClientAcceptsFirstReply) {
            1
        } else {
            self.config.f as usize + 1
        };
        if matching < needed {
            return;
        }
        // The view to send the next request in: one that `needed` replies
        // reached, so a faulty replica cannot send the client to a view no
        // correct replica is in.
        let mut views: Vec<View> = out.views.values().copied().collect();
        views.sort_unstable_by(|a, b| b.cmp(a));
        self.volatile.view = self.volatile.view.max(views[needed - 1]);
        self.durable.accepted.push(Accepted { request, result: r.result });
        let text = match r.result {
            Some(before) => format!("{} was {before}", request.op.key),
            None => format!("{} was unset", request.op.key),
        };
        ctx.note_with(|| {
            format!(
                "{} accepts the result of {} ({text}): {matching} matching replies (§4.1)",
                self.me(),
                request.op
            )
        });
        ctx.reply_to_client(format!("{}: {} done; {text}", self.me(), request.op));
        ctx.cancel_timer(Timer::Retransmit);
        self.volatile.outstanding = None;
        if let Some(next) = self.volatile.queue.pop_front() {
            self.issue(next, ctx);
        }
    }
}

/// Whether `id` is of the client kind, for `Protocol::node_kind`.
pub(super) fn kind(config: &PbftConfig, id: NodeId) -> crate::ids::NodeKind {
    if config.is_replica(id) { REPLICA } else { CLIENT }
}
