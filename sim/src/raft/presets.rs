//! Ready-made Raft scenarios, each teaching one idea of the paper step by
//! step: the run is scripted here (actions taken when the cluster reaches a
//! state, not at hard-coded steps) and a note is written on each step that
//! matters, so the words always match what the page shows. Tests check the
//! claims each note makes.
//!
//! The page opens presets from their links (`preset_links.rs`), not from
//! these scripts, so the scripts and a second copy of the engine they
//! inline stay out of the wasm. A test checks that every stored link is what
//! its script writes today, and rewrites them when asked.

use crate::raft::config::InitialServer;
use crate::raft::messages::Message;
use crate::raft::view::{leader, log_terms};
use crate::raft::{Mistake, RaftCommand, RaftConfig, RaftNode, Role, Set};
use crate::scenario::{Narration, Scenario, ScenarioRun};
use crate::{Action, LinkParams, NodeId, Timeline, World};

/// A preset: its name in the menu and how to build it.
pub struct Preset {
    pub slug: &'static str,
    pub name: &'static str,
    pub build: fn() -> Result<Scenario, String>,
}

pub const PRESETS: &[Preset] = &[
    Preset { slug: "replication", name: "Normal replication", build: normal_replication },
    Preset { slug: "leader-crash", name: "Leader crash and re-election", build: leader_crash },
    Preset { slug: "split-vote", name: "Split vote", build: split_vote },
    Preset { slug: "minority-leader", name: "Minority-partitioned leader", build: minority_leader },
    Preset { slug: "figure-7", name: "Figure 7: log repair", build: figure_7 },
    Preset {
        slug: "figure-8",
        name: "Figure 8: why only current-term entries commit",
        build: figure_8_correct,
    },
    Preset {
        slug: "figure-8-mistake",
        name: "Figure 8 with the mistake switched on",
        build: figure_8_mistake,
    },
];

/// Writes a run as it goes, with notes on steps.
struct Script {
    timeline: Timeline<RaftNode>,
    narration: Narration,
}

impl Script {
    fn new(config: RaftConfig, seed: u64, title: &str, description: &str) -> Script {
        let world = World::new(config, seed, LinkParams::default());
        let narration =
            Narration { title: title.into(), description: description.into(), notes: Vec::new() };
        Script { timeline: Timeline::new(world), narration }
    }

    fn world(&self) -> &World<RaftNode> {
        self.timeline.world()
    }

    /// A note on the step just taken (step 0: before anything happens).
    fn note(&mut self, text: impl AsRef<str>) {
        let step = self.timeline.len();
        let text = match self.narration.note_at(step) {
            Some(earlier) => format!("{} {}", earlier.text, text.as_ref()),
            None => text.as_ref().to_string(),
        };
        self.narration.set_note(step, &text);
    }

    fn act(&mut self, action: Action<RaftNode>) -> Result<(), String> {
        self.timeline.apply(action).map(|_| ()).map_err(|e| e.to_string())
    }

    fn request(&mut self, node: NodeId, text: &str) -> Result<(), String> {
        let request = Set::parse(text)?;
        self.act(Action::Request { node, request })
    }

    /// Steps until `done` holds, at most `limit` steps.
    fn until(
        &mut self,
        limit: u32,
        what: &str,
        done: impl Fn(&World<RaftNode>) -> bool,
    ) -> Result<(), String> {
        for _ in 0..limit {
            if done(self.world()) {
                return Ok(());
            }
            self.act(Action::Step)?;
        }
        if done(self.world()) { Ok(()) } else { Err(format!("the preset never reached {what}")) }
    }

    /// Steps until a live server is a candidate of term `min_term` or later; returns it.
    fn until_candidate(&mut self, limit: u32, min_term: u64) -> Result<NodeId, String> {
        let candidate = |w: &World<RaftNode>| {
            (0..w.node_count()).map(NodeId).find(|&i| {
                w.node(i)
                    .is_some_and(|n| n.role() == Role::Candidate && n.current_term() >= min_term)
            })
        };
        self.until(limit, "a candidate", |w| candidate(w).is_some())?;
        candidate(self.world()).ok_or_else(|| "the preset expected a candidate".into())
    }

    /// Steps until a step breaks a safety property.
    fn until_violation(&mut self, limit: u32) -> Result<(), String> {
        for _ in 0..limit {
            self.act(Action::Step)?;
            if !self.world().last_step().violations().is_empty() {
                return Ok(());
            }
        }
        Err("the preset expected a property to break".into())
    }

