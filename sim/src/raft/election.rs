//! Leader election (Raft §5.2, §5.4.1), PreVote (thesis §9.6), CheckQuorum
//! (thesis §6.2) and the receiving side of leadership transfer (thesis §3.10).

use super::config::Mistake;
use super::log::at_least_as_up_to_date;
use super::messages::Message;
use super::node::{LeaderState, RaftNode, Role, Timer};
use crate::ids::NodeId;
use crate::protocol::Context;

impl RaftNode {
    /// §5.2: a follower or candidate that hears nothing for an election
    /// timeout starts an election (or, with PreVote, a pre-vote first).
    pub(super) fn on_election_timeout(&mut self, ctx: &mut Context<'_, Self>) {
        if self.role == Role::Leader {
            return;
        }
        if ctx.config().pre_vote {
            self.start_pre_vote(ctx);
        } else {
            self.start_election("its election timeout fired", ctx);
        }
    }

    /// Thesis §9.6: ask whether the others would vote, without raising the term.
    fn start_pre_vote(&mut self, ctx: &mut Context<'_, Self>) {
        self.role = Role::PreCandidate;
        self.votes = vec![self.id];
        self.reset_election_timer(ctx);
        let term = self.durable.current_term + 1;
        ctx.note_with(|| {
            format!("{} times out and asks for pre-votes for term {term} (thesis §9.6)", self.id)
        });
        if self.votes.len() >= ctx.config().majority() {
            return self.start_election("a majority would vote for it", ctx);
        }
        self.request_votes(term, true, ctx);
    }

    /// §5.2: increment currentTerm, vote for self, reset the election timer,
    /// send RequestVote to all other servers.
    pub(super) fn start_election(&mut self, why: &str, ctx: &mut Context<'_, Self>) {
        self.role = Role::Candidate;
        self.durable.current_term += 1;
        self.durable.voted_for = Some(self.id);
        self.votes = vec![self.id];
        self.leader_hint = None;
        self.reset_election_timer(ctx);
        let term = self.durable.current_term;
        ctx.note_with(|| {
            format!("{} becomes a candidate for term {term} and votes for itself: {why}", self.id)
        });
        if self.votes.len() >= ctx.config().majority() {
            return self.become_leader(ctx);
        }
        self.request_votes(term, false, ctx);
    }

    /// Asks every other server for its (pre-)vote in `term`, with this log's tail.
    fn request_votes(&self, term: u64, pre_vote: bool, ctx: &mut Context<'_, Self>) {
        let (last_log_index, last_log_term) =
            (self.durable.log.last_index(), self.durable.log.last_term());
        ctx.broadcast(Message::RequestVote { term, last_log_index, last_log_term, pre_vote });
    }

    /// Figure 2, RequestVote receiver.
    pub(super) fn on_request_vote(
        &mut self,
        from: NodeId,
        term: u64,
        last_log_index: u64,
        last_log_term: u64,
        pre_vote: bool,
        ctx: &mut Context<'_, Self>,
    ) {
        let up_to_date = at_least_as_up_to_date(last_log_term, last_log_index, &self.durable.log);
        let skip_log_check = ctx.config().has(Mistake::VoteWithoutUpToDateCheck);
        let (my_term, my_index) = (self.durable.log.last_term(), self.durable.log.last_index());
        // The words are only made when notes are kept.
        let log_words = move || {
            if up_to_date {
                format!(
                    "its log is at least as up to date (last term {last_log_term} ≥ {my_term}, index {last_log_index} vs {my_index})"
                )
            } else {
                format!(
                    "its log is behind (last term {last_log_term}, index {last_log_index}; mine {my_term}, {my_index})"
                )
            }
        };
        if pre_vote {
            // Thesis §9.6: grant a pre-vote only to an up-to-date candidate, and
            // only if this server has not heard from a leader within the
            // minimum election timeout. Nobody's term changes.
            let current = self.durable.current_term;
            let heard_lately = self.role == Role::Leader
                || self.last_leader_contact.is_some_and(|t| {
                    ctx.now().saturating_sub(t) < ctx.config().election_timeout_min
                });
            let granted = term > current && (up_to_date || skip_log_check) && !heard_lately;
            ctx.note_with(|| {
                let why = if term <= current {
                    format!("term {term} is not above its own {current}")
                } else if heard_lately {
                    "it heard from a leader within the election timeout".to_string()
                } else {
                    log_words()
                };
                let verb = if granted { "would vote" } else { "would not vote" };
                format!("{} {verb} for {from} in term {term}: {why}", self.id)
            });
            let reply =
                Message::RequestVoteReply { term: current, vote_granted: granted, pre_vote: true };
            return ctx.send(from, reply);
        }
        self.observe_term(term, from, ctx);
        let current = self.durable.current_term;
        let already = self.durable.voted_for.filter(|&v| v != from);
        let granted = term == current && already.is_none() && (up_to_date || skip_log_check);
        if granted {
            self.durable.voted_for = Some(from);
            self.reset_election_timer(ctx);
        }
        ctx.note_with(|| {
            let why = if term < current {
                format!("its term {term} is stale (current term {current})")
            } else if let Some(other) = already {
                format!("it already voted for {other} in term {current}")
            } else if !up_to_date && skip_log_check {
                format!("{}, but it skips the up-to-date check (mistake)", log_words())
            } else {
                log_words()
            };
            let verb = if granted { "votes for" } else { "refuses its vote to" };
            format!("{} {verb} {from} in term {current}: {why}", self.id)
        });
        ctx.send(
            from,
            Message::RequestVoteReply { term: current, vote_granted: granted, pre_vote: false },
        );
    }

