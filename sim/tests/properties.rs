//! Property tests over random action sequences, valid and invalid, with
//! crashes, partitions, loss and duplication:
//! - replaying (config, seed, actions) gives the same trace hash;
//! - `seek(k)` restores the straight run's step k, and continuing from there
//!   reaches the same end;
//! - an action that fails changes nothing; nothing panics.
//!
//! On failure proptest shrinks the schedule and prints the seed and the
//! actions. `cargo xtask test --long` runs many more cases.

#![cfg(not(target_arch = "wasm32"))]

use caucus_sim::network::PPM;
use caucus_sim::pingpong::{Add, Command, Config, PingPong};
use caucus_sim::{Action, LinkParams, MessageId, NodeId, Timeline, TimerId, World};
use proptest::prelude::*;

/// What to do next, in terms that stay meaningful whatever the world holds:
/// "the k-th message in flight" rather than a message id.
#[derive(Clone, Debug)]
enum Op {
    Step,
    Deliver(u8),
    Drop(u8),
    Duplicate(u8),
    Fire(u8),
    /// A message id that may not exist.
    DeliverRaw(u64),
    FireRaw(u64),
    Crash(u8),
    Restart(u8),
    Partition(Vec<u8>),
    Heal,
    Cut(u8, u8),
    Restore(u8, u8),
    SetLink(Option<(u8, u8)>, u32, u32, u32, u32),
    Request(u8, u16),
    Pause(u8),
    Refuse(u8),
    Advance(u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        20 => Just(Op::Step),
        3 => any::<u8>().prop_map(Op::Deliver),
        2 => any::<u8>().prop_map(Op::Drop),
        2 => any::<u8>().prop_map(Op::Duplicate),
        2 => any::<u8>().prop_map(Op::Fire),
        1 => (0u64..64).prop_map(Op::DeliverRaw),
        1 => (0u64..64).prop_map(Op::FireRaw),
        2 => any::<u8>().prop_map(Op::Crash),
        2 => any::<u8>().prop_map(Op::Restart),
        1 => prop::collection::vec(any::<u8>(), 0..4).prop_map(Op::Partition),
        1 => Just(Op::Heal),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Cut(a, b)),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Restore(a, b)),
        1 => (
            prop::option::of((any::<u8>(), any::<u8>())),
            0u32..40_000,
            0u32..40_000,
            0u32..=PPM / 2,
            0u32..=PPM / 2,
        )
            .prop_map(|(l, a, b, loss, dup)| Op::SetLink(l, a, b, loss, dup)),
        1 => (any::<u8>(), any::<u16>()).prop_map(|(n, v)| Op::Request(n, v)),
        1 => any::<u8>().prop_map(Op::Pause),
        1 => any::<u8>().prop_map(Op::Refuse),
        1 => any::<u32>().prop_map(Op::Advance),
    ]
}

/// Node numbers run one past the cluster, so some actions name a node that does not exist.
fn node(w: &World<PingPong>, k: u8) -> NodeId {
    NodeId(u32::from(k) % (w.node_count() + 1))
}

