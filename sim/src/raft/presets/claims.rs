//! What a preset's note says about its step, in a form a test checks against
//! a replay of the preset (`tests/notes.rs`). Each note carries its claims
//! beside its words: change one and the other must still agree. Besides
//! checking each claim, the test holds the words to the safety checks: a
//! note on a step where a property breaks must name it (with `Breaks` or
//! `StillBroken`), a property's first break must have a note, and a note
//! names a property only where it is broken (to say that everything holds,
//! claim `NothingBroken` and name none).

use crate::NodeId;

/// One claim of a note about the state at its step, after the step. Servers,
/// indexes and terms are the paper's (Figure 2); a command reads as the log
/// grid shows it, `x=3`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The server is up and a follower in this term.
    Follows(NodeId, u64),
    /// The server is a candidate for this term.
    Candidate(NodeId, u64),
    /// The server leads this term.
    Leads(NodeId, u64),
    /// The server became leader of this term at this very step.
    Wins(NodeId, u64),
    /// The server is crashed.
    Down(NodeId),
    /// Whom the server voted for in its current term (`None`: nobody).
    VotedFor(NodeId, Option<NodeId>),
    /// The candidate holds this many votes, its own included.
    Votes(NodeId, usize),
    /// No live server is leader.
    NoLeader,
    /// The leader the server knows of (`None`: it knows of none).
    KnowsLeader(NodeId, Option<NodeId>),
    /// The server's log holds this many entries.
    LogLength(NodeId, u64),
    /// The term of each entry of the server's log, in order.
    LogTerms(NodeId, Vec<u64>),
    /// (server, index, term, command): the server's log holds this entry at this index.
    Entry(NodeId, u64, u64, &'static str),
    /// (server, index, term, command): as `Entry`, and it did not hold it
    /// before this step: it appended it, or took it in place of another.
    Takes(NodeId, u64, u64, &'static str),
    /// The server's commitIndex.
    CommitIndex(NodeId, u64),
    /// The server's commitIndex reached this index at this very step.
    Commits(NodeId, u64),
    /// (server, key, value): the server's state machine holds key = value.
    Applied(NodeId, &'static str, i64),
    /// (leader, follower, index): the leader's nextIndex for the follower.
    NextIndex(NodeId, NodeId, u64),
    /// (leader, follower, index): the leader's matchIndex for the follower.
    MatchIndex(NodeId, NodeId, u64),
    /// The network is split into exactly these groups (none: it is whole).
    Partition(Vec<Vec<NodeId>>),
    /// This step breaks the property (named as in Figure 3) for the first
    /// time in the run: it turns red. The note must say "<name> turns red".
    Breaks(&'static str),
    /// This step finds the property broken again; it broke earlier. The note
    /// must name it.
    StillBroken(&'static str),
    /// No property has broken so far.
    NothingBroken,
}
