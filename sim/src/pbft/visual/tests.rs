#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;
use crate::ids::{MILLIS, NodeKind};
use crate::network::LinkParams;
use crate::view::{kind_name, style_of};
use crate::{Action, Observe};

const R0: NodeId = NodeId(0);
const R1: NodeId = NodeId(1);
const R2: NodeId = NodeId(2);
/// With f = 1 the client c0 comes after the four replicas.
const C0: NodeId = NodeId(4);

fn world() -> World<PbftNode> {
    World::observing(PbftConfig::new(1, 1), 3, LinkParams::default(), Observe::default())
}

/// One of the inspector's fields of node `id`.
fn field(w: &World<PbftNode>, id: NodeId, name: &str) -> String {
    let fields = PbftNode::node_fields(w, id);
    let found = fields.iter().find(|f| f.name == name);
    found.unwrap_or_else(|| panic!("no field {name} in {fields:?}")).value.clone()
}

fn labels(w: &World<PbftNode>, id: NodeId) -> Vec<String> {
    PbftNode::node_commands(w, id).into_iter().map(|c| c.label).collect()
}

fn command(w: &mut World<PbftNode>, node: NodeId, command: PbftCommand) {
    w.apply(&Action::Command { node, command }).unwrap();
}

/// One message of every kind the engine sends.
fn one_of_each() -> Vec<Message> {
    let op = Set::parse("x=1").unwrap();
    let request = Signed::new(C0, Request { op, timestamp: 1, client: C0 });
    let digest = request.payload().digest();
    let pp = Signed::new(R0, PrePrepare { view: 0, seq: 1, digest });
    let vote = Vote { view: 0, seq: 1, digest };
    let checkpoint = |r| Signed::new(r, Checkpoint { seq: 4, state: Digest(7 << 48) });
    let proof = vec![checkpoint(R0), checkpoint(R1), checkpoint(R2)];
    let prepared = PreparedProof {
        pre_prepare: pp.clone(),
        prepares: vec![Signed::new(R1, vote), Signed::new(R2, vote)],
        request: Some(request.clone()),
    };
    let vc = Signed::new(
        R1,
        ViewChange {
            new_view: 1,
            stable: 4,
            checkpoint_proof: proof.clone(),
            prepared: vec![prepared.clone(), prepared],
        },
    );
    vec![
        Message::Request(request.clone()),
        Message::PrePrepare(pp.clone(), Some(request)),
        Message::Prepare(Signed::new(R1, vote)),
        Message::Commit(Signed::new(R2, vote)),
        Message::Reply(Signed::new(
            R1,
            Reply { view: 0, timestamp: 1, client: C0, result: Some(3) },
        )),
        Message::Checkpoint(checkpoint(R0)),
        Message::ViewChange(vc.clone()),
        Message::NewView(Signed::new(
            R1,
            NewView { view: 1, view_changes: vec![vc], pre_prepares: vec![pp] },
        )),
        Message::FetchState { seq: 4 },
        Message::State { proof, snapshot: Box::default() },
        Message::Status { view: 1, executed: 3 },
    ]
}

#[test]
fn every_message_kind_the_engine_sends_has_a_style_and_fields() {
    let config = PbftConfig::new(1, 1);
    let messages = one_of_each();
    assert_eq!(messages.len(), PbftNode::KINDS.len(), "one message of each kind");
    for message in &messages {
        let kind = message.kind().as_str();
        assert_eq!(style_of::<PbftNode>(kind).kind, kind);
        assert!(!style_of::<PbftNode>(kind).meaning.is_empty(), "{kind} has a legend line");
        assert!(!PbftNode::message_fields(&config, message).is_empty(), "{kind} has fields");
    }
    let mut names: Vec<&str> = PbftNode::KINDS.iter().map(|k| k.kind).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), PbftNode::KINDS.len(), "each kind is listed once");
}

