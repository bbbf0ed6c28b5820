//! The paper's scenarios as named tests with fixed seeds (OSDI 1999, §4).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use caucus_sim::pbft::messages::{Digest, kinds};
use caucus_sim::pbft::replica::Slot;

use super::*;
use caucus_sim::MILLIS;

/// The correct replicas executed the same digest at every sequence number
/// they both executed (the invariants check this too, after every step;
/// here the scenario says it in its own words).
fn assert_agreement(w: &World<PbftNode>) {
    let correct: Vec<u32> =
        (0..w.config().replicas()).filter(|&i| replica(w, i).correct()).collect();
    for &i in &correct {
        for &j in &correct {
            let (a, b) = (digests_executed(w, i), digests_executed(w, j));
            let common = a.len().min(b.len());
            assert_eq!(a[..common], b[..common], "r{i} and r{j} disagree");
        }
    }
}

fn digests_executed(w: &World<PbftNode>, i: u32) -> Vec<(u64, Digest)> {
    replica(w, i)
        .journal
        .iter()
        .filter_map(|f| match f {
            caucus_sim::pbft::journal::Fact::Executed { seq, digest, .. } => Some((*seq, *digest)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_normal_case_runs_three_phases_and_every_replica_executes() {
    let mut w = world(PbftConfig::new(1, 1), 11);
    request(&mut w, 0, "x=5");
    let seen = run_until(&mut w, 300, "the client accepts", |w| accepted(w, 0) == 1);
    for words in [
        "(primary of view 0) assigns sequence number 1",
        "accepts the PRE-PREPARE for sequence number 1",
        "has prepared sequence number 1",
        "has committed sequence number 1 locally",
        "executes sequence number 1: x=5 from c0",
        "c0 accepts the result of x=5 (x was unset): 2 matching replies",
    ] {
        assert!(seen.has(words), "no note says {words:?}:\n{}", seen.notes.join("\n"));
    }
    // The other replies arrive too; every replica executes seq 1 alike.
    run_until(&mut w, 300, "every replica executes", |w| {
        (0..4).all(|i| replica(w, i).executed == 1)
    });
    let first = digests_executed(&w, 0);
    for i in 1..4 {
        assert_eq!(digests_executed(&w, i), first, "r{i}");
    }
}

#[test]
fn a_silent_primary_is_replaced_by_a_view_change() {
    let mut w = world(PbftConfig::new(1, 1), 12);
    byzantine(&mut w, 0, Behaviour::Silent);
    request(&mut w, 0, "x=1");
    let seen = run_until(&mut w, 2_000, "the client accepts", |w| accepted(w, 0) == 1);
    for words in [
        "sends the request to every replica",
        "relays c0's request x=1 to the primary r0",
        "timer expired with a request not executed: it suspects the primary r0",
        "moves to view 1 and multicasts VIEW-CHANGE",
        "is the primary of view 1: with 2f + 1 VIEW-CHANGEs it multicasts NEW-VIEW",
        "accepts the NEW-VIEW for view 1",
    ] {
        assert!(seen.has(words), "no note says {words:?}:\n{}", seen.notes.join("\n"));
    }
    for i in 1..4 {
        assert_eq!(replica(&w, i).view, 1, "r{i}:\n{}", seen.notes.join("\n"));
    }
    assert_agreement(&w);
}

#[test]
fn an_equivocating_primary_cannot_split_correct_replicas() {
    let mut w = world(PbftConfig::new(1, 1), 13);
    byzantine(&mut w, 0, Behaviour::Equivocate);
    request(&mut w, 0, "x=1");
    let seen = run_until(&mut w, 3_000, "the client accepts", |w| accepted(w, 0) == 1);
    assert!(seen.has("r0 equivocates: sequence number 1"), "{}", seen.notes.join("\n"));
    assert!(seen.has("refuses a second PRE-PREPARE for view 0, sequence number 1"));
    assert_agreement(&w);
}

#[test]
fn a_request_prepared_in_one_view_is_reissued_in_the_next() {
    let mut w = world(PbftConfig::new(1, 1), 14);
    request(&mut w, 0, "x=7");
    // Every COMMIT is lost: the request prepares everywhere but commits nowhere.
    run_dropping(&mut w, &[kinds::COMMIT], 400, "every backup prepares", |w| {
        (1..4).all(|i| replica(w, i).log.get(&1).is_some_and(|s: &Slot| s.prepared))
    });
    let digest = replica(&w, 1).log[&1].digest().unwrap();
    assert!((0..4).all(|i| replica(&w, i).executed == 0));
    // COMMITs keep being lost, so the backups' timers expire; the view
    // change carries the prepared request into view 1.
    let changing = run_dropping(&mut w, &[kinds::COMMIT], 3_000, "a NEW-VIEW", |w| {
        w.in_flight().any(|m| m.message.kind() == kinds::NEW_VIEW.as_str())
    });
    let seen = run_until(&mut w, 3_000, "the client accepts", |w| accepted(w, 0) == 1);
    assert!(changing.has("1 prepared requests with their proofs"), "{}", changing.notes.join("\n"));
    assert!(changing.has("re-issuing sequence numbers 1 to 1"));
    assert!(seen.has("accepts the NEW-VIEW for view 1"));
    for i in 0..4 {
        let r = replica(&w, i);
        if r.executed >= 1 {
            assert_eq!(digests_executed(&w, i)[0], (1, digest), "r{i} executed x=7 at 1");
        }
    }
    assert!(replica(&w, 1).view >= 1);
}

#[test]
fn a_checkpoint_becomes_stable_and_the_log_is_collected() {
    let mut config = PbftConfig::new(1, 1);
    config.checkpoint_period = 4;
    let mut w = world(config, 15);
    for i in 1..=5 {
        request(&mut w, 0, &format!("x={i}"));
    }
    let seen = run_until(&mut w, 3_000, "five results", |w| accepted(w, 0) == 5);
    assert!(seen.has("takes checkpoint 4"), "{}", seen.notes.join("\n"));
    assert!(seen.has("checkpoint 4 is stable (2f + 1 matching CHECKPOINTs); h = 4, H = 12"));
    run_until(&mut w, 500, "all replicas collect", |w| {
        (0..4).all(|i| replica(w, i).stable.seq == 4 && replica(w, i).executed == 5)
    });
    for i in 0..4 {
        let r = replica(&w, i);
        assert!(
            r.log.keys().all(|&n| n > 4),
            "r{i} still logs {:?}",
            r.log.keys().collect::<Vec<_>>()
        );
        assert!(r.stable.proof.len() >= 3, "r{i} keeps the proof of 2f + 1");
        assert!(r.snapshots.keys().all(|&n| n >= 4));
    }
}

#[test]
fn watermarks_stall_a_primary_that_runs_ahead() {
    let config = PbftConfig::new(1, 3);
    let mut w = world(config, 16);
    // Three clients, four requests each: twelve, above H = 8 while no
    // checkpoint can become stable, because every CHECKPOINT is lost.
    for c in 0..3 {
        for i in 1..=4 {
            request(&mut w, c, &format!("x={}", c * 10 + i));
        }
    }
    let seen = run_dropping(&mut w, &[kinds::CHECKPOINT], 3_000, "eight executed", |w| {
        replica(w, 0).executed == 8
    });
    let seen_more = run_dropping(&mut w, &[kinds::CHECKPOINT], 300, "the primary holds", |w| {
        w.in_flight().all(|m| m.message.kind() != kinds::PRE_PREPARE.as_str())
    });
    let all: Vec<String> = seen.notes.into_iter().chain(seen_more.notes).collect();
    assert!(
        all.iter().any(|n| n.contains("sequence number 9 would pass the high watermark H = 8")),
        "{}",
        all.join("\n")
    );
    assert!(replica(&w, 0).log.keys().all(|&n| n <= 8), "nothing is ordered above H");
    // Once CHECKPOINTs flow again (resent on the view change that the
    // stalled requests cause), the window moves and every request completes.
    run_until(&mut w, 20_000, "all twelve results", |w| (0..3).all(|c| accepted(w, c) == 4));
}

#[test]
fn a_lagging_replica_catches_up_by_state_transfer() {
    let mut w = world(PbftConfig::new(1, 1), 17);
    let cut_off = vec![vec![NodeId(3)]];
    w.apply(&Action::Partition(cut_off)).unwrap();
    for i in 1..=12 {
        request(&mut w, 0, &format!("x={i}"));
    }
    run_until(&mut w, 6_000, "twelve results without r3", |w| accepted(w, 0) == 12);
    assert_eq!(replica(&w, 3).executed, 0);
    w.apply(&Action::Heal).unwrap();
    for i in 13..=16 {
        request(&mut w, 0, &format!("x={i}"));
    }
    let seen = run_until(&mut w, 6_000, "r3 catches up", |w| replica(w, 3).executed >= 16);
    assert!(seen.has("r3 is behind stable checkpoint"), "{}", seen.notes.join("\n"));
    assert!(seen.has("r3 installs the state of checkpoint"));
    let r0 = replica(&w, 0);
    let r3 = replica(&w, 3);
    assert_eq!(r3.store, r0.store);
    assert_eq!(r3.history, r0.history);
}

/// Regression (a browser test found it): once view 1 was installed, a late
/// VIEW-CHANGE for view 1 set two replicas already in view 1 answering each
/// other with their own VIEW-CHANGE and the NEW-VIEW, every 12 ms or so of
/// simulated time, for good. Once every correct replica is in view 1 and
/// both results are in, the network must go quiet: nothing is left to
/// retransmit, so no message at all is sent in the last 10 of 20 seconds.
#[test]
fn replicas_in_an_installed_view_do_not_answer_each_other_for_good() {
    for seed in 0..8 {
        let mut w = world(PbftConfig::new(1, 1), seed);
        byzantine(&mut w, 0, Behaviour::Equivocate);
        request(&mut w, 0, "x=1");
        request(&mut w, 0, "x=2");
        run_until(&mut w, 3_000, &format!("seed {seed}: view 1 installed, both results"), |w| {
            accepted(w, 0) == 2
                && (1..4).all(|i| replica(w, i).view == 1 && !replica(w, i).view_changing)
        });
        w.run_until(w.now() + 10_000 * MILLIS);
        let delivered = w.messages_delivered();
        w.run_until(w.now() + 10_000 * MILLIS);
        let late = w.messages_delivered() - delivered;
        assert_eq!(late, 0, "seed {seed}: {late} messages delivered in the last 10 s");
        assert_eq!(w.in_flight().count(), 0, "seed {seed}: messages still in flight");
    }
}
