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

/// The same run, replayed to one step before `r`'s cursor.
fn one_step_back(r: &Run<RaftNode>) -> Run<RaftNode> {
    let config = r.config().clone();
    Run::replay(config, r.seed(), r.links(), &r.actions().to_vec(), r.cursor() - 1, None).unwrap()
}

/// What the inspector compares a node against is its state one step back:
/// checked against a second run replayed to there. Returns whether the
/// step at the cursor changed the node (so both cases get tested).
fn check_before(r: &Run<RaftNode>, id: NodeId) -> bool {
    let then = RaftNode::node_fields(one_step_back(r).world(), id);
    match r.fields_before(id) {
        Some(before) => {
            assert_eq!(before, then, "at step {}", r.cursor());
            true
        }
        None => {
            let now = RaftNode::node_fields(r.world(), id);
            assert_eq!(now, then, "step {} changed {id} but kept nothing", r.cursor());
            false
        }
    }
}

#[test]
fn the_watched_nodes_state_one_step_back_is_kept_through_steps_seeks_and_frames() {
    let mut r = run();
    let watched = NodeId(2);
    r.watch(Some(watched));
    let mut changed = 0;
    for _ in 0..200 {
        r.step().unwrap();
        changed += usize::from(check_before(&r, watched));
    }
    assert!(changed > 5, "only {changed} of 200 steps changed {watched}");
    r.seek(12);
    check_before(&r, watched);
    r.step_back();
    assert_eq!(r.cursor(), 11);
    check_before(&r, watched);
    // A frame of many steps keeps the last one's.
    r.seek(r.len());
    assert_eq!(r.tick(16.0, 100_000.0), TickEnd::Playing);
    check_before(&r, watched);
    r.seek(0);
    assert_eq!(r.fields_before(watched), None);
}

#[test]
fn watching_a_node_the_last_step_changed_finds_its_state_before_that_step() {
    let mut r = run();
    r.step().unwrap();
    let mut steps = 0;
    // Step, unwatched, until a step changes a node; then watch it.
    let touched = loop {
        r.step().unwrap();
        steps += 1;
        assert!(steps < 100, "no step changed a node");
        let mut other = one_step_back(&r);
        let found = (0..5).map(NodeId).find(|&id| {
            RaftNode::node_fields(r.world(), id) != RaftNode::node_fields(other.world(), id)
        });
        other.seek(0);
        if let Some(id) = found {
            break id;
        }
    };
    assert_eq!(r.fields_before(touched), None, "not watched: nothing kept");
    r.watch(Some(touched));
    assert!(check_before(&r, touched));
    // An intervention on the watched node keeps its state before it too.
    r.act(Action::Crash(touched)).unwrap();
    assert!(check_before(&r, touched));
}

#[test]
fn a_message_taken_out_of_flight_keeps_its_times() {
    let mut r = run();
    r.step().unwrap();
    let m = r.world().in_flight().next().expect("a message in flight").clone();
    r.act(Action::Drop(m.id)).unwrap();
    assert_eq!(r.taken_message(m.id), Some((m.sent_at, m.arrives_at)));
    r.step().unwrap();
    assert_eq!(r.taken_message(m.id), None, "only the step at the cursor's");
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
    let lines = mark.lines(&|id| RaftNode::node_label(r.config(), id));
    assert!(lines.iter().any(|l| l.text.contains("becomes leader")), "{lines:?}");
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
    assert_eq!(record.violations()[0].property, "Election Safety");
    assert_eq!(
        r.history().first_violation("Election Safety", r.cursor()),
        Some(&record.violations()[0])
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
fn a_fork_drops_the_marks_of_the_discarded_future() {
    let mut r = run();
    let leader = play_until_leader(&mut r);
    let elected = r.cursor();
    r.act(Action::Crash(leader)).unwrap();
    r.seek(elected - 1);
    r.act(Action::Crash(NodeId((leader.0 + 1) % 5))).unwrap();
    let marks: Vec<u64> = r.history().marks().map(|m| m.step()).collect();
    assert_eq!(marks, vec![elected], "only the new crash: the election and old crash were later");
}

#[test]
fn play_stops_where_the_run_is_full_and_says_why() {
    let mut r = run();
    r.set_max_steps(30);
    let mut end = TickEnd::Playing;
    for _ in 0..1000 {
        end = r.tick(16.0, 100_000.0);
        if end != TickEnd::Playing {
            break;
        }
    }
    assert_eq!(end, TickEnd::Refused(caucus_sim::ActionError::RunFull { most: 30 }));
    assert_eq!((r.cursor(), r.len()), (30, 30));
    assert!(r.step().is_err(), "a step by hand is refused too");
    r.step_back();
    assert!(r.step().is_ok(), "stepping again through the recorded past is not a new step");
}
