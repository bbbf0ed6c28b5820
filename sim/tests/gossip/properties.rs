//! The properties under random schedules with crashes, restarts,
//! partitions, loss, duplication and reordering: with every mistake off
//! nothing is broken, the counter-reset mistake is found and shrunk, and
//! anti-entropy brings every live site to the same store once updates stop
//! and the network heals. Plus a named scenario with a fixed seed: the
//! anti-entropy backup repairs rumor mongering's residue (Demers §1.5).

#![cfg(not(target_arch = "wasm32"))]

use caucus_sim::explore::{Faults, replay, search};
use caucus_sim::gossip::invariants::{LOSS_OF_INTEREST, converged};
use caucus_sim::gossip::moves::write;
use caucus_sim::gossip::{
    Backup, Direction, GossipConfig, GossipNode, Interest, Mistake, Removal, Timing, workload,
};
use caucus_sim::{Action, LinkParams, NodeId, Observe, World};
use chacha20::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

use super::long;

fn rumor_variants() -> Vec<GossipConfig> {
    let mut configs = Vec::new();
    for direction in [Direction::Push, Direction::Pull, Direction::PushPull] {
        for interest in [Interest::Feedback, Interest::Blind] {
            configs.push(GossipConfig {
                interest,
                removal: Removal::Counter,
                k: 2,
                ..GossipConfig::rumor_mongering(8, direction)
            });
        }
    }
    configs
}

fn schedules() -> u32 {
    if long() { 400 } else { 40 }
}

#[test]
fn no_property_breaks_without_mistakes() {
    for config in rumor_variants() {
        let found = search(&config, 11, schedules(), 600, &Faults::default(), &write);
        assert!(found.is_none(), "{config:?}\n{}", found.unwrap().describe());
    }
}

/// The search finds the counter-reset mistake in every variant that
/// gives feedback, shrinks it, and the shrunk schedule replays.
#[test]
fn the_search_finds_the_counter_reset_mistake() {
    for config in rumor_variants().into_iter().filter(|c| c.interest == Interest::Feedback) {
        let config = config.with_mistake(Mistake::CounterResetOnUselessContact);
        let found = search(&config, 12, schedules(), 600, &Faults::default(), &write)
            .unwrap_or_else(|| panic!("not found: {config:?}"));
        assert_eq!(found.violation.property, LOSS_OF_INTEREST, "{}", found.describe());
        let replayed = replay(&config, found.seed, found.links, &found.actions, LOSS_OF_INTEREST);
        assert!(replayed.is_some(), "the shrunk schedule breaks it again:\n{}", found.describe());
        assert!(found.actions.len() < 100, "shrunk:\n{}", found.describe());
    }
}

/// Demers §1.3: anti-entropy is certain to converge. Random schedules of
/// writes, crashes, restarts, partitions, lossy links and duplicates; then
/// the writes stop, the network heals, every site restarts, and sixty
/// rounds later every site holds the same store.
#[test]
fn anti_entropy_converges_once_updates_stop_and_the_network_heals() {
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let runs = if long() { 300 } else { 30 };
    for run in 0..runs {
        let direction = [Direction::Push, Direction::Pull, Direction::PushPull][run % 3];
        let timing = if run % 2 == 0 { Timing::Rounds } else { Timing::Free { jitter: 30_000 } };
        let config = GossipConfig { timing, ..GossipConfig::anti_entropy(12, direction) };
        let links =
            LinkParams { loss_ppm: 200_000, duplicate_ppm: 50_000, ..LinkParams::default() };
        let mut w =
            World::<GossipNode>::observing(config, rng.next_u64(), links, Observe::default());
        let mut log = Vec::new();
        for _ in 0..800 {
            let node = NodeId(rng.next_u32() % 12);
            let action = match rng.next_u32() % 100 {
                0..=4 => write(&w, &mut rng).unwrap_or(Action::Step),
                5..=7 => Action::Crash(node),
                8..=11 => Action::Restart(node),
                12 => Action::Partition(vec![(0..6).map(NodeId).collect()]),
                13 => Action::Heal,
                _ => Action::Step,
            };
            if w.apply(&action).is_ok() {
                log.push(action);
            }
        }
        w.apply(&Action::Heal).unwrap();
        w.apply(&Action::SetLink { link: None, params: LinkParams::default() }).unwrap();
        for id in (0..12).map(NodeId) {
            let _ = w.apply(&Action::Restart(id));
        }
        w.run_until(w.now() + 60 * w.config().period);
        if let Err(why) = converged(&w) {
            panic!(
                "run {run} ({direction:?}, {timing:?}, seed {}): {why}\nafter {log:?}",
                w.seed()
            );
        }
    }
}

