//! SWIM's rules one input at a time, and whole runs with fixed seeds: a
//! crash detected and known to all, a restart rejoining, a join and a leave.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use caucus_sim::gossip::Timing;
use caucus_sim::gossip::swim::{
    Entry, News, Selection, Status, SwimCommand, SwimConfig, SwimMessage, SwimMistake, SwimNode,
    SwimTimer,
};
use caucus_sim::probe::Probe;
use caucus_sim::protocol::{Protocol, TimerOp};
use caucus_sim::{Action, LinkParams, MILLIS, NodeId, Observe, World};

use super::n;

const PERIOD: u64 = 1_000 * MILLIS;

fn rounds(nodes: u32) -> SwimConfig {
    SwimConfig { timing: Timing::Rounds, ..SwimConfig::new(nodes) }
}

fn member(config: &SwimConfig, id: u32) -> (Probe<SwimNode>, SwimNode) {
    let mut probe = Probe::<SwimNode>::new(config.clone(), 3, n(id));
    let (node, booted) = probe.boot(SwimNode::initial_durable(config, n(id)));
    assert_eq!(booted.timers, [TimerOp::Set { timer: SwimTimer::Period, after: PERIOD }]);
    (probe, node)
}

fn news(member: u32, status: Status, incarnation: u32) -> News {
    News { member: n(member), entry: Entry { status, incarnation } }
}

/// §3: a period pings one member; without an ack by the ping timeout the
/// member asks k others, never the target or itself; at the next period
/// the target is suspected (§4.2), and when the suspicion times out, dead.
#[test]
fn a_probe_without_an_ack_asks_k_members_then_suspects_then_declares() {
    let config = rounds(8);
    let (mut probe, mut node) = member(&config, 0);
    probe.now = PERIOD;
    let produced = probe.timer(&mut node, SwimTimer::Period);
    let [(target, SwimMessage::Ping { seq, .. })] = produced.sends[..] else {
        panic!("{produced:?}")
    };
    assert_ne!(target, n(0));
    assert!(
        produced
            .timers
            .contains(&TimerOp::Set { timer: SwimTimer::PingTimeout, after: config.ping_timeout })
    );
    probe.now += config.ping_timeout;
    let asked = probe.timer(&mut node, SwimTimer::PingTimeout);
    let relays: Vec<NodeId> = asked
        .sends
        .iter()
        .map(|(to, m)| {
            assert!(matches!(m, SwimMessage::PingReq { seq: s, target: t, .. } if *s == seq && *t == target));
            *to
        })
        .collect();
    assert_eq!(relays.len(), 3, "k = 3");
    assert!(relays.iter().all(|&r| r != target && r != n(0)));
    assert!(relays.windows(2).all(|w| w[0] != w[1]) && relays[0] != relays[2]);

    probe.now = 2 * PERIOD;
    probe.timer(&mut node, SwimTimer::Period);
    assert_eq!(node.entry(&config, target).status, Status::Suspect);
    assert_eq!(node.suspicions(), [(target, 2 * PERIOD)]);
    probe.now += config.suspicion_timeout();
    probe.timer(&mut node, SwimTimer::Suspicion(target));
    assert_eq!(node.entry(&config, target), Entry { status: Status::Dead, incarnation: 0 });
}

#[test]
fn an_ack_ends_the_probe_and_nothing_is_suspected() {
    let config = rounds(8);
    let (mut probe, mut node) = member(&config, 0);
    probe.now = PERIOD;
    let produced = probe.timer(&mut node, SwimTimer::Period);
    let [(target, SwimMessage::Ping { seq, .. })] = produced.sends[..] else { panic!() };
    probe.now += 20 * MILLIS;
    let acked =
        probe.message(&mut node, target, SwimMessage::Ack { seq, news: Default::default() });
    assert_eq!(acked.timers, [TimerOp::Cancel(SwimTimer::PingTimeout)]);
    probe.now = 2 * PERIOD;
    probe.timer(&mut node, SwimTimer::Period);
    assert_eq!(node.entry(&config, target).status, Status::Alive);
}

/// §3: a member asked to ping for another pings with a sequence number of
/// its own, and passes the ack back under the asker's.
#[test]
fn a_relay_pings_for_the_asker_and_passes_the_ack_back() {
    let config = rounds(8);
    let (mut probe, mut node) = member(&config, 4);
    probe.now = PERIOD + 300 * MILLIS;
    let ping_req = SwimMessage::PingReq { seq: 17, target: n(6), news: Default::default() };
    let produced = probe.message(&mut node, n(1), ping_req);
    let [(to, SwimMessage::Ping { seq, .. })] = produced.sends[..] else { panic!("{produced:?}") };
    assert_eq!(to, n(6));
    let back = probe.message(&mut node, n(6), SwimMessage::Ack { seq, news: Default::default() });
    assert!(matches!(back.sends[..], [(to, SwimMessage::Ack { seq: 17, .. })] if to == n(1)));
}

