//! Every note of every preset against the state it describes: the preset's
//! link is replayed as the page would open it, and at each noted step the
//! note's claims are checked, and its words about the safety properties are
//! held to what the step's checks found.

use crate::engine::Engine;
use crate::raft::RaftNode;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::collections::BTreeSet;

use super::super::*;
use crate::raft::invariants::PROPERTY_NAMES;
use crate::raft::view::log_terms;
use crate::scenario::Scenario;

/// The state a claim is checked against: the worlds before and after its
/// step (the same world at step 0), and the properties broken at the step
/// and before it.
struct At<'a> {
    before: &'a World<RaftNode>,
    now: &'a World<RaftNode>,
    broken_now: &'a BTreeSet<String>,
    broken_before: &'a BTreeSet<String>,
}

fn live(w: &World<RaftNode>, n: NodeId) -> Result<&RaftNode, String> {
    w.node(n).ok_or_else(|| format!("{n} is down"))
}

fn role(w: &World<RaftNode>, n: NodeId, role: Role, term: u64) -> Result<(), String> {
    let node = live(w, n)?;
    let (r, t) = (node.role(), node.current_term());
    if (r, t) == (role, term) { Ok(()) } else { Err(format!("{n} is {r:?} in term {t}")) }
}

fn entry(w: &World<RaftNode>, n: NodeId, index: u64, term: u64, command: &str) -> bool {
    w.durable(n)
        .and_then(|d| d.log.get(index))
        .is_some_and(|e| e.term == term && e.command.to_string() == command)
}

fn log_text(w: &World<RaftNode>, n: NodeId) -> String {
    let log = w.durable(n).map(|d| d.log.entries().to_vec()).unwrap_or_default();
    let entries: Vec<String> =
        log.iter().map(|e| format!("{} (term {})", e.command, e.term)).collect();
    format!("{n}'s log is [{}]", entries.join(", "))
}

fn leader_state(w: &World<RaftNode>, l: NodeId) -> Result<&crate::raft::node::LeaderState, String> {
    live(w, l)?.leader_state().ok_or_else(|| format!("{l} is not leader"))
}

fn expect<T: PartialEq + std::fmt::Debug>(what: String, is: T, claimed: T) -> Result<(), String> {
    if is == claimed { Ok(()) } else { Err(format!("{what} is {is:?}")) }
}

/// Whether `claim` holds at `at`; if not, what the world shows instead.
fn check(claim: &Claim, at: &At) -> Result<(), String> {
    let w = at.now;
    match claim {
        Follows(n, t) => role(w, *n, Role::Follower, *t),
        Candidate(n, t) => role(w, *n, Role::Candidate, *t),
        Leads(n, t) => role(w, *n, Role::Leader, *t),
        Wins(n, t) => {
            role(w, *n, Role::Leader, *t)?;
            match role(at.before, *n, Role::Leader, *t) {
                Ok(()) => Err(format!("{n} already led term {t} before this step")),
                Err(_) => Ok(()),
            }
        }
        Down(n) => {
            if w.node(*n).is_none() {
                Ok(())
            } else {
                Err(format!("{n} is up"))
            }
        }
        VotedFor(n, v) => {
            expect(format!("{n}'s votedFor"), w.durable(*n).and_then(|d| d.voted_for), *v)
        }
        Votes(n, k) => expect(format!("{n}'s vote count"), live(w, *n)?.votes().len(), *k),
        NoLeader => leader(w).map_or(Ok(()), |l| Err(format!("{l} leads"))),
        KnowsLeader(n, l) => {
            expect(format!("the leader {n} knows"), live(w, *n)?.leader_hint(), *l)
        }
        LogLength(n, k) => {
            expect(format!("{n}'s log length"), w.durable(*n).map_or(0, |d| d.log.last_index()), *k)
        }
        LogTerms(n, terms) => {
            expect(format!("the terms of {n}'s log"), log_terms(w, *n), terms.clone())
        }
        Entry(n, i, t, c) => {
            if entry(w, *n, *i, *t, c) {
                Ok(())
            } else {
                Err(log_text(w, *n))
            }
        }
        Takes(n, i, t, c) => {
            if !entry(w, *n, *i, *t, c) {
                Err(log_text(w, *n))
            } else if entry(at.before, *n, *i, *t, c) {
                Err(format!("{n} held it before this step"))
            } else {
                Ok(())
            }
        }
        CommitIndex(n, i) => expect(format!("{n}'s commitIndex"), live(w, *n)?.commit_index(), *i),
        Commits(n, i) => {
            let now = live(w, *n)?.commit_index();
            let before = at.before.node(*n).map_or(0, RaftNode::commit_index);
            if before < *i && *i <= now {
                Ok(())
            } else {
                Err(format!("{n}'s commitIndex goes from {before} to {now} at this step"))
            }
        }
        Applied(n, k, v) => expect(format!("{n}'s {k}"), live(w, *n)?.value(k), Some(*v)),
        NextIndex(l, f, i) => expect(
            format!("{l}'s nextIndex for {f}"),
            leader_state(w, *l)?.next_index[f.index()],
            *i,
        ),
        MatchIndex(l, f, i) => expect(
            format!("{l}'s matchIndex for {f}"),
            leader_state(w, *l)?.match_index[f.index()],
            *i,
        ),
        Partition(groups) => {
            let sorted = |mut g: Vec<Vec<NodeId>>| {
                g.iter_mut().for_each(|g| g.sort());
                g.sort();
                g
            };
            expect("the partition".into(), sorted(w.network().groups()), sorted(groups.clone()))
        }
        Breaks(p) => match (at.broken_before.contains(*p), at.broken_now.contains(*p)) {
            (false, true) => Ok(()),
            (true, _) => Err(format!("{p} broke at an earlier step")),
            (false, false) => Err(format!("no check finds {p} broken at this step")),
        },
        StillBroken(p) => match (at.broken_before.contains(*p), at.broken_now.contains(*p)) {
            (true, true) => Ok(()),
            (false, _) => Err(format!("{p} was not broken before this step")),
            (true, false) => Err(format!("no check finds {p} broken at this step")),
        },
        NothingBroken => {
            let broken: Vec<_> = at.broken_before.union(at.broken_now).collect();
            if broken.is_empty() { Ok(()) } else { Err(format!("broken: {broken:?}")) }
        }
    }
}

