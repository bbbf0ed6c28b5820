//! Raft's settings: cluster size, timing, options from the thesis, the
//! deliberate mistakes a teacher can switch on, and optional starting logs
//! for the paper's figures.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{MILLIS, Time};
use crate::sorted::SortedSet;

/// The largest cluster the Raft views are drawn for.
pub const MAX_NODES: u32 = 9;

/// A deliberate bug, off by default, for the invariants to catch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Mistake {
    /// Figure 8: count replicas to commit an entry of an older term.
    CommitOlderTermByCounting,
    /// Treat votedFor as volatile, so a restarted server can vote twice in a term.
    ForgetVotedForOnRestart,
    /// Grant votes without the §5.4.1 up-to-date check.
    VoteWithoutUpToDateCheck,
    /// Accept AppendEntries without the §5.3 consistency check.
    AppendWithoutConsistencyCheck,
}

impl Mistake {
    pub const ALL: [Mistake; 4] = [
        Mistake::CommitOlderTermByCounting,
        Mistake::ForgetVotedForOnRestart,
        Mistake::VoteWithoutUpToDateCheck,
        Mistake::AppendWithoutConsistencyCheck,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mistake::CommitOlderTermByCounting => "Commit an older term's entry by counting",
            Mistake::ForgetVotedForOnRestart => "Forget votedFor on restart",
            Mistake::VoteWithoutUpToDateCheck => "Vote without the up-to-date check",
            Mistake::AppendWithoutConsistencyCheck => "Append without the consistency check",
        }
    }

    /// What goes wrong, in one sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            Mistake::CommitOlderTermByCounting => {
                "The leader marks an entry from an earlier term committed once a majority stores \
                 it, but a later leader can still overwrite it (Raft §5.4.2, Figure 8)."
            }
            Mistake::ForgetVotedForOnRestart => {
                "A server that crashes and restarts forgets whom it voted for, so it can vote \
                 twice in one term and two leaders can be elected (Raft §5.2, Figure 2)."
            }
            Mistake::VoteWithoutUpToDateCheck => {
                "Servers vote for any candidate, so one missing committed entries can become \
                 leader and erase them (Raft §5.4.1)."
            }
            Mistake::AppendWithoutConsistencyCheck => {
                "Followers append entries without checking that the entry before them matches \
                 the leader's, so logs diverge (Raft §5.3)."
            }
        }
    }
}

impl fmt::Display for Mistake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A server's state at the start of a scenario (for the paper's figures):
/// its current term and the terms of its log entries. Each entry sets x.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InitialServer {
    pub current_term: u64,
    pub log_terms: Vec<u64>,
    /// The value each entry sets x to, one per entry. Empty (and so in every
    /// link made before this field existed): each entry sets x to its index.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<i64>,
}

impl InitialServer {
    /// Starting states written as the paper's figures show them:
    /// (current term, the term of each log entry) per server.
    pub fn all(servers: &[(u64, &[u64])]) -> Vec<InitialServer> {
        servers
            .iter()
            .map(|&(current_term, terms)| InitialServer {
                current_term,
                log_terms: terms.to_vec(),
                values: Vec::new(),
            })
            .collect()
    }

    /// The same server, each of its entries setting x to the entry's term,
    /// so that entries of different terms at one index read differently.
    pub fn valued_by_term(self) -> InitialServer {
        let values = self.log_terms.iter().map(|&t| t as i64).collect();
        InitialServer { values, ..self }
    }
}

/// Saved in scenario links and files. A field missing from one (a link made
/// before the field existed) takes its default, so adding a setting never
/// breaks an old link.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct RaftConfig {
    /// Servers in the cluster, 1 to 9.
    pub nodes: u32,
    /// Election timeouts are drawn uniformly from this range (Raft §5.2).
    pub election_timeout_min: Time,
    pub election_timeout_max: Time,
    /// How often a leader sends AppendEntries when idle.
    pub heartbeat_interval: Time,
    /// Entries one AppendEntries carries at most.
    pub max_entries_per_append: u32,
    /// Followers reply to a failed AppendEntries with the conflicting term and
    /// its first index, so the leader skips a term at a time (Raft §5.3).
    pub conflict_hint: bool,
    /// PreVote (thesis §9.6): ask for votes without raising the term first.
    pub pre_vote: bool,
    /// CheckQuorum (thesis §6.2): a leader that has not heard from a majority
    /// within an election timeout steps down.
    pub check_quorum: bool,
    pub mistakes: SortedSet<Mistake>,
    /// Starting terms and logs, one per server; empty for a fresh cluster.
    pub initial: Vec<InitialServer>,
}

