//! One Raft server: its durable and volatile state (Figure 2), its role
//! changes, and the `Protocol` glue. The rules themselves live in
//! `election.rs`, `replication.rs` and `client.rs`.

use crate::sorted::SortedMap;

use serde::{Deserialize, Serialize};

use super::RaftGhost;
use super::config::{Mistake, RaftConfig};
use super::kv::{Key, KvStore, Set};
use super::log::{Entry, Log};
use super::messages::Message;
use crate::ids::{NodeId, Time};
use crate::invariant::{Violation, WorldView};
use crate::protocol::{Context, Protocol};
use crate::trace::Name;

/// What a Raft server keeps on stable storage (Figure 2, "Persistent state
/// on all servers"): exactly currentTerm, votedFor and the log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RaftDurable {
    pub current_term: u64,
    pub voted_for: Option<NodeId>,
    pub log: Log,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Follower,
    /// Collecting pre-votes before starting an election (thesis §9.6).
    PreCandidate,
    Candidate,
    Leader,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::PreCandidate => "pre-candidate",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer {
    /// Follower and candidate: start an election when it fires (§5.2).
    Election,
    /// Leader: send AppendEntries to every follower.
    Heartbeat,
    /// Leader with CheckQuorum: step down unless a majority answered lately.
    CheckQuorum,
    /// Leader transferring leadership: give up the transfer.
    TransferTimeout,
}

/// A client's request: set a key to a value.
pub type Request = Set;

/// Actions a user takes on one server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RaftCommand {
    /// Fire this server's election timeout now.
    ForceElection,
    /// Leader only: hand leadership to `to` (thesis §3.10).
    TransferLeadership { to: NodeId },
}

/// What only a leader keeps (Figure 2, "Volatile state on leaders"), plus
/// bookkeeping for sending and for CheckQuorum and leadership transfer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderState {
    /// For each server, the index of the next log entry to send it.
    pub next_index: Vec<u64>,
    /// For each server, the highest log entry known to be replicated on it.
    /// The leader's own slot stays 0: its match is its last index, read from its log.
    pub match_index: Vec<u64>,
    /// An AppendEntries to this server is unanswered.
    pub(super) awaiting: Vec<bool>,
    /// This server answered since the last CheckQuorum round.
    pub(super) heard_from: Vec<bool>,
    /// Leadership is being handed to this server.
    pub transfer_to: Option<NodeId>,
}

/// One Raft server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RaftNode {
    pub(super) id: NodeId,
    pub(super) durable: RaftDurable,
    // Volatile state (Figure 2): lost on a crash.
    pub(super) role: Role,
    pub(super) commit_index: u64,
    pub(super) last_applied: u64,
    pub(super) leader: Option<LeaderState>,
    pub(super) votes: Vec<NodeId>,
    pub(super) leader_hint: Option<NodeId>,
    /// When this server last heard from a current leader (for PreVote).
    pub(super) last_leader_contact: Option<Time>,
    pub(super) state_machine: KvStore,
    /// Client requests this leader appended, by index, to answer once applied.
    pub(super) pending: SortedMap<u64, Set>,
}

