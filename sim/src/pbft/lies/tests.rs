//! A lie replaces one message in flight and nothing else; it is refused
//! when the sender follows the protocol, is down, or the lie does not fit
//! the message; one replica lying message by message breaks nothing, and
//! f + 1 of them can make two correct replicas execute different requests.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;
use crate::action::{Action, ActionError};
use crate::ids::MessageId;
use crate::invariant::Violation;
use crate::kv::Set;
use crate::network::LinkParams;
use crate::pbft::{PbftCommand, PbftConfig, PbftDurable, PbftNode};
use crate::trace::TraceEvent;
use crate::view::Visual;
use crate::world::World;

/// Client c0 of a cluster with f = 1 (replicas r0 to r3).
const C0: NodeId = NodeId(4);
const R3: NodeId = NodeId(3);

fn world(liars: &[u32], seed: u64) -> World<PbftNode> {
    let mut w = World::new(PbftConfig::new(1, 1), seed, LinkParams::default());
    for &liar in liars {
        let command = PbftCommand::Byzantine(Behaviour::YouChoose);
        w.apply(&Action::Command { node: NodeId(liar), command }).unwrap();
    }
    w
}

fn request(w: &mut World<PbftNode>, text: &str) {
    w.apply(&Action::Request { node: C0, request: Set::parse(text).unwrap() }).unwrap();
}

/// Steps until a message from `from` to `to` of `kind` is in flight.
fn step_until_sent(w: &mut World<PbftNode>, from: u32, to: NodeId, kind: &str) -> MessageId {
    for _ in 0..200 {
        let found = w
            .in_flight()
            .find(|m| m.from == NodeId(from) && m.to == to && *m.message.kind() == *kind);
        if let Some(m) = found {
            return m.id;
        }
        w.apply(&Action::Step).unwrap();
    }
    panic!("r{from} sent no {kind} to {to}");
}

fn substitute(lie: Lie, message: MessageId) -> Action<PbftNode> {
    Action::Substitute { message, command: PbftCommand::Lie(lie) }
}

#[test]
fn a_lie_changes_only_the_contents_of_the_message() {
    let mut w = world(&[0], 3);
    request(&mut w, "x=1");
    let id = step_until_sent(&mut w, 0, R3, "PRE-PREPARE");
    let before = w.message(id).unwrap().clone();
    let offered = PbftNode::message_commands(&w, id);
    let labels: Vec<_> = offered.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["PRE-PREPARE the null request at 1 instead"]);
    assert_eq!(offered[0].command, PbftCommand::Lie(Lie::NullPrePrepare));

    let mut honest = w.clone();
    let trace = w.apply(&substitute(Lie::NullPrePrepare, id)).unwrap();
    let events: Vec<_> = trace.events().map(|e| e.summary()).collect();
    assert!(events.iter().any(|e| e.contains("lies to r3")), "{events:#?}");
    assert!(
        trace.events().any(|e| matches!(e, TraceEvent::Substituted { id: i, .. } if i == id)),
        "{events:#?}"
    );

    let after = w.message(id).unwrap();
    assert!(after.replaced && !before.replaced, "the message is marked a lie");
    assert_eq!(
        (after.from, after.to, after.sent_at, after.arrives_at, after.copy_of),
        (before.from, before.to, before.sent_at, before.arrives_at, before.copy_of)
    );
    let Message::PrePrepare(pp, request) = &after.message else { panic!("{after:?}") };
    assert_eq!((pp.payload().digest, request), (Digest::NULL, &None));
    let Message::PrePrepare(original, _) = &before.message else { unreachable!() };
    assert_eq!((pp.payload().view, pp.payload().seq), (original.payload().view, 1));
    // Nothing else in flight changed, and the trace tells the two runs apart.
    let others = |w: &World<PbftNode>| {
        w.in_flight().filter(|m| m.id != id).map(|m| format!("{m:?}")).collect::<Vec<_>>()
    };
    assert_eq!(others(&w), others(&honest));
    honest.apply(&Action::AdvanceTo(w.now())).unwrap();
    assert_ne!(w.trace_hash(), honest.trace_hash());
    // A lie is told once: the null pre-prepare offers nothing more.
    assert!(PbftNode::message_commands(&w, id).is_empty());
}

