//! Random schedule search: each mistake is caught by the invariants within a
//! fixed budget, and with every mistake off no schedule breaks anything.
//! Native only: the budgets are large. `cargo xtask test --long` searches more.

#![cfg(not(target_arch = "wasm32"))]

use caucus_sim::explore::{Counterexample, Faults, replay, search};
use caucus_sim::raft::moves::client_request;
use caucus_sim::raft::{Mistake, RaftConfig, RaftNode};

fn long() -> bool {
    std::env::var("CAUCUS_TEST_LENGTH").as_deref() == Ok("long")
}

fn find(mistake: Mistake, schedules: u32) -> Counterexample<RaftNode> {
    let config = RaftConfig::raftscope(5).with_mistake(mistake);
    let found = search::<RaftNode>(&config, 1, schedules, 600, &Faults::default(), &client_request)
        .unwrap_or_else(|| {
            panic!("no violation of any property in {schedules} schedules with: {mistake}")
        });
    println!("{mistake}: the shortest schedule found\n{}", found.describe());
    // What is printed is enough to reproduce it: seed, links and actions.
    let again = replay::<RaftNode>(
        &config,
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

#[test]
fn committing_an_older_terms_entry_by_counting_is_caught() {
    let found = find(Mistake::CommitOlderTermByCounting, 3_000);
    assert!(
        ["State Machine Safety", "Leader Completeness"]
            .contains(&found.violation.property.as_str()),
        "{}",
        found.describe()
    );
}

#[test]
fn forgetting_voted_for_on_restart_is_caught() {
    let found = find(Mistake::ForgetVotedForOnRestart, 3_000);
    assert_eq!(found.violation.property, "Election Safety", "{}", found.describe());
}

#[test]
fn voting_without_the_up_to_date_check_is_caught() {
    let found = find(Mistake::VoteWithoutUpToDateCheck, 3_000);
    assert!(
        ["Leader Completeness", "State Machine Safety"]
            .contains(&found.violation.property.as_str()),
        "{}",
        found.describe()
    );
}

#[test]
fn appending_without_the_consistency_check_is_caught() {
    let found = find(Mistake::AppendWithoutConsistencyCheck, 3_000);
    assert!(
        ["Log Matching", "State Machine Safety", "Leader Completeness"]
            .contains(&found.violation.property.as_str()),
        "{}",
        found.describe()
    );
}

/// With every mistake off: zero violations over 2,000 random schedules with
/// crashes, restarts, partitions, loss, duplication and reordering (far
/// more under `--long`), for each option combination.
#[test]
fn with_every_mistake_off_no_schedule_breaks_a_property() {
    let schedules = if long() { 50_000 } else { 2_000 };
    let variants = [
        RaftConfig::raftscope(5),
        RaftConfig {
            conflict_hint: true,
            pre_vote: true,
            check_quorum: true,
            max_entries_per_append: 4,
            ..RaftConfig::raftscope(5)
        },
        RaftConfig { pre_vote: true, ..RaftConfig::raftscope(3) },
    ];
    for (i, config) in variants.iter().enumerate() {
        let per_variant = schedules / variants.len() as u32 + 1;
        let found = search::<RaftNode>(
            config,
            100 + i as u64,
            per_variant,
            400,
            &Faults::default(),
            &client_request,
        );
        if let Some(found) = found {
            panic!("variant {i} broke a property:\n{}", found.describe());
        }
    }
}

/// A shrink told to stop at once keeps the schedule as found, which still
/// breaks the property; let run, it is shorter. Schedules are found by
/// number, the same whichever order they run in.
#[test]
fn a_stopped_shrink_keeps_a_schedule_that_still_breaks() {
    use caucus_sim::explore::{Moves, schedule};
    let config = RaftConfig::raftscope(5).with_mistake(Mistake::ForgetVotedForOnRestart);
    let moves = Moves { protocol: &client_request, byzantine: &|_, _| None };
    let any = |_: &caucus_sim::Violation| true;
    let (index, found) = (0..2_000)
        .find_map(|i| schedule(&config, 1, i, 600, &Faults::default(), moves, &any).map(|f| (i, f)))
        .expect("the mistake is found");
    let again = schedule(&config, 1, index, 600, &Faults::default(), moves, &any).unwrap();
    assert_eq!(again.violation(), found.violation(), "schedule {index} is the same when run alone");
    let property = found.violation().property.clone();
    let (len, stopped) = (found.len(), found.clone().shrink_until(&config, &|| true));
    assert_eq!(stopped.actions.len(), len);
    let replayed = replay(&config, stopped.seed, stopped.links, &stopped.actions, &property);
    assert!(replayed.is_some(), "the unshrunk schedule breaks it");
    assert!(found.shrink(&config).actions.len() < len, "a full shrink removes something");
}
