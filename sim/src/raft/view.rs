//! What the UI shows of a Raft server, as plain data: role, term, vote, the
//! log with terms and commit marks, the leader's nextIndex and matchIndex,
//! election-timer progress and the state machine's contents.

use super::node::{RaftNode, Role, Timer};
use crate::ids::{NodeId, Time};
use crate::world::World;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryView {
    pub index: u64,
    pub term: u64,
    /// The command, as `x=3`.
    pub command: String,
    pub committed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerView {
    pub peer: NodeId,
    pub next_index: u64,
    pub match_index: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerView {
    pub id: NodeId,
    /// `None` while the server is crashed.
    pub role: Option<Role>,
    pub current_term: u64,
    pub voted_for: Option<NodeId>,
    /// The log's entries from the index asked for on ([`server_from`]).
    pub log: Vec<EntryView>,
    /// The whole log's length.
    pub log_len: u64,
    pub commit_index: u64,
    pub last_applied: u64,
    /// The leader's view of each follower; empty unless leader.
    pub peers: Vec<PeerView>,
    /// (set at, fires at) of the election timer, when one is running.
    pub election_timer: Option<(Time, Time)>,
    pub state_machine: Vec<(String, i64)>,
    pub leader_hint: Option<NodeId>,
}

impl ServerView {
    /// How far the election timer has run, in thousandths (0 to 1000).
    pub fn election_progress(&self, now: Time) -> Option<u32> {
        let (set_at, fires_at) = self.election_timer?;
        let span = fires_at.saturating_sub(set_at).max(1);
        Some((now.saturating_sub(set_at).min(span) * 1000 / span) as u32)
    }
}

/// The leader of the highest term among live servers, if any (during a
/// partition a stale leader of an older term may still think it leads).
pub fn leader(world: &World<RaftNode>) -> Option<NodeId> {
    (0..world.node_count())
        .map(NodeId)
        .filter(|&id| world.node(id).is_some_and(|n| n.role() == Role::Leader))
        .max_by_key(|&id| world.node(id).map(RaftNode::current_term))
}

/// The term of each entry of a server's log, crashed or not (its durable log).
pub fn log_terms(world: &World<RaftNode>, id: NodeId) -> Vec<u64> {
    world.durable(id).map(|d| d.log.entries().iter().map(|e| e.term).collect()).unwrap_or_default()
}

/// The view of every server of `world`, each log from index `first` on: a
/// page shows the latest entries, and copying whole logs every frame would
/// cost more the longer the run.
pub fn servers_from(world: &World<RaftNode>, first: u64) -> Vec<ServerView> {
    (0..world.node_count()).map(|i| server_from(world, NodeId(i), first)).collect()
}

/// The longest log among the servers, crashed or not.
pub fn longest_log(world: &World<RaftNode>) -> u64 {
    (0..world.node_count())
        .filter_map(|i| world.durable(NodeId(i)))
        .map(|d| d.log.entries().len() as u64)
        .max()
        .unwrap_or(0)
}

/// The view of one server with its whole log.
pub fn server(world: &World<RaftNode>, id: NodeId) -> ServerView {
    server_from(world, id, 1)
}

/// The view of one server, its log from index `first` on.
pub fn server_from(world: &World<RaftNode>, id: NodeId, first: u64) -> ServerView {
    let durable = world.durable(id).expect("the server exists");
    let node = world.node(id);
    let commit_index = node.map_or(0, RaftNode::commit_index);
    let skip = first.saturating_sub(1) as usize;
    let log = durable
        .log
        .entries()
        .iter()
        .enumerate()
        .skip(skip)
        .map(|(i, e)| EntryView {
            index: i as u64 + 1,
            term: e.term,
            command: e.command.to_string(),
            committed: (i as u64) < commit_index,
        })
        .collect();
    let peers = node
        .and_then(RaftNode::leader_state)
        .map(|l| {
            (0..world.node_count())
                .map(NodeId)
                .filter(|&p| p != id)
                .map(|p| PeerView {
                    peer: p,
                    next_index: l.next_index[p.index()],
                    match_index: l.match_index[p.index()],
                })
                .collect()
        })
        .unwrap_or_default();
    let election_timer = world
        .pending_timers()
        .find(|t| t.node == id && t.timer == Timer::Election)
        .map(|t| (t.set_at, t.fires_at));
    ServerView {
        id,
        role: node.map(RaftNode::role),
        current_term: durable.current_term,
        voted_for: durable.voted_for,
        log,
        log_len: durable.log.entries().len() as u64,
        commit_index,
        last_applied: node.map_or(0, RaftNode::last_applied),
        peers,
        election_timer,
        state_machine: node
            .map(|n| n.state_machine().pairs().map(|(k, v)| (k.to_string(), v)).collect())
            .unwrap_or_default(),
        leader_hint: node.and_then(RaftNode::leader_hint),
    }
}