#[test]
fn message_fields_shorten_digests_summarize_certificates_and_name_signers() {
    let config = PbftConfig::new(1, 1);
    let messages = one_of_each();
    let fields = |i: usize| PbftNode::message_fields(&config, &messages[i]);
    let text = |i: usize, name: &str| {
        fields(i).into_iter().find(|f| f.name == name).map(|f| f.value).unwrap_or_default()
    };
    assert_eq!(text(0, "client"), "c0");
    assert_eq!(text(0, "signed by"), "c0");
    assert_eq!(text(0, "digest").len(), 4, "digests are shortened");
    assert_eq!(text(1, "request"), "x=1 from c0, t=1");
    assert_eq!(text(4, "result"), "was 3");
    assert_eq!(text(6, "stable"), "4 (3 CHECKPOINTs)");
    assert!(text(6, "prepared").starts_with("2 proofs: 1:"), "{}", text(6, "prepared"));
    assert!(text(6, "prepared").contains("@v0 (2 PREPAREs)"));
    assert_eq!(text(6, "signed by"), "r1");
    assert_eq!(text(7, "view-changes"), "1 VIEW-CHANGE, from r1");
    assert!(text(7, "pre-prepares").starts_with("1 re-issued: 1:"));
    assert_eq!(text(9, "proof"), "3 CHECKPOINTs, from r0 r1 r2");
    assert_eq!(text(10, "executed up to"), "3");
}

#[test]
fn a_passed_on_view_change_is_drawn_as_one_and_says_it_is_an_answer() {
    let config = PbftConfig::new(1, 1);
    let Message::ViewChange(vc) = one_of_each().swap_remove(6) else {
        panic!("the seventh message is a VIEW-CHANGE")
    };
    let passed = Message::PassedViewChange(vc);
    assert_eq!(passed.kind().as_str(), "VIEW-CHANGE");
    let fields = PbftNode::message_fields(&config, &passed);
    let note = fields.iter().find(|f| f.name == "passed on").expect("a passed-on field");
    assert!(note.value.contains("never answered"), "{}", note.value);
}

#[test]
fn the_primary_leads_backups_follow_and_clients_are_the_second_kind() {
    let mut w = world();
    let r0 = PbftNode::node_view(&w, R0);
    assert_eq!((r0.tone, r0.role.as_str(), r0.badge.as_str()), (Tone::Leader, "primary", "0"));
    assert_eq!((r0.kind, r0.label.as_str(), r0.badge_name), (NodeKind(0), "r0", "view"));
    let r1 = PbftNode::node_view(&w, R1);
    assert_eq!((r1.tone, r1.role.as_str(), r1.label.as_str()), (Tone::Member, "backup", "r1"));
    assert_eq!(r1.caption, "exec 0 · h 0");
    let c0 = PbftNode::node_view(&w, C0);
    assert_eq!((c0.kind, c0.label.as_str()), (NodeKind(1), "c0"));
    assert_eq!((c0.tone, c0.role.as_str(), c0.caption.as_str()), (Tone::Member, "client", "idle"));
    assert_eq!(kind_name::<PbftNode>(c0.kind), "client");
    assert_eq!(PbftNode::leader(&w), Some(R0));
    assert!(labels(&w, C0).is_empty(), "a client offers no commands");

    w.apply(&Action::Request { node: C0, request: Set::parse("x=1").unwrap() }).unwrap();
    let c0 = PbftNode::node_view(&w, C0);
    assert_eq!(c0.caption, "waiting t=1");
    assert!(c0.timer.is_some(), "the retransmission timer is drawn");
    assert!(field(&w, C0, "outstanding").starts_with("x=1 from c0, t=1, sent to the primary"));
    assert_eq!(field(&w, C0, "replies"), "none yet (f + 1 = 2 matching needed)");

    w.run_until(500 * MILLIS);
    let c0 = PbftNode::node_view(&w, C0);
    assert_eq!(c0.caption, "idle");
    assert_eq!(field(&w, C0, "accepted"), "1 result; the last, x=1 (x was unset)");
    let r2 = PbftNode::node_view(&w, R2);
    assert_eq!(r2.caption, "exec 1 · h 0");
    assert_eq!(field(&w, R2, "store"), "x=1");
    assert!(field(&w, R2, "log").starts_with("1 entry: 1: "), "{}", field(&w, R2, "log"));
    assert!(field(&w, R2, "log").ends_with("v0, 3 prepares, 4 commits, executed"));
}

#[test]
fn a_crashed_replica_or_client_reads_as_down_from_its_disk() {
    let mut w = world();
    w.apply(&Action::Crash(R2)).unwrap();
    w.apply(&Action::Crash(C0)).unwrap();
    let r2 = PbftNode::node_view(&w, R2);
    assert_eq!((r2.tone, r2.role.as_str(), r2.badge.as_str()), (Tone::Down, "crashed", "0"));
    assert_eq!(field(&w, R2, "last executed"), "0", "the disk is still read");
    assert!(labels(&w, R2).is_empty());
    let c0 = PbftNode::node_view(&w, C0);
    assert_eq!((c0.tone, c0.kind, c0.caption.as_str()), (Tone::Down, NodeKind(1), "crashed"));
    w.apply(&Action::Crash(R0)).unwrap();
    assert_eq!(PbftNode::leader(&w), None, "a crashed primary leads nothing");
}

