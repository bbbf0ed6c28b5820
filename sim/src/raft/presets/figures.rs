//! The presets that start from the logs of the paper's figures 7 and 8.

use super::script::{Script, Written};
use super::{Claim::*, all, and_list, known_to_hold};
use crate::raft::config::InitialServer;
use crate::raft::view::{leader, log_terms};
use crate::raft::{Mistake, RaftCommand, RaftConfig, RaftNode};
use crate::{Action, NodeId, World};

pub(super) fn figure_7() -> Result<Written, String> {
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
    let [n1, n2, n3, n4, n5, n6, n7] = [0, 1, 2, 3, 4, 5, 6].map(NodeId);
    s.note(
        "Seven servers with the logs of Figure 7 (the log grid shows each entry's term). n2 (a) \
         and n3 (b) miss entries; n4 (c) and n5 (d) have extra ones; n6 (e) and n7 (f) both \
         miss some and hold entries of terms no leader committed.",
        [(n1, 10), (n2, 9), (n3, 4), (n4, 11), (n5, 12), (n6, 7), (n7, 11)]
            .map(|(n, len)| LogLength(n, len)),
    );
    s.act(Action::Command { node: n1, command: RaftCommand::ForceElection })?;
    s.note("n1's election timeout fires (we forced it).", [Candidate(n1, 8)]);
    s.until(500, "n1 leads", |w| leader(w) == Some(n1))?;
    // §5.4.1: the vote goes to a log at least as up to date; §5.3: a new
    // leader sets each nextIndex just past its last entry.
    s.note(
        "n1 wins term 8: its last entry (term 6, index 10) is at least as up to date as a \
         majority's. It does not know the followers' logs, so it sets every nextIndex (▾) just \
         past its own last entry.",
        [Wins(n1, 8)].into_iter().chain(all(7).skip(1).map(|f| NextIndex(n1, f, 11))),
    );
    s.request(n1, "y=8")?;
    s.note("A client sends y=8: n1 appends it at index 11, term 8.", [Takes(n1, 11, 8, "y=8")]);
    let backed_off = |w: &World<RaftNode>| {
        let ls = w.node(n1).and_then(|n| n.leader_state())?;
        all(7).find(|f| ls.next_index[f.index()] < 11)
    };
    s.until(2_000, "a rejection", |w| backed_off(w).is_some())?;
    let f = backed_off(s.world()).ok_or("no rejection")?;
    // §5.3: after a rejection the leader decrements nextIndex and retries.
    s.note(
        format!(
            "{f} rejects an AppendEntries: its log has no entry matching the one before the new \
             entries (index and term). The leader backs {f}'s nextIndex off by one and tries \
             again (§5.3)."
        ),
        [NextIndex(n1, f, 10)],
    );
    s.until(2_000, "n1 commits index 11", |w| w.node(n1).is_some_and(|n| n.commit_index() == 11))?;
    let holders = known_to_hold(s.world(), n1, 11);
    // §5.3, §5.4.2: an entry of the leader's term is committed once a
    // majority stores it, and with it every entry before it.
    s.note(
        format!(
            "y=8 (term 8) is now on n1, {} (▴ matchIndex 11): a majority of 7. n1 commits index \
             11, and with it every entry before it (§5.3, §5.4.2). The other followers are \
             still being repaired.",
            and_list(&holders)
        ),
        holders
            .iter()
            .map(|&f| MatchIndex(n1, f, 11))
            .chain([Commits(n1, 11), Applied(n1, "y", 8)]),
    );
    s.until(20_000, "(f) repaired from index 4", |w| log_terms(w, n7).get(3) == Some(&4))?;
    // §5.3: the follower deletes the conflicting entry and all that follow it.
    s.note(
        "n7 (f) has just matched at index 3, after the leader backed off past all its entries of \
         terms 2 and 3: it deletes them from index 4 on (no leader ever committed them) and \
         takes the leader's entries instead.",
        [Takes(n7, 4, 4, "x=4"), LogTerms(n7, vec![1, 1, 1, 4])],
    );
    let leader_log = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 8];
    s.until(20_000, "every log repaired and committed", |w| {
        all(7).all(|i| {
            log_terms(w, i) == leader_log && w.node(i).is_some_and(|n| n.commit_index() == 11)
        })
    })?;
    s.note(
        "Every follower's log now equals the leader's: missing entries were filled in, and the \
         extra entries of (c), (d), (e) and (f) were deleted where they conflicted. n7, the \
         last, also learns that index 11 is committed: every server has applied y=8.",
        all(7)
            .flat_map(|i| {
                [LogTerms(i, leader_log.to_vec()), CommitIndex(i, 11), Applied(i, "y", 8)]
            })
            .chain([Commits(n7, 11)]),
    );
    Ok(s.finish())
}

