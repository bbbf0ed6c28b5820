//! Every note of every PBFT preset against the state it describes, as for
//! Raft's (`raft/presets/tests/notes.rs`): the preset's link is replayed as
//! the page would open it, and at each noted step the note's claims are
//! checked, and its words about the safety properties are held to what the
//! step's checks found.

use crate::engine::Engine;
use crate::pbft::PbftNode;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::collections::BTreeSet;

use super::super::*;
use crate::pbft::invariants::PROPERTY_NAMES;
use crate::scenario::Scenario;

/// The state a claim is checked against: the worlds before and after its
/// step (the same world at step 0), and the properties broken at the step
/// and before it.
struct At<'a> {
    before: &'a World<PbftNode>,
    now: &'a World<PbftNode>,
    broken_now: &'a BTreeSet<String>,
    broken_before: &'a BTreeSet<String>,
}

fn durable(w: &World<PbftNode>, n: NodeId) -> Result<&ReplicaDurable, String> {
    replica(w, n).ok_or_else(|| format!("{} is not a replica", name(n)))
}

fn live(w: &World<PbftNode>, n: NodeId) -> Result<&ReplicaDurable, String> {
    match w.node(n) {
        Some(_) => durable(w, n),
        None => Err(format!("{} is down", name(n))),
    }
}

fn client(w: &World<PbftNode>, n: NodeId) -> Result<&crate::pbft::ClientDurable, String> {
    match w.durable(n) {
        Some(PbftDurable::Client(d)) => Ok(d),
        _ => Err(format!("{} is not a client", name(n))),
    }
}

fn expect<T: PartialEq + std::fmt::Debug>(what: String, is: T, claimed: T) -> Result<(), String> {
    if is == claimed { Ok(()) } else { Err(format!("{what} is {is:?}")) }
}

fn slot_of(w: &World<PbftNode>, n: NodeId, seq: u64) -> Result<&Slot, String> {
    durable(w, n)?.log.get(&seq).ok_or_else(|| format!("{}'s log has nothing at {seq}", name(n)))
}

/// The request at a slot, checked against the claimed one.
fn holds<'w>(
    w: &'w World<PbftNode>,
    n: NodeId,
    seq: u64,
    request: &str,
) -> Result<&'w Slot, String> {
    let slot = slot_of(w, n, seq)?;
    let text = request_text(slot);
    if text.as_deref() == Some(request) {
        Ok(slot)
    } else {
        Err(format!("{}'s request at {seq} is {text:?}", name(n)))
    }
}

