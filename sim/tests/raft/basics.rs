//! Raft's rules, one behaviour per test.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use caucus_sim::raft::config::InitialServer;
use caucus_sim::raft::{RaftCommand, RaftConfig, Role};
use caucus_sim::{Action, ActionError, MILLIS, TraceEvent};

use super::*;

#[test]
fn a_leader_is_elected_and_keeps_its_term_while_all_is_well() {
    let mut w = world(RaftConfig::raftscope(5), 1);
    run_until(&mut w, 2_000, "a leader", |w| leader(w).is_some());
    let (first, term) = leaders(&w)[0];
    assert_eq!(steps(&mut w, 3_000), vec![]);
    assert_eq!(
        leaders(&w),
        vec![(first, term)],
        "heartbeats keep the same leader in the same term"
    );
    for i in 0..5 {
        assert_eq!(w.node(n(i)).unwrap().current_term(), term);
    }
}

#[test]
fn a_client_request_is_committed_applied_everywhere_and_answered() {
    let mut w = world(RaftConfig::raftscope(5), 2);
    run_until(&mut w, 2_000, "a leader", |w| leader(w).is_some());
    let l = leader(&w).unwrap();
    assert_eq!(request(&mut w, l, "x=3"), Vec::<String>::new(), "no answer before commit");
    let mut answered = None;
    for _ in 0..2_000 {
        let step = w.apply(&Action::Step).unwrap();
        assert_eq!(violation(step), None);
        if let Some(text) = step.events().find_map(|e| match e {
            TraceEvent::ClientReply { node, text } if node == l => Some(text),
            _ => None,
        }) {
            answered = Some(text);
            break;
        }
    }
    let answer = answered.expect("the leader answers once applied");
    assert!(answer.starts_with("ok: x=3 is committed and applied at index 1"), "{answer}");
    run_until(&mut w, 2_000, "every server applies x=3", |w| {
        (0..5).all(|i| w.node(n(i)).unwrap().value("x") == Some(3))
    });
}

#[test]
fn a_follower_points_the_client_at_the_leader() {
    let mut w = world(RaftConfig::raftscope(3), 3);
    run_until(&mut w, 2_000, "a leader known to all", |w| {
        leader(w).is_some_and(|l| (0..3).all(|i| w.node(n(i)).unwrap().leader_hint() == Some(l)))
    });
    let l = leader(&w).unwrap();
    let follower = (0..3).map(n).find(|&f| f != l).unwrap();
    let replies = request(&mut w, follower, "y=1");
    assert_eq!(replies, vec![format!("y=1 refused: {follower} is not the leader; try {l}")]);
    assert!(w.node(follower).unwrap().log().entries().is_empty());
}

#[test]
fn a_crash_keeps_term_vote_and_log_and_loses_everything_else() {
    let mut w = world(RaftConfig::raftscope(3), 4);
    run_until(&mut w, 2_000, "a leader", |w| leader(w).is_some());
    let l = leader(&w).unwrap();
    request(&mut w, l, "x=7");
    let f = (0..3).map(n).find(|&f| f != l).unwrap();
    run_until(&mut w, 2_000, "the follower applies x=7", |w| {
        w.node(f).unwrap().value("x") == Some(7)
    });
    let before = w.node(f).unwrap().clone();
    w.apply(&Action::Crash(f)).unwrap();
    w.apply(&Action::Restart(f)).unwrap();
    let after = w.node(f).unwrap();
    assert_eq!(after.current_term(), before.current_term());
    assert_eq!(after.voted_for(), before.voted_for());
    assert_eq!(after.log(), before.log());
    assert_eq!((after.commit_index(), after.last_applied()), (0, 0), "volatile (Figure 2)");
    assert_eq!(after.value("x"), None, "the state machine is rebuilt from the log");
    assert_eq!(after.role(), Role::Follower);
    run_until(&mut w, 2_000, "the restarted follower re-applies x=7", |w| {
        w.node(f).unwrap().value("x") == Some(7)
    });
}

#[test]
fn a_one_server_cluster_elects_itself_and_commits_alone() {
    let mut w = world(RaftConfig::raftscope(1), 5);
    run_until(&mut w, 100, "a leader", |w| leader(w) == Some(n(0)));
    let replies = request(&mut w, n(0), "z=1");
    assert_eq!(replies.len(), 1);
    assert!(replies[0].starts_with("ok: z=1"), "{replies:?}");
}

#[test]
fn votes_and_refusals_say_why() {
    let mut w = world(RaftConfig::raftscope(3), 6);
    let mut said = Vec::new();
    for _ in 0..400 {
        w.apply(&Action::Step).unwrap();
        said.extend(notes(&w));
        if leader(&w).is_some() {
            break;
        }
    }
    assert!(
        said.iter()
            .any(|s| s.contains("votes for") && s.contains("its log is at least as up to date")),
        "{said:#?}"
    );
    assert!(said.iter().any(|s| s.contains("becomes leader for term")), "{said:#?}");
}

