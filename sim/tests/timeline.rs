//! Step back, scrub and fork: the timeline restores any earlier step exactly.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use caucus_sim::network::PPM;
use caucus_sim::pingpong::{Add, Config, PingPong};
use caucus_sim::timeline::SeekError;
use caucus_sim::{Action, LinkParams, NodeId, Timeline, World};

fn fresh() -> World<PingPong> {
    let links = LinkParams { loss_ppm: PPM / 20, duplicate_ppm: PPM / 20, ..LinkParams::default() };
    World::new(Config::new(4), 7, links)
}

/// A run with faults mixed in: the action at each step.
fn script(len: u64) -> Vec<Action<PingPong>> {
    (0..len)
        .map(|i| match i % 97 {
            13 => Action::Crash(NodeId(1)),
            40 => Action::Restart(NodeId(1)),
            55 => Action::Partition(vec![vec![NodeId(0)]]),
            70 => Action::Heal,
            80 => Action::Request { node: NodeId(2), request: Add(i) },
            _ => Action::Step,
        })
        .collect()
}

fn fingerprint(w: &World<PingPong>) -> (String, u64) {
    (format!("{w:?}"), w.trace_hash())
}

/// The world after applying the first `k` actions straight, without a timeline.
fn straight(actions: &[Action<PingPong>]) -> Vec<(String, u64)> {
    let mut w = fresh();
    let mut states = vec![fingerprint(&w)];
    for a in actions {
        w.apply(a).unwrap();
        states.push(fingerprint(&w));
    }
    states
}

#[test]
fn seeking_to_any_step_restores_it_exactly() {
    let actions = script(700);
    let expected = straight(&actions);
    let mut t = Timeline::with_snapshots(fresh(), 16, 8);
    for a in &actions {
        t.apply(a.clone()).unwrap();
    }
    // Backwards, forwards, and jumps across snapshots.
    for k in (0..=700).rev().step_by(37).chain([0, 699, 1, 350, 351, 349, 700]) {
        t.seek(k).unwrap();
        assert_eq!(t.cursor(), k);
        assert_eq!(fingerprint(t.world()), expected[k as usize], "step {k}");
    }
}

#[test]
fn stepping_back_one_at_a_time_walks_the_run_in_reverse() {
    let actions = script(200);
    let expected = straight(&actions);
    let mut t = Timeline::with_snapshots(fresh(), 32, 4);
    for a in &actions {
        t.apply(a.clone()).unwrap();
    }
    for k in (0..200).rev() {
        t.seek(k).unwrap();
        assert_eq!(fingerprint(t.world()), expected[k as usize], "step {k}");
    }
}

#[test]
fn acting_in_the_past_forks_and_discards_the_old_future() {
    let mut t = Timeline::with_snapshots(fresh(), 8, 8);
    for a in script(300) {
        t.apply(a).unwrap();
    }
    t.seek(100).unwrap();
    t.apply(Action::Crash(NodeId(3))).unwrap();
    assert_eq!(t.len(), 101);
    assert_eq!(t.cursor(), 101);
    assert_eq!(t.log()[100], Action::Crash(NodeId(3)));
    assert_eq!(t.seek(200), Err(SeekError { step: 200, len: 101 }));

    // The fork is itself a straight run of its log.
    let mut replay = fresh();
    for a in t.log() {
        replay.apply(a).unwrap();
    }
    assert_eq!(fingerprint(&replay), fingerprint(t.world()));
    // Seeking within the fork uses no snapshot of the discarded future.
    t.seek(50).unwrap();
    t.seek(101).unwrap();
    assert_eq!(fingerprint(&replay), fingerprint(t.world()));
}

#[test]
fn a_refused_action_in_the_past_does_not_fork() {
    let mut t = Timeline::new(fresh());
    for a in script(120) {
        t.apply(a).unwrap();
    }
    t.seek(60).unwrap();
    assert!(t.apply(Action::Restart(NodeId(0))).is_err());
    assert_eq!(t.len(), 120, "the future is kept");
    assert_eq!(t.cursor(), 60);
}

#[test]
fn snapshots_stay_bounded_on_long_runs() {
    let mut t = Timeline::with_snapshots(fresh(), 4, 8);
    for _ in 0..20_000 {
        t.apply(Action::Step).unwrap();
        assert!(t.snapshot_count() <= 8, "{} snapshots", t.snapshot_count());
    }
    // Still exact after all the thinning.
    let mut straight = fresh();
    for _ in 0..12_345 {
        straight.apply(&Action::Step).unwrap();
    }
    t.seek(12_345).unwrap();
    assert_eq!(fingerprint(t.world()), fingerprint(&straight));
}

