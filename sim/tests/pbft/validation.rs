//! The checks a replica makes on what other replicas show it (OSDI 1999,
//! §4.2 to §4.4, and state transfer), one rule at a time: a message that
//! keeps the rule is accepted, and one that breaks it, made by recombining
//! real signed parts, is refused for that reason and changes nothing.
//!
//! Signed parts come only from handlers (`Context::sign`), so each is made
//! by a probe replica started from a state chosen for it: a primary in
//! view v signs the PRE-PREPARE, backups sign PREPAREs, the primary's COMMIT
//! has the payload of a PREPARE, a replica whose log holds a proof signs the
//! VIEW-CHANGE carrying it, a replica holding a snapshot signs its
//! CHECKPOINT when asked for what it missed. Where a rule is about who is
//! the primary of a view, the signer and the receiver are given clusters of
//! different sizes (the primary of view v is replica v mod n).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::collections::BTreeMap;

use caucus_sim::Protocol;
use caucus_sim::kv::KvStore;
use caucus_sim::pbft::Mistake;
use caucus_sim::pbft::config::View;
use caucus_sim::pbft::messages::{
    Checkpoint, Message, NewView, PrePrepare, PreparedProof, Request, Snapshot, ViewChange, Vote,
};
use caucus_sim::pbft::replica::{Slot, StableCheckpoint};
use caucus_sim::probe::{Probe, Produced};
use caucus_sim::signed::Signed;

use super::*;

/// The client whose requests every test orders: c3 of [`small`], and c0 of
/// [`seven`], so that its requests are valid in both.
const CLIENT: NodeId = NodeId(7);

/// f = 1: replicas r0 to r3, and clients up to [`CLIENT`].
fn small() -> PbftConfig {
    PbftConfig { clients: 4, ..PbftConfig::new(1, 1) }
}

/// f = 2: replicas r0 to r6, client [`CLIENT`].
fn seven() -> PbftConfig {
    PbftConfig::new(2, 1)
}

/// f = 3: replicas r0 to r9.
fn ten() -> PbftConfig {
    PbftConfig::new(3, 1)
}

/// Replica `id` of a cluster with `config`, started from `durable`.
fn boot(config: &PbftConfig, id: u32, durable: ReplicaDurable) -> (Probe<PbftNode>, PbftNode) {
    let mut probe = Probe::new(config.clone(), 1, NodeId(id));
    let (node, _) = probe.boot(PbftDurable::Replica(Box::new(durable)));
    (probe, node)
}

/// A fresh replica's state, in `view`.
fn in_view(config: &PbftConfig, view: View) -> ReplicaDurable {
    let mut durable = ReplicaDurable::new(config);
    durable.view = view;
    durable
}

fn state(node: &PbftNode) -> &ReplicaDurable {
    node.replica().expect("a replica").0
}

/// The first message `pick` takes from what `out` sent (a multicast sends one to each).
fn sent<T>(out: &Produced<PbftNode>, pick: impl Fn(&Message) -> Option<T>) -> T {
    out.sends
        .iter()
        .find_map(|(_, m)| pick(m))
        .unwrap_or_else(|| panic!("not sent; sent {:?}, notes {:?}", out.sends, out.notes))
}

fn prepare_in(m: &Message) -> Option<Signed<Vote>> {
    if let Message::Prepare(v) = m { Some(v.clone()) } else { None }
}

fn commit_in(m: &Message) -> Option<Signed<Vote>> {
    if let Message::Commit(v) = m { Some(v.clone()) } else { None }
}

fn view_change_in(m: &Message) -> Option<Signed<ViewChange>> {
    if let Message::ViewChange(vc) = m { Some(vc.clone()) } else { None }
}

fn new_view_in(m: &Message) -> Option<Signed<NewView>> {
    if let Message::NewView(nv) = m { Some(nv.clone()) } else { None }
}