#[test]
fn force_election_fires_the_timeout_now_and_is_refused_on_a_leader() {
    let mut w = world(RaftConfig::raftscope(3), 7);
    run_until(&mut w, 2_000, "a leader", |w| leader(w).is_some());
    let l = leader(&w).unwrap();
    let term = w.node(l).unwrap().current_term();
    let refused = w.apply(&Action::Command { node: l, command: RaftCommand::ForceElection });
    assert!(matches!(refused, Err(ActionError::Refused { .. })));
    let f = (0..3).map(n).find(|&f| f != l).unwrap();
    w.apply(&Action::Command { node: f, command: RaftCommand::ForceElection }).unwrap();
    let node = w.node(f).unwrap();
    assert_eq!((node.role(), node.current_term()), (Role::Candidate, term + 1));
}

#[test]
fn leadership_transfer_hands_over_without_waiting_for_a_timeout() {
    let mut w = world(RaftConfig::raftscope(5), 8);
    run_until(&mut w, 2_000, "a leader", |w| leader(w).is_some());
    let l = leader(&w).unwrap();
    let term = w.node(l).unwrap().current_term();
    let target = (0..5).map(n).find(|&f| f != l).unwrap();
    let start = w.now();
    w.apply(&Action::Command { node: l, command: RaftCommand::TransferLeadership { to: target } })
        .unwrap();
    let refused = request(&mut w, l, "x=1");
    assert!(refused[0].contains("handing leadership over"), "{refused:?}");
    run_until(&mut w, 500, "the target leads", |w| leader(w) == Some(target));
    assert_eq!(w.node(target).unwrap().current_term(), term + 1);
    assert!(w.now() - start < 100 * MILLIS, "faster than any election timeout");
    let bad = w.apply(&Action::Command {
        node: target,
        command: RaftCommand::TransferLeadership { to: target },
    });
    assert!(matches!(bad, Err(ActionError::Refused { .. })));
}

#[test]
fn check_quorum_makes_an_isolated_leader_step_down() {
    let config = RaftConfig { check_quorum: true, ..RaftConfig::raftscope(5) };
    let mut w = world(config, 9);
    run_until(&mut w, 2_000, "a leader", |w| leader(w).is_some());
    let l = leader(&w).unwrap();
    w.apply(&Action::Partition(vec![vec![l]])).unwrap();
    run_until(&mut w, 3_000, "the isolated leader steps down", |w| {
        w.node(l).unwrap().role() != Role::Leader
    });
    let without = world(RaftConfig::raftscope(5), 9);
    let mut without = without;
    run_until(&mut without, 2_000, "a leader", |w| leader(w).is_some());
    let l2 = leader(&without).unwrap();
    without.apply(&Action::Partition(vec![vec![l2]])).unwrap();
    steps(&mut without, 3_000);
    assert_eq!(
        without.node(l2).unwrap().role(),
        Role::Leader,
        "without CheckQuorum it never learns"
    );
}

#[test]
fn pre_vote_keeps_an_isolated_server_from_raising_its_term() {
    for pre_vote in [false, true] {
        let config = RaftConfig { pre_vote, ..RaftConfig::raftscope(5) };
        let mut w = world(config, 10);
        run_until(&mut w, 2_000, "a leader", |w| leader(w).is_some());
        let l = leader(&w).unwrap();
        let loner = (0..5).map(n).find(|&f| f != l).unwrap();
        let term = w.node(loner).unwrap().current_term();
        w.apply(&Action::Partition(vec![vec![loner]])).unwrap();
        steps(&mut w, 3_000);
        let after = w.node(loner).unwrap().current_term();
        if pre_vote {
            assert_eq!(after, term, "PreVote: no majority would vote, so the term stays");
        } else {
            assert!(
                after > term + 2,
                "without PreVote each timeout raises the term ({term} → {after})"
            );
        }
    }
}

#[test]
fn several_entries_travel_in_one_append_entries_when_allowed() {
    let config = RaftConfig { max_entries_per_append: 8, ..RaftConfig::raftscope(3) };
    let mut w = world(config, 11);
    run_until(&mut w, 2_000, "a leader", |w| leader(w).is_some());
    let l = leader(&w).unwrap();
    let f = (0..3).map(n).find(|&f| f != l).unwrap();
    w.apply(&Action::Crash(f)).unwrap();
    for i in 0..5 {
        request(&mut w, l, &format!("k{i}={i}"));
    }
    w.apply(&Action::Restart(f)).unwrap();
    let mut biggest = 0;
    for _ in 0..600 {
        let events: Vec<_> = w.apply(&Action::Step).unwrap().events().collect();
        for e in &events {
            if let TraceEvent::Sent { id, .. } = e
                && let Some(m) = w.message(*id)
                && let caucus_sim::raft::messages::Message::AppendEntries { entries, .. } =
                    &m.message
            {
                biggest = biggest.max(entries.len());
            }
        }
    }
    assert!(biggest >= 2, "a batch of {biggest}");
    assert_eq!(w.node(f).unwrap().log().last_index(), 5);
}