    fn steps(&mut self, count: u32) -> Result<(), String> {
        (0..count).try_for_each(|_| self.act(Action::Step))
    }

    fn leader(&self) -> Result<NodeId, String> {
        leader(self.world()).ok_or_else(|| "the preset expected a leader".to_string())
    }

    fn term(&self, node: NodeId) -> u64 {
        self.world().node(node).map_or(0, |n| n.current_term())
    }

    /// The scenario, opened at step 0 so the narration is read from the start.
    fn finish(self) -> Scenario {
        let world = self.timeline.world();
        let mut scenario =
            Scenario::raft(world.config().clone(), world.seed(), LinkParams::default());
        let ScenarioRun::Raft(spec) = &mut scenario.run;
        spec.actions = self.timeline.log().to_vec();
        scenario.narration = self.narration;
        scenario
    }
}

fn followers_applied(w: &World<RaftNode>, key: &str, value: i64) -> usize {
    (0..w.node_count())
        .filter(|&i| w.node(NodeId(i)).and_then(|n| n.value(key)) == Some(value))
        .count()
}

fn normal_replication() -> Result<Scenario, String> {
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
    );
    let candidate = s.until_candidate(2_000, 1)?;
    s.note(format!(
        "{candidate}'s timeout ran out first: it becomes a candidate for term 1, votes for itself \
         and sends RequestVote to the others (§5.2)."
    ));
    s.until(2_000, "a leader", |w| leader(w).is_some())?;
    let l = s.leader()?;
    s.note(format!(
        "{l} has votes from a majority (3 of 5): it is the leader of term 1 (★). Its heartbeats \
         (empty AppendEntries) keep the others from timing out."
    ));
    s.steps(6)?;
    s.request(l, "x=1")?;
    s.note(format!(
        "A client asks {l} to set x=1. The leader appends it to its own log at index 1, not yet \
         committed (dashed in the log grid)."
    ));
    s.until(500, "a follower with x=1", |w| {
        (0..5).filter(|&i| w.node(NodeId(i)).is_some_and(|n| n.log().last_index() >= 1)).count()
            >= 2
    })?;
    s.note(
        "An AppendEntries carrying x=1 arrives: the follower checks that its log matches the \
         leader's just before the new entry (it does: both are empty), then appends it (§5.3).",
    );
    s.until(1_000, "the leader commits x=1", |w| {
        leader(w).and_then(|l| w.node(l)).is_some_and(|n| n.commit_index() >= 1)
    })?;
    s.note(format!(
        "A majority now stores x=1, so {l} marks it committed (solid) and applies it to its state \
         machine: x=1. Committed means it can never be lost (§5.3, §5.4)."
    ));
    s.until(1_000, "everyone applied x=1", |w| followers_applied(w, "x", 1) == 5)?;
    s.note(
        "The next AppendEntries carries the leader's commit index; followers learn that x=1 is \
         committed and apply it too. Every state machine holds x=1.",
    );
    Ok(s.finish())
}

fn leader_crash() -> Result<Scenario, String> {
    let mut s = Script::new(
        RaftConfig::raftscope(5),
        21,
        "Leader crash and re-election",
        "When the leader crashes, the others notice the silence, elect a new leader in a higher \
         term, and no committed entry is lost (Raft §5.2, §5.4).",
    );
    s.note("Five servers elect a leader and commit x=1 everywhere. Then the leader will crash.");
    s.until(2_000, "a leader", |w| leader(w).is_some())?;
    let old = s.leader()?;
    s.request(old, "x=1")?;
    s.until(2_000, "x=1 applied on all", |w| followers_applied(w, "x", 1) == 5)?;
    s.note(format!("{old} leads term {} and x=1 is committed on every server.", s.term(old)));
    s.act(Action::Crash(old))?;
    s.note(format!(
        "{old} crashes. Its heartbeats stop; the followers' election timers keep running."
    ));
    let c = s.until_candidate(3_000, 1)?;
    s.note(format!(
        "{c} heard nothing for a whole election timeout: it becomes a candidate in term {} and \
         asks for votes.",
        s.term(c)
    ));
    s.until(3_000, "a new leader", |w| leader(w).is_some_and(|l| l != old))?;
    let new = s.leader()?;
    s.note(format!(
        "{new} wins term {} with 3 of the 4 live servers' votes (a majority of 5 is still 3). \
         Its log holds x=1: a voter only grants its vote to a log at least as up to date as its \
         own, so a committed entry is always in the new leader's log (§5.4.1).",
        s.term(new)
    ));
    s.steps(10)?;
    s.act(Action::Restart(old))?;
    s.note(format!(
        "{old} restarts as a follower, with its term, vote and log (durable state) but no idea \
         who leads now."
    ));
    s.until(2_000, "the old leader follows", |w| {
        w.node(old).is_some_and(|n| {
            n.role() == Role::Follower
                && n.current_term() == w.node(new).map_or(0, |x| x.current_term())
        })
    })?;
    s.note(format!(
        "The first message from {new} carries a newer term: {old} updates its term and follows \
         {new}."
    ));
    Ok(s.finish())
}

