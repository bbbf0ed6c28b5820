//! Ready-made Raft scenarios, each teaching one idea of the paper step by
//! step: the run is scripted here (actions taken when the cluster reaches a
//! state, not at hard-coded steps) and a note is written on each step that
//! matters, so the words always match what the page shows. Each note carries
//! claims about its step ([`Claim`]), which a test checks against a replay.
//!
//! The page opens presets from their links (`preset_links.rs`), not from
//! these scripts, so the scripts and a second copy of the engine they
//! inline stay out of the wasm. A test checks that every stored link is what
//! its script writes today, and rewrites them when asked.

mod claims;
mod figures;
mod script;

pub use claims::Claim;
pub use script::Written;

use crate::raft::messages::Message;
use crate::raft::view::leader;
use crate::raft::{RaftConfig, RaftNode, Role};
use crate::{Action, NodeId, World};
use Claim::*;
use script::Script;

/// A preset: its name in the menu and how to write it.
pub struct Preset {
    pub slug: &'static str,
    pub name: &'static str,
    pub build: fn() -> Result<Written, String>,
}

pub const PRESETS: &[Preset] = &[
    Preset { slug: "replication", name: "Normal replication", build: normal_replication },
    Preset { slug: "leader-crash", name: "Leader crash and re-election", build: leader_crash },
    Preset { slug: "split-vote", name: "Split vote", build: split_vote },
    Preset { slug: "minority-leader", name: "Minority-partitioned leader", build: minority_leader },
    Preset { slug: "figure-7", name: "Figure 7: log repair", build: figures::figure_7 },
    Preset {
        slug: "figure-8",
        name: "Figure 8: why only current-term entries commit",
        build: figures::figure_8_correct,
    },
    Preset {
        slug: "figure-8-mistake",
        name: "Figure 8 with the mistake switched on",
        build: figures::figure_8_mistake,
    },
];

fn followers_applied(w: &World<RaftNode>, key: &str, value: i64) -> usize {
    (0..w.node_count())
        .filter(|&i| w.node(NodeId(i)).and_then(|n| n.value(key)) == Some(value))
        .count()
}

/// Servers `0..count`.
fn all(count: u32) -> impl Iterator<Item = NodeId> {
    (0..count).map(NodeId)
}