impl RaftNode {
    pub fn id(&self) -> NodeId {
        self.id
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn current_term(&self) -> u64 {
        self.durable.current_term
    }
    pub fn voted_for(&self) -> Option<NodeId> {
        self.durable.voted_for
    }
    pub fn log(&self) -> &Log {
        &self.durable.log
    }
    pub fn commit_index(&self) -> u64 {
        self.commit_index
    }
    pub fn last_applied(&self) -> u64 {
        self.last_applied
    }
    pub fn leader_state(&self) -> Option<&LeaderState> {
        self.leader.as_ref()
    }
    pub fn leader_hint(&self) -> Option<NodeId> {
        self.leader_hint
    }
    pub fn state_machine(&self) -> &KvStore {
        &self.state_machine
    }
    pub fn value(&self, key: &str) -> Option<i64> {
        Key::new(key).ok().and_then(|k| self.state_machine.get(k))
    }
    pub fn votes(&self) -> &[NodeId] {
        &self.votes
    }

    /// Every other server of a cluster of `nodes`.
    pub(super) fn peers(&self, nodes: u32) -> impl Iterator<Item = NodeId> + use<> {
        let me = self.id;
        (0..nodes).map(NodeId).filter(move |&n| n != me)
    }

    /// A fresh election timeout, uniform in the configured range (§5.2).
    pub(super) fn reset_election_timer(&self, ctx: &mut Context<'_, Self>) {
        let config = ctx.config();
        let timeout = ctx.rng().range(config.election_timeout_min, config.election_timeout_max);
        ctx.set_timer(Timer::Election, timeout);
    }

    /// Figure 2, all servers: a message with a higher term makes a server
    /// adopt it and become a follower (§5.1).
    pub(super) fn observe_term(
        &mut self,
        term: u64,
        from: NodeId,
        ctx: &mut Context<'_, Self>,
    ) -> bool {
        if term <= self.durable.current_term {
            return false;
        }
        ctx.note_with(|| format!(
            "{} sees term {term} from {from} (its own is {}): adopts it and becomes a follower (§5.1)",
            self.id, self.durable.current_term
        ));
        self.durable.current_term = term;
        self.durable.voted_for = None;
        self.become_follower(ctx);
        true
    }

    /// Steps down to follower in the current term.
    pub(super) fn become_follower(&mut self, ctx: &mut Context<'_, Self>) {
        let was = std::mem::replace(&mut self.role, Role::Follower);
        self.votes.clear();
        if was == Role::Leader {
            ctx.cancel_timer(Timer::Heartbeat);
            ctx.cancel_timer(Timer::CheckQuorum);
            ctx.cancel_timer(Timer::TransferTimeout);
            self.leader = None;
            for (index, set) in std::mem::take(&mut self.pending) {
                ctx.reply_to_client(format!(
                    "{set} at index {index}: {} is no longer the leader, so the outcome is unknown",
                    self.id
                ));
            }
            // A leader has no election timer running; a follower needs one.
            self.reset_election_timer(ctx);
        }
    }

    /// Figure 2, all servers: apply committed entries in log order.
    pub(super) fn apply_committed(&mut self, ctx: &mut Context<'_, Self>) {
        while self.last_applied < self.commit_index {
            self.last_applied += 1;
            let entry = *self.durable.log.get(self.last_applied).expect("committed entries exist");
            self.state_machine.apply(entry.command);
            if let Some(set) = self.pending.remove(&self.last_applied) {
                ctx.reply_to_client(applied_reply(set, self.last_applied, entry.term));
            }
        }
    }
}

/// "ok: x=3 is committed and applied at index 4 (term 2)": the answer to
/// every request, so written piece by piece (see [`Set::write_into`]).
fn applied_reply(set: Set, index: u64, term: u64) -> String {
    let mut text = String::with_capacity(80);
    text.push_str("ok: ");
    set.write_into(&mut text);
    text.push_str(" is committed and applied at index ");
    text.push_str(itoa::Buffer::new().format(index));
    text.push_str(" (term ");
    text.push_str(itoa::Buffer::new().format(term));
    text.push(')');
    text
}

impl Protocol for RaftNode {
    type Config = RaftConfig;
    type Message = Message;
    type Timer = Timer;
    type Request = Request;
    type Command = RaftCommand;
    type Durable = RaftDurable;
    type Ghost = RaftGhost;
    type Measures = ();

    fn node_count(config: &RaftConfig) -> u32 {
        config.nodes
    }

    fn initial_durable(config: &RaftConfig, id: NodeId) -> RaftDurable {
        let Some(start) = config.initial.get(id.index()) else {
            return RaftDurable::default();
        };
        // Entries of the paper's figures set x: to the value given, else to
        // the entry's index (then two entries at one index read the same
        // whatever their terms).
        let key = Key::new("x").expect("a valid key");
        let entries = start
            .log_terms
            .iter()
            .enumerate()
            .map(|(i, &term)| {
                let value = start.values.get(i).copied().unwrap_or(i as i64 + 1);
                Entry { term, command: Set { key, value } }
            })
            .collect();
        RaftDurable {
            current_term: start.current_term,
            voted_for: None,
            log: Log::from_entries(entries),
        }
    }