    pub(super) fn on_request_vote_reply(
        &mut self,
        from: NodeId,
        term: u64,
        vote_granted: bool,
        pre_vote: bool,
        ctx: &mut Context<'_, Self>,
    ) {
        if !(pre_vote && vote_granted) && self.observe_term(term, from, ctx) {
            return;
        }
        let wanted = if pre_vote { Role::PreCandidate } else { Role::Candidate };
        let this_election = pre_vote || term == self.durable.current_term;
        if self.role != wanted || !this_election || !vote_granted || self.votes.contains(&from) {
            return;
        }
        self.votes.push(from);
        let (have, need) = (self.votes.len(), ctx.config().majority());
        if pre_vote {
            ctx.note_with(|| format!("{} has {have} of {need} pre-votes needed", self.id));
            if have >= need {
                self.start_election("a majority granted it pre-votes", ctx);
            }
        } else {
            ctx.note_with(|| {
                format!(
                    "{} has {have} of {need} votes needed in term {}",
                    self.id, self.durable.current_term
                )
            });
            if have >= need {
                self.become_leader(ctx);
            }
        }
    }

    /// Figure 2, leaders: on election, send AppendEntries to every server and
    /// keep sending them during idle periods.
    pub(super) fn become_leader(&mut self, ctx: &mut Context<'_, Self>) {
        let n = ctx.config().nodes as usize;
        let last = self.durable.log.last_index();
        self.role = Role::Leader;
        self.leader_hint = Some(self.id);
        self.votes.clear();
        self.leader = Some(LeaderState {
            next_index: vec![last + 1; n],
            match_index: vec![0; n],
            awaiting: vec![false; n],
            heard_from: vec![false; n],
            transfer_to: None,
        });
        ctx.cancel_timer(Timer::Election);
        ctx.note_with(|| {
            format!(
                "{} wins a majority and becomes leader for term {} (§5.2)",
                self.id, self.durable.current_term
            )
        });
        for peer in self.peers(ctx.config().nodes) {
            self.send_append_entries(peer, ctx);
        }
        ctx.set_timer(Timer::Heartbeat, ctx.config().heartbeat_interval);
        if ctx.config().check_quorum {
            ctx.set_timer(Timer::CheckQuorum, ctx.config().election_timeout_max);
        }
        // A one-server cluster commits on its own.
        self.advance_commit_index(ctx);
    }

    /// Thesis §6.2: a leader that has not heard from a majority within an
    /// election timeout steps down, so clients can find the real leader.
    pub(super) fn on_check_quorum(&mut self, ctx: &mut Context<'_, Self>) {
        let Some(leader) = self.leader.as_mut() else { return };
        let heard = 1 + leader.heard_from.iter().filter(|&&h| h).count();
        leader.heard_from.iter_mut().for_each(|h| *h = false);
        let need = ctx.config().majority();
        if heard >= need {
            ctx.set_timer(Timer::CheckQuorum, ctx.config().election_timeout_max);
            return;
        }
        ctx.note_with(|| format!(
            "{} steps down: it heard from only {heard} of the {need} servers it needs within an election timeout (CheckQuorum, thesis §6.2)",
            self.id
        ));
        self.leader_hint = None;
        self.become_follower(ctx);
    }

    /// The user's "force election": this server's election timeout fires now.
    pub(super) fn force_election(&mut self, ctx: &mut Context<'_, Self>) -> Result<(), String> {
        if self.role == Role::Leader {
            return Err(format!("{} is the leader: a leader has no election timeout", self.id));
        }
        ctx.cancel_timer(Timer::Election);
        self.on_election_timeout(ctx);
        Ok(())
    }

    /// Thesis §3.10: the leader asks this server to start an election at once.
    pub(super) fn on_timeout_now(&mut self, from: NodeId, term: u64, ctx: &mut Context<'_, Self>) {
        self.observe_term(term, from, ctx);
        if term < self.durable.current_term || self.role == Role::Leader {
            return;
        }
        ctx.cancel_timer(Timer::Election);
        self.start_election(
            &format!("{from} handed it leadership (TimeoutNow, thesis §3.10)"),
            ctx,
        );
    }
}