/// Whether `claim` holds at `at`; if not, what the world shows instead.
fn check(claim: &Claim, at: &At) -> Result<(), String> {
    let w = at.now;
    match claim {
        InView(n, v) => {
            let d = live(w, *n)?;
            expect(
                format!("{}'s (view, changing)", name(*n)),
                (d.view, d.view_changing),
                (*v, false),
            )
        }
        ViewChanging(n, v) => {
            let d = live(w, *n)?;
            expect(
                format!("{}'s (view, changing)", name(*n)),
                (d.view, d.view_changing),
                (*v, true),
            )
        }
        Down(n) => match w.node(*n) {
            None => Ok(()),
            Some(_) => Err(format!("{} is up", name(*n))),
        },
        Byzantine(n) => match &durable(w, *n)?.byzantine {
            Some(_) => Ok(()),
            None => Err(format!("{} follows the protocol", name(*n))),
        },
        Correct(n) => {
            if durable(w, *n)?.correct() {
                Ok(())
            } else {
                Err(format!("{} was Byzantine", name(*n)))
            }
        }
        PrePrepared(n, v, seq, request) => {
            let slot = holds(w, *n, *seq, request)?;
            expect(format!("the view of {}'s PRE-PREPARE at {seq}", name(*n)), slot.view, *v)
        }
        Prepared(n, seq, request) => expect(
            format!("{} prepared at {seq}", name(*n)),
            holds(w, *n, *seq, request)?.prepared,
            true,
        ),
        NotPrepared(n, seq) => {
            let prepared = durable(w, *n)?.log.get(seq).is_some_and(|s| s.prepared);
            expect(format!("{} prepared at {seq}", name(*n)), prepared, false)
        }
        Committed(n, seq, request) => expect(
            format!("{} committed at {seq}", name(*n)),
            holds(w, *n, *seq, request)?.committed,
            true,
        ),
        Executed(n, seq) => {
            expect(format!("{}'s last executed", name(*n)), durable(w, *n)?.executed, *seq)
        }
        Applied(n, k, v) => expect(
            format!("{}'s {k}", name(*n)),
            durable(w, *n)?.store.get(crate::kv::Key::new(k)?),
            Some(*v),
        ),
        Retransmitted(c) => {
            let sent = w
                .node(*c)
                .and_then(|n| n.client())
                .and_then(|(_, v)| v.outstanding.as_ref())
                .is_some_and(|o| o.retransmitted);
            expect(format!("{} sent to every replica", name(*c)), sent, true)
        }
        Accepts(c, request, replies) => {
            let (now, before) = (client(w, *c)?, client(at.before, *c)?);
            if now.accepted.len() != before.accepted.len() + 1 {
                return Err(format!("{} accepted nothing at this step", name(*c)));
            }
            let last = now.accepted.last().map(|a| a.request.op.to_string());
            expect(format!("what {} accepted", name(*c)), last.as_deref(), Some(*request))?;
            let held = at
                .before
                .node(*c)
                .and_then(|n| n.client())
                .and_then(|(_, v)| v.outstanding.as_ref())
                .map_or(0, |o| o.replies.len());
            expect(format!("the replies {} held, with this one", name(*c)), held + 1, *replies)
        }
        AcceptedCount(c, k) => {
            expect(format!("{}'s accepted results", name(*c)), client(w, *c)?.accepted.len(), *k)
        }
        InFlight(from, to, kind) => {
            if w.in_flight()
                .any(|m| m.from == *from && m.to == *to && m.message.kind().as_str() == *kind)
            {
                Ok(())
            } else {
                Err(format!("no {kind} from {} to {} is in flight", name(*from), name(*to)))
            }
        }
        Checkpoint(n, seq) => {
            let taken = durable(w, *n)?.snapshots.contains_key(seq);
            expect(format!("{} holds checkpoint {seq}", name(*n)), taken, true)
        }
        Stable(n, seq) => {
            expect(format!("{}'s stable checkpoint", name(*n)), durable(w, *n)?.stable.seq, *seq)
        }
        LogHolds(n, seqs) => {
            let held: Vec<u64> = durable(w, *n)?.log.keys().copied().collect();
            expect(format!("{}'s log", name(*n)), held, seqs.clone())
        }
        Installs(n, seq) => {
            let installed = |w: &World<PbftNode>| -> Result<Vec<u64>, String> {
                Ok(durable(w, *n)?
                    .journal
                    .iter()
                    .filter_map(|f| match f {
                        crate::pbft::journal::Fact::Installed { seq, .. } => Some(*seq),
                        _ => None,
                    })
                    .collect())
            };
            let (now, before) = (installed(w)?, installed(at.before)?);
            if now.len() == before.len() + 1 && now.last() == Some(seq) {
                Ok(())
            } else {
                Err(format!("{} installed {now:?}, before this step {before:?}", name(*n)))
            }
        }
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

/// A claim as written in the script, nodes named as on the page (r0, c0,
/// not NodeId(0), NodeId(4)).
fn named(claim: &Claim) -> String {
    let text = format!("{claim:?}");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("NodeId(") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "NodeId(".len()..];
        let end = after.find(')').expect("a closed NodeId");
        let n: u32 = after[..end].parse().expect("a node number");
        out.push_str(&name(NodeId(n)));
        rest = &after[end + 1..];
    }
    out + rest
}

/// What is wrong with the notes of a written preset, one line each.
fn problems(written: &Written) -> Vec<String> {
    let scenario = Scenario::from_link(&written.scenario.to_link()).expect("a preset's link opens");
    let spec = PbftNode::spec(&scenario.run).expect("a PBFT scenario");
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
fn agreement_turns_red_at_the_step_its_note_says() {
    let w = written("f-plus-one");
    let red = step_claiming(&w, &Breaks("Agreement"));
    let text = &w.scenario.narration.note_at(red).expect("a note").text;
    assert!(text.contains("Agreement turns red"), "{text}");
    assert_eq!(problems(&w), Vec::<String>::new());
}

#[test]
fn the_check_catches_a_note_on_the_wrong_step() {
    let mut w = written("normal-case");
    let first = *w.claims.keys().next().unwrap();
    w.claims.get_mut(&first).unwrap().push(Accepts(C0, "x=1", 2));
    assert_eq!(
        problems(&w),
        [format!(
            "step {first}: Accepts(c0, \"x=1\", 2) is false: c0 accepted nothing at this step"
        )]
    );
}

#[test]
fn the_check_catches_a_note_silent_about_a_broken_property() {
    let mut w = written("f-plus-one");
    let red = step_claiming(&w, &Breaks("Agreement"));
    w.scenario.narration.set_note(red, "");
    w.claims.remove(&red);
    assert!(
        problems(&w).contains(&format!("step {red}: Agreement turns red, and no note says so")),
        "{:?}",
        problems(&w)
    );
}