    /// Figure 2: a server starts, and restarts after a crash, as a follower
    /// with only its persistent state; commitIndex and lastApplied are 0.
    fn boot(config: &RaftConfig, mut durable: RaftDurable, ctx: &mut Context<'_, Self>) -> Self {
        if config.has(Mistake::ForgetVotedForOnRestart) && durable.voted_for.is_some() {
            durable.voted_for = None;
            let id = ctx.id();
            ctx.note_with(|| format!("{id} restarts and forgets whom it voted for (mistake)"));
        }
        let node = RaftNode {
            id: ctx.id(),
            durable,
            role: Role::Follower,
            commit_index: 0,
            last_applied: 0,
            leader: None,
            votes: Vec::new(),
            leader_hint: None,
            last_leader_contact: None,
            state_machine: KvStore::default(),
            pending: SortedMap::new(),
        };
        node.reset_election_timer(ctx);
        node
    }

    fn durable(&self) -> &RaftDurable {
        &self.durable
    }

    fn on_message(&mut self, from: NodeId, message: Message, ctx: &mut Context<'_, Self>) {
        match message {
            Message::RequestVote { term, last_log_index, last_log_term, pre_vote } => {
                self.on_request_vote(from, term, last_log_index, last_log_term, pre_vote, ctx)
            }
            Message::RequestVoteReply { term, vote_granted, pre_vote } => {
                self.on_request_vote_reply(from, term, vote_granted, pre_vote, ctx)
            }
            Message::AppendEntries {
                term,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
            } => self.on_append_entries(
                from,
                term,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                ctx,
            ),
            Message::AppendEntriesReply {
                term,
                success,
                prev_log_index,
                match_index,
                conflict,
            } => self.on_append_entries_reply(
                from,
                term,
                success,
                prev_log_index,
                match_index,
                conflict,
                ctx,
            ),
            Message::TimeoutNow { term } => self.on_timeout_now(from, term, ctx),
        }
    }

    fn on_timer(&mut self, timer: Timer, ctx: &mut Context<'_, Self>) {
        match timer {
            Timer::Election => self.on_election_timeout(ctx),
            Timer::Heartbeat => self.on_heartbeat(ctx),
            Timer::CheckQuorum => self.on_check_quorum(ctx),
            Timer::TransferTimeout => self.on_transfer_timeout(ctx),
        }
    }

    fn on_request(&mut self, request: Set, ctx: &mut Context<'_, Self>) {
        self.on_client_request(request, ctx);
    }

    fn on_command(
        &mut self,
        command: RaftCommand,
        ctx: &mut Context<'_, Self>,
    ) -> Result<(), String> {
        match command {
            RaftCommand::ForceElection => self.force_election(ctx),
            RaftCommand::TransferLeadership { to } => self.transfer_leadership(to, ctx),
        }
    }

    fn message_kind(message: &Message) -> &'static Name {
        message.kind()
    }

    fn request_text(request: &Set) -> String {
        request.text()
    }

    fn message_digest(message: &Message) -> u64 {
        message.digest()
    }

    fn timer_kind(timer: &Timer) -> &'static Name {
        const ELECTION: &Name = &Name::new("election");
        const HEARTBEAT: &Name = &Name::new("heartbeat");
        const CHECK_QUORUM: &Name = &Name::new("CheckQuorum");
        const TRANSFER: &Name = &Name::new("transfer");
        match timer {
            Timer::Election => ELECTION,
            Timer::Heartbeat => HEARTBEAT,
            Timer::CheckQuorum => CHECK_QUORUM,
            Timer::TransferTimeout => TRANSFER,
        }
    }

    fn check(
        view: &WorldView<'_, Self>,
        _: &crate::trace::StepTrace,
        ghost: &mut RaftGhost,
    ) -> Vec<Violation> {
        super::invariants::check(view, ghost)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn the_applied_reply_reads_as_it_did_with_format() {
        for (value, index, term) in [(3, 4, 2), (-1, 0, 0), (i64::MIN, u64::MAX, u64::MAX)] {
            let set = Set { key: Key::new("x").unwrap(), value };
            assert_eq!(
                applied_reply(set, index, term),
                format!("ok: {set} is committed and applied at index {index} (term {term})")
            );
        }
    }
}
