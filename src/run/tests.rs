#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use caucus_sim::raft::{RaftConfig, RaftNode, Role};
use caucus_sim::{Action, LinkParams, NodeId};

use super::*;

fn run() -> Run<RaftNode> {
    Run::new(RaftConfig::raftscope(5), 1, LinkParams::default())
}

fn play_until_leader(r: &mut Run<RaftNode>) -> NodeId {
    for _ in 0..10_000 {
        if let Some(l) = RaftNode::leader(r.world()) {
            return l;
        }
        r.step().unwrap();
    }
    panic!("no leader after 10,000 steps");
}

#[test]
fn stepping_back_shows_exactly_the_previous_state_and_stepping_on_redoes_it() {
    let mut r = run();
    for _ in 0..40 {
        r.step().unwrap();
    }
    let at_39 = {
        let mut other = run();
        for _ in 0..39 {
            other.step().unwrap();
        }
        other.world().trace_hash()
    };
    let at_40 = r.world().trace_hash();
    r.step_back();
    assert_eq!((r.cursor(), r.len()), (39, 40));
    assert_eq!(r.world().trace_hash(), at_39);
    assert_eq!(r.shown_time(), r.world().now());
    r.step().unwrap();
    assert_eq!((r.cursor(), r.world().trace_hash()), (40, at_40), "the recorded step is redone");
}

#[test]
fn the_previous_world_is_one_step_back_after_steps_and_seeks() {
    let mut r = run();
    for _ in 0..30 {
        r.step().unwrap();
    }
    assert_eq!(r.previous().unwrap().step(), 29);
    r.seek(12);
    assert_eq!((r.world().step(), r.previous().unwrap().step()), (12, 11));
    r.seek(0);
    assert!(r.previous().is_none());
}

#[test]
fn an_intervention_in_the_past_forks_the_run() {
    let mut r = run();
    for _ in 0..50 {
        r.step().unwrap();
    }
    r.seek(20);
    r.act(Action::Crash(NodeId(0))).unwrap();
    assert_eq!((r.cursor(), r.len(), r.history().len()), (21, 21, 22));
    assert!(r.history().get(21).unwrap().by_user);
    assert!(r.world().node(NodeId(0)).is_none());
}

#[test]
fn a_refused_action_changes_nothing_even_between_events() {
    let mut r = run();
    r.step().unwrap();
    r.tick(1.0, 1.0); // shown time moves a little, no event yet
    let (len, hash) = (r.len(), r.world().trace_hash());
    let err = r.act(Action::Restart(NodeId(1))).unwrap_err();
    assert_eq!(err.to_string(), "n2 is already running");
    assert_eq!((r.len(), r.world().trace_hash()), (len, hash));
}

#[test]
fn acting_between_events_lets_time_pass_to_the_shown_time_first() {
    let mut r = run();
    r.step().unwrap();
    let before = r.world().now();
    assert_eq!(r.tick(2.0, 1000.0), TickEnd::Playing); // 2 ms of virtual time
    let shown = r.shown_time();
    assert!(shown > before && shown < r.world().next_event_time().unwrap());
    r.act(Action::Crash(NodeId(2))).unwrap();
    assert_eq!(r.actions()[r.actions().len() - 2], Action::AdvanceTo(shown));
    assert_eq!(r.world().now(), shown);
}

#[test]
fn play_elects_a_leader_and_marks_the_step() {
    let mut r = run();
    let mut ticks = 0;
    while RaftNode::leader(r.world()).is_none() {
        assert_eq!(r.tick(16.0, 100.0), TickEnd::Playing);
        ticks += 1;
        assert!(ticks < 1_000, "no leader after {ticks} frames");
    }
    let leader = RaftNode::leader(r.world()).unwrap();
    let mark = r.history().marks().find(|m| m.new_leader.is_some()).expect("a leader mark");
    assert_eq!(mark.new_leader, Some(leader));
    assert!(mark.lines.iter().any(|l| l.text.contains("becomes leader")), "{:?}", mark.lines);
}

#[test]
fn play_stops_at_a_violation() {
    use caucus_sim::raft::{Mistake, Timer};
    // Figure 2's votedFor forgotten on restart: n2 votes for n1, restarts,
    // then votes for n3 in the same term. The votes' replies are still in
    // flight when play starts; the second leader of term 1 stops it.
    let config = RaftConfig::raftscope(3).with_mistake(Mistake::ForgetVotedForOnRestart);
    let mut r: Run<RaftNode> = Run::new(config, 1, LinkParams::default());
    let fire = |r: &mut Run<RaftNode>, node: u32| {
        let t = r
            .world()
            .pending_timers()
            .find(|t| t.node == NodeId(node) && t.timer == Timer::Election);
        r.act(Action::Fire(t.unwrap().id)).unwrap();
    };
    let deliver = |r: &mut Run<RaftNode>, from: u32, to: u32| {
        let m = r.world().in_flight().find(|m| m.from == NodeId(from) && m.to == NodeId(to));
        r.act(Action::Deliver(m.unwrap().id)).unwrap();
    };
    fire(&mut r, 0);
    fire(&mut r, 2);
    deliver(&mut r, 0, 1);
    r.act(Action::Crash(NodeId(1))).unwrap();
    r.act(Action::Restart(NodeId(1))).unwrap();
    deliver(&mut r, 2, 1);
    let mut end = TickEnd::Playing;
    for _ in 0..100 {
        end = r.tick(16.0, 100.0);
        if end != TickEnd::Playing {
            break;
        }
    }
    assert_eq!(end, TickEnd::Violation);
    let record = r.history().get(r.cursor()).unwrap();
    assert_eq!(record.violations[0].property, "Election Safety");
    assert_eq!(
        r.history().first_violation("Election Safety", r.cursor()),
        Some(&record.violations[0])
    );
    assert!(r.history().first_violation("Log Matching", r.cursor()).is_none());
}

#[test]
fn play_replays_recorded_interventions_in_the_past() {
    let mut r = run();
    let leader = play_until_leader(&mut r);
    r.act(Action::Crash(leader)).unwrap();
    for _ in 0..20 {
        r.step().unwrap();
    }
    let end = r.world().trace_hash();
    let len = r.len();
    r.seek(0);
    while r.cursor() < len {
        r.tick(16.0, 10_000.0);
    }
    // Play goes on past the recorded end with new steps; the recorded part is unchanged.
    r.seek(len);
    assert_eq!(r.world().trace_hash(), end);
    assert_eq!(r.world().node(leader).map(|n| n.role()), None::<Role>);
}

#[test]
fn after_a_frame_of_many_steps_the_previous_world_is_still_one_step_back() {
    let mut r = run();
    assert_eq!(r.tick(16.0, 100_000.0), TickEnd::Playing); // 1.6 s: many events
    assert!(r.cursor() > 1);
    assert_eq!(r.previous().unwrap().step(), r.cursor() - 1);
    let mut other = run();
    other.seek(0);
    for _ in 0..r.cursor() - 1 {
        other.step().unwrap();
    }
    assert_eq!(r.previous().unwrap().trace_hash(), other.world().trace_hash());
}

#[test]
fn a_fork_drops_the_marks_of_the_discarded_future() {
    let mut r = run();
    let leader = play_until_leader(&mut r);
    let elected = r.cursor();
    r.act(Action::Crash(leader)).unwrap();
    r.seek(elected - 1);
    r.act(Action::Crash(NodeId((leader.0 + 1) % 5))).unwrap();
    let marks: Vec<u64> = r.history().marks().map(|m| m.step).collect();
    assert_eq!(marks, vec![elected], "only the new crash: the election and old crash were later");
}