#[test]
fn impossible_configurations_are_explained() {
    assert!(RaftConfig::raftscope(0).problem().unwrap().contains("1 to 9"));
    assert!(RaftConfig::raftscope(10).problem().unwrap().contains("1 to 9"));
    let backwards = RaftConfig { election_timeout_min: 300 * MILLIS, ..RaftConfig::raftscope(3) };
    assert!(backwards.problem().is_some());
    let wrong_count = RaftConfig {
        initial: vec![InitialServer { current_term: 1, log_terms: vec![1], values: Vec::new() }],
        ..RaftConfig::raftscope(3)
    };
    assert!(wrong_count.problem().unwrap().contains("starting logs"));
    let one = |values: Vec<i64>| InitialServer { current_term: 1, log_terms: vec![1], values };
    let wrong_values = RaftConfig {
        initial: vec![one(vec![7, 8]), one(vec![]), one(vec![3])],
        ..RaftConfig::raftscope(3)
    };
    assert!(wrong_values.problem().unwrap().contains("n1 has 2 starting values for 1 log entries"));
    assert_eq!(
        RaftConfig {
            initial: vec![one(vec![]), one(vec![3]), one(vec![])],
            ..RaftConfig::raftscope(3)
        }
        .problem(),
        None
    );
    assert_eq!(RaftConfig::raftscope(9).problem(), None);
}

#[test]
fn the_view_shows_roles_logs_commit_marks_indexes_timers_and_values() {
    use caucus_sim::raft::view;
    let mut w = world(RaftConfig::raftscope(3), 12);
    run_until(&mut w, 2_000, "a leader", |w| leader(w).is_some());
    let l = leader(&w).unwrap();
    request(&mut w, l, "x=5");
    run_until(&mut w, 2_000, "x=5 applied everywhere", |w| {
        (0..3).all(|i| w.node(n(i)).unwrap().value("x") == Some(5))
    });
    let f = (0..3).map(n).find(|&f| f != l).unwrap();
    w.apply(&Action::Crash(f)).unwrap();
    request(&mut w, l, "y=6");

    let servers = view::servers_from(&w, 1);
    let lv = &servers[l.index()];
    assert_eq!(lv.role, Some(Role::Leader));
    assert_eq!(
        lv.log.iter().map(|e| (e.command.as_str(), e.committed)).collect::<Vec<_>>(),
        vec![("x=5", true), ("y=6", false)]
    );
    assert_eq!(lv.peers.len(), 2);
    assert!(lv.peers.iter().all(|p| p.match_index >= 1 && p.next_index >= 2));
    assert_eq!(lv.state_machine, vec![("x".to_string(), 5)]);
    assert_eq!(lv.election_timer, None, "a leader has no election timer");

    let fv = &servers[f.index()];
    assert_eq!(fv.role, None, "crashed");
    assert_eq!(fv.log.len(), 1, "its durable log is still shown");
    let live = (0..3).map(n).find(|&o| o != l && o != f).unwrap();
    let ov = &servers[live.index()];
    assert_eq!(ov.role, Some(Role::Follower));
    assert_eq!(ov.leader_hint, Some(l));
    let progress = ov.election_progress(w.now()).expect("a follower's election timer runs");
    assert!(progress <= 1000);
}

/// Heartbeats re-arm every follower's election timer; the queue must not
/// keep an entry per re-arm, or a long run would grow without bound.
#[test]
fn re_armed_timers_do_not_pile_up_in_the_queue() {
    let mut w = world(RaftConfig::raftscope(5), 13);
    run_until(&mut w, 2_000, "a leader", |w| leader(w).is_some());
    for _ in 0..20_000 {
        w.apply(&Action::Step).unwrap();
        let live = w.in_flight().count() + w.pending_timers().count();
        assert!(
            w.queue_len() <= 2 * live + 5,
            "{} queue entries for {live} live events",
            w.queue_len()
        );
    }
}

#[test]
fn the_raftscope_timing_preset_changes_timing_only() {
    let mut mine =
        RaftConfig::raftscope(3).with_mistake(caucus_sim::raft::Mistake::ForgetVotedForOnRestart);
    (mine.election_timeout_min, mine.election_timeout_max, mine.heartbeat_interval) = (1, 2, 3);
    mine.max_entries_per_append = 9;
    mine.pre_vote = true;
    let preset = mine.clone().with_raftscope_timing();
    assert_eq!(
        RaftConfig { pre_vote: true, mistakes: mine.mistakes.clone(), ..RaftConfig::raftscope(3) },
        preset
    );
}