/// [`CLIENT`]'s first request, `text`.
fn request(text: &str) -> Signed<Request> {
    let config = small();
    let mut probe = Probe::<PbftNode>::new(config.clone(), 1, CLIENT);
    let (mut client, _) = probe.boot(PbftNode::initial_durable(&config, CLIENT));
    let out = probe.request(&mut client, set(text));
    sent(&out, |m| if let Message::Request(r) = m { Some(r.clone()) } else { None })
}

/// A request ordered at sequence number 1 of `view`: the primary's
/// PRE-PREPARE and every replica's vote on it (the backups' PREPAREs, and
/// the primary's COMMIT, which has a PREPARE's payload).
struct Ordered {
    request: Signed<Request>,
    pre_prepare: Signed<PrePrepare>,
    votes: BTreeMap<NodeId, Signed<Vote>>,
}

fn order(config: &PbftConfig, view: View, request: &Signed<Request>) -> Ordered {
    let primary = config.primary(view);
    let (mut p, mut node) = boot(config, primary.0, in_view(config, view));
    let out = p.message(&mut node, request.signer(), Message::Request(request.clone()));
    let pre_prepare = sent(&out, |m| match m {
        Message::PrePrepare(pp, Some(_)) => Some(pp.clone()),
        _ => None,
    });
    assert_eq!(
        (pre_prepare.signer(), pre_prepare.payload().view, pre_prepare.payload().seq),
        (primary, view, 1)
    );
    let mut votes = BTreeMap::new();
    for backup in config.replica_ids().filter(|&r| r != primary) {
        let (mut b, mut node) = boot(config, backup.0, in_view(config, view));
        let message = Message::PrePrepare(pre_prepare.clone(), Some(request.clone()));
        votes.insert(backup, sent(&b.message(&mut node, primary, message), prepare_in));
    }
    let mut commit = None;
    for vote in votes.values() {
        let out = p.message(&mut node, vote.signer(), Message::Prepare(vote.clone()));
        commit = commit.or_else(|| out.sends.iter().find_map(|(_, m)| commit_in(m)));
    }
    votes.insert(primary, commit.expect("the primary prepares and commits"));
    Ordered { request: request.clone(), pre_prepare, votes }
}

impl Ordered {
    /// A P_m with the PRE-PREPARE, the votes of `signers` as its PREPAREs, and the request.
    fn proof(&self, signers: &[u32]) -> PreparedProof {
        PreparedProof {
            pre_prepare: self.pre_prepare.clone(),
            prepares: signers.iter().map(|&s| self.votes[&NodeId(s)].clone()).collect(),
            request: Some(self.request.clone()),
        }
    }
}

/// A replica's state in `view`, with `proofs` in its log at sequence numbers 1, 2, ….
fn with_proofs(config: &PbftConfig, view: View, proofs: Vec<PreparedProof>) -> ReplicaDurable {
    let mut durable = in_view(config, view);
    for (n, proof) in (1..).zip(proofs) {
        durable.log.insert(n, Slot { proof: Some(proof), ..Slot::default() });
    }
    durable
}

/// The VIEW-CHANGE replica `id`, started from `durable`, sends for the next view.
fn view_change(config: &PbftConfig, id: u32, durable: ReplicaDurable) -> Signed<ViewChange> {
    let (mut probe, mut node) = boot(config, id, durable);
    let out = probe.command(&mut node, PbftCommand::StartViewChange).expect("it starts one");
    sent(&out, view_change_in)
}

/// r2's VIEW-CHANGE for view `view`, with `proofs` prepared.
fn claim(view: View, proofs: Vec<PreparedProof>) -> Signed<ViewChange> {
    let vc = view_change(&small(), 2, with_proofs(&small(), view - 1, proofs));
    assert_eq!(vc.payload().new_view, view);
    vc
}