#[test]
fn a_byzantine_replica_reads_as_faulty_with_its_behaviour_and_commands_follow_its_state() {
    let mut w = world();
    let honest = labels(&w, R1);
    assert_eq!(honest.len(), 1 + 12, "{honest:?}");
    assert_eq!(honest[0], "Start a view change");
    assert!(honest.contains(&"Make Byzantine: silent".to_string()));
    assert!(honest.contains(&"Make Byzantine: delays messages to r2".to_string()));
    assert!(!honest.contains(&"Follow the protocol again".to_string()));

    command(&mut w, R1, PbftCommand::Byzantine(Behaviour::Silent));
    let r1 = PbftNode::node_view(&w, R1);
    assert_eq!((r1.tone, r1.role.as_str()), (Tone::Faulty, "Byzantine: silent"));
    assert!(field(&w, R1, "Byzantine").contains(Behaviour::Silent.explanation()));
    let lying = labels(&w, R1);
    assert_eq!(lying[..2], ["Start a view change", "Follow the protocol again"]);
    assert!(!lying.contains(&"Make Byzantine: silent".to_string()), "{lying:?}");
    assert_eq!(lying.len(), 2 + 11);
    assert_eq!(PbftNode::leader(&w), Some(R0));

    command(&mut w, R0, PbftCommand::Byzantine(Behaviour::Equivocate));
    let r0 = PbftNode::node_view(&w, R0);
    assert_eq!((r0.tone, r0.role.as_str()), (Tone::Faulty, "Byzantine: equivocating primary"));
    assert_eq!(PbftNode::leader(&w), Some(R0), "the correct replicas still follow r0");

    command(&mut w, R1, PbftCommand::Honest);
    let r1 = PbftNode::node_view(&w, R1);
    assert_eq!((r1.tone, r1.role.as_str()), (Tone::Member, "backup"));
    assert!(field(&w, R1, "Byzantine").contains("still count it faulty"));
    assert_eq!(labels(&w, R1), honest);
}

#[test]
fn a_replica_changing_view_is_a_candidate_until_the_new_view() {
    let mut w = world();
    command(&mut w, R1, PbftCommand::StartViewChange);
    let r1 = PbftNode::node_view(&w, R1);
    assert_eq!(
        (r1.tone, r1.role.as_str(), r1.badge.as_str()),
        (Tone::Candidate, "changing view", "1")
    );
    assert_eq!(field(&w, R1, "view change"), "to view 1: 1 of 3 VIEW-CHANGEs");
    assert!(!labels(&w, R1).contains(&"Start a view change".to_string()));
    assert_eq!(PbftNode::leader(&w), Some(R0), "the others are still in view 0");
    let vc = w.in_flight().find(|m| m.message.kind() == kinds::VIEW_CHANGE).expect("sent");
    let fields = PbftNode::message_fields(w.config(), &vc.message);
    assert!(fields.contains(&Field::new("stable", "0 (the initial state)")), "{fields:?}");
    assert!(fields.contains(&Field::new("prepared", "none")));

    command(&mut w, R2, PbftCommand::StartViewChange);
    command(&mut w, NodeId(3), PbftCommand::StartViewChange);
    w.run_until(500 * MILLIS);
    assert_eq!(PbftNode::leader(&w), Some(R1), "r1 is the primary of view 1");
    let r1 = PbftNode::node_view(&w, R1);
    assert_eq!((r1.tone, r1.role.as_str(), r1.badge.as_str()), (Tone::Leader, "primary", "1"));
    assert_eq!(PbftNode::node_view(&w, R0).tone, Tone::Member);
}

#[test]
fn properties_are_the_ones_the_checks_report_in_their_order() {
    // The names are what violations carry: the invariant panel matches on them.
    let names: Vec<&str> = PbftNode::PROPERTIES.iter().map(|p| p.name).collect();
    assert_eq!(names, super::super::invariants::PROPERTY_NAMES);
}

#[test]
fn requests_parse_with_a_reason_when_they_do_not() {
    assert_eq!(PbftNode::parse_request("y = 4").unwrap().to_string(), "y=4");
    assert!(PbftNode::parse_request("y").unwrap_err().contains("key=value"));
    assert_eq!(PbftNode::example_request(3), "x=3");
}