fn split_vote() -> Result<Scenario, String> {
    let mut s = Script::new(
        RaftConfig::raftscope(4),
        22,
        "Split vote",
        "Two candidates in the same term split the votes and nobody wins; randomized election \
         timeouts make a repeat unlikely (Raft §5.2).",
    );
    s.note("Four servers: a majority is 3. We make n1 and n2 time out at the same moment.");
    for c in [NodeId(0), NodeId(1)] {
        let timer =
            s.world().pending_timers().find(|t| t.node == c).map(|t| t.id).ok_or("no timer")?;
        s.act(Action::Fire(timer))?;
    }
    s.note("n1 and n2 are both candidates for term 1; each votes for itself and asks the others.");
    let vote_request = |w: &World<RaftNode>, from: NodeId, to: NodeId| {
        w.in_flight()
            .find(|m| {
                m.from == from && m.to == to && matches!(m.message, Message::RequestVote { .. })
            })
            .map(|m| m.id)
            .ok_or_else(|| format!("no RequestVote from {from} to {to}"))
    };
    let first = vote_request(s.world(), NodeId(0), NodeId(2))?;
    s.act(Action::Deliver(first))?;
    s.note(
        "n3 hears n1 first and votes for n1. It has now voted in term 1: one vote a term (§5.2).",
    );
    let second = vote_request(s.world(), NodeId(1), NodeId(3))?;
    s.act(Action::Deliver(second))?;
    s.note("n4 hears n2 first and votes for n2.");
    s.until(200, "two votes each", |w| {
        w.node(NodeId(0)).is_some_and(|n| n.votes().len() == 2)
            && w.node(NodeId(1)).is_some_and(|n| n.votes().len() == 2)
    })?;
    s.note(
        "Each candidate holds 2 votes of the 3 it needs, and every vote of term 1 is spent: \
         term 1 has no leader. Both wait for their election timeout again.",
    );
    let c = s.until_candidate(3_000, 2)?;
    s.note(format!(
        "The timeouts are drawn at random, so they rarely end together twice: {c} times out \
         first and asks for votes in term {}.",
        s.term(c)
    ));
    s.until(3_000, "a leader", |w| leader(w).is_some())?;
    let l = s.leader()?;
    s.note(format!("{l} wins term {}: the split is resolved.", s.term(l)));
    Ok(s.finish())
}

fn minority_leader() -> Result<Scenario, String> {
    let mut s = Script::new(
        RaftConfig::raftscope(5),
        23,
        "Minority-partitioned leader",
        "A leader cut off with a minority keeps believing it leads but can commit nothing; the \
         majority elects a new leader; after healing, the old leader steps down and its \
         uncommitted entry is replaced (Raft §5.3, §5.4).",
    );
    s.note("Five servers elect a leader; then the network splits.");
    s.until(2_000, "a leader", |w| leader(w).is_some())?;
    let old = s.leader()?;
    let buddy = (0..5).map(NodeId).find(|&f| f != old).ok_or("no follower")?;
    s.act(Action::Partition(vec![vec![old, buddy]]))?;
    s.note(format!(
        "The network splits: {old} (the leader) and {buddy} on one side, the other three on the \
         other. Messages across the cut are lost."
    ));
    s.request(old, "x=1")?;
    s.note(format!(
        "A client sends x=1 to {old}. It appends it, but only 2 of 5 servers can store it: \
         never a majority, so never committed."
    ));
    s.until(3_000, "a new leader in the majority", |w| {
        leader(w).is_some_and(|l| l != old && l != buddy)
    })?;
    let new = s.leader()?;
    s.note(format!(
        "The majority side heard no heartbeat and elected {new} in term {}. {old} still thinks \
         it leads term {}: two leaders, but of different terms, which Raft allows.",
        s.term(new),
        s.term(old)
    ));
    s.request(new, "x=2")?;
    s.note(format!("A client sends x=2 to {new}."));
    s.until(2_000, "x=2 committed", |w| w.node(new).is_some_and(|n| n.commit_index() >= 1))?;
    s.note(format!(
        "{new} stores x=2 on a majority (3 of 5) and commits it. {old}'s x=1 stays uncommitted."
    ));
    s.act(Action::Heal)?;
    s.note("The partition heals.");
    s.until(2_000, "the old leader follows", |w| {
        w.node(old).is_some_and(|n| n.role() == Role::Follower)
    })?;
    s.note(format!(
        "{old} receives a message of term {}: it steps down to follower (§5.1).",
        s.term(new)
    ));
    s.until(2_000, "x=1 replaced", |w| w.node(old).is_some_and(|n| n.value("x") == Some(2)))?;
    s.note(format!(
        "{new}'s AppendEntries conflicts with {old}'s uncommitted x=1 at index 1: {old} deletes \
         it and takes x=2 (§5.3). Nothing committed was lost."
    ));
    s.until(2_000, "x=2 everywhere", |w| followers_applied(w, "x", 2) == 5)?;
    s.note(format!("{buddy} is repaired the same way: all five state machines hold x=2."));
    Ok(s.finish())
}