/// Hands `vc` to r3 of [`small`] in view 0: `Ok` if r3 keeps it, `Err` with
/// r3's words if it refuses it (and then keeps nothing).
fn hand_view_change(vc: Signed<ViewChange>) -> Result<(), String> {
    let (signer, view) = (vc.signer(), vc.payload().new_view);
    assert_ne!(signer, NodeId(3));
    let (mut probe, mut node) = boot(&small(), 3, ReplicaDurable::new(&small()));
    let out = probe.message(&mut node, signer, Message::ViewChange(vc));
    let kept = state(&node).view_changes.get(&view).is_some_and(|s| s.contains_key(&signer));
    let refusal = out.notes.iter().find(|n| n.contains("refuses")).cloned();
    match refusal {
        None => {
            assert!(kept, "neither kept nor refused: {:?}", out.notes);
            Ok(())
        }
        Some(why) => {
            assert!(state(&node).view_changes.is_empty(), "refused and kept: {why}");
            assert_eq!(state(&node).view, 0);
            Err(why)
        }
    }
}

/// Asserts `result` is a refusal that says `why`.
#[track_caller]
fn refused(result: Result<(), String>, why: &str) {
    match result {
        Ok(()) => panic!("accepted; it should be refused because {why}"),
        Err(note) => assert!(note.contains(why), "refused for another reason: {note}"),
    }
}

// ---- 1. A prepared proof in a VIEW-CHANGE (§4.4): `check_proof` --------

/// A P_m's PRE-PREPARE is the primary's of its view: r1 is primary of
/// view 8 among seven replicas, not among four (r0 is).
#[test]
fn a_prepared_proof_needs_the_pre_prepare_of_its_views_primary() {
    let request = request("x=1");
    let by_primary = order(&small(), 8, &request);
    assert_eq!(hand_view_change(claim(9, vec![by_primary.proof(&[2, 3])])), Ok(()));

    let by_r1 = order(&seven(), 8, &request);
    assert_eq!(by_r1.pre_prepare.signer(), NodeId(1));
    assert_eq!(by_r1.pre_prepare.payload(), by_primary.pre_prepare.payload());
    let proof = by_r1.proof(&[2, 3]);
    refused(
        hand_view_change(claim(9, vec![proof])),
        "its PRE-PREPARE for sequence number 1 is not signed by the primary of view 8",
    );
}

/// A P_m proves a request prepared in a view before the new one.
#[test]
fn a_prepared_proof_comes_from_a_view_before_the_new_one() {
    let ordered = order(&small(), 8, &request("x=1"));
    assert_eq!(hand_view_change(claim(9, vec![ordered.proof(&[1, 2])])), Ok(()));
    for view in [8, 1] {
        refused(
            hand_view_change(claim(view, vec![ordered.proof(&[1, 2])])),
            "is not signed by the primary of view 8",
        );
    }
}

/// 2f PREPAREs from different backups: one backup's PREPARE twice is not two.
#[test]
fn a_prepared_proof_counts_each_backup_once() {
    let ordered = order(&small(), 8, &request("x=1"));
    assert_eq!(hand_view_change(claim(9, vec![ordered.proof(&[1, 2])])), Ok(()));
    // r1 twice: one backup where 2f = 2 are needed.
    refused(
        hand_view_change(claim(9, vec![ordered.proof(&[1, 1])])),
        "lacks 2 matching PREPAREs from different backups",
    );
    // r1 twice beside r2: the proof must list different backups (the strict
    // form: two distinct backups are there, but a repeated signer is refused).
    refused(
        hand_view_change(claim(9, vec![ordered.proof(&[1, 1, 2])])),
        "lacks 2 matching PREPAREs from different backups",
    );
}