/// Demers §1.5, with a fixed seed: push rumor mongering with k = 1 leaves
/// about a fifth of 200 sites unaware; pull anti-entropy every five rounds
/// behind it reaches them all.
#[test]
fn anti_entropy_behind_rumor_mongering_repairs_the_residue() {
    let plain = GossipConfig { k: 1, ..GossipConfig::rumor_mongering(200, Direction::Push) };
    let quiet = Observe { invariants: true, notes: false };
    let alone = workload::run(plain.clone(), 5, LinkParams::default(), quiet);
    assert!(alone.residue > 0.1, "rumor mongering alone leaves a residue: {alone:?}");
    let backed =
        GossipConfig { backup: Some(Backup { direction: Direction::Pull, every: 5 }), ..plain };
    let mut w = workload::start(backed, 5, LinkParams::default(), quiet);
    w.run_until(60 * w.config().period);
    let spread = &w.measures().updates[0];
    assert_eq!(spread.informed, 200, "every site holds the update");
    assert!(spread.died_at.is_some(), "the rumor itself died out before");
    assert_eq!(w.violation_count(), 0);
}

mod swim {
    use caucus_sim::MILLIS;
    use caucus_sim::explore::{Faults, Moves, search_with};
    use caucus_sim::gossip::Timing;
    use caucus_sim::gossip::swim::invariants::NO_FALSE_DEATH;
    use caucus_sim::gossip::swim::{SwimConfig, SwimMistake, SwimNode};

    use super::long;

    /// Five members on links that are slow for them: a period of 40 ms, a
    /// ping timeout of 10 ms, and latencies of 5 to 25 ms (the search's),
    /// so acks are often late and probes fail with no message lost.
    /// Suspicion then has to do its work: the suspect hears of it (pings to
    /// it carry it first) and refutes, and a member that pings it un-marks
    /// it. SWIM's accuracy is probabilistic (§5): a refutation may miss a
    /// suspecting member. With λ = 10 and a suspicion timeout of 10 periods
    /// here that is rare enough that 40 schedules (400 with `--long`) find
    /// no false death; the timeout is short enough that members without
    /// incarnations, which cannot refute, are caught.
    fn slow_group() -> SwimConfig {
        SwimConfig {
            period: 40 * MILLIS,
            ping_timeout: 10 * MILLIS,
            indirect: 2,
            suspicion_mult: 5,
            retransmit_mult: 10,
            timing: Timing::Free { jitter: 4 * MILLIS },
            ..SwimConfig::new(5)
        }
    }

    fn none() -> Moves<'static, SwimNode> {
        Moves { protocol: &|_, _| None, byzantine: &|_, _| None }
    }

    fn schedules() -> u32 {
        if long() { 200 } else { 20 }
    }

    #[test]
    fn no_live_member_is_declared_dead_without_loss_or_crash() {
        for timing in [Timing::Rounds, Timing::Free { jitter: 4 * MILLIS }] {
            let config = SwimConfig { timing, ..slow_group() };
            let found = search_with(&config, 31, schedules(), 2_000, &Faults::lossless(), none());
            assert!(found.is_none(), "{timing:?}\n{}", found.unwrap().describe());
        }
    }

    /// Each mistake is found by the search, and shrunk.
    #[test]
    fn the_search_finds_each_swim_mistake() {
        for mistake in SwimMistake::ALL {
            let config = slow_group().with_mistake(mistake);
            let found = search_with(&config, 32, schedules(), 2_000, &Faults::lossless(), none())
                .unwrap_or_else(|| panic!("{mistake:?} not found"));
            assert_eq!(found.violation.property, NO_FALSE_DEATH, "{}", found.describe());
        }
    }
}
