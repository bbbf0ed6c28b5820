//! The world's network behaviours, faults and actions, one test each, on the
//! ping-pong protocol. The same file runs natively and in headless Chromium.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use caucus_sim::network::{Blocked, PPM};
use caucus_sim::pingpong::{Add, Command, Config, Message, PingPong};
use caucus_sim::trace::DropReason;
use caucus_sim::{
    Action, ActionError, LinkParams, MILLIS, MessageId, NodeId, Protocol, TraceEvent, World,
};

fn n(i: u32) -> NodeId {
    NodeId(i)
}

fn world(nodes: u32, links: LinkParams) -> World<PingPong> {
    World::new(Config::new(nodes), 42, links)
}

fn steps(w: &mut World<PingPong>, count: usize) -> Vec<TraceEvent> {
    let mut events = Vec::new();
    for _ in 0..count {
        events
            .extend(w.apply(&Action::Step).expect("ping-pong always has a timer pending").events());
    }
    events
}

fn sent(events: &[TraceEvent]) -> Vec<(MessageId, u64, u64)> {
    events
        .iter()
        .filter_map(|e| match e {
            TraceEvent::Sent { id, sent_at, arrives_at, .. } => Some((*id, *sent_at, *arrives_at)),
            _ => None,
        })
        .collect()
}

fn drops(events: &[TraceEvent]) -> Vec<DropReason> {
    events
        .iter()
        .filter_map(|e| match e {
            TraceEvent::Dropped { reason, .. } => Some(*reason),
            _ => None,
        })
        .collect()
}

/// Runs until a message is in flight and returns its id.
fn first_in_flight(w: &mut World<PingPong>) -> MessageId {
    while w.in_flight().next().is_none() {
        w.apply(&Action::Step).unwrap();
    }
    w.in_flight().next().unwrap().id
}

#[test]
fn boot_sets_every_nodes_first_timer_and_nothing_else() {
    let w = world(5, LinkParams::default());
    assert_eq!(w.step(), 0);
    assert_eq!(w.pending_timers().count(), 5);
    assert_eq!(w.in_flight().count(), 0);
    assert!((0..5).all(|i| w.node(n(i)).is_some()));
}

#[test]
fn latency_stays_within_the_links_range() {
    let links =
        LinkParams { latency_min: 3 * MILLIS, latency_max: 9 * MILLIS, ..LinkParams::default() };
    let mut w = world(5, links);
    let events = steps(&mut w, 2_000);
    let sends = sent(&events);
    assert!(sends.len() > 500, "{} sends", sends.len());
    let latencies: Vec<u64> = sends.iter().map(|(_, s, a)| a - s).collect();
    assert!(latencies.iter().all(|l| (3 * MILLIS..=9 * MILLIS).contains(l)));
    assert!(latencies.iter().any(|&l| l < 4 * MILLIS) && latencies.iter().any(|&l| l > 8 * MILLIS));
}

#[test]
fn events_happen_in_time_order() {
    let mut w = world(7, LinkParams::default());
    let mut last = 0;
    for _ in 0..3_000 {
        let time = w.apply(&Action::Step).unwrap().time;
        assert!(time >= last);
        last = time;
    }
}

#[test]
fn total_loss_loses_every_message_and_none_arrives() {
    let mut w = world(5, LinkParams { loss_ppm: PPM, ..LinkParams::default() });
    let events = steps(&mut w, 500);
    assert!(!sent(&events).is_empty());
    assert_eq!(drops(&events).len(), sent(&events).len());
    assert!(drops(&events).iter().all(|r| *r == DropReason::Lost));
    assert!(!events.iter().any(|e| matches!(e, TraceEvent::Delivered { .. })));
}

#[test]
fn partial_loss_loses_about_its_share() {
    let mut w = world(5, LinkParams { loss_ppm: PPM / 4, ..LinkParams::default() });
    let events = steps(&mut w, 8_000);
    let (lost, total) = (drops(&events).len() as f64, sent(&events).len() as f64);
    let share = lost / total;
    assert!((0.2..0.3).contains(&share), "{lost} of {total} lost");
}

#[test]
fn total_duplication_delivers_every_message_twice() {
    let mut w = world(3, LinkParams { duplicate_ppm: PPM, ..LinkParams::default() });
    let events = steps(&mut w, 1_000);
    let copies =
        events.iter().filter(|e| matches!(e, TraceEvent::Sent { copy_of: Some(_), .. })).count();
    let originals =
        events.iter().filter(|e| matches!(e, TraceEvent::Sent { copy_of: None, .. })).count();
    assert!(originals > 50);
    assert_eq!(copies, originals, "each original has one copy, and copies are not copied");
}