/// The primary does not prepare its own PRE-PREPARE: its vote (here its
/// COMMIT, whose payload is a PREPARE's) is not one of the 2f.
#[test]
fn a_prepared_proof_leaves_out_the_primary() {
    let ordered = order(&small(), 8, &request("x=1"));
    assert_eq!(hand_view_change(claim(9, vec![ordered.proof(&[1, 2])])), Ok(()));
    assert_eq!(ordered.votes[&NodeId(0)].payload(), ordered.votes[&NodeId(1)].payload());
    refused(
        hand_view_change(claim(9, vec![ordered.proof(&[0, 1])])),
        "lacks 2 matching PREPAREs from different backups",
    );
}

/// At least 2f PREPAREs.
#[test]
fn a_prepared_proof_needs_2f_prepares() {
    let ordered = order(&small(), 8, &request("x=1"));
    assert_eq!(hand_view_change(claim(9, vec![ordered.proof(&[1, 2])])), Ok(()));
    refused(
        hand_view_change(claim(9, vec![ordered.proof(&[1])])),
        "lacks 2 matching PREPAREs from different backups",
    );
}

/// The PREPAREs match the PRE-PREPARE's view, sequence number and digest:
/// r2's PREPARE for another request at the same view and number does not count.
#[test]
fn a_prepared_proofs_prepares_match_its_pre_prepare() {
    let ordered = order(&small(), 8, &request("x=1"));
    assert_eq!(hand_view_change(claim(9, vec![ordered.proof(&[1, 2])])), Ok(()));
    let other = order(&small(), 8, &request("x=2"));
    let mut proof = ordered.proof(&[1]);
    proof.prepares.push(other.votes[&NodeId(2)].clone());
    refused(hand_view_change(claim(9, vec![proof])), "lacks 2 matching PREPAREs");
}

/// The request a P_m carries is the one its digest names.
#[test]
fn a_prepared_proofs_request_matches_its_digest() {
    let ordered = order(&small(), 8, &request("x=1"));
    assert_eq!(hand_view_change(claim(9, vec![ordered.proof(&[1, 2])])), Ok(()));
    for other in [Some(request("x=2")), None] {
        let proof = PreparedProof { request: other, ..ordered.proof(&[1, 2]) };
        refused(
            hand_view_change(claim(9, vec![proof])),
            "its request for sequence number 1 does not match the digest",
        );
    }
}

// ---- 2. The rest of a VIEW-CHANGE: `check_view_change` ------------------

/// A checkpoint's state after four requests, with `text` in the store.
fn snapshot(text: &str) -> Snapshot {
    let mut store = KvStore::default();
    store.apply(set(text));
    Snapshot { seq: 4, store, last_replies: Vec::new(), history: 4 }
}

/// Replica `id`'s CHECKPOINT for `snapshot`: a replica holding it above its
/// stable checkpoint signs it for a peer that says it missed messages.
fn checkpoint(id: u32, snapshot: &Snapshot) -> Signed<Checkpoint> {
    let mut durable = ReplicaDurable::new(&small());
    durable.snapshots.insert(snapshot.seq, snapshot.clone());
    let (mut probe, mut node) = boot(&small(), id, durable);
    let asker = NodeId((id + 1) % 4);
    let out = probe.message(&mut node, asker, Message::Status { view: 0, executed: 0 });
    let c = sent(&out, |m| if let Message::Checkpoint(c) = m { Some(c.clone()) } else { None });
    assert_eq!(*c.payload(), Checkpoint { seq: snapshot.seq, state: snapshot.digest() });
    c
}

/// r2's VIEW-CHANGE for view 1 from stable checkpoint 4 of `snapshot`, with `proof`.
fn from_checkpoint(snapshot: &Snapshot, proof: Vec<Signed<Checkpoint>>) -> Signed<ViewChange> {
    let mut durable = in_view(&small(), 0);
    durable.stable = StableCheckpoint { seq: snapshot.seq, digest: snapshot.digest(), proof };
    view_change(&small(), 2, durable)
}