/// Servers named as a list in words: "n2, n4 and n5".
fn and_list(servers: &[NodeId]) -> String {
    let names: Vec<String> = servers.iter().map(NodeId::to_string).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// The servers `leader` knows to store its log up to `index`: its ▴
/// matchIndex for them is `index` or more.
fn known_to_hold(w: &World<RaftNode>, leader: NodeId, index: u64) -> Vec<NodeId> {
    let Some(ls) = w.node(leader).and_then(|n| n.leader_state()) else { return Vec::new() };
    all(w.node_count()).filter(|&f| f != leader && ls.match_index[f.index()] >= index).collect()
}

fn normal_replication() -> Result<Written, String> {
    let mut s = Script::new(
        RaftConfig::raftscope(5),
        11,
        "Normal replication",
        "How a leader is elected, then how one client request becomes a committed entry in \
         every server's log and state machine (Raft §5.2, §5.3).",
    );
    s.note(
        "Five servers start as followers in term 0. Each waits a randomized election timeout \
         (the arc around it). Use ▶ next note, or step with → to see every message.",
        all(5).map(|i| Follows(i, 0)),
    );
    let candidate = s.until_candidate(2_000, 1)?;
    // §5.2: a candidate increments its term and votes for itself.
    s.note(
        format!(
            "{candidate}'s timeout ran out first: it becomes a candidate for term 1, votes for \
             itself and sends RequestVote to the others (§5.2)."
        ),
        [Candidate(candidate, 1), VotedFor(candidate, Some(candidate))],
    );
    s.until(2_000, "a leader", |w| leader(w).is_some())?;
    let l = s.leader()?;
    s.note(
        format!(
            "{l} has votes from a majority (3 of 5): it is the leader of term 1 (★). Its \
             heartbeats (empty AppendEntries) keep the others from timing out."
        ),
        [Wins(l, 1)],
    );
    s.steps(6)?;
    s.request(l, "x=1")?;
    s.note(
        format!(
            "A client asks {l} to set x=1. The leader appends it to its own log at index 1, not \
             yet committed (dashed in the log grid)."
        ),
        [Takes(l, 1, 1, "x=1"), CommitIndex(l, 0)],
    );
    let grown = |w: &World<RaftNode>| {
        all(5).find(|&i| i != l && w.node(i).is_some_and(|n| n.log().last_index() >= 1))
    };
    s.until(500, "a follower with x=1", |w| grown(w).is_some())?;
    let f = grown(s.world()).ok_or("no follower with x=1")?;
    // §5.3: the consistency check of AppendEntries (prevLogIndex, prevLogTerm).
    s.note(
        format!(
            "An AppendEntries carrying x=1 reaches {f}: it checks that its log matches the \
             leader's just before the new entry (it does: both are empty), then appends it \
             (§5.3)."
        ),
        [Takes(f, 1, 1, "x=1")],
    );
    s.until(1_000, "the leader commits x=1", |w| {
        leader(w).and_then(|l| w.node(l)).is_some_and(|n| n.commit_index() >= 1)
    })?;
    // §5.3: an entry is committed once the leader has replicated it on a majority.
    s.note(
        format!(
            "A majority now stores x=1, so {l} marks it committed (solid) and applies it to its \
             state machine: x=1. Committed means it can never be lost (§5.3, §5.4)."
        ),
        [Commits(l, 1), Applied(l, "x", 1)],
    );
    s.until(1_000, "everyone applied x=1", |w| followers_applied(w, "x", 1) == 5)?;
    s.note(
        "The next AppendEntries carries the leader's commit index; followers learn that x=1 is \
         committed and apply it too. Every state machine holds x=1.",
        all(5).map(|i| Applied(i, "x", 1)),
    );
    Ok(s.finish())
}

fn leader_crash() -> Result<Written, String> {
    let mut s = Script::new(
        RaftConfig::raftscope(5),
        21,
        "Leader crash and re-election",
        "When the leader crashes, the others notice the silence, elect a new leader in a higher \
         term, and no committed entry is lost (Raft §5.2, §5.4).",
    );
    s.note(
        "Five servers elect a leader and commit x=1 everywhere. Then the leader will crash.",
        all(5).map(|i| Follows(i, 0)),
    );
    s.until(2_000, "a leader", |w| leader(w).is_some())?;
    let old = s.leader()?;
    s.request(old, "x=1")?;
    s.until(2_000, "x=1 applied on all", |w| followers_applied(w, "x", 1) == 5)?;
    let term = s.term(old);
    s.note(
        format!("{old} leads term {term} and x=1 is committed on every server."),
        [Leads(old, term)].into_iter().chain(all(5).map(|i| CommitIndex(i, 1))),
    );
    s.act(Action::Crash(old))?;
    s.note(
        format!("{old} crashes. Its heartbeats stop; the followers' election timers keep running."),
        [Down(old)],
    );
    let c = s.until_candidate(3_000, 1)?;
    let term = s.term(c);
    s.note(
        format!(
            "{c} heard nothing for a whole election timeout: it becomes a candidate in term \
             {term} and asks for votes."
        ),
        [Candidate(c, term)],
    );
    s.until(3_000, "a new leader", |w| leader(w).is_some_and(|l| l != old))?;
    let new = s.leader()?;
    let term = s.term(new);
    // §5.4.1: a voter denies its vote to a candidate whose log is less up to date.
    s.note(
        format!(
            "{new} wins term {term} with 3 of the 4 live servers' votes (a majority of 5 is \
             still 3). Its log holds x=1: a voter only grants its vote to a log at least as up \
             to date as its own, so a committed entry is always in the new leader's log \
             (§5.4.1)."
        ),
        [Wins(new, term), Entry(new, 1, 1, "x=1")],
    );
    s.steps(10)?;
    s.act(Action::Restart(old))?;
    // Figure 2: currentTerm, votedFor and log[] are persistent state.
    s.note(
        format!(
            "{old} restarts as a follower, with its term, vote and log (durable state) but no \
             idea who leads now."
        ),
        [
            Follows(old, 1),
            VotedFor(old, Some(old)),
            Entry(old, 1, 1, "x=1"),
            KnowsLeader(old, None),
        ],
    );
    s.until(2_000, "the old leader follows", |w| {
        w.node(old).is_some_and(|n| {
            n.role() == Role::Follower
                && n.current_term() == w.node(new).map_or(0, |x| x.current_term())
        })
    })?;
    // §5.1: a server that sees a larger term adopts it and becomes a follower.
    s.note(
        format!(
            "The first message from {new} carries a newer term: {old} updates its term and \
             follows {new} (§5.1)."
        ),
        [Follows(old, term), KnowsLeader(old, Some(new))],
    );
    Ok(s.finish())
}

fn split_vote() -> Result<Written, String> {
    let mut s = Script::new(
        RaftConfig::raftscope(4),
        22,
        "Split vote",
        "Two candidates in the same term split the votes and nobody wins; randomized election \
         timeouts make a repeat unlikely (Raft §5.2).",
    );
    let [n1, n2, n3, n4] = [0, 1, 2, 3].map(NodeId);
    s.note(
        "Four servers: a majority is 3. We make n1 and n2 time out at the same moment.",
        all(4).map(|i| Follows(i, 0)),
    );
    for c in [n1, n2] {
        let timer =
            s.world().pending_timers().find(|t| t.node == c).map(|t| t.id).ok_or("no timer")?;
        s.act(Action::Fire(timer))?;
    }
    s.note(
        "n1 and n2 are both candidates for term 1; each votes for itself and asks the others.",
        [Candidate(n1, 1), Candidate(n2, 1), VotedFor(n1, Some(n1)), VotedFor(n2, Some(n2))],
    );
    let vote_request = |w: &World<RaftNode>, from: NodeId, to: NodeId| {
        w.in_flight()
            .find(|m| {
                m.from == from && m.to == to && matches!(m.message, Message::RequestVote { .. })
            })
            .map(|m| m.id)
            .ok_or_else(|| format!("no RequestVote from {from} to {to}"))
    };
    let first = vote_request(s.world(), n1, n3)?;
    s.act(Action::Deliver(first))?;
    // §5.2: each server votes for at most one candidate in a given term.
    s.note(
        "n3 hears n1 first and votes for n1. It has now voted in term 1: one vote a term (§5.2).",
        [Follows(n3, 1), VotedFor(n3, Some(n1))],
    );
    let second = vote_request(s.world(), n2, n4)?;
    s.act(Action::Deliver(second))?;
    s.note("n4 hears n2 first and votes for n2.", [Follows(n4, 1), VotedFor(n4, Some(n2))]);
    s.until(200, "two votes each", |w| {
        w.node(n1).is_some_and(|n| n.votes().len() == 2)
            && w.node(n2).is_some_and(|n| n.votes().len() == 2)
    })?;
    s.note(
        "Each candidate holds 2 votes of the 3 it needs, and every vote of term 1 is spent: \
         term 1 has no leader. Both wait for their election timeout again.",
        [Votes(n1, 2), Votes(n2, 2), Candidate(n1, 1), Candidate(n2, 1), NoLeader],
    );
    let c = s.until_candidate(3_000, 2)?;
    let term = s.term(c);
    s.note(
        format!(
            "The timeouts are drawn at random, so they rarely end together twice: {c} times out \
             first and asks for votes in term {term}."
        ),
        [Candidate(c, term)],
    );
    s.until(3_000, "a leader", |w| leader(w).is_some())?;
    let l = s.leader()?;
    let term = s.term(l);
    s.note(format!("{l} wins term {term}: the split is resolved."), [Wins(l, term)]);
    Ok(s.finish())
}

fn minority_leader() -> Result<Written, String> {
    let mut s = Script::new(
        RaftConfig::raftscope(5),
        23,
        "Minority-partitioned leader",
        "A leader cut off with a minority keeps believing it leads but can commit nothing; the \
         majority elects a new leader; after healing, the old leader steps down and its \
         uncommitted entry is replaced (Raft §5.3, §5.4).",
    );
    s.note("Five servers elect a leader; then the network splits.", all(5).map(|i| Follows(i, 0)));
    s.until(2_000, "a leader", |w| leader(w).is_some())?;
    let old = s.leader()?;
    let buddy = all(5).find(|&f| f != old).ok_or("no follower")?;
    let others: Vec<NodeId> = all(5).filter(|&i| i != old && i != buddy).collect();
    let mut minority = vec![old, buddy];
    minority.sort();
    s.act(Action::Partition(vec![vec![old, buddy]]))?;
    s.note(
        format!(
            "The network splits: {old} (the leader) and {buddy} on one side, the other three on \
             the other. Messages across the cut are lost."
        ),
        [Leads(old, 1), Partition(vec![minority, others.clone()])],
    );
    s.request(old, "x=1")?;
    s.note(
        format!(
            "A client sends x=1 to {old}. It appends it, but only 2 of 5 servers can store it: \
             never a majority, so never committed."
        ),
        [Takes(old, 1, 1, "x=1"), CommitIndex(old, 0)],
    );
    s.until(3_000, "a new leader in the majority", |w| {
        leader(w).is_some_and(|l| l != old && l != buddy)
    })?;
    let new = s.leader()?;
    let term = s.term(new);
    s.note(
        format!(
            "The majority side heard no heartbeat and elected {new} in term {term}. {old} still \
             thinks it leads term {}: two leaders, but of different terms, which Raft allows.",
            s.term(old)
        ),
        [Wins(new, term), Leads(old, 1)],
    );
    s.request(new, "x=2")?;
    s.note(format!("A client sends x=2 to {new}."), [Takes(new, 1, term, "x=2")]);
    s.until(2_000, "x=2 committed", |w| w.node(new).is_some_and(|n| n.commit_index() >= 1))?;
    s.note(
        format!(
            "{new} stores x=2 on a majority (3 of 5) and commits it. {old}'s x=1 stays \
             uncommitted."
        ),
        others.iter().map(|&i| Entry(i, 1, term, "x=2")).chain([
            Commits(new, 1),
            Entry(old, 1, 1, "x=1"),
            CommitIndex(old, 0),
        ]),
    );
    s.act(Action::Heal)?;
    s.note("The partition heals.", [Partition(Vec::new())]);
    s.until(2_000, "the old leader follows", |w| {
        w.node(old).is_some_and(|n| n.role() == Role::Follower)
    })?;
    // §5.1: a leader that sees a larger term steps down.
    s.note(
        format!("{old} receives a message of term {term}: it steps down to follower (§5.1)."),
        [Follows(old, term)],
    );
    s.until(2_000, "x=1 replaced", |w| w.node(old).is_some_and(|n| n.value("x") == Some(2)))?;
    // §5.3: a follower deletes a conflicting entry and all that follow it.
    s.note(
        format!(
            "{new}'s AppendEntries conflicts with {old}'s uncommitted x=1 at index 1: {old} \
             deletes it and takes x=2 (§5.3). Nothing committed was lost."
        ),
        [Takes(old, 1, term, "x=2"), Applied(old, "x", 2), NothingBroken],
    );
    s.until(2_000, "x=2 everywhere", |w| followers_applied(w, "x", 2) == 5)?;
    s.note(
        format!("{buddy} is repaired the same way: all five state machines hold x=2."),
        [Takes(buddy, 1, term, "x=2")].into_iter().chain(all(5).map(|i| Applied(i, "x", 2))),
    );
    Ok(s.finish())
}

#[cfg(test)]
mod tests;