#[test]
fn duplicated_pongs_break_the_ping_pong_invariant_and_the_hook_says_where() {
    let mut w = world(3, LinkParams { duplicate_ppm: PPM, ..LinkParams::default() });
    let violation = (0..2_000)
        .find_map(|_| {
            let step = w.apply(&Action::Step).unwrap();
            step.events().find_map(|e| match e {
                TraceEvent::Violation(v) => Some((step.step, v)),
                _ => None,
            })
        })
        .expect("a duplicated pong is counted twice");
    let (step, v) = violation;
    assert_eq!(v.property, "No more pongs than pings");
    assert_eq!(v.step, step);
    assert_eq!(v.nodes.len(), 1);
    assert!(w.violation_count() >= 1);
}

#[test]
fn a_partition_blocks_new_messages_and_those_already_in_flight() {
    let mut w = world(4, LinkParams::default());
    // Let messages get in flight, then split {n1 n2} from {n3 n4}.
    while w.in_flight().filter(|m| (m.from.0 < 2) != (m.to.0 < 2)).count() == 0 {
        w.apply(&Action::Step).unwrap();
    }
    w.apply(&Action::Partition(vec![vec![n(0), n(1)]])).unwrap();
    let events = steps(&mut w, 600);
    let mut crossing_delivered = 0;
    let mut blocked = 0;
    for e in &events {
        match e {
            TraceEvent::Delivered { from, to, .. } if (from.0 < 2) != (to.0 < 2) => {
                crossing_delivered += 1
            }
            TraceEvent::Dropped { reason: DropReason::Blocked(Blocked::Partitioned), .. } => {
                blocked += 1
            }
            _ => {}
        }
    }
    assert_eq!(crossing_delivered, 0);
    assert!(blocked > 10);
    assert!(
        events.iter().any(|e| matches!(e, TraceEvent::Delivered { .. })),
        "within groups all is well"
    );

    w.apply(&Action::Heal).unwrap();
    let healed = steps(&mut w, 600);
    assert!(healed.iter().any(
        |e| matches!(e, TraceEvent::Delivered { from, to, .. } if (from.0 < 2) != (to.0 < 2))
    ));
}

#[test]
fn a_cut_link_blocks_one_direction_until_restored() {
    let mut w = world(2, LinkParams::default());
    w.apply(&Action::Cut { from: n(0), to: n(1) }).unwrap();
    let events = steps(&mut w, 400);
    let delivered = |events: &[TraceEvent], a: u32, b: u32| {
        events
            .iter()
            .filter(
                |e| matches!(e, TraceEvent::Delivered { from, to, .. } if from.0 == a && to.0 == b),
            )
            .count()
    };
    assert_eq!(delivered(&events, 0, 1), 0);
    assert!(delivered(&events, 1, 0) > 0);
    w.apply(&Action::Restore { from: n(0), to: n(1) }).unwrap();
    assert!(delivered(&steps(&mut w, 400), 0, 1) > 0);
}

#[test]
fn a_crash_loses_volatile_state_timers_and_arriving_messages_but_keeps_durable_state() {
    let mut w = world(3, LinkParams::default());
    steps(&mut w, 300);
    let before = w.node(n(0)).unwrap().clone();
    assert!(before.round() > 0);
    w.apply(&Action::Crash(n(0))).unwrap();
    assert!(w.node(n(0)).is_none());
    assert!(w.pending_timers().all(|t| t.node != n(0)), "a crashed node has no timers");
    assert_eq!(w.durable(n(0)), Some(before.durable()));

    let events = steps(&mut w, 300);
    assert!(drops(&events).contains(&DropReason::ReceiverDown));
    assert!(!events.iter().any(|e| matches!(e, TraceEvent::Delivered { to, .. } if *to == n(0))));

    w.apply(&Action::Restart(n(0))).unwrap();
    let restarted = w.node(n(0)).unwrap();
    assert_eq!(restarted.round(), 0, "the round was volatile");
    assert_eq!(restarted.durable(), before.durable(), "the counters were durable");
    assert!(w.pending_timers().any(|t| t.node == n(0)), "boot set its timer again");
}

#[test]
fn a_chosen_message_is_delivered_now_ahead_of_its_time() {
    let mut w = world(5, LinkParams::default());
    let id = first_in_flight(&mut w);
    let now = w.now();
    let step = w.apply(&Action::Deliver(id)).unwrap();
    assert!(step.events().any(|e| matches!(e, TraceEvent::Delivered { id: d, .. } if d == id)));
    assert_eq!(w.now(), now, "delivering by hand does not move time");
    assert!(w.message(id).is_none());
}