fn figure_7() -> Result<Scenario, String> {
    let initial = InitialServer::all(&[
        (7, &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6]),
        (6, &[1, 1, 1, 4, 4, 5, 5, 6, 6]),
        (4, &[1, 1, 1, 4]),
        (6, &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6]),
        (7, &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7]),
        (4, &[1, 1, 1, 4, 4, 4, 4]),
        (3, &[1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]),
    ]);
    let mut s = Script::new(
        RaftConfig { initial, ..RaftConfig::raftscope(7) },
        24,
        "Figure 7: log repair",
        "The logs of Figure 7: n1 is about to lead term 8; n2 to n7 are followers (a) to (f), \
         missing entries, holding extra ones, or both. The leader's AppendEntries repair every \
         one of them (Raft §5.3).",
    );
    s.note(
        "Seven servers with the logs of Figure 7 (the log grid shows each entry's term). n2 (a) \
         and n3 (b) miss entries; n4 (c) and n5 (d) have extra ones; n6 (e) and n7 (f) both \
         miss some and hold entries of terms no leader committed.",
    );
    s.act(Action::Command { node: NodeId(0), command: RaftCommand::ForceElection })?;
    s.note("n1's election timeout fires (we forced it).");
    s.until(500, "n1 leads", |w| leader(w) == Some(NodeId(0)))?;
    s.note(
        "n1 wins term 8: its last entry (term 6, index 10) is at least as up to date as a \
         majority's. It does not know the followers' logs, so it sets every nextIndex (▾) just \
         past its own last entry.",
    );
    s.request(NodeId(0), "y=8")?;
    s.note("A client sends y=8: n1 appends it at index 11, term 8.");
    s.until(2_000, "a rejection", |w| {
        w.node(NodeId(0))
            .and_then(|n| n.leader_state())
            .is_some_and(|ls| ls.next_index.iter().any(|&i| i < 11))
    })?;
    s.note(
        "A follower rejects an AppendEntries: its log has no entry matching the one before the \
         new entries (index and term). The leader backs that follower's nextIndex off by one \
         and tries again (§5.3).",
    );
    s.until(20_000, "(f) repaired from index 4", |w| log_terms(w, NodeId(6)).get(3) == Some(&4))?;
    s.note(
        "n7 (f) has just matched at index 3, after the leader backed off past all its entries of \
         terms 2 and 3: it deletes them from index 4 on (no leader ever committed them) and \
         takes the leader's entries instead.",
    );
    let leader_log = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 8];
    s.until(20_000, "every log repaired", |w| {
        (0..7).all(|i| log_terms(w, NodeId(i)) == leader_log)
    })?;
    s.note(
        "Every follower's log now equals the leader's: missing entries were filled in, and the \
         extra entries of (c), (d), (e) and (f) were deleted where they conflicted.",
    );
    s.until(2_000, "all committed", |w| {
        (0..7).all(|i| w.node(NodeId(i)).is_some_and(|n| n.commit_index() == 11))
    })?;
    s.note("Index 11 (term 8) is on a majority, so it commits, and with it every entry before it.");
    Ok(s.finish())
}

