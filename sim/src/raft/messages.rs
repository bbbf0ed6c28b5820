//! The messages of Raft (Figure 2), plus TimeoutNow for leadership transfer
//! (thesis §3.10). The sender is not a field: the network stamps it.

use smallvec::SmallVec;

use std::hash::Hasher;

use super::log::Entry;
use crate::trace::{Name, StableHasher};

/// The entries one AppendEntries carries: inline up to one, so the common
/// heartbeat and single-entry messages need no allocation.
pub type Entries = SmallVec<[Entry; 1]>;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

impl Message {
    /// Every field folded into one word, for the trace hash
    /// (`Protocol::message_digest`). Each field is rotated to its own place
    /// and XORed in, so a change to any one field changes the word; the trace
    /// hash then mixes the word with the rest of the step. No multiplication
    /// and no loop here: a Raft run sends a message on most steps.
    #[inline]
    pub fn digest(&self) -> u64 {
        let bit = |b: bool, at: u32| u64::from(b) << at;
        let at = |field: u64, turn: u32| field.rotate_left(turn);
        match self {
            Message::RequestVote { term, last_log_index, last_log_term, pre_vote } => {
                (1 | bit(*pre_vote, 8))
                    ^ at(*term, 16)
                    ^ at(*last_log_index, 29)
                    ^ at(*last_log_term, 42)
            }
            Message::RequestVoteReply { term, vote_granted, pre_vote } => {
                (2 | bit(*vote_granted, 8) | bit(*pre_vote, 9)) ^ at(*term, 16)
            }
            Message::AppendEntries {
                term,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
            } => {
                (3 | (entries.len() as u64) << 8)
                    ^ at(*term, 16)
                    ^ at(*prev_log_index, 29)
                    ^ at(*prev_log_term, 42)
                    ^ at(*leader_commit, 55)
                    ^ at(entries_digest(entries), 7)
            }
            Message::AppendEntriesReply {
                term,
                success,
                prev_log_index,
                match_index,
                conflict,
            } => {
                let hint_term = conflict.and_then(|c| c.term);
                (4 | bit(*success, 8) | bit(conflict.is_some(), 9) | bit(hint_term.is_some(), 10))
                    ^ at(*term, 16)
                    ^ at(*prev_log_index, 29)
                    ^ at(*match_index, 42)
                    ^ at(conflict.map_or(0, |c| c.first_index), 55)
                    ^ at(hint_term.unwrap_or(0), 7)
            }
            Message::TimeoutNow { term } => 5 ^ at(*term, 16),
        }
    }
}

/// The entries of an AppendEntries as one word: none, the one entry's
/// fields folded, or the entries' words mixed one after another.
fn entries_digest(entries: &[Entry]) -> u64 {
    let entry = |e: &Entry| {
        e.term ^ e.command.key.word().rotate_left(21) ^ (e.command.value as u64).rotate_left(42)
    };
    match entries {
        [] => 0,
        [one] => entry(one),
        many => {
            let mut h = StableHasher::default();
            many.iter().for_each(|e| h.write_u64(entry(e)));
            h.finish()
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::raft::kv::Set;

    /// A change to any one field of any message changes its digest.
    #[test]
    fn a_message_digest_sees_every_field() {
        let entry = |term, text| Entry { term, command: Set::parse(text).unwrap() };
        let append = |term, prev, prev_term, entries: &[Entry], commit| Message::AppendEntries {
            term,
            prev_log_index: prev,
            prev_log_term: prev_term,
            entries: entries.iter().copied().collect(),
            leader_commit: commit,
        };
        let reply = |term, success, prev, matched, conflict| Message::AppendEntriesReply {
            term,
            success,
            prev_log_index: prev,
            match_index: matched,
            conflict,
        };
        let hint = |term, first_index| Some(Conflict { term, first_index });
        let vote = |term, index, last, pre_vote| Message::RequestVote {
            term,
            last_log_index: index,
            last_log_term: last,
            pre_vote,
        };
        let granted = |term, vote_granted, pre_vote| Message::RequestVoteReply {
            term,
            vote_granted,
            pre_vote,
        };
        let (x1, x2, y1) = (entry(2, "x=1"), entry(2, "x=2"), entry(2, "y=1"));
        let all = [
            vote(3, 4, 2, false),
            vote(4, 4, 2, false),
            vote(3, 5, 2, false),
            vote(3, 4, 3, false),
            vote(3, 4, 2, true),
            granted(3, false, false),
            granted(4, false, false),
            granted(3, true, false),
            granted(3, false, true),
            append(3, 4, 2, &[], 1),
            append(5, 4, 2, &[], 1),
            append(3, 5, 2, &[], 1),
            append(3, 4, 3, &[], 1),
            append(3, 4, 2, &[], 2),
            append(3, 4, 2, &[x1], 1),
            append(3, 4, 2, &[x2], 1),
            append(3, 4, 2, &[y1], 1),
            append(3, 4, 2, &[entry(3, "x=1")], 1),
            append(3, 4, 2, &[x1, x2], 1),
            append(3, 4, 2, &[x2, x1], 1),
            reply(3, false, 4, 0, None),
            reply(4, false, 4, 0, None),
            reply(3, true, 4, 0, None),
            reply(3, false, 5, 0, None),
            reply(3, false, 4, 1, None),
            reply(3, false, 4, 0, hint(None, 2)),
            reply(3, false, 4, 0, hint(Some(2), 2)),
            reply(3, false, 4, 0, hint(Some(1), 2)),
            reply(3, false, 4, 0, hint(Some(2), 3)),
            Message::TimeoutNow { term: 3 },
            Message::TimeoutNow { term: 4 },
        ];
        let digests: std::collections::BTreeSet<u64> = all.iter().map(Message::digest).collect();
        assert_eq!(digests.len(), all.len(), "every message has its own digest");
    }
}