#[test]
fn drop_and_duplicate_by_hand() {
    let mut w = world(5, LinkParams::default());
    let id = first_in_flight(&mut w);
    w.apply(&Action::Duplicate(id)).unwrap();
    let copies: Vec<_> = w.in_flight().filter(|m| m.copy_of == Some(id)).map(|m| m.id).collect();
    assert_eq!(copies.len(), 1);
    assert_eq!(w.message(copies[0]).unwrap().message, w.message(id).unwrap().message);
    let step = w.apply(&Action::Drop(id)).unwrap();
    assert_eq!(drops(&step.events().collect::<Vec<_>>()), vec![DropReason::ByUser]);
    assert!(w.message(id).is_none() && w.message(copies[0]).is_some());
}

#[test]
fn a_chosen_timer_fires_now() {
    let mut w = world(3, LinkParams::default());
    let timer = w.pending_timers().last().unwrap().clone();
    let step = w.apply(&Action::Fire(timer.id)).unwrap();
    assert!(
        step.events().any(|e| matches!(e, TraceEvent::TimerFired { id, .. } if id == timer.id))
    );
    assert_eq!(w.now(), 0);
    assert!(w.in_flight().any(|m| m.from == timer.node), "the tick sent a ping");
}

#[test]
fn requests_reach_the_node_and_are_noted() {
    let mut w = world(3, LinkParams::default());
    let step = w.apply(&Action::Request { node: n(1), request: Add(5) }).unwrap();
    assert!(step.events().any(|e| e.summary() == "n2 adds 5: total 5"));
    assert_eq!(w.node(n(1)).unwrap().durable().total, 5);
}

#[test]
fn a_command_applies_and_its_outputs_take_effect() {
    let mut w = world(3, LinkParams::default());
    w.apply(&Action::Command { node: n(2), command: Command::Pause }).unwrap();
    assert!(w.node(n(2)).unwrap().paused());
    assert!(w.pending_timers().all(|t| t.node != n(2)), "pausing cancelled the tick");
}

#[test]
fn advance_to_lets_time_pass_but_not_past_the_next_event() {
    let mut w = world(3, LinkParams::default());
    let next = w.next_event_time().unwrap();
    assert!(next > 1);
    w.apply(&Action::AdvanceTo(next - 1)).unwrap();
    assert_eq!(w.now(), next - 1);
    assert!(matches!(w.apply(&Action::AdvanceTo(next + 1)), Err(ActionError::BadTime { .. })));
    assert!(matches!(w.apply(&Action::AdvanceTo(0)), Err(ActionError::BadTime { .. })));
}

#[test]
fn run_until_performs_every_event_due_and_lands_on_the_time() {
    let mut w = world(5, LinkParams::default());
    let applied = w.run_until(500 * MILLIS);
    assert!(applied > 20);
    assert_eq!(w.now(), 500 * MILLIS);
    assert!(w.next_event_time().unwrap() > 500 * MILLIS);
}

/// Every impossible action is refused with its own error and changes nothing,
/// down to the node's random stream and the trace hash.
#[test]
fn impossible_actions_are_refused_and_change_nothing() {
    let mut w = world(3, LinkParams::default());
    steps(&mut w, 50);
    w.apply(&Action::Crash(n(2))).unwrap();
    w.apply(&Action::Cut { from: n(0), to: n(1) }).unwrap();
    let cases: Vec<(Action<PingPong>, ActionError)> = vec![
        (Action::Deliver(MessageId(999_999)), ActionError::UnknownMessage(MessageId(999_999))),
        (Action::Drop(MessageId(999_999)), ActionError::UnknownMessage(MessageId(999_999))),
        (Action::Duplicate(MessageId(999_999)), ActionError::UnknownMessage(MessageId(999_999))),
        (
            Action::Fire(caucus_sim::TimerId(999_999)),
            ActionError::UnknownTimer(caucus_sim::TimerId(999_999)),
        ),
        (Action::Crash(n(7)), ActionError::NoSuchNode { node: n(7), node_count: 3 }),
        (Action::Crash(n(2)), ActionError::NodeDown(n(2))),
        (Action::Restart(n(0)), ActionError::NodeUp(n(0))),
        (Action::Request { node: n(2), request: Add(1) }, ActionError::NodeDown(n(2))),
        (Action::Command { node: n(2), command: Command::Pause }, ActionError::NodeDown(n(2))),
        (Action::Cut { from: n(1), to: n(1) }, ActionError::SelfLink(n(1))),
        (
            Action::Restore { from: n(1), to: n(0) },
            ActionError::LinkNotCut { from: n(1), to: n(0) },
        ),
        (
            Action::Command { node: n(0), command: Command::Refuse },
            ActionError::Refused {
                node: n(0),
                reason: "ping-pong nodes refuse this command".into(),
            },
        ),
    ];
    for (action, expected) in cases {
        let before = format!("{w:?}");
        let hash = w.trace_hash();
        let got = w.apply(&action).map(|_| ()).unwrap_err();
        assert_eq!(got, expected, "{action:?}");
        assert!(!got.to_string().is_empty());
        assert_eq!(format!("{w:?}"), before, "{action:?} changed the world");
        assert_eq!(w.trace_hash(), hash);
    }
    let bad = [
        Action::Partition(vec![vec![n(0)], vec![n(0)]]),
        Action::Partition(vec![vec![n(5)]]),
        Action::SetLink {
            link: None,
            params: LinkParams { latency_min: 9, latency_max: 1, ..LinkParams::default() },
        },
        Action::SetLink { link: Some((n(0), n(9))), params: LinkParams::default() },
    ];
    for action in bad {
        let before = format!("{w:?}");
        assert!(w.apply(&action).is_err(), "{action:?}");
        assert_eq!(format!("{w:?}"), before);
    }
}