/// C, the proof of the stable checkpoint a VIEW-CHANGE starts from, is
/// 2f + 1 matching CHECKPOINTs from different replicas.
#[test]
fn a_view_change_needs_a_valid_checkpoint_proof() {
    let state = snapshot("x=1");
    let [c0, c1, c2] = [0, 1, 2].map(|i| checkpoint(i, &state));
    let other = checkpoint(2, &snapshot("x=2"));
    let vc = from_checkpoint(&state, vec![c0.clone(), c1.clone(), c2.clone()]);
    assert_eq!(vc.payload().stable, 4);
    assert_eq!(hand_view_change(vc), Ok(()));

    refused(
        hand_view_change(from_checkpoint(&state, vec![])),
        "checkpoint 4 comes without its proof",
    );
    let not_certified =
        "checkpoint 4's proof is not 3 matching CHECKPOINTs from different replicas";
    let bad = [
        // 2f CHECKPOINTs.
        vec![c0.clone(), c1.clone()],
        // One for another state.
        vec![c0.clone(), c1.clone(), other],
        // r0's twice: two replicas.
        vec![c0.clone(), c0.clone(), c1.clone()],
        // r0's twice beside three replicas' (the strict form).
        vec![c0.clone(), c0, c1, c2],
    ];
    for proof in bad {
        refused(hand_view_change(from_checkpoint(&state, proof)), not_certified);
    }
}

/// P holds one proof per sequence number: here two, each valid alone, for
/// two requests at number 1 of view 8 (an equivocating primary's).
#[test]
fn a_view_change_proves_one_request_per_sequence_number() {
    let first = order(&small(), 8, &request("x=1")).proof(&[1, 2]);
    let second = order(&small(), 8, &request("x=2")).proof(&[2, 3]);
    assert_eq!(hand_view_change(claim(9, vec![first.clone()])), Ok(()));
    assert_eq!(hand_view_change(claim(9, vec![second.clone()])), Ok(()));
    refused(
        hand_view_change(claim(9, vec![first, second])),
        "it proves two requests for one sequence number",
    );
}

// ---- 3. NEW-VIEW: `on_new_view` ----------------------------------------

/// The NEW-VIEW replica `primary` sends for `view` (it is that view's
/// primary in `config`) when it holds `others` (each filed under a
/// replica, not necessarily its signer) besides its own VIEW-CHANGE.
fn new_view(
    config: &PbftConfig,
    primary: u32,
    view: View,
    others: Vec<(u32, Signed<ViewChange>)>,
) -> Signed<NewView> {
    let mut durable = in_view(config, view - 1);
    let held = others.into_iter().map(|(i, vc)| (NodeId(i), vc)).collect();
    durable.view_changes.insert(view, held);
    let (mut probe, mut node) = boot(config, primary, durable);
    let out = probe.command(&mut node, PbftCommand::StartViewChange).expect("it starts one");
    let nv = sent(&out, new_view_in);
    assert_eq!((nv.signer(), nv.payload().view), (NodeId(primary), view));
    nv
}

/// Replica `id`'s VIEW-CHANGE for `view`, with nothing prepared.
fn plain(id: u32, view: View) -> Signed<ViewChange> {
    view_change(&small(), id, in_view(&small(), view - 1))
}

/// Hands `nv` to replica `receiver` of `config`, in view 0: `Ok` if it enters
/// the new view, `Err` with its words if it refuses it (and stays where it was).
fn hand_new_view(config: &PbftConfig, receiver: u32, nv: Signed<NewView>) -> Result<(), String> {
    let view = nv.payload().view;
    let (mut probe, mut node) = boot(config, receiver, ReplicaDurable::new(config));
    let out = probe.message(&mut node, nv.signer(), Message::NewView(nv));
    let d = state(&node);
    match out.notes.iter().find(|n| n.contains("refuses the NEW-VIEW")) {
        None => {
            assert_eq!((d.view, d.view_changing), (view, false), "{:?}", out.notes);
            Ok(())
        }
        Some(why) => {
            assert_eq!((d.view, d.view_changing), (0, false), "refused, yet moved: {why}");
            assert!(d.log.is_empty() && out.sends.is_empty(), "refused, yet acted: {why}");
            Err(why.clone())
        }
    }
}

