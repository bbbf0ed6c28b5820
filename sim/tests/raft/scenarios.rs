//! The paper's scenarios as named tests with fixed seeds.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use caucus_sim::raft::config::InitialServer;
use caucus_sim::raft::messages::Message;
use caucus_sim::raft::view::log_terms;
use caucus_sim::raft::{Mistake, RaftCommand, RaftConfig, Role};
use caucus_sim::{Action, MILLIS, NodeId, World};

use super::*;

/// §5.2: when the leader crashes, the others time out and elect a new one in
/// a higher term; committed entries survive.
#[test]
fn leader_crash_and_re_election() {
    let mut w = world(RaftConfig::raftscope(5), 21);
    run_until(&mut w, 2_000, "a leader", |w| leader(w).is_some());
    let old = leader(&w).unwrap();
    let term = w.node(old).unwrap().current_term();
    request(&mut w, old, "x=1");
    run_until(&mut w, 2_000, "x=1 applied on all", |w| {
        (0..5).all(|i| w.node(n(i)).unwrap().value("x") == Some(1))
    });
    w.apply(&Action::Crash(old)).unwrap();
    run_until(&mut w, 3_000, "a new leader", |w| leader(w).is_some_and(|l| l != old));
    let new = leader(&w).unwrap();
    assert!(w.node(new).unwrap().current_term() > term);
    assert_eq!(
        w.node(new).unwrap().log().last_index(),
        1,
        "the committed entry is in the new leader's log"
    );
}

/// §5.2: two candidates split the vote; randomized timeouts make one of them
/// (or another server) time out first in a later term and win.
#[test]
fn split_vote_resolved_by_randomized_timeouts() {
    let mut w = world(RaftConfig::raftscope(4), 22);
    // n1 and n2 time out together.
    for c in [n(0), n(1)] {
        let timer = w.pending_timers().find(|t| t.node == c).unwrap().id;
        w.apply(&Action::Fire(timer)).unwrap();
    }
    let vote_request = |w: &World<_>, from: NodeId, to: NodeId| {
        w.in_flight()
            .find(|m| {
                m.from == from && m.to == to && matches!(m.message, Message::RequestVote { .. })
            })
            .unwrap()
            .id
    };
    // n3 hears n1 first and n4 hears n2 first: two votes each, three needed.
    let first = vote_request(&w, n(0), n(2));
    w.apply(&Action::Deliver(first)).unwrap();
    let second = vote_request(&w, n(1), n(3));
    w.apply(&Action::Deliver(second)).unwrap();
    run_until(&mut w, 200, "both candidates hold two votes", |w| {
        w.node(n(0)).unwrap().votes().len() == 2 && w.node(n(1)).unwrap().votes().len() == 2
    });
    let split_term = w.node(n(0)).unwrap().current_term();
    assert_eq!(w.node(n(1)).unwrap().current_term(), split_term);
    run_until(&mut w, 3_000, "a leader in a later term", |w| leader(w).is_some());
    let l = leader(&w).unwrap();
    assert!(w.node(l).unwrap().current_term() > split_term, "nobody won the split term");
    assert_eq!(leaders(&w).len(), 1);
}

/// §5.4 / §6: a leader cut off with a minority cannot commit; the majority
/// elects a new leader; after healing, the old leader steps down and its
/// uncommitted entry is replaced.
#[test]
fn minority_partitioned_leader_cannot_commit() {
    let mut w = world(RaftConfig::raftscope(5), 23);
    run_until(&mut w, 2_000, "a leader", |w| leader(w).is_some());
    let old = leader(&w).unwrap();
    let buddy = (0..5).map(n).find(|&f| f != old).unwrap();
    let majority: Vec<NodeId> = (0..5).map(n).filter(|&f| f != old && f != buddy).collect();
    w.apply(&Action::Partition(vec![vec![old, buddy]])).unwrap();
    request(&mut w, old, "x=1");
    assert_eq!(steps(&mut w, 2_000), vec![]);
    assert_eq!(w.node(old).unwrap().commit_index(), 0, "two of five cannot commit");
    assert_eq!(w.node(old).unwrap().role(), Role::Leader, "it still believes it leads");
    let new = leader(&w).filter(|l| majority.contains(l)).expect("the majority elected a leader");
    request(&mut w, new, "x=2");
    run_until(&mut w, 2_000, "the majority commits x=2", |w| {
        w.node(new).unwrap().commit_index() == 1
    });

    w.apply(&Action::Heal).unwrap();
    run_until(&mut w, 2_000, "the old leader steps down and takes the new log", |w| {
        let o = w.node(old).unwrap();
        o.role() == Role::Follower && o.value("x") == Some(2)
    });
    assert_eq!(
        w.node(old).unwrap().log().entries()[0].command.to_string(),
        "x=2",
        "x=1 was replaced"
    );
    assert_eq!(leaders(&w), vec![(new, w.node(new).unwrap().current_term())]);
}