#[test]
fn snapshots_are_thinned_one_at_a_time_and_stay_evenly_spread() {
    let mut t = Timeline::with_snapshots(fresh(), 4, 8);
    let mut before = t.snapshot_steps();
    let mut taken = 0;
    for _ in 0..5_000 {
        t.apply(Action::Step).unwrap();
        let now = t.snapshot_steps();
        let dropped: Vec<_> = before.iter().filter(|s| !now.contains(s)).collect();
        assert!(dropped.len() <= 1, "step {}: dropped {dropped:?} at once", t.cursor());
        assert!(now.len() <= 8, "step {}: {} snapshots", t.cursor(), now.len());
        taken += usize::from(now.last() != before.last());
        // Gaps of half the interval where none was dropped yet, a whole one
        // where every other one was; none longer, up to the cursor too.
        let gaps: Vec<u64> = now.windows(2).map(|w| w[1] - w[0]).collect();
        let widest = gaps.iter().copied().max().unwrap_or(4);
        assert!(
            gaps.iter().all(|&g| g == widest || 2 * g == widest),
            "step {}: snapshots at {now:?}",
            t.cursor()
        );
        assert!(t.cursor() - now[now.len() - 1] < widest.max(4), "step {}: {now:?}", t.cursor());
        before = now;
    }
    assert_eq!(before.len(), 8, "{before:?}");
    assert!(before[1] >= 512, "spread over the whole run, not its start: {before:?}");
    // No more copies of the world than halving all at once made: 8 at the
    // first interval, then 4 at each doubling (from 32 steps, at 64, 128,
    // …, 4,096), 36 by step 5,000.
    assert_eq!(taken, 36, "snapshots taken in 5,000 steps");
}

#[test]
fn seeking_past_the_end_is_refused() {
    let mut t = Timeline::new(fresh());
    t.apply(Action::Step).unwrap();
    assert_eq!(t.seek(2), Err(SeekError { step: 2, len: 1 }));
    assert_eq!(t.cursor(), 1);
}

#[test]
fn snapshots_are_budgeted_in_bytes() {
    let big = World::<PingPong>::new(Config::new(5_000), 1, LinkParams::default());
    let fresh_bytes = big.footprint();
    assert!(fresh_bytes > 5_000 * 100, "a 5,000-node world counts its nodes: {fresh_bytes} bytes");
    let budget = 8 * fresh_bytes;
    let mut t = Timeline::new(big);
    t.set_snapshot_budget(budget);
    let mut most = 0;
    for _ in 0..100_000 {
        t.apply(Action::Step).unwrap();
        assert!(t.snapshot_bytes() <= budget, "{} bytes of {budget}", t.snapshot_bytes());
        most = most.max(t.snapshot_count());
    }
    let playing = t.world().footprint();
    // Every world here is at least as big as the fresh one.
    assert!((3..=8).contains(&most), "{most} snapshots, now of {playing} bytes");
    t.seek(12_000).unwrap();
    assert_eq!(t.cursor(), 12_000);
    // A budget below two worlds still keeps the first and the latest.
    t.set_snapshot_budget(0);
    assert_eq!(t.snapshot_count(), 2);
    t.seek(100).unwrap();
    assert_eq!(t.cursor(), 100);
}

#[test]
fn a_full_timeline_refuses_one_step_more_in_words_and_forks_below_its_limit() {
    let mut t = Timeline::new(fresh());
    assert_eq!(t.max_steps(), caucus_sim::scenario::MAX_STEPS, "as many as a link carries");
    t.set_max_steps(50);
    for action in script(50) {
        t.apply(action).unwrap();
    }
    let full = t.apply(Action::Step).unwrap_err();
    assert_eq!(full, caucus_sim::ActionError::RunFull { most: 50 });
    assert!(full.to_string().starts_with("the run holds 50 steps, as many as it may"), "{full}");
    assert_eq!((t.len(), t.cursor()), (50, 50), "nothing lost, nothing added");
    // Back in the past, acting forks as ever: the run stays within its limit.
    t.seek(20).unwrap();
    t.apply(Action::Step).unwrap();
    assert_eq!((t.len(), t.cursor()), (21, 21));
}