/// A claim as written in the script, servers named as on the page (n1, not NodeId(0)).
fn named(claim: &Claim) -> String {
    let text = format!("{claim:?}");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("NodeId(") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "NodeId(".len()..];
        let end = after.find(')').expect("a closed NodeId");
        let n: u32 = after[..end].parse().expect("a node number");
        out.push_str(&NodeId(n).to_string());
        rest = &after[end + 1..];
    }
    out + rest
}

/// What is wrong with the notes of a written preset, one line each.
fn problems(written: &Written) -> Vec<String> {
    let scenario = Scenario::from_link(&written.scenario.to_link()).expect("a preset's link opens");
    let spec = RaftNode::spec(&scenario.run).expect("a Raft scenario");
    let narration = &scenario.narration;
    let mut problems = Vec::new();
    let noted: BTreeSet<u64> = narration.notes.iter().map(|n| n.step).collect();
    let claimed: BTreeSet<u64> = written.claims.keys().copied().collect();
    if noted != claimed {
        problems.push(format!("notes on steps {noted:?}, claims on steps {claimed:?}"));
    }
    let mut world = World::new(spec.config.clone(), scenario.seed, scenario.links);
    let mut broken_before = BTreeSet::new();
    for step in 0..=spec.actions.len() as u64 {
        let note = narration.note_at(step);
        let before = note.map(|_| world.clone());
        let mut broken_now = BTreeSet::new();
        if step > 0 {
            let trace = world.apply(&spec.actions[step as usize - 1]).expect("the actions apply");
            broken_now.extend(trace.violations().iter().map(|v| v.property.clone()));
        }
        let Some(note) = note else {
            for p in broken_now.difference(&broken_before) {
                problems.push(format!("step {step}: {p} turns red, and no note says so"));
            }
            broken_before.extend(broken_now);
            continue;
        };
        let claims = written.claims.get(&step).map_or(&[][..], Vec::as_slice);
        if claims.is_empty() {
            problems.push(format!("step {step}: the note claims nothing: {:?}", note.text));
        }
        let at = At {
            before: before.as_ref().unwrap_or(&world),
            now: &world,
            broken_now: &broken_now,
            broken_before: &broken_before,
        };
        for claim in claims {
            if let Err(instead) = check(claim, &at) {
                problems.push(format!("step {step}: {} is false: {instead}", named(claim)));
            }
        }
        let about =
            |p: &str| claims.iter().any(|c| matches!(c, Breaks(q) | StillBroken(q) if *q == p));
        for p in &broken_now {
            if !about(p) {
                problems.push(format!(
                    "step {step}: {p} is broken at this step; the note does not say so"
                ));
            }
        }
        for p in PROPERTY_NAMES {
            if note.text.contains(p) && !about(p) {
                problems.push(format!("step {step}: the note names {p} without a claim about it"));
            }
            if about(p) && !note.text.contains(p) {
                problems.push(format!(
                    "step {step}: the note claims {p} is broken but does not name it"
                ));
            }
            if claims.contains(&Breaks(p)) && !note.text.contains(&format!("{p} turns red")) {
                problems.push(format!("step {step}: the note does not say that {p} turns red"));
            }
        }
        broken_before.extend(broken_now);
    }
    problems
}