impl Default for RaftConfig {
    fn default() -> Self {
        RaftConfig::raftscope(5)
    }
}

impl RaftConfig {
    /// RaftScope's timing: election timeout 100–200 ms, heartbeats every 50
    /// ms, one entry per AppendEntries (pair with 10–15 ms network latency,
    /// `LinkParams::default()`).
    pub fn raftscope(nodes: u32) -> RaftConfig {
        RaftConfig {
            nodes,
            election_timeout_min: 100 * MILLIS,
            election_timeout_max: 200 * MILLIS,
            heartbeat_interval: 50 * MILLIS,
            max_entries_per_append: 1,
            conflict_hint: false,
            pre_vote: false,
            check_quorum: false,
            mistakes: SortedSet::new(),
            initial: Vec::new(),
        }
    }

    /// The same settings with RaftScope's timing: election timeout,
    /// heartbeat and entries per AppendEntries as `raftscope` has them.
    pub fn with_raftscope_timing(self) -> RaftConfig {
        let raftscope = RaftConfig::raftscope(self.nodes);
        RaftConfig {
            election_timeout_min: raftscope.election_timeout_min,
            election_timeout_max: raftscope.election_timeout_max,
            heartbeat_interval: raftscope.heartbeat_interval,
            max_entries_per_append: raftscope.max_entries_per_append,
            ..self
        }
    }

    pub fn with_mistake(mut self, mistake: Mistake) -> RaftConfig {
        self.mistakes.insert(mistake);
        self
    }

    pub fn has(&self, mistake: Mistake) -> bool {
        self.mistakes.contains(&mistake)
    }

    /// Votes needed to win, and replicas needed to commit: a strict majority.
    pub fn majority(&self) -> usize {
        self.nodes as usize / 2 + 1
    }

    /// Why this configuration cannot run, if it cannot.
    pub fn problem(&self) -> Option<String> {
        if !(1..=MAX_NODES).contains(&self.nodes) {
            return Some(format!(
                "a Raft cluster has 1 to {MAX_NODES} servers, not {}",
                self.nodes
            ));
        }
        if self.election_timeout_min == 0 || self.election_timeout_min > self.election_timeout_max {
            return Some("the election timeout range must be positive and its minimum no larger than its maximum".into());
        }
        if self.heartbeat_interval == 0 {
            return Some("the heartbeat interval must be positive".into());
        }
        if self.max_entries_per_append == 0 {
            return Some("an AppendEntries must be allowed to carry at least one entry".into());
        }
        if !self.initial.is_empty() && self.initial.len() != self.nodes as usize {
            return Some(format!(
                "starting logs are given for {} servers but the cluster has {}",
                self.initial.len(),
                self.nodes
            ));
        }
        for (i, s) in self.initial.iter().enumerate() {
            if s.log_terms.windows(2).any(|w| w[0] > w[1]) || s.log_terms.contains(&0) {
                return Some(format!(
                    "server n{}'s starting log terms must be positive and never decrease",
                    i + 1
                ));
            }
            if !s.values.is_empty() && s.values.len() != s.log_terms.len() {
                return Some(format!(
                    "server n{} has {} starting values for {} log entries",
                    i + 1,
                    s.values.len(),
                    s.log_terms.len()
                ));
            }
            if s.log_terms.last().is_some_and(|&t| t > s.current_term) {
                return Some(format!(
                    "server n{}'s current term is below its last log term",
                    i + 1
                ));
            }
        }
        None
    }
}