/// Figure 7: a new leader of term 8 repairs followers (a) to (f), whatever
/// they are missing or have extra.
#[test]
fn figure_7_logs_repaired() {
    for conflict_hint in [false, true] {
        let initial = InitialServer::all(&[
            (7, &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6]),       // the leader-to-be
            (6, &[1, 1, 1, 4, 4, 5, 5, 6, 6]),          // (a)
            (4, &[1, 1, 1, 4]),                         // (b)
            (6, &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6]),    // (c)
            (7, &[1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7]), // (d)
            (4, &[1, 1, 1, 4, 4, 4, 4]),                // (e)
            (3, &[1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]),    // (f)
        ]);
        let config = RaftConfig { initial, conflict_hint, ..RaftConfig::raftscope(7) };
        let mut w = world(config, 24);
        w.apply(&Action::Command { node: n(0), command: RaftCommand::ForceElection }).unwrap();
        run_until(&mut w, 500, "n1 leads term 8", |w| leader(w) == Some(n(0)));
        assert_eq!(w.node(n(0)).unwrap().current_term(), 8);
        request(&mut w, n(0), "y=8");
        let leader_log = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 8];
        run_until(&mut w, 20_000, "every follower holds the leader's log", |w| {
            (0..7).all(|i| log_terms(w, n(i)) == leader_log)
        });
        run_until(&mut w, 2_000, "all of it committed everywhere", |w| {
            (0..7).all(|i| w.node(n(i)).unwrap().commit_index() == 11)
        });
    }
}

/// Figure 8's servers S1..S5 at the moment of (c): S1 about to lead term 4
/// with the term-2 entry at index 2, S5 holding a term-3 entry there.
fn figure_8(mistake: bool) -> World<caucus_sim::raft::RaftNode> {
    let initial =
        InitialServer::all(&[(3, &[1, 2]), (2, &[1, 2]), (3, &[1]), (3, &[1]), (3, &[1, 3])]);
    let mut config = RaftConfig { initial, ..RaftConfig::raftscope(5) };
    if mistake {
        config = config.with_mistake(Mistake::CommitOlderTermByCounting);
    }
    let mut w = world(config, 25);
    w.apply(&Action::Crash(n(4))).unwrap();
    w.apply(&Action::Command { node: n(0), command: RaftCommand::ForceElection }).unwrap();
    w
}

/// Figure 8 (c) then (d): S1 replicates the term-2 entry to a majority and
/// crashes; S5 is elected and overwrites it. Correct Raft never committed
/// it, so nothing breaks; with the mistake, S1 committed it by counting and
/// the invariants catch the overwrite.
#[test]
fn figure_8_with_and_without_the_mistake() {
    for mistake in [false, true] {
        let mut w = figure_8(mistake);
        let mut found = Vec::new();
        let mut step_until = |w: &mut World<_>, limit: u32, done: &dyn Fn(&World<_>) -> bool| {
            for _ in 0..limit {
                if done(w) {
                    return;
                }
                let step = w.apply(&Action::Step).unwrap();
                found.extend(violation(step));
            }
            panic!("the scenario did not reach its next state (mistake {mistake})");
        };
        step_until(&mut w, 500, &|w| leader(w) == Some(n(0)));
        assert_eq!(w.node(n(0)).unwrap().current_term(), 4);
        // (c): the term-2 entry reaches S3, so a majority (S1, S2, S3) stores it.
        step_until(&mut w, 2_000, &|w| {
            w.node(n(0)).unwrap().leader_state().unwrap().match_index[2] == 2
                && (1..4).all(|i| w.node(n(i)).unwrap().commit_index() >= u64::from(mistake) * 2)
        });
        assert_eq!(w.node(n(0)).unwrap().commit_index(), if mistake { 2 } else { 0 });
        // (d): S1 crashes; S5 restarts and times out at once, twice (its first
        // try is in term 4, where everyone already voted for S1), and is
        // elected in term 5 with votes from S2, S3 and S4.
        w.apply(&Action::Crash(n(0))).unwrap();
        w.apply(&Action::Restart(n(4))).unwrap();
        for _ in 0..2 {
            w.apply(&Action::Command { node: n(4), command: RaftCommand::ForceElection }).unwrap();
        }
        step_until(&mut w, 3_000, &|w| leader(w) == Some(n(4)));
        assert_eq!(w.node(n(4)).unwrap().current_term(), 5);
        request(&mut w, n(4), "y=5");
        step_until(&mut w, 3_000, &|w| (1..5).all(|i| log_terms(w, n(i))[1] == 3));
        step_until(&mut w, 3_000, &|w| w.node(n(4)).unwrap().commit_index() == 3);
        steps(&mut w, 500).into_iter().for_each(|v| found.push(v));
        if mistake {
            let properties: Vec<&str> = found.iter().map(|v| v.property.as_str()).collect();
            assert!(properties.contains(&"Leader Completeness"), "{found:#?}");
            assert!(properties.contains(&"State Machine Safety"), "{found:#?}");
        } else {
            assert_eq!(found, vec![], "correct Raft never committed the term-2 entry");
        }
    }
}

/// Figure 8 (e): if S1 first replicates an entry of its own term 4 to a
/// majority, both entries commit and S5 can no longer be elected.
#[test]
fn figure_8_e_a_current_term_entry_protects_the_older_one() {
    let mut w = figure_8(false);
    run_until(&mut w, 500, "S1 leads term 4", |w| leader(w) == Some(n(0)));
    request(&mut w, n(0), "z=4");
    run_until(&mut w, 3_000, "S1 commits index 3 and with it index 2", |w| {
        w.node(n(0)).unwrap().commit_index() == 3
    });
    run_until(&mut w, 3_000, "a majority holds index 3", |w| {
        (1..4).filter(|&i| log_terms(w, n(i)).len() == 3).count() >= 2
    });
    w.apply(&Action::Crash(n(0))).unwrap();
    w.apply(&Action::Restart(n(4))).unwrap();
    assert_eq!(steps(&mut w, 4_000), vec![]);
    assert_ne!(leader(&w), Some(n(4)), "S5's log is behind a majority's");
    let _ = MILLIS;
}