#[test]
fn every_note_says_what_its_step_shows() {
    let mut all = Vec::new();
    for preset in PRESETS {
        let written = (preset.build)().unwrap_or_else(|why| panic!("{}: {why}", preset.slug));
        all.extend(problems(&written).into_iter().map(|p| format!("{}: {p}", preset.slug)));
    }
    assert!(all.is_empty(), "notes that do not match their steps:\n{}", all.join("\n"));
}

fn written(slug: &str) -> Written {
    let preset = PRESETS.iter().find(|p| p.slug == slug).expect("a preset");
    (preset.build)().unwrap_or_else(|why| panic!("{slug}: {why}"))
}

/// The step whose note claims `claim`.
fn step_claiming(written: &Written, claim: &Claim) -> u64 {
    let found = written.claims.iter().find(|(_, claims)| claims.contains(claim));
    *found.unwrap_or_else(|| panic!("no note claims {claim:?}")).0
}

#[test]
fn the_check_catches_a_note_on_the_wrong_step() {
    // As the old last note of the mistake preset did: "n5 commits index 3
    // and, with it, its own index 2", when n5 had committed index 2 before.
    let mut w = written("figure-8-mistake");
    let red = step_claiming(&w, &Breaks("State Machine Safety"));
    assert!(w.claims[&red].contains(&Commits(NodeId(4), 2)));
    let last = *w.claims.keys().last().unwrap();
    w.claims.get_mut(&last).unwrap().push(Commits(NodeId(4), 2));
    assert_eq!(
        problems(&w),
        [format!(
            "step {last}: Commits(n5, 2) is false: n5's commitIndex goes from 2 to 2 at this step"
        )]
    );
}

#[test]
fn the_check_catches_a_note_silent_about_a_broken_property() {
    let original = written("figure-8-mistake");
    let red = step_claiming(&original, &Breaks("Leader Completeness"));

    // Its words no longer name the property.
    let mut w = written("figure-8-mistake");
    let text = w.scenario.narration.note_at(red).unwrap().text.replace("Leader Completeness", "it");
    w.scenario.narration.set_note(red, &text);
    assert_eq!(
        problems(&w),
        [
            format!(
                "step {red}: the note claims Leader Completeness is broken but does not name it"
            ),
            format!("step {red}: the note does not say that Leader Completeness turns red"),
        ]
    );

    // Its claim no longer says so.
    let mut w = written("figure-8-mistake");
    w.claims.get_mut(&red).unwrap().retain(|c| *c != Breaks("Leader Completeness"));
    let problems_now = problems(&w);
    assert!(problems_now.contains(&format!(
        "step {red}: Leader Completeness is broken at this step; the note does not say so"
    )));
    assert!(problems_now.contains(&format!(
        "step {red}: the note names Leader Completeness without a claim about it"
    )));

    // No note at all.
    let mut w = written("figure-8-mistake");
    w.scenario.narration.set_note(red, "");
    w.claims.remove(&red);
    assert_eq!(
        problems(&w),
        [format!("step {red}: Leader Completeness turns red, and no note says so")]
    );
}

#[test]
fn the_check_catches_a_note_claiming_a_break_that_is_not_there() {
    let mut w = written("figure-8");
    let last = *w.claims.keys().last().unwrap();
    let text =
        format!("{} Election Safety turns red.", w.scenario.narration.note_at(last).unwrap().text);
    w.scenario.narration.set_note(last, &text);
    w.claims.get_mut(&last).unwrap().push(Breaks("Election Safety"));
    assert_eq!(
        problems(&w),
        [format!(
            "step {last}: Breaks(\"Election Safety\") is false: no check finds Election Safety broken at this step"
        )]
    );
}