/// §4.2: a member that hears it is suspected says it is alive with a
/// higher incarnation, and that news overrides the suspicion elsewhere.
#[test]
fn a_suspected_member_refutes_with_a_higher_incarnation() {
    let config = rounds(8);
    let (mut probe, mut node) = member(&config, 2);
    probe.now = PERIOD + 10 * MILLIS;
    let accused = [news(2, Status::Suspect, 0)].into_iter().collect();
    let produced = probe.message(&mut node, n(5), SwimMessage::Ping { seq: 1, news: accused });
    assert_eq!(node.incarnation(), 1);
    let [(_, SwimMessage::Ack { ref news, .. })] = produced.sends[..] else { panic!() };
    assert_eq!(news[..], [self::news(2, Status::Alive, 1)], "the refutation rides on the ack");

    let (mut other, mut holder) = member(&config, 5);
    other.now = PERIOD + 20 * MILLIS;
    let suspect = [self::news(2, Status::Suspect, 0)].into_iter().collect();
    other.message(&mut holder, n(3), SwimMessage::Ack { seq: 99, news: suspect });
    assert_eq!(holder.entry(&config, n(2)).status, Status::Suspect);
    let refuted = [self::news(2, Status::Alive, 1)].into_iter().collect();
    let produced = other.message(&mut holder, n(3), SwimMessage::Ack { seq: 99, news: refuted });
    assert_eq!(holder.entry(&config, n(2)), Entry { status: Status::Alive, incarnation: 1 });
    assert!(produced.timers.contains(&TimerOp::Cancel(SwimTimer::Suspicion(n(2)))));
}

#[test]
fn the_mistakes_change_what_they_say() {
    let no_incarnation = rounds(8).with_mistake(SwimMistake::NoIncarnation);
    let (mut probe, mut node) = member(&no_incarnation, 2);
    let accused = [news(2, Status::Suspect, 0)].into_iter().collect();
    probe.message(&mut node, n(5), SwimMessage::Ping { seq: 1, news: accused });
    assert_eq!(node.incarnation(), 0, "it cannot raise its incarnation, so cannot refute");

    let no_suspicion = rounds(8).with_mistake(SwimMistake::NoSuspicion);
    let (mut probe, mut node) = member(&no_suspicion, 0);
    probe.now = PERIOD;
    let produced = probe.timer(&mut node, SwimTimer::Period);
    let [(target, _)] = produced.sends[..] else { panic!() };
    probe.now = 2 * PERIOD;
    probe.timer(&mut node, SwimTimer::Period);
    assert_eq!(node.entry(&no_suspicion, target).status, Status::Dead, "dead at once");
}

/// §4.3: round-robin pings every other member once a cycle.
#[test]
fn round_robin_pings_every_member_once_a_cycle() {
    let config = SwimConfig { selection: Selection::RoundRobin, ..rounds(7) };
    let (mut probe, mut node) = member(&config, 3);
    for cycle in 0..3 {
        let mut targets = Vec::new();
        for p in 0..6 {
            probe.now = (1 + 6 * cycle + p) * PERIOD;
            let produced = probe.timer(&mut node, SwimTimer::Period);
            let target = produced
                .sends
                .iter()
                .find_map(|(to, m)| matches!(m, SwimMessage::Ping { .. }).then_some(*to));
            targets.push(target.expect("a ping each period").0);
            // Acked, so nobody is suspected.
            let seq = node.probe().unwrap().seq;
            probe.message(
                &mut node,
                n(targets[targets.len() - 1]),
                SwimMessage::Ack { seq, news: Default::default() },
            );
        }
        targets.sort_unstable();
        assert_eq!(targets, [0, 1, 2, 4, 5, 6], "cycle {cycle}");
    }
}

fn run_world(config: SwimConfig, seed: u64) -> World<SwimNode> {
    World::observing(config, seed, LinkParams::default(), Observe::default())
}

