//! Log replication (Raft §5.3) and the commit rule (§5.3, §5.4.2).

use super::config::{MAX_NODES, Mistake};
use super::messages::{Conflict, Entries, Message};
use super::node::{RaftNode, Role, Timer};
use crate::ids::NodeId;
use crate::protocol::Context;

impl RaftNode {
    /// Figure 2, leaders: send `peer` the entries from its nextIndex on (at
    /// most the configured number), or an empty heartbeat.
    pub(super) fn send_append_entries(&mut self, peer: NodeId, ctx: &mut Context<'_, Self>) {
        let Some(leader) = self.leader.as_mut() else { return };
        let next = leader.next_index[peer.index()];
        let prev_log_index = next - 1;
        let prev_log_term =
            self.durable.log.term_at(prev_log_index).expect("nextIndex is within the log");
        let entries = self.durable.log.slice(next, ctx.config().max_entries_per_append);
        leader.awaiting[peer.index()] = true;
        ctx.send(
            peer,
            Message::AppendEntries {
                term: self.durable.current_term,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit: self.commit_index,
            },
        );
    }

    pub(super) fn on_heartbeat(&mut self, ctx: &mut Context<'_, Self>) {
        if self.role != Role::Leader {
            return;
        }
        for peer in self.peers(ctx.config().nodes) {
            self.send_append_entries(peer, ctx);
        }
        ctx.set_timer(Timer::Heartbeat, ctx.config().heartbeat_interval);
    }