/// O must be the PRE-PREPAREs the VIEW-CHANGEs call for: a new primary
/// that re-issues null where r2's VIEW-CHANGE proves x=1 prepared is refused.
#[test]
fn a_new_view_reissues_what_its_view_changes_call_for() {
    let ordered = order(&small(), 0, &request("x=1"));
    let prepared = claim(1, vec![ordered.proof(&[2, 3])]);
    let others = vec![(0, plain(0, 1)), (2, prepared)];

    let nv = new_view(&small(), 1, 1, others.clone());
    assert_eq!(nv.payload().pre_prepares.len(), 1);
    assert_eq!(nv.payload().pre_prepares[0].payload().digest, ordered.request.payload().digest());
    assert_eq!(hand_new_view(&small(), 3, nv), Ok(()));

    let careless = small().with_mistake(Mistake::NewPrimaryIgnoresPrepared);
    let nv = new_view(&careless, 1, 1, others);
    assert_ne!(nv.payload().pre_prepares[0].payload().digest, ordered.request.payload().digest());
    refused(
        hand_new_view(&small(), 3, nv),
        "its PRE-PREPAREs are not the ones its VIEW-CHANGEs call for",
    );
}

/// Only the primary of the new view sends its NEW-VIEW: view 10's is r3
/// among seven replicas, and r0 among ten, which r0 believes.
#[test]
fn a_new_view_is_signed_by_the_primary_of_its_view() {
    let vcs: Vec<_> = (0..7).map(|i| (i, plain(i, 10))).collect();
    let from_r3 = new_view(&seven(), 3, 10, vcs.iter().filter(|(i, _)| *i != 3).cloned().collect());
    assert_eq!(hand_new_view(&seven(), 5, from_r3), Ok(()));

    let from_r0 = new_view(&ten(), 0, 10, vcs.iter().filter(|(i, _)| *i != 0).cloned().collect());
    assert_eq!(from_r0.payload().view_changes.len(), 7);
    refused(hand_new_view(&seven(), 5, from_r0), "it is not signed by that view's primary");
}

/// V holds 2f + 1 VIEW-CHANGEs from different replicas.
#[test]
fn a_new_view_carries_2f_plus_1_view_changes_from_different_replicas() {
    let [vc0, vc2, vc3, vc4] = [0, 2, 3, 4].map(|i| plain(i, 1));
    let why = "it does not carry 2f + 1 VIEW-CHANGEs from different replicas";
    // Four replicas: r1, r0 and r2 are 2f + 1.
    let nv = new_view(&small(), 1, 1, vec![(0, vc0.clone()), (2, vc2.clone())]);
    assert_eq!(hand_new_view(&small(), 3, nv.clone()), Ok(()));
    // ... and r0's filed twice are r1 and r0 only.
    let twice = new_view(&small(), 1, 1, vec![(0, vc0.clone()), (2, vc0.clone())]);
    assert_eq!(twice.payload().view_changes.len(), 3);
    refused(hand_new_view(&small(), 3, twice), why);

    // Seven replicas: r1's NEW-VIEW with five is accepted; the one it sent
    // as primary among four, with three, is too few.
    let enough = vec![(0, vc0.clone()), (2, vc2.clone()), (3, vc3.clone()), (4, vc4)];
    assert_eq!(hand_new_view(&seven(), 6, new_view(&seven(), 1, 1, enough)), Ok(()));
    refused(hand_new_view(&seven(), 6, nv), why);

    // Among four, five VIEW-CHANGEs of which r2's twice (the strict form:
    // four different replicas are there, but a repeated one is refused).
    let repeated = vec![(0, vc0), (2, vc2.clone()), (3, vc3), (4, vc2)];
    let nv = new_view(&seven(), 1, 1, repeated);
    assert_eq!(nv.payload().view_changes.len(), 5);
    refused(hand_new_view(&small(), 3, nv), why);
}