/// A crash is detected and every live member comes to hold the member
/// dead; a restart rejoins with a higher incarnation and is alive again
/// everywhere. Fixed seed.
#[test]
fn a_crash_is_detected_by_all_and_a_restart_rejoins() {
    let config = SwimConfig::new(30);
    let mut w = run_world(config.clone(), 21);
    w.run_until(5 * PERIOD);
    assert_eq!(w.violation_count(), 0, "checked until the crash lifts the property");
    w.apply(&Action::Crash(n(7))).unwrap();
    w.run_until(5 * PERIOD + config.suspicion_timeout() + 15 * PERIOD);
    let failure = &w.measures().failures[0];
    assert_eq!(failure.member, n(7));
    assert!(failure.first_detected.is_some() && failure.everyone_knew.is_some(), "{failure:?}");
    for id in (0..30).filter(|&i| i != 7) {
        assert_eq!(w.node(n(id)).unwrap().entry(&config, n(7)).status, Status::Dead, "n{}", id + 1);
    }
    w.apply(&Action::Restart(n(7))).unwrap();
    w.run_until(w.now() + 15 * PERIOD);
    let back = w.node(n(7)).unwrap().incarnation();
    assert!(back >= 1);
    for id in 0..30 {
        let entry = w.node(n(id)).unwrap().entry(&config, n(7));
        assert_eq!(entry.status, Status::Alive, "n{} holds {entry:?}", id + 1);
    }
    assert_eq!(w.measures().false_deaths, 0, "no live member was held dead");
}

/// A node outside the group joins through a member and every member comes
/// to know it; a member leaves and every member comes to know that.
#[test]
fn a_join_and_a_leave_reach_every_member() {
    let config = SwimConfig { initial: 10, ..SwimConfig::new(12) };
    let mut w = run_world(config.clone(), 4);
    w.run_until(3 * PERIOD);
    assert!(!w.node(n(11)).unwrap().is_member());
    w.apply(&Action::Command { node: n(11), command: SwimCommand::Join { via: n(2) } }).unwrap();
    w.apply(&Action::Command { node: n(4), command: SwimCommand::Leave }).unwrap();
    // What cannot apply is refused in words, and changes nothing.
    for (node, command, words) in [
        (n(11), SwimCommand::Join { via: n(3) }, "n12 is already in the group"),
        (
            n(10),
            SwimCommand::Join { via: n(10) },
            "n11 can join only through another of the 12 nodes, not n11",
        ),
        (n(10), SwimCommand::Join { via: n(40) }, "not n41"),
        (n(10), SwimCommand::Leave, "n11 is not in the group"),
    ] {
        let refused = w.apply(&Action::Command { node, command }).unwrap_err().to_string();
        assert!(refused.contains(words), "{refused}");
    }
    w.run_until(20 * PERIOD);
    for id in (0..10).filter(|&i| i != 4).chain([11]) {
        let node = w.node(n(id)).unwrap();
        assert_eq!(node.entry(&config, n(11)).status, Status::Alive, "n{} on n12", id + 1);
        assert_eq!(node.entry(&config, n(4)).status, Status::Left, "n{} on n5", id + 1);
    }
    assert!(!w.node(n(4)).unwrap().is_member());
    assert_eq!(w.violation_count(), 0);
}

/// 2,000 members, a crash: detected, and known to every live member.
#[test]
fn two_thousand_members_learn_of_a_crash() {
    let config = SwimConfig::new(2_000);
    let mut w = World::<SwimNode>::observing(
        config.clone(),
        8,
        LinkParams::default(),
        Observe { invariants: true, notes: false },
    );
    w.run_until(3 * PERIOD);
    w.apply(&Action::Crash(n(1_234))).unwrap();
    w.run_until(3 * PERIOD + config.suspicion_timeout() + 20 * PERIOD);
    let failure = &w.measures().failures[0];
    assert_eq!(failure.holders, 1_999, "{failure:?}");
    assert!(failure.everyone_knew.is_some());
    let per_site = w.footprint() / 2_000;
    assert!(per_site < 1_000, "{per_site} bytes a member");
}

/// A member that joined later and restarts asks the founders in turn
/// until one that is up lets it in again, above its old incarnation.
#[test]
fn a_restarted_joiner_finds_a_founder_that_is_up() {
    let config = SwimConfig { initial: 2, ..SwimConfig::new(4) };
    let mut w = run_world(config.clone(), 9);
    w.apply(&Action::Command { node: n(3), command: SwimCommand::Join { via: n(1) } }).unwrap();
    w.run_until(5 * PERIOD);
    assert_eq!(
        w.node(n(1)).unwrap().entry(&config, n(3)),
        Entry { status: Status::Alive, incarnation: 1 }
    );
    w.apply(&Action::Crash(n(0))).unwrap();
    w.apply(&Action::Crash(n(3))).unwrap();
    w.apply(&Action::Restart(n(3))).unwrap();
    w.run_until(25 * PERIOD);
    let held = w.node(n(1)).unwrap().entry(&config, n(3));
    assert_eq!(held.status, Status::Alive);
    assert!(held.incarnation >= 2, "{held:?}");
}
