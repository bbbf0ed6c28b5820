//! Clients (Raft §8) and the leader's side of leadership transfer (thesis §3.10).

use super::kv::Set;
use super::log::Entry;
use super::messages::Message;
use super::node::{RaftNode, Role, Timer};
use crate::ids::NodeId;
use crate::protocol::Context;

impl RaftNode {
    /// §8: only the leader takes requests; it appends the command and answers
    /// once the entry is applied. Others point the client at the leader.
    pub(super) fn on_client_request(&mut self, set: Set, ctx: &mut Context<'_, Self>) {
        if self.role != Role::Leader {
            let text = match self.leader_hint {
                Some(leader) if leader != self.id => {
                    format!("{set} refused: {} is not the leader; try {leader}", self.id)
                }
                _ => format!(
                    "{set} refused: {} is not the leader and knows of none; try again later",
                    self.id
                ),
            };
            return ctx.reply_to_client(text);
        }
        if self.leader.as_ref().is_some_and(|l| l.transfer_to.is_some()) {
            return ctx
                .reply_to_client(format!("{set} refused: {} is handing leadership over", self.id));
        }
        let term = self.durable.current_term;
        let index = self.durable.log.push(Entry { term, command: set });
        self.pending.insert(index, set);
        ctx.note_with(|| format!("{} appends {set} at index {index} in term {term}", self.id));
        // Peers with an AppendEntries outstanding get the entry with its reply.
        for peer in self.peers(ctx.config().nodes) {
            if self.leader.as_ref().is_some_and(|l| !l.awaiting[peer.index()]) {
                self.send_append_entries(peer, ctx);
            }
        }
        self.advance_commit_index(ctx);
    }

    /// Thesis §3.10: stop taking requests, bring `to` up to date, then send it
    /// TimeoutNow. Gives up after an election timeout.
    pub(super) fn transfer_leadership(
        &mut self,
        to: NodeId,
        ctx: &mut Context<'_, Self>,
    ) -> Result<(), String> {
        if self.role != Role::Leader {
            return Err(format!(
                "{} is a {}: only the leader can hand leadership over",
                self.id,
                self.role.name()
            ));
        }
        if to == self.id || to.0 >= ctx.config().nodes {
            return Err(format!("{to} is not another server of this cluster"));
        }
        let last = self.durable.log.last_index();
        let term = self.durable.current_term;
        let leader = self.leader.as_mut().expect("a leader has leader state");
        leader.transfer_to = Some(to);
        ctx.set_timer(Timer::TransferTimeout, ctx.config().election_timeout_max);
        if leader.match_index[to.index()] == last {
            ctx.note_with(|| {
                format!("{} hands leadership to {to}, whose log is up to date: TimeoutNow", self.id)
            });
            ctx.send(to, Message::TimeoutNow { term });
        } else {
            ctx.note_with(|| {
                format!(
                    "{} starts handing leadership to {to}: first it brings {to}'s log up to date",
                    self.id
                )
            });
            self.send_append_entries(to, ctx);
        }
        Ok(())
    }

    pub(super) fn on_transfer_timeout(&mut self, ctx: &mut Context<'_, Self>) {
        if let Some(to) = self.leader.as_mut().and_then(|l| l.transfer_to.take()) {
            ctx.note_with(|| {
                format!("{} gives up handing leadership to {to} and takes requests again", self.id)
            });
        }
    }
}