#[test]
fn a_lie_is_refused_when_it_cannot_be_told() {
    let mut w = world(&[], 3);
    request(&mut w, "x=1");
    let id = step_until_sent(&mut w, 0, R3, "PRE-PREPARE");
    assert!(PbftNode::message_commands(&w, id).is_empty());
    let hash = w.trace_hash();
    let refused = |w: &mut World<PbftNode>, action: Action<PbftNode>| match w.apply(&action) {
        Err(ActionError::Refused { reason, .. }) => reason,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        refused(&mut w, substitute(Lie::NullPrePrepare, id)),
        "r0 follows the protocol: make it Byzantine first"
    );

    w.apply(&Action::Command {
        node: NodeId(0),
        command: PbftCommand::Byzantine(Behaviour::Silent),
    })
    .unwrap();
    assert_eq!(
        refused(&mut w, substitute(Lie::NullPrePrepare, id)),
        "r0 (silent) does not tell that lie"
    );
    let command = PbftCommand::Byzantine(Behaviour::YouChoose);
    w.apply(&Action::Command { node: NodeId(0), command }).unwrap();
    assert_eq!(
        refused(&mut w, substitute(Lie::WrongResult, id)),
        "that lie cannot stand in for a PRE-PREPARE"
    );
    let not_a_lie = Action::Substitute { message: id, command: PbftCommand::Honest };
    assert_eq!(refused(&mut w, not_a_lie), "only a lie can stand in for one of r0's messages");
    let lie_as_command =
        Action::Command { node: NodeId(0), command: PbftCommand::Lie(Lie::VoteNull) };
    assert_eq!(
        refused(&mut w, lie_as_command),
        "a lie replaces a message in flight: pick it on one of r0's messages"
    );
    assert_eq!(
        w.apply(&substitute(Lie::NullPrePrepare, MessageId(9999))).unwrap_err(),
        ActionError::UnknownMessage(MessageId(9999))
    );
    w.apply(&Action::Crash(NodeId(0))).unwrap();
    assert_eq!(
        w.apply(&substitute(Lie::NullPrePrepare, id)).unwrap_err(),
        ActionError::NodeDown(NodeId(0))
    );
    assert!(PbftNode::message_commands(&w, id).is_empty(), "a crashed replica tells no lie");
    // Refusals changed nothing but the commands that were allowed.
    assert_ne!(w.trace_hash(), hash);
    let lied =
        w.in_flight().any(|m| m.id == id && matches!(&m.message, Message::PrePrepare(_, None)));
    assert!(!lied);
}

/// Plays the run, telling one of the offered lies (which one, by `pick`)
/// once on each message from a liar; returns the violations and how many
/// lies were told.
fn play_lying(
    w: &mut World<PbftNode>,
    steps: u32,
    pick: impl Fn(&World<PbftNode>, MessageId, usize) -> Option<usize>,
) -> (Vec<Violation>, usize) {
    let mut found = Vec::new();
    let mut told = std::collections::BTreeSet::new();
    for _ in 0..steps {
        let ids: Vec<_> = w.in_flight().map(|m| m.id).filter(|id| !told.contains(id)).collect();
        for id in ids {
            let offered = PbftNode::message_commands(w, id);
            if let Some(i) = pick(w, id, offered.len()).filter(|&i| i < offered.len()) {
                told.insert(id);
                let command = offered[i].command.clone();
                let trace = w.apply(&Action::Substitute { message: id, command }).unwrap();
                found.extend(trace.violations().iter().cloned());
            }
        }
        let Ok(step) = w.apply(&Action::Step) else { break };
        found.extend(step.violations().iter().cloned());
    }
    (found, told.len())
}

fn accepted(w: &World<PbftNode>) -> usize {
    match w.durable(C0) {
        Some(PbftDurable::Client(c)) => c.accepted.len(),
        _ => 0,
    }
}

#[test]
fn one_replica_lying_message_by_message_breaks_nothing() {
    for (liar, seed) in [(0, 1), (0, 2), (1, 3), (2, 4), (3, 5)] {
        let mut w = world(&[liar], seed);
        for v in 1..=4 {
            request(&mut w, &format!("x={v}"));
        }
        // Every other message that offers a lie tells one, varied by id.
        let (found, told) = play_lying(&mut w, 3000, |_, id, n| {
            (n > 0 && id.0 % 2 == 0).then(|| (id.0 / 2) as usize % n)
        });
        assert!(told >= 10, "r{liar}, seed {seed}: only {told} lies");
        assert!(found.is_empty(), "r{liar}, seed {seed}: {found:#?}");
        assert_eq!(accepted(&w), 4, "r{liar}, seed {seed}");
    }
}

#[test]
fn f_plus_one_replicas_lying_to_one_backup_break_agreement() {
    // r0 (the primary) and r1 tell r3 about the null request and everyone
    // else about x=1: r2 gathers 2f prepares and 2f + 1 commits for x=1 (its
    // own, r1's, r0's) and r3 for the null request (its own, r1's, r0's), as
    // two liars make the quorums of 2f + 1 meet only in them (§4.2).
    let mut w = world(&[0, 1], 7);
    request(&mut w, "x=1");
    let (found, _) =
        play_lying(&mut w, 400, |w, id, n| (n > 0 && w.message(id)?.to == R3).then_some(0));
    let broken: Vec<_> = found.iter().map(|v| v.property.as_str()).collect();
    assert!(broken.contains(&"Agreement"), "{found:#?}");
    let executed = |id: u32| match w.durable(NodeId(id)) {
        Some(PbftDurable::Replica(r)) => r.executed,
        _ => unreachable!(),
    };
    assert!(executed(2) >= 1 && executed(3) >= 1);
}
