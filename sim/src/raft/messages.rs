//! The messages of Raft (Figure 2), plus TimeoutNow for leadership transfer
//! (thesis §3.10). The sender is not a field: the network stamps it.

use smallvec::SmallVec;

use super::log::Entry;
use crate::trace::Name;

/// The entries one AppendEntries carries: inline up to one, so the common
/// heartbeat and single-entry messages need no allocation.
pub type Entries = SmallVec<[Entry; 1]>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// Figure 2, RequestVote RPC. With `pre_vote` (thesis §9.6) it asks
    /// whether the receiver would vote, for `term` = the sender's term + 1,
    /// without anyone changing term.
    RequestVote {
        term: u64,
        last_log_index: u64,
        last_log_term: u64,
        pre_vote: bool,
    },
    RequestVoteReply {
        term: u64,
        vote_granted: bool,
        pre_vote: bool,
    },
    /// Figure 2, AppendEntries RPC; empty `entries` is a heartbeat.
    AppendEntries {
        term: u64,
        prev_log_index: u64,
        prev_log_term: u64,
        entries: Entries,
        leader_commit: u64,
    },
    AppendEntriesReply {
        term: u64,
        success: bool,
        /// The request's prev_log_index, so a reply is matched to its request.
        prev_log_index: u64,
        /// On success, the index of the last entry the follower now matches.
        match_index: u64,
        /// On failure with the §5.3 hint: the conflicting entry's term (none if
        /// the follower's log is too short) and the first index it holds for it.
        conflict: Option<Conflict>,
    },
    /// Thesis §3.10: start an election now, without waiting for a timeout.
    TimeoutNow {
        term: u64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub term: Option<u64>,
    pub first_index: u64,
}

/// The names of the kinds, for the trace and the legend (`visual.rs`).
pub(super) mod kinds {
    use crate::trace::Name;

    pub const REQUEST_VOTE: &Name = &Name::new("RequestVote");
    pub const PRE_VOTE: &Name = &Name::new("PreVote");
    pub const REQUEST_VOTE_REPLY: &Name = &Name::new("RequestVoteReply");
    pub const PRE_VOTE_REPLY: &Name = &Name::new("PreVoteReply");
    pub const HEARTBEAT: &Name = &Name::new("Heartbeat");
    pub const APPEND_ENTRIES: &Name = &Name::new("AppendEntries");
    pub const APPEND_ENTRIES_REPLY: &Name = &Name::new("AppendEntriesReply");
    pub const TIMEOUT_NOW: &Name = &Name::new("TimeoutNow");
}

impl Message {
    pub fn kind(&self) -> &'static Name {
        match self {
            Message::RequestVote { pre_vote: false, .. } => kinds::REQUEST_VOTE,
            Message::RequestVote { pre_vote: true, .. } => kinds::PRE_VOTE,
            Message::RequestVoteReply { pre_vote: false, .. } => kinds::REQUEST_VOTE_REPLY,
            Message::RequestVoteReply { pre_vote: true, .. } => kinds::PRE_VOTE_REPLY,
            Message::AppendEntries { entries, .. } if entries.is_empty() => kinds::HEARTBEAT,
            Message::AppendEntries { .. } => kinds::APPEND_ENTRIES,
            Message::AppendEntriesReply { .. } => kinds::APPEND_ENTRIES_REPLY,
            Message::TimeoutNow { .. } => kinds::TIMEOUT_NOW,
        }
    }
}