#[test]
fn step_with_nothing_scheduled_is_refused() {
    let mut w = world(1, LinkParams::default());
    w.apply(&Action::Crash(n(0))).unwrap();
    assert_eq!(w.apply(&Action::Step).map(|_| ()), Err(ActionError::NothingPending));
}

#[test]
fn ids_of_messages_and_timers_are_the_same_on_every_replay() {
    let run = || {
        let mut w = world(
            4,
            LinkParams { loss_ppm: PPM / 10, duplicate_ppm: PPM / 10, ..LinkParams::default() },
        );
        steps(&mut w, 700);
        let messages: Vec<_> = w.in_flight().map(|m| (m.id, m.from, m.to, m.arrives_at)).collect();
        let timers: Vec<_> = w.pending_timers().map(|t| (t.id, t.node, t.fires_at)).collect();
        (messages, timers, w.trace_hash())
    };
    assert_eq!(run(), run());
}

#[test]
fn a_different_seed_gives_a_different_run() {
    let a = World::<PingPong>::new(Config::new(4), 1, LinkParams::default());
    let b = World::<PingPong>::new(Config::new(4), 2, LinkParams::default());
    assert_ne!(a.trace_hash(), b.trace_hash());
}

#[test]
fn dropping_one_message_by_hand_does_not_reshuffle_the_others_draws() {
    // Two runs that differ only in one hand-dropped message: every message
    // that exists in both keeps its latency.
    let base = |drop: bool| {
        let mut w = world(4, LinkParams::default());
        let id = first_in_flight(&mut w);
        if drop {
            w.apply(&Action::Drop(id)).unwrap();
        }
        let events = steps(&mut w, 200);
        sent(&events)
            .into_iter()
            .map(|(id, s, a)| (id, a - s))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (kept, dropped) = (base(false), base(true));
    let common: Vec<_> = kept.keys().filter(|k| dropped.contains_key(k)).collect();
    assert!(common.len() > 50);
    assert!(common.iter().all(|k| kept[k] == dropped[k]));
}

#[test]
fn messages_carry_the_true_sender() {
    let mut w = world(5, LinkParams::default());
    let events = steps(&mut w, 500);
    for e in &events {
        if let TraceEvent::Delivered { id: _, from, to, .. } = e {
            assert_ne!(from, to);
        }
    }
    // A pong goes back to whoever pinged: the world stamped the sender.
    let mut w = world(5, LinkParams::default());
    let id = first_in_flight(&mut w);
    let ping = w.message(id).unwrap().clone();
    assert!(matches!(ping.message, Message::Ping { .. }));
    w.apply(&Action::Deliver(id)).unwrap();
    let pong = w.in_flight().find(|m| m.from == ping.to).unwrap();
    assert_eq!(pong.to, ping.from);
}

#[test]
fn the_delivered_count_matches_the_trace() {
    let mut w = world(
        4,
        LinkParams { loss_ppm: PPM / 10, duplicate_ppm: PPM / 10, ..LinkParams::default() },
    );
    let events = steps(&mut w, 1_500);
    let delivered =
        events.iter().filter(|e| matches!(e, TraceEvent::Delivered { .. })).count() as u64;
    assert!(delivered > 100);
    assert_eq!(w.messages_delivered(), delivered);
}