/// Turns an op into a concrete action against the world as it is now.
fn concretize(w: &World<PingPong>, op: &Op) -> Action<PingPong> {
    let nth_message = |k: u8| {
        let ids: Vec<MessageId> = w.in_flight().map(|m| m.id).collect();
        if ids.is_empty() { MessageId(u64::MAX) } else { ids[usize::from(k) % ids.len()] }
    };
    let nth_timer = |k: u8| {
        let ids: Vec<TimerId> = w.pending_timers().map(|t| t.id).collect();
        if ids.is_empty() { TimerId(u64::MAX) } else { ids[usize::from(k) % ids.len()] }
    };
    match op {
        Op::Step => Action::Step,
        Op::Deliver(k) => Action::Deliver(nth_message(*k)),
        Op::Drop(k) => Action::Drop(nth_message(*k)),
        Op::Duplicate(k) => Action::Duplicate(nth_message(*k)),
        Op::Fire(k) => Action::Fire(nth_timer(*k)),
        Op::DeliverRaw(id) => Action::Deliver(MessageId(*id)),
        Op::FireRaw(id) => Action::Fire(TimerId(*id)),
        Op::Crash(k) => Action::Crash(node(w, *k)),
        Op::Restart(k) => Action::Restart(node(w, *k)),
        Op::Partition(ks) => Action::Partition(vec![ks.iter().map(|k| node(w, *k)).collect()]),
        Op::Heal => Action::Heal,
        Op::Cut(a, b) => Action::Cut { from: node(w, *a), to: node(w, *b) },
        Op::Restore(a, b) => Action::Restore { from: node(w, *a), to: node(w, *b) },
        Op::SetLink(link, a, b, loss, dup) => Action::SetLink {
            link: link.map(|(x, y)| (node(w, x), node(w, y))),
            params: LinkParams {
                latency_min: u64::from(*a.min(b)),
                latency_max: u64::from(*a.max(b)),
                loss_ppm: *loss,
                duplicate_ppm: *dup,
            },
        },
        Op::Request(k, v) => Action::Request { node: node(w, *k), request: Add(u64::from(*v)) },
        Op::Pause(k) => Action::Command { node: node(w, *k), command: Command::Pause },
        Op::Refuse(k) => Action::Command { node: node(w, *k), command: Command::Refuse },
        Op::Advance(dt) => Action::AdvanceTo(w.now().saturating_add(u64::from(*dt % 20_000))),
    }
}

fn world(nodes: u32, seed: u64, loss: u32, dup: u32) -> World<PingPong> {
    let links = LinkParams { loss_ppm: loss, duplicate_ppm: dup, ..LinkParams::default() };
    World::new(Config::new(nodes), seed, links)
}

fn cases() -> u32 {
    match std::env::var("CAUCUS_TEST_LENGTH").as_deref() {
        Ok("long") => 20_000,
        _ => 1_000,
    }
}

fn fingerprint(w: &World<PingPong>) -> (String, u64) {
    (format!("{w:?}"), w.trace_hash())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn replay_seek_and_refusals_hold_on_random_schedules(
        nodes in 1u32..7,
        seed in any::<u64>(),
        loss in 0u32..=PPM / 3,
        dup in 0u32..=PPM / 3,
        ops in prop::collection::vec(op(), 0..160),
        seek_to in any::<prop::sample::Index>(),
    ) {
        // The straight run, keeping every concrete action, refused or not.
        let mut w = world(nodes, seed, loss, dup);
        let mut actions = Vec::new();
        let mut applied = Vec::new();
        let mut states = vec![fingerprint(&w)];
        for op in &ops {
            let action = concretize(&w, op);
            let before = fingerprint(&w);
            match w.apply(&action) {
                Ok(_) => {
                    applied.push(action.clone());
                    states.push(fingerprint(&w));
                }
                Err(_) => prop_assert_eq!(&fingerprint(&w), &before, "{:?} failed but changed the world", action),
            }
            actions.push(action);
        }

        // Replaying the same (config, seed, actions) gives the same run.
        let mut again = world(nodes, seed, loss, dup);
        for action in &actions {
            let _ = again.apply(action);
        }
        prop_assert_eq!(again.trace_hash(), w.trace_hash());

        // seek(k) restores step k of the straight run; continuing reaches the same end.
        let mut t = Timeline::with_snapshots(world(nodes, seed, loss, dup), 8, 4);
        for action in &applied {
            t.apply(action.clone()).unwrap();
        }
        let k = seek_to.index(applied.len() + 1) as u64;
        t.seek(k).unwrap();
        prop_assert_eq!(&fingerprint(t.world()), &states[k as usize]);
        t.seek(applied.len() as u64).unwrap();
        prop_assert_eq!(&fingerprint(t.world()), &states[applied.len()]);

        // Forking at k with the straight run's own next action changes nothing.
        if (k as usize) < applied.len() {
            t.seek(k).unwrap();
            t.apply(applied[k as usize].clone()).unwrap();
            prop_assert_eq!(&fingerprint(t.world()), &states[k as usize + 1]);
        }
    }
}