/// Every VIEW-CHANGE in V is valid: a new primary that took r2's, whose
/// proof counts the primary's own vote, is refused.
#[test]
fn a_new_view_carries_only_valid_view_changes() {
    let ordered = order(&small(), 0, &request("x=1"));
    let good = claim(1, vec![ordered.proof(&[2, 3])]);
    let nv = new_view(&small(), 1, 1, vec![(0, plain(0, 1)), (2, good)]);
    assert_eq!(hand_new_view(&small(), 3, nv), Ok(()));

    let bad = claim(1, vec![ordered.proof(&[0, 3])]);
    let nv = new_view(&small(), 1, 1, vec![(0, plain(0, 1)), (2, bad)]);
    refused(hand_new_view(&small(), 3, nv), "r2's VIEW-CHANGE is invalid");
}

// ---- 4. PREPARE: `on_prepare` -------------------------------------------

/// prepared needs 2f PREPAREs from backups: the primary's vote, with a
/// PREPARE's payload, does not count; another backup's does.
#[test]
fn a_prepare_from_the_primary_does_not_count() {
    let ordered = order(&small(), 0, &request("x=1"));
    let (mut probe, mut node) = boot(&small(), 1, ReplicaDurable::new(&small()));
    let message = Message::PrePrepare(ordered.pre_prepare.clone(), Some(ordered.request.clone()));
    probe.message(&mut node, NodeId(0), message);
    assert!(!state(&node).log[&1].prepared);

    let (mut other_probe, mut other) = (probe.clone(), node.clone());
    let r2 = ordered.votes[&NodeId(2)].clone();
    let out = other_probe.message(&mut other, NodeId(2), Message::Prepare(r2));
    assert!(state(&other).log[&1].prepared);
    assert_eq!(sent(&out, commit_in).signer(), NodeId(1));

    let r0 = ordered.votes[&NodeId(0)].clone();
    let out = probe.message(&mut node, NodeId(0), Message::Prepare(r0));
    assert!(out.notes.iter().any(|n| n.contains("ignores a PREPARE from the primary")));
    assert!(out.sends.is_empty(), "{:?}", out.sends);
    let slot = &state(&node).log[&1];
    assert!(!slot.prepared && slot.prepares.len() == 1, "{slot:?}");
}

// ---- 5. STATE: `on_state` -----------------------------------------------

/// A state is installed only if its digest is the one 2f + 1 CHECKPOINTs certify.
#[test]
fn a_state_is_installed_only_with_the_certified_digest() {
    let certified = snapshot("x=1");
    let proof: Vec<_> = [0, 1, 2].map(|i| checkpoint(i, &certified)).into();
    let (probe, node) = boot(&small(), 3, ReplicaDurable::new(&small()));
    let before = state(&node).clone();

    let (mut good_probe, mut good) = (probe.clone(), node.clone());
    let state_of = |snapshot: &Snapshot| Message::State {
        proof: proof.clone(),
        snapshot: Box::new(snapshot.clone()),
    };
    good_probe.message(&mut good, NodeId(0), state_of(&certified));
    assert_eq!((state(&good).executed, &state(&good).store), (4, &certified.store));
    assert_eq!(state(&good).stable.seq, 4);

    let (mut probe, mut node) = (probe, node);
    let mut forged = certified.clone();
    forged.store.apply(set("y=9"));
    let out = probe.message(&mut node, NodeId(0), state_of(&forged));
    assert!(
        out.notes.iter().any(|n| n.contains("its digest is not the certified one")),
        "{:?}",
        out.notes
    );
    assert_eq!(*state(&node), before, "a refused state changes nothing");
}