    /// Figure 2, AppendEntries receiver, steps 1 to 5.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn on_append_entries(
        &mut self,
        from: NodeId,
        term: u64,
        prev_log_index: u64,
        prev_log_term: u64,
        entries: Entries,
        leader_commit: u64,
        ctx: &mut Context<'_, Self>,
    ) {
        let reject = |node: &Self, conflict: Option<Conflict>, ctx: &mut Context<'_, Self>| {
            let reply = Message::AppendEntriesReply {
                term: node.durable.current_term,
                success: false,
                prev_log_index,
                match_index: 0,
                conflict,
            };
            ctx.send(from, reply);
        };
        // 1. Reply false if term < currentTerm (§5.1).
        if term < self.durable.current_term {
            ctx.note_with(|| {
                format!(
                    "{} rejects AppendEntries from {from}: term {term} is stale (current term {})",
                    self.id, self.durable.current_term
                )
            });
            return reject(self, None, ctx);
        }
        self.observe_term(term, from, ctx);
        // §5.2: a candidate that hears from the leader of its term steps down.
        if self.role != Role::Follower {
            ctx.note_with(|| {
                format!(
                    "{} recognizes {from} as leader of term {term} and becomes a follower",
                    self.id
                )
            });
            self.become_follower(ctx);
        }
        self.leader_hint = Some(from);
        self.last_leader_contact = Some(ctx.now());
        self.reset_election_timer(ctx);

        // 2. Reply false if the log has no entry at prevLogIndex whose term
        //    matches prevLogTerm (§5.3).
        let skip_check = ctx.config().has(Mistake::AppendWithoutConsistencyCheck);
        if !skip_check && self.durable.log.term_at(prev_log_index) != Some(prev_log_term) {
            let conflict = ctx.config().conflict_hint.then(|| self.conflict_at(prev_log_index));
            ctx.note_with(|| format!(
                "{} rejects AppendEntries from {from}: no entry of term {prev_log_term} at index {prev_log_index} (§5.3)",
                self.id
            ));
            return reject(self, conflict, ctx);
        }

        // 3. If an existing entry conflicts with a new one (same index,
        //    different terms), delete it and all that follow; 4. append any
        //    new entries not already in the log.
        let mut index = prev_log_index;
        let mut appended = 0;
        for entry in entries {
            index += 1;
            match self.durable.log.term_at(index) {
                Some(t) if t == entry.term => continue,
                Some(_) => {
                    ctx.note_with(|| format!(
                        "{} deletes its entries from index {index} on: they conflict with {from}'s (§5.3)",
                        self.id
                    ));
                    self.durable.log.truncate_from(index);
                }
                None => {}
            }
            // With the mistake, a gap is not refused: the entry lands at the
            // end of a shorter log, at the wrong index.
            self.durable.log.push(entry);
            appended += 1;
        }
        let match_index = index.min(self.durable.log.last_index());
        if appended > 0 {
            ctx.note_with(|| {
                format!(
                    "{} appends {appended} entr{} from {from}, up to index {match_index}",
                    self.id,
                    if appended == 1 { "y" } else { "ies" }
                )
            });
        }
        // 5. If leaderCommit > commitIndex, set commitIndex =
        //    min(leaderCommit, index of last new entry).
        if leader_commit > self.commit_index {
            let commit = leader_commit.min(match_index);
            if commit > self.commit_index {
                ctx.note_with(|| {
                    format!(
                        "{} learns from {from} that entries up to index {commit} are committed",
                        self.id
                    )
                });
                self.commit_index = commit;
                self.apply_committed(ctx);
            }
        }
        let reply = Message::AppendEntriesReply {
            term: self.durable.current_term,
            success: true,
            prev_log_index,
            match_index,
            conflict: None,
        };
        ctx.send(from, reply);
    }

    /// §5.3's optimization: the term of the conflicting entry and the first
    /// index this server stores for that term, or its log's end if too short.
    fn conflict_at(&self, prev_log_index: u64) -> Conflict {
        match self.durable.log.term_at(prev_log_index) {
            None => Conflict { term: None, first_index: self.durable.log.last_index() + 1 },
            Some(term) => Conflict {
                term: Some(term),
                first_index: self.durable.log.first_index_of_term(term).unwrap_or(prev_log_index),
            },
        }
    }

    /// Figure 2, leaders: on success update nextIndex and matchIndex; on a
    /// consistency failure back nextIndex off and retry.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn on_append_entries_reply(
        &mut self,
        from: NodeId,
        term: u64,
        success: bool,
        prev_log_index: u64,
        match_index: u64,
        conflict: Option<Conflict>,
        ctx: &mut Context<'_, Self>,
    ) {
        if self.observe_term(term, from, ctx) || term < self.durable.current_term {
            return;
        }
        let last = self.durable.log.last_index();
        let id = self.id;
        let Some(leader) = self.leader.as_mut() else { return };
        let peer = from.index();
        leader.heard_from[peer] = true;
        leader.awaiting[peer] = false;
        if success {
            let advanced = match_index > leader.match_index[peer];
            if advanced {
                leader.match_index[peer] = match_index;
            }
            leader.next_index[peer] = leader.next_index[peer].max(match_index + 1);
            let (next, matched) = (leader.next_index[peer], leader.match_index[peer]);
            if leader.transfer_to == Some(from) && matched == last {
                ctx.note_with(|| format!("{id}'s log is on {from}: it sends TimeoutNow to hand over leadership (thesis §3.10)"));
                ctx.send(from, Message::TimeoutNow { term });
            }
            // Only a higher matchIndex can make more entries committed, and
            // only if it is above commitIndex: entries at or below it are
            // committed already, and no count above it changed.
            if advanced && match_index > self.commit_index {
                self.advance_commit_index(ctx);
            }
            if next <= self.durable.log.last_index() {
                self.send_append_entries(from, ctx);
            }
            return;
        }
        // A stale failure (its probe is no longer the current one) is ignored.
        if prev_log_index + 1 != leader.next_index[peer] {
            return;
        }
        let next = match conflict {
            Some(Conflict { term: Some(t), first_index }) => {
                match self.durable.log.last_index_of_term(t) {
                    Some(i) => i + 1,
                    None => first_index,
                }
            }
            Some(Conflict { term: None, first_index }) => first_index,
            None => prev_log_index,
        };
        let leader = self.leader.as_mut().expect("still the leader");
        leader.next_index[peer] = next.clamp(1, prev_log_index.max(1));
        ctx.note_with(|| {
            format!(
                "{id} backs {from}'s nextIndex off to {} and retries (§5.3)",
                leader.next_index[peer]
            )
        });
        self.send_append_entries(from, ctx);
    }

    /// §5.3 and §5.4.2: the leader commits index N once a majority holds it and
    /// log[N] is of the current term; older entries commit along with it.
    pub(super) fn advance_commit_index(&mut self, ctx: &mut Context<'_, Self>) {
        let Some(leader) = self.leader.as_ref() else { return };
        let term = self.durable.current_term;
        let by_counting = ctx.config().has(Mistake::CommitOlderTermByCounting);
        // The highest index a majority holds: the majority-th largest matchIndex.
        // The leader's own is its last index, not a stored matchIndex. Filled
        // one by one, which in wasm costs less than a copy of matchIndex (a
        // copy of unknown length is a call into the engine).
        let mut matched = [0u64; MAX_NODES as usize];
        let matched = &mut matched[..leader.match_index.len()];
        for (server, held) in matched.iter_mut().enumerate() {
            *held = if server == self.id.index() {
                self.durable.log.last_index()
            } else {
                leader.match_index[server]
            };
        }
        matched.sort_unstable_by(|a, b| b.cmp(a));
        let majority_holds = matched[ctx.config().majority() - 1];
        let mut n = majority_holds;
        while n > self.commit_index {
            let entry_term =
                self.durable.log.term_at(n).expect("a majority holds it, so the leader does");
            if entry_term == term || by_counting {
                ctx.note_with(|| {
                    let how = if entry_term == term {
                        "a majority stores it and it is from the current term (§5.4.2)".to_string()
                    } else {
                        format!("a majority stores it, though it is from older term {entry_term} (mistake)")
                    };
                    format!("{} commits up to index {n}: {how}", self.id)
                });
                self.commit_index = n;
                self.apply_committed(ctx);
                return;
            }
            n -= 1;
        }
    }
}