fn figure_8(mistake: bool) -> Result<Scenario, String> {
    let initial =
        InitialServer::all(&[(3, &[1, 2]), (2, &[1, 2]), (3, &[1]), (3, &[1]), (3, &[1, 3])]);
    let mut config = RaftConfig { initial, ..RaftConfig::raftscope(5) };
    if mistake {
        config = config.with_mistake(Mistake::CommitOlderTermByCounting);
    }
    let (title, description) = if mistake {
        (
            "Figure 8 with the mistake switched on",
            "The same run as Figure 8, but the leader commits an entry of an older term once a \
             majority stores it. The entry is overwritten later, and the safety properties \
             catch it (Raft §5.4.2).",
        )
    } else {
        (
            "Figure 8: why only current-term entries commit",
            "A leader may not commit an entry of an older term by counting replicas: a later \
             leader can still overwrite it. Correct Raft waits, and nothing breaks (Raft §5.4.2).",
        )
    };
    let mut s = Script::new(config, 25, title, description);
    s.note(
        "Figure 8 (b): n1 (S1) holds a term-2 entry at index 2 that only n2 also has; n5 (S5) \
         holds a term-3 entry there. First n5 goes down.",
    );
    s.act(Action::Crash(NodeId(4)))?;
    s.act(Action::Command { node: NodeId(0), command: RaftCommand::ForceElection })?;
    s.note("n1 times out (forced) and runs for term 4.");
    s.until(500, "n1 leads term 4", |w| leader(w) == Some(NodeId(0)))?;
    s.note("(c): n1 leads term 4 and starts sending its term-2 entry to the others.");
    s.until(2_000, "the term-2 entry on a majority", |w| {
        w.node(NodeId(0)).and_then(|n| n.leader_state()).is_some_and(|ls| ls.match_index[2] == 2)
    })?;
    if mistake {
        s.until(500, "the mistaken commit", |w| {
            w.node(NodeId(0)).is_some_and(|n| n.commit_index() == 2)
        })?;
        s.note(
            "The term-2 entry is on a majority (n1, n2, n3). With the mistake, n1 counts the \
             replicas and marks it committed, though it is not of n1's term.",
        );
    } else {
        s.note(
            "The term-2 entry is on a majority (n1, n2, n3), but n1 does not commit it: it is \
             not of n1's own term (§5.4.2). commitIndex stays 0.",
        );
    }
    s.act(Action::Crash(NodeId(0)))?;
    s.note("(d): n1 crashes.");
    s.act(Action::Restart(NodeId(4)))?;
    for _ in 0..2 {
        s.act(Action::Command { node: NodeId(4), command: RaftCommand::ForceElection })?;
    }
    s.note(
        "n5 restarts and times out twice (forced): term 4 is spent, so it wins votes for term 5. \
         Its last entry (term 3) is more up to date than the others' (term 2 or 1).",
    );
    s.until(3_000, "n5 leads", |w| leader(w) == Some(NodeId(4)))?;
    s.note("n5 leads term 5.");
    s.request(NodeId(4), "y=5")?;
    if mistake {
        s.until_violation(3_000)?;
        let broken = s.world().last_step().violations().first().map(|v| v.property.clone());
        s.note(format!(
            "Caught: {} breaks at this step. The entry n1 committed at index 2 is being \
             replaced by n5's.",
            broken.unwrap_or_default()
        ));
    }
    s.until(3_000, "index 2 overwritten", |w| {
        (1..5).all(|i| log_terms(w, NodeId(i)).get(1) == Some(&3))
    })?;
    s.note(if mistake {
        "n5's term-3 entry now sits at index 2 on every live server: an entry n1 called \
         committed is gone."
    } else {
        "n5 overwrites index 2 with its term-3 entry on every live server. That is safe: the \
         term-2 entry was never committed."
    });
    s.until(3_000, "n5 commits", |w| w.node(NodeId(4)).is_some_and(|n| n.commit_index() == 3))?;
    s.note(if mistake {
        "n5 commits index 3 and, with it, its own index 2: two different entries were \
         committed at index 2 (see Safety properties)."
    } else {
        "n5 commits y=5 at index 3 and, with it, the term-3 entry at index 2. Every property \
         holds."
    });
    Ok(s.finish())
}

fn figure_8_correct() -> Result<Scenario, String> {
    figure_8(false)
}

fn figure_8_mistake() -> Result<Scenario, String> {
    figure_8(true)
}

#[cfg(test)]
mod tests;
