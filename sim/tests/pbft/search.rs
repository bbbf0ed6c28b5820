//! Random schedule search: each mistake is caught within a fixed budget;
//! with every mistake off and at most f Byzantine replicas of random
//! behaviour, telling random lies message by message, plus crashes,
//! partitions, loss and duplication, nothing is broken; with f + 1 Byzantine replicas agreement breaks, which is why
//! n = 3f + 1. Native only: the budgets are large. `cargo xtask test
//! --long` searches more.

#![cfg(not(target_arch = "wasm32"))]

use caucus_sim::explore::{Counterexample, Faults, Moves, replay, search_for, search_with};
use caucus_sim::pbft::moves::{self, client_request};
use caucus_sim::pbft::{Behaviour, Mistake, PbftConfig, PbftNode};
use caucus_sim::{Action, Violation, World};
use chacha20::ChaCha8Rng;

fn long() -> bool {
    std::env::var("CAUCUS_TEST_LENGTH").as_deref() == Ok("long")
}

thread_local! {
    /// Lies told by this test's searches, so a test can say they were.
    static LIES_TOLD: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// The search's Byzantine moves, counting the lies told.
fn turn_byzantine(
    limit: usize,
    allowed: fn(&Behaviour) -> bool,
) -> impl Fn(&World<PbftNode>, &mut ChaCha8Rng) -> Option<Action<PbftNode>> {
    let byzantine = moves::turn_byzantine(limit, allowed);
    move |w, rng| {
        let action = byzantine(w, rng);
        if matches!(action, Some(Action::Substitute { .. })) {
            LIES_TOLD.set(LIES_TOLD.get() + 1);
        }
        action
    }
}

fn faults(byzantine: u32) -> Faults {
    Faults { byzantine, ..Faults::default() }
}

fn any(_: &Behaviour) -> bool {
    true
}

/// Searches and checks that what is printed replays.
fn find(
    config: &PbftConfig,
    schedules: u32,
    limit: usize,
    allowed: fn(&Behaviour) -> bool,
    what: &str,
) -> Counterexample<PbftNode> {
    find_from(1, config, schedules, limit, allowed, what)
}

fn find_from(
    search_seed: u64,
    config: &PbftConfig,
    schedules: u32,
    limit: usize,
    allowed: fn(&Behaviour) -> bool,
    what: &str,
) -> Counterexample<PbftNode> {
    let byzantine = turn_byzantine(limit, allowed);
    let moves = Moves { protocol: &client_request, byzantine: &byzantine };
    let rate = if limit == 0 { 0 } else { 20_000 };
    let found = search_with::<PbftNode>(config, search_seed, schedules, 800, &faults(rate), moves)
        .unwrap_or_else(|| {
            panic!("no violation of any property in {schedules} schedules with {what}")
        });
    println!("{what}: the shortest schedule found\n{}", found.describe());
    let again = replay::<PbftNode>(
        config,
        found.seed,
        found.links,
        &found.actions,
        &found.violation.property,
    );
    assert_eq!(
        again.map(|(_, v)| v),
        Some(found.violation.clone()),
        "the printed schedule replays"
    );
    found
}

/// Searches with `m` switched on and at most `limit` (≤ f) Byzantine
/// replicas, and checks the broken property is one of `expected`.
fn mistake(m: Mistake, limit: usize, expected: &[&str]) {
    let found = find(&PbftConfig::new(1, 2).with_mistake(m), 3_000, limit, any, m.name());
    assert!(expected.contains(&found.violation.property.as_str()), "{}", found.describe());
}

#[test]
fn committing_with_2f_commits_is_caught() {
    mistake(Mistake::CommitWith2f, 1, &["Agreement", "Executed Prefixes"]);
}

#[test]
fn prepared_with_fewer_prepares_is_caught() {
    mistake(Mistake::PreparedWithFewer, 1, &["Prepared Uniqueness", "Agreement"]);
}

#[test]
fn a_new_primary_ignoring_prepared_requests_is_caught() {
    // No Byzantine replica needed: crashes and lost messages suffice.
    mistake(Mistake::NewPrimaryIgnoresPrepared, 0, &["Agreement", "Executed Prefixes"]);
}

#[test]
fn accepting_a_second_pre_prepare_is_caught() {
    mistake(Mistake::AcceptSecondPrePrepare, 1, &["Prepared Uniqueness", "Agreement"]);
}

#[test]
fn a_client_accepting_the_first_reply_is_caught() {
    mistake(Mistake::ClientAcceptsFirstReply, 1, &["Accepted Results"]);
}

/// Why n = 3f + 1: with f + 1 Byzantine replicas, correct replicas
/// execute different requests at one sequence number. (A search stops at
/// the first broken property, often a client's with so many liars, so this
/// one looks for the replicas' agreement only.)
#[test]
fn f_plus_one_byzantine_replicas_break_agreement() {
    let config = PbftConfig::new(1, 2);
    let byzantine = turn_byzantine(2, any);
    let moves = Moves { protocol: &client_request, byzantine: &byzantine };
    let agreement = |v: &Violation| v.property == "Agreement";
    let found = search_for::<PbftNode>(&config, 1, 3_000, 800, &faults(20_000), moves, &agreement)
        .expect("f + 1 Byzantine replicas break agreement");
    println!("f + 1 = 2 Byzantine replicas: the shortest schedule found\n{}", found.describe());
    let again = replay::<PbftNode>(&config, found.seed, found.links, &found.actions, "Agreement");
    assert_eq!(again.map(|(_, v)| v), Some(found.violation), "the printed schedule replays");
}

#[test]
fn at_most_f_byzantine_replicas_break_nothing() {
    let schedules = if long() { 20_000 } else { 1_000 };
    for f in [1, 2] {
        let config = PbftConfig::new(f, 2);
        let byzantine = turn_byzantine(f as usize, any);
        let moves = Moves { protocol: &client_request, byzantine: &byzantine };
        let runs = if f == 1 { schedules } else { schedules / 4 };
        LIES_TOLD.set(0);
        if let Some(found) =
            search_with::<PbftNode>(&config, 7 + u64::from(f), runs, 800, &faults(20_000), moves)
        {
            panic!("f = {f}, at most f Byzantine replicas:\n{}", found.describe());
        }
        // About one schedule in two has a liar whose messages offer lies.
        let told = LIES_TOLD.get();
        println!("f = {f}: {told} lies told in {runs} schedules, nothing broken");
        assert!(told >= u64::from(runs), "f = {f}: only {told} lies in {runs} schedules");
    }
}