fn figure_8(mistake: bool) -> Result<Written, String> {
    // Figure 8 shows only terms. Each entry here sets x to its term, so the
    // two entries at index 2 read differently: x=2 (term 2), x=3 (term 3).
    let initial =
        InitialServer::all(&[(3, &[1, 2]), (2, &[1, 2]), (3, &[1]), (3, &[1]), (3, &[1, 3])])
            .into_iter()
            .map(InitialServer::valued_by_term)
            .collect();
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
    let [n1, n2, n3, n4, n5] = [0, 1, 2, 3, 4].map(NodeId);
    let mut s = Script::new(config, 25, title, description);
    s.note(
        "Figure 8 (b): at index 2, n1 (S1) holds x=2, written in term 2, which only n2 also \
         has; n5 (S5) holds x=3, written in term 3. (Each entry here sets x to its term.) First \
         n5 goes down.",
        [
            Entry(n1, 2, 2, "x=2"),
            Entry(n2, 2, 2, "x=2"),
            LogLength(n3, 1),
            LogLength(n4, 1),
            Entry(n5, 2, 3, "x=3"),
        ],
    );
    s.act(Action::Crash(n5))?;
    s.act(Action::Command { node: n1, command: RaftCommand::ForceElection })?;
    s.note("n1 times out (forced) and runs for term 4.", [Candidate(n1, 4)]);
    s.until(500, "n1 leads term 4", |w| leader(w) == Some(n1))?;
    s.note(
        "(c): n1 leads term 4 and starts sending its x=2 (term 2) to the others.",
        [Wins(n1, 4)],
    );
    s.until(2_000, "x=2 on a majority", |w| known_to_hold(w, n1, 2).len() >= 2)?;
    let holders = known_to_hold(s.world(), n1, 2);
    let on = and_list(&[&[n1][..], &holders].concat());
    let known: Vec<_> = holders.iter().map(|&f| MatchIndex(n1, f, 2)).collect();
    if mistake {
        s.note(
            format!(
                "n1 learns that x=2 (term 2) is on a majority: {on} (▴ matchIndex 2). With \
                 the mistake, n1 counts these replicas and commits x=2, though it is of \
                 term 2, not n1's term 4, and applies it: x=2."
            ),
            known.into_iter().chain([Commits(n1, 2), Applied(n1, "x", 2)]),
        );
    } else {
        // §5.4.2: only entries of the leader's current term are committed by
        // counting replicas.
        s.note(
            format!(
                "n1 learns that x=2 (term 2) is on a majority: {on} (▴ matchIndex 2). Still \
                 n1 does not commit it: a leader commits by counting replicas only \
                 entries of its own term, and x=2 is of term 2 (§5.4.2). commitIndex stays 0."
            ),
            known.into_iter().chain([CommitIndex(n1, 0)]),
        );
    }
    s.act(Action::Crash(n1))?;
    s.note("(d): n1 crashes.", [Down(n1)]);
    s.act(Action::Restart(n5))?;
    for _ in 0..2 {
        s.act(Action::Command { node: n5, command: RaftCommand::ForceElection })?;
    }
    // §5.4.1: a vote goes only to a candidate whose log is at least as up to
    // date: a later last term wins.
    s.note(
        "n5 restarts and times out twice (forced): n2, n3 and n4 have voted for n1 in term 4, \
         so n5 runs for term 5. Its last entry (term 3) is more up to date than theirs (term \
         2), so they can vote for it (§5.4.1).",
        [n2, n3, n4]
            .into_iter()
            .flat_map(|f| [VotedFor(f, Some(n1)), LogTerms(f, vec![1, 2])])
            .chain([Candidate(n5, 5)]),
    );
    s.until(3_000, "n5 leads", |w| leader(w) == Some(n5))?;
    let votes = [n2, n3, n4].map(|f| VotedFor(f, Some(n5)));
    if mistake {
        // §5.4: Leader Completeness, a committed entry is in every later leader's log.
        s.note(
            "n5 leads term 5, with the votes of n2, n3 and n4. Leader Completeness turns red: \
             n5's log lacks x=2, which n1 committed at index 2 in term 4 (§5.4).",
            votes.into_iter().chain([Wins(n5, 5), Breaks("Leader Completeness")]),
        );
    } else {
        s.note(
            "n5 leads term 5, with the votes of n2, n3 and n4.",
            votes.into_iter().chain([Wins(n5, 5)]),
        );
    }
    s.request(n5, "y=5")?;
    if mistake {
        s.note(
            "A client sends y=5 to n5, which appends it at index 3, in term 5. Its log changed \
             and still lacks x=2, so Leader Completeness is found broken again.",
            [Takes(n5, 3, 5, "y=5"), StillBroken("Leader Completeness")],
        );
    } else {
        s.note(
            "A client sends y=5 to n5, which appends it at index 3, in term 5.",
            [Takes(n5, 3, 5, "y=5")],
        );
    }
    s.until(3_000, "index 2 overwritten", |w| {
        [n2, n3, n4].into_iter().all(|i| log_terms(w, i).get(1) == Some(&3))
    })?;
    // §5.3: a follower deletes a conflicting entry and all that follow it.
    let overwritten = [n2, n3, n4, n5].map(|i| Entry(i, 2, 3, "x=3"));
    if mistake {
        s.note(
            "n5's x=3 (term 3) now sits at index 2 on every live server: n2, n3 and n4 deleted \
             x=2, the entry n1 committed (§5.3).",
            overwritten.into_iter().chain([Entry(n1, 2, 2, "x=2")]),
        );
        s.until(500, "n5 commits index 2", |w| w.node(n5).is_some_and(|n| n.commit_index() >= 2))?;
        let holders = known_to_hold(s.world(), n5, 2);
        let on = and_list(&[&[n5][..], &holders].concat());
        // §5.4.3: State Machine Safety, one entry applied per index.
        s.note(
            format!(
                "With the mistake, n5 counts the replicas of x=3 ({on}) and commits \
                 it, though it is of term 3, not 5. It applies x=3 at index 2, where n1 applied \
                 x=2: State Machine Safety turns red (§5.4.3)."
            ),
            holders.iter().map(|&f| MatchIndex(n5, f, 2)).chain([
                Commits(n5, 2),
                Applied(n5, "x", 3),
                Breaks("State Machine Safety"),
            ]),
        );
        s.until(3_000, "index 2 applied everywhere", |w| {
            [n2, n3, n4].into_iter().all(|i| w.node(i).is_some_and(|n| n.last_applied() >= 2))
        })?;
        s.note(
            "n2, n3 and n4 learn from n5 that index 2 is committed and apply x=3 (State \
             Machine Safety is found broken again at each). Every live state machine holds \
             x=3, but n1 applied x=2 at the same index: a committed entry was lost.",
            [n2, n3, n4, n5]
                .map(|i| Applied(i, "x", 3))
                .into_iter()
                .chain([StillBroken("State Machine Safety")]),
        );
    } else {
        s.note(
            "n5's x=3 (term 3) now sits at index 2 on every live server: n2, n3 and n4 deleted \
             x=2 (§5.3). That is safe: x=2 was never committed.",
            overwritten.into_iter().chain([CommitIndex(n5, 0), NothingBroken]),
        );
        s.until(3_000, "n5 commits", |w| w.node(n5).is_some_and(|n| n.commit_index() == 3))?;
        let holders = known_to_hold(s.world(), n5, 3);
        let on = and_list(&[&[n5][..], &holders].concat());
        // §5.4.2: committing an entry of the current term commits every
        // entry before it (Log Matching).
        s.note(
            format!(
                "y=5 (term 5) is now on a majority ({on}), so n5 commits it, and \
                 with it x=3 at index 2: an entry of the leader's own term commits every entry \
                 before it (§5.4.2). n5 applies x=3, then y=5. Every property holds."
            ),
            holders.iter().map(|&f| MatchIndex(n5, f, 3)).chain([
                Commits(n5, 3),
                Commits(n5, 2),
                Applied(n5, "x", 3),
                Applied(n5, "y", 5),
                NothingBroken,
            ]),
        );
    }
    Ok(s.finish())
}

pub(super) fn figure_8_correct() -> Result<Written, String> {
    figure_8(false)
}

pub(super) fn figure_8_mistake() -> Result<Written, String> {
    figure_8(true)
}
