//! PBFT's side of the protocol-neutral view (`crate::view::Visual`): how a
//! replica, a client and each message kind are drawn, the properties the
//! checks enforce, and what a user can do to a replica.

use super::byzantine::Behaviour;
use super::client::{ClientDurable, ClientVolatile};
use crate::sorted::SortedMap;

use super::config::{PbftConfig, Seq, View};
use super::messages::{
    Checkpoint, Digest, Message, NewView, Outcome, PrePrepare, PreparedProof, Reply, Request,
    ViewChange, Vote, kinds,
};
use super::node::{PbftCommand, PbftDurable, PbftNode, Timer};
use super::replica::{ReplicaDurable, ReplicaVolatile, Slot};
use crate::ids::{MessageId, NodeId, Time, format_time};
use crate::kv::{KvStore, Set};
use crate::protocol::Protocol;
use crate::signed::Signed;
use crate::view::{Field, KindStyle, NodeCommand, NodeView, Property, Shape, Tone, Visual};
use crate::world::World;

impl Visual for PbftNode {
    // The shape says which part of the protocol a message belongs to: circles
    // between clients and replicas (§4.1), squares for the three phases
    // (§4.2), diamonds for checkpoints, state and catching up (§4.3),
    // triangles for view changes (§4.4). Hollow marks answer a request.
    const KINDS: &'static [KindStyle] = &[
        KindStyle {
            kind: kinds::REQUEST.as_str(),
            shape: Shape::Circle,
            reply: false,
            meaning: "a client asks for an operation, signed with its timestamp (§4.1)",
        },
        KindStyle {
            kind: kinds::REPLY.as_str(),
            shape: Shape::Circle,
            reply: true,
            meaning: "a replica's result; the client waits for f + 1 that match (§4.1)",
        },
        KindStyle {
            kind: kinds::PRE_PREPARE.as_str(),
            shape: Shape::Square,
            reply: false,
            meaning: "the primary gives a request a sequence number in its view (§4.2)",
        },
        KindStyle {
            kind: kinds::PREPARE.as_str(),
            shape: Shape::Square,
            reply: false,
            meaning: "a backup accepts the primary's order; 2f make it prepared (§4.2)",
        },
        KindStyle {
            kind: kinds::COMMIT.as_str(),
            shape: Shape::Square,
            reply: false,
            meaning: "a replica has prepared; 2f + 1 let it execute (§4.2)",
        },
        KindStyle {
            kind: kinds::CHECKPOINT.as_str(),
            shape: Shape::Diamond,
            reply: false,
            meaning: "the digest of a replica's state; 2f + 1 make it stable (§4.3)",
        },
        KindStyle {
            kind: kinds::FETCH_STATE.as_str(),
            shape: Shape::Diamond,
            reply: false,
            meaning: "a replica behind a stable checkpoint asks for its state (TOCS §6.2)",
        },
        KindStyle {
            kind: kinds::STATE.as_str(),
            shape: Shape::Diamond,
            reply: true,
            meaning: "a stable checkpoint's state, with the 2f + 1 CHECKPOINTs that certify it",
        },
        KindStyle {
            kind: kinds::STATUS.as_str(),
            shape: Shape::Diamond,
            reply: false,
            meaning: "a replica's view and last execution; the others send what it missed \
                      (TOCS 2002 status messages, simplified)",
        },
        KindStyle {
            kind: kinds::VIEW_CHANGE.as_str(),
            shape: Shape::Triangle,
            reply: false,
            meaning: "a replica suspects the primary: its checkpoint and what it prepared (§4.4)",
        },
        KindStyle {
            kind: kinds::NEW_VIEW.as_str(),
            shape: Shape::Triangle,
            reply: true,
            meaning: "the new primary's 2f + 1 VIEW-CHANGEs and what it re-issues (§4.4)",
        },
    ];

    // The names are what violations carry (`invariants::PROPERTY_NAMES`), in its order.
    const PROPERTIES: &'static [Property] = &[
        Property {
            name: "Agreement",
            source: "PBFT §4.2, §4.4",
            statement: "No two correct replicas execute different requests at one sequence \
                        number, in one view or across views.",
        },
        Property {
            name: "Executed Prefixes",
            source: "PBFT §4.2",
            statement: "The requests correct replicas have executed, in sequence-number order, \
                        are prefixes of one another.",
        },
        Property {
            name: "Integrity",
            source: "PBFT §3, §4.1",
            statement: "A correct replica executes only requests that clients issued (or null \
                        requests), and each request with effect at most once.",
        },
        Property {
            name: "Prepared Uniqueness",
            source: "PBFT §4.2",
            statement: "Within a view, no two correct replicas prepare different requests at one \
                        sequence number.",
        },
        Property {
            name: "Accepted Results",
            source: "PBFT §4.1",
            statement: "A client accepts only a result that correct replicas computed for its \
                        request.",
        },
    ];

    const NODE_NOUN: &'static str = "replica";
    const COMMAND_KEY_HELP: &'static str = "start a view change on the selected replica";
    const PRESET_LINKS: &'static [(&'static str, &'static str, &'static str)] =
        super::preset_links::PRESET_LINKS;
    const NODE_KINDS: &'static [&'static str] = &["replica", "client"];

    fn node_label(config: &PbftConfig, id: NodeId) -> String {
        config.name(id)
    }

    fn node_view(world: &World<Self>, id: NodeId) -> NodeView {
        let mut view = match world.durable(id).expect("the node exists") {
            PbftDurable::Replica(d) => {
                replica_view(world, id, d, world.node(id).and_then(PbftNode::replica).map(|r| r.1))
            }
            PbftDurable::Client(_) => {
                client_view(world, id, world.node(id).and_then(PbftNode::client).map(|c| c.1))
            }
        };
        view.timer = timer(world, id).map(|(_, set_at, fires_at)| (set_at, fires_at));
        view
    }

    fn node_fields(world: &World<Self>, id: NodeId) -> Vec<Field> {
        let mut fields = match world.durable(id).expect("the node exists") {
            PbftDurable::Replica(d) => replica_fields(
                world,
                id,
                d,
                world.node(id).and_then(PbftNode::replica).map(|r| r.1),
            ),
            PbftDurable::Client(d) => {
                client_fields(world, d, world.node(id).and_then(PbftNode::client).map(|c| c.1))
            }
        };
        if let Some((what, set_at, fires_at)) = timer(world, id) {
            fields.push(Field::new(
                "timer",
                format!(
                    "{what}: set at {}, fires at {}",
                    format_time(set_at),
                    format_time(fires_at)
                ),
            ));
        }
        fields
    }

    fn message_fields(config: &PbftConfig, message: &Message) -> Vec<Field> {
        let name = |id: NodeId| config.name(id);
        let signer = |id: NodeId| Field::new("signed by", name(id));
        match message {
            Message::Request(r) => {
                let mut fields = request_fields(config, r.payload());
                fields.push(signer(r.signer()));
                fields
            }
            Message::PrePrepare(pp, request) => {
                let PrePrepare { view, seq, digest } = *pp.payload();
                vec![
                    Field::new("view", view),
                    Field::new("seq", seq),
                    Field::new("digest", digest.short()),
                    Field::new(
                        "request",
                        request.as_ref().map_or("none: the null request".into(), |r| {
                            request_text(config, r.payload())
                        }),
                    ),
                    signer(pp.signer()),
                ]
            }
            Message::Prepare(v) | Message::Commit(v) => {
                let Vote { view, seq, digest } = *v.payload();
                vec![
                    Field::new("view", view),
                    Field::new("seq", seq),
                    Field::new("digest", digest.short()),
                    signer(v.signer()),
                ]
            }
            Message::Reply(r) => {
                let Reply { view, timestamp, client, result } = *r.payload();
                vec![
                    Field::new("view", view),
                    Field::new("timestamp", timestamp),
                    Field::new("client", name(client)),
                    Field::new("result", outcome_text(result)),
                    signer(r.signer()),
                ]
            }
            Message::Checkpoint(c) => {
                let Checkpoint { seq, state } = *c.payload();
                vec![
                    Field::new("seq", seq),
                    Field::new("state digest", state.short()),
                    signer(c.signer()),
                ]
            }
            Message::ViewChange(vc) | Message::PassedViewChange(vc) => {
                let ViewChange { new_view, stable, checkpoint_proof, prepared } = vc.payload();
                let mut fields = vec![
                    Field::new("new view", new_view),
                    Field::new("stable", stable_text(*stable, checkpoint_proof)),
                    Field::new("prepared", proofs_text(prepared)),
                    signer(vc.signer()),
                ];
                if matches!(message, Message::PassedViewChange(_)) {
                    fields.push(Field::new(
                        "passed on",
                        "by a replica that has left the view, to one that may still gather \
                         VIEW-CHANGEs for it; an answer, never answered",
                    ));
                }
                fields
            }
            Message::NewView(nv) => {
                let NewView { view, view_changes, pre_prepares } = nv.payload();
                let from: Vec<String> = view_changes.iter().map(|vc| name(vc.signer())).collect();
                let reissued: Vec<String> = pre_prepares
                    .iter()
                    .map(|pp| format!("{}:{}", pp.payload().seq, pp.payload().digest.short()))
                    .collect();
                vec![
                    Field::new("view", view),
                    Field::new(
                        "view-changes",
                        format!(
                            "{}, from {}",
                            count(view_changes.len(), "VIEW-CHANGE"),
                            from.join(" ")
                        ),
                    ),
                    Field::new(
                        "pre-prepares",
                        if reissued.is_empty() {
                            "none".to_string()
                        } else {
                            format!("{} re-issued: {}", reissued.len(), reissued.join(" "))
                        },
                    ),
                    signer(nv.signer()),
                ]
            }
            Message::FetchState { seq } => vec![Field::new("up to checkpoint", seq)],
            Message::State { proof, snapshot } => vec![
                Field::new("checkpoint", snapshot.seq),
                Field::new("state digest", snapshot.digest().short()),
                Field::new("proof", signers_text(proof, "CHECKPOINT", config)),
                Field::new("store", store_text(&snapshot.store)),
            ],
            Message::Status { view, executed } => {
                vec![Field::new("view", view), Field::new("executed up to", executed)]
            }
        }
    }

    /// A live replica offers a view change, a way back to the protocol when
    /// it lies, and every way of lying it is not already using; a client
    /// offers nothing (its requests come from the request box).
    fn node_commands(world: &World<Self>, id: NodeId) -> Vec<NodeCommand<PbftCommand>> {
        let Some((d, _)) = world.node(id).and_then(PbftNode::replica) else {
            return Vec::new();
        };
        let mut commands = Vec::new();
        if !d.view_changing {
            commands.push(NodeCommand {
                label: "Start a view change".into(),
                command: PbftCommand::StartViewChange,
            });
        }
        if d.byzantine.is_some() {
            commands.push(NodeCommand {
                label: "Follow the protocol again".into(),
                command: PbftCommand::Honest,
            });
        }
        let config = world.config();
        for behaviour in Behaviour::all(delay_peers(config, id)) {
            if d.byzantine.as_ref() != Some(&behaviour) {
                commands.push(NodeCommand {
                    label: format!("Make Byzantine: {}", behaviour_text(config, &behaviour)),
                    command: PbftCommand::Byzantine(behaviour),
                });
            }
        }
        commands
    }

    /// A live Byzantine replica's message in flight offers the lies its
    /// behaviour allows in its place (`lies.rs`).
    fn message_commands(world: &World<Self>, id: MessageId) -> Vec<NodeCommand<PbftCommand>> {
        let Some(m) = world.message(id) else { return Vec::new() };
        let Some((d, _)) = world.node(m.from).and_then(PbftNode::replica) else {
            return Vec::new();
        };
        d.lies_for(&m.message)
            .into_iter()
            .map(|(lie, label)| NodeCommand { label, command: PbftCommand::Lie(lie) })
            .collect()
    }

    fn parse_request(text: &str) -> Result<Set, String> {
        Set::parse(text)
    }

    fn example_request(n: u64) -> String {
        format!("x={n}")
    }

    /// The primary of the highest view a live correct replica is in and not
    /// leaving, if that primary is up. (Client requests go to a client, not
    /// to it: in PBFT only clients issue requests.)
    fn leader(world: &World<Self>) -> Option<NodeId> {
        let config = world.config();
        let view = config
            .replica_ids()
            .filter_map(|id| world.node(id).and_then(PbftNode::replica))
            .filter(|(d, _)| d.correct() && !d.view_changing)
            .map(|(d, _)| d.view)
            .max()?;
        let primary = config.primary(view);
        world.node(primary).is_some().then_some(primary)
    }

    fn takes_requests(world: &World<Self>, id: NodeId) -> bool {
        world.config().is_client(id)
    }

    /// Requests come from clients: the first one running.
    fn request_target(world: &World<Self>) -> Option<NodeId> {
        world.config().client_ids().find(|&id| world.node(id).is_some())
    }
}

/// A replica's tone and role in words: primary, backup, changing view,
/// Byzantine or crashed.
fn replica_role(
    config: &PbftConfig,
    id: NodeId,
    d: &ReplicaDurable,
    live: Option<&ReplicaVolatile>,
) -> (Tone, String) {
    let primary = config.primary(d.view);
    match (live, &d.byzantine) {
        (None, _) => (Tone::Down, "crashed".to_string()),
        (Some(_), Some(b)) => (Tone::Faulty, format!("Byzantine: {}", b.name())),
        (Some(_), None) if d.view_changing => (Tone::Candidate, "changing view".to_string()),
        (Some(_), None) if primary == id => (Tone::Leader, "primary".to_string()),
        (Some(_), None) => (Tone::Member, "backup".to_string()),
    }
}

/// A replica as drawn.
fn replica_view(
    world: &World<PbftNode>,
    id: NodeId,
    d: &ReplicaDurable,
    live: Option<&ReplicaVolatile>,
) -> NodeView {
    let config = world.config();
    let (tone, role) = replica_role(config, id, d, live);
    let caption = match live {
        None => "crashed".to_string(),
        Some(_) => format!("exec {} · h {}", d.executed, d.stable.seq),
    };
    NodeView {
        id,
        kind: world.node_kind(id),
        label: config.name(id),
        tone,
        role,
        badge: d.view.to_string(),
        badge_name: "view",
        caption,
        timer: None,
    }
}

/// A replica's whole state, for the inspector.
fn replica_fields(
    world: &World<PbftNode>,
    id: NodeId,
    d: &ReplicaDurable,
    live: Option<&ReplicaVolatile>,
) -> Vec<Field> {
    let config = world.config();
    let primary = config.primary(d.view);
    let (_, role) = replica_role(config, id, d, live);
    let view_change = if d.view_changing {
        let gathered = d.view_changes.get(&d.view).map_or(0, |s| s.len());
        format!("to view {}: {gathered} of {} VIEW-CHANGEs", d.view, config.quorum())
    } else {
        "no".to_string()
    };
    let mut fields = vec![
        Field::new("role", &role),
        Field::new("view", d.view),
        Field::new("view change", view_change),
        Field::new("primary", config.name(primary)),
        Field::new("last executed", d.executed),
        Field::new(
            "watermarks",
            format!("h = {}, H = {}", d.stable.seq, d.stable.seq + config.log_size),
        ),
        Field::new("stable checkpoint", stable_text(d.stable.seq, &d.stable.proof)),
        Field::new("log", log_text(d)),
        Field::new("requests waiting", requests_text(config, d)),
    ];
    if !d.checkpoints.is_empty() {
        let gathering: Vec<String> = d
            .checkpoints
            .iter()
            .map(|((seq, digest), set)| format!("{seq}:{} from {}", digest.short(), set.len()))
            .collect();
        fields.push(Field::new("checkpoints gathering", gathering.join(", ")));
    }
    fields.push(Field::new("store", store_text(&d.store)));
    fields.push(Field::new("view-change timeout", format_time(d.timeout)));
    fields.push(Field::new("Byzantine", byzantine_text(config, d)));
    if let Some(v) = live {
        if let Some(seq) = v.fetching {
            fields.push(Field::new("fetching state", format!("up to checkpoint {seq}")));
        }
        if !v.early.is_empty() {
            let seqs: Vec<String> =
                v.early.iter().map(|(pp, _)| pp.payload().seq.to_string()).collect();
            fields.push(Field::new(
                "held for the NEW-VIEW",
                format!("PRE-PREPAREs for {}", seqs.join(" ")),
            ));
        }
        if !v.delayed.is_empty() {
            fields.push(Field::new("held back", format!("{} messages", v.delayed.len())));
        }
    }
    fields
}

/// A client's tone and role: waiting for a result, idle, or crashed.
fn client_role(live: Option<&ClientVolatile>) -> (Tone, &'static str) {
    match live {
        Some(_) => (Tone::Member, "client"),
        None => (Tone::Down, "crashed"),
    }
}

/// A client as drawn.
fn client_view(world: &World<PbftNode>, id: NodeId, live: Option<&ClientVolatile>) -> NodeView {
    let (tone, role) = client_role(live);
    let caption = match live {
        None => "crashed".to_string(),
        Some(v) => {
            let mut words = match &v.outstanding {
                Some(out) => format!("waiting t={}", out.request.payload().timestamp),
                None => "idle".to_string(),
            };
            if !v.queue.is_empty() {
                words.push_str(&format!(" · {} queued", v.queue.len()));
            }
            words
        }
    };
    NodeView {
        id,
        kind: world.node_kind(id),
        label: world.config().name(id),
        tone,
        role: role.to_string(),
        badge: live.map_or_else(|| "-".to_string(), |v| v.view.to_string()),
        badge_name: "view",
        caption,
        timer: None,
    }
}

/// A client's whole state, for the inspector.
fn client_fields(
    world: &World<PbftNode>,
    d: &ClientDurable,
    live: Option<&ClientVolatile>,
) -> Vec<Field> {
    let config = world.config();
    let (_, role) = client_role(live);
    let mut fields = vec![
        Field::new("role", role),
        Field::new("next timestamp", d.next_timestamp + 1),
        Field::new("requests issued", d.issued.len()),
        Field::new("accepted", accepted_text(d)),
    ];
    if let Some(v) = live {
        fields.push(Field::new(
            "primary",
            format!(
                "{} (view {}, from the latest reply)",
                config.name(config.primary(v.view)),
                v.view
            ),
        ));
        let outstanding = match &v.outstanding {
            None => "none".to_string(),
            Some(out) => {
                let sent = if out.retransmitted {
                    "sent to every replica after a timeout"
                } else {
                    "sent to the primary"
                };
                format!("{}, {sent}", request_text(config, out.request.payload()))
            }
        };
        fields.push(Field::new("outstanding", outstanding));
        if let Some(out) = &v.outstanding {
            let replies: Vec<String> = out
                .replies
                .iter()
                .map(|(&r, &result)| format!("{}: {}", config.name(r), outcome_text(result)))
                .collect();
            let needed = format!("f + 1 = {} matching needed", config.f + 1);
            fields.push(Field::new(
                "replies",
                if replies.is_empty() {
                    format!("none yet ({needed})")
                } else {
                    format!("{} ({needed})", replies.join(", "))
                },
            ));
        }
        let queue: Vec<String> = v.queue.iter().map(Set::text).collect();
        fields.push(Field::new(
            "queue",
            if queue.is_empty() { "empty".to_string() } else { queue.join(" ") },
        ));
    }
    fields
}

/// The timer whose progress the arc shows: the view-change timer of a
/// replica or the retransmission timer of a client, else the replica's
/// resending of an unanswered VIEW-CHANGE or FETCH-STATE, else a Byzantine
/// replica's release of held-back messages.
fn timer(world: &World<PbftNode>, id: NodeId) -> Option<(&'static str, Time, Time)> {
    let rank = |timer: &Timer| match timer {
        Timer::ViewChange | Timer::Retransmit => 0,
        Timer::Resend => 1,
        Timer::Release => 2,
    };
    world
        .pending_timers()
        .filter(|t| t.node == id)
        .min_by_key(|t| rank(&t.timer))
        .map(|t| (PbftNode::timer_kind(&t.timer).as_str(), t.set_at, t.fires_at))
}

/// `DelayTo` from the user's menu holds back messages to the f replicas
/// after this one (wrapping round): never empty, and few enough that the
/// others still make quorums without them.
fn delay_peers(config: &PbftConfig, id: NodeId) -> Vec<NodeId> {
    let n = config.replicas();
    (1..=config.f).map(|k| NodeId((id.0 + k) % n)).collect()
}

/// A behaviour's name, with the peers a delaying replica holds messages back from.
fn behaviour_text(config: &PbftConfig, behaviour: &Behaviour) -> String {
    match behaviour {
        Behaviour::DelayTo { peers } => {
            let peers: Vec<String> = peers.iter().map(|&p| config.name(p)).collect();
            format!("{} to {}", behaviour.name(), peers.join(" "))
        }
        _ => behaviour.name().to_string(),
    }
}

fn byzantine_text(config: &PbftConfig, d: &ReplicaDurable) -> String {
    match &d.byzantine {
        Some(b) => format!("{}. {}", behaviour_text(config, b), b.explanation()),
        None if d.ever_byzantine => {
            "no longer; the checks still count it faulty for what it did".to_string()
        }
        None => "no: it follows the protocol".to_string(),
    }
}

/// `x=3 from c0, t=2`.
fn request_text(config: &PbftConfig, r: &Request) -> String {
    format!("{} from {}, t={}", r.op, config.name(r.client), r.timestamp)
}

fn request_fields(config: &PbftConfig, r: &Request) -> Vec<Field> {
    vec![
        Field::new("operation", r.op),
        Field::new("timestamp", r.timestamp),
        Field::new("client", config.name(r.client)),
        Field::new("digest", r.digest().short()),
    ]
}

/// What executing a request returned: the key's value before it.
fn outcome_text(result: Outcome) -> String {
    result.map_or_else(|| "was unset".to_string(), |v| format!("was {v}"))
}

/// `8 (3 CHECKPOINTs)`, or `0 (the initial state)`.
fn stable_text(seq: Seq, proof: &[Signed<Checkpoint>]) -> String {
    if proof.is_empty() {
        format!("{seq} (the initial state)")
    } else {
        format!("{seq} ({})", count(proof.len(), "CHECKPOINT"))
    }
}

/// `2 proofs: 5:ab12@v0 (2 PREPAREs), 6:null@v0 (2 PREPAREs)`.
fn proofs_text(prepared: &[PreparedProof]) -> String {
    if prepared.is_empty() {
        return "none".into();
    }
    let each: Vec<String> = prepared
        .iter()
        .map(|p| {
            let pp = p.pre_prepare.payload();
            let prepares = count(p.prepares.len(), "PREPARE");
            format!("{}:{}@v{} ({prepares})", pp.seq, pp.digest.short(), pp.view)
        })
        .collect();
    format!("{}: {}", count(prepared.len(), "proof"), each.join(", "))
}

/// `3 CHECKPOINTs, from r0 r1 r2`.
fn signers_text<T>(proof: &[Signed<T>], what: &str, config: &PbftConfig) -> String {
    let from: Vec<String> = proof.iter().map(|s| config.name(s.signer())).collect();
    format!("{}, from {}", count(proof.len(), what), from.join(" "))
}

fn store_text(store: &KvStore) -> String {
    let pairs: Vec<String> = store.pairs().map(|(k, v)| format!("{k}={v}")).collect();
    if pairs.is_empty() { "empty".into() } else { pairs.join(" ") }
}

fn requests_text(config: &PbftConfig, d: &ReplicaDurable) -> String {
    if d.requests.is_empty() {
        return "none".into();
    }
    let each: Vec<String> =
        d.requests.values().map(|r| request_text(config, r.payload())).collect();
    each.join("; ")
}

fn accepted_text(d: &ClientDurable) -> String {
    match d.accepted.last() {
        None => "none yet".into(),
        Some(last) => format!(
            "{}; the last, {} ({} {})",
            count(d.accepted.len(), "result"),
            last.request.op,
            last.request.op.key,
            outcome_text(last.result)
        ),
    }
}

/// The log, slot by slot: `2 entries: 5: ab12 v0, 2 prepares, 3 commits, executed; …`.
fn log_text(d: &ReplicaDurable) -> String {
    if d.log.is_empty() {
        return "empty".into();
    }
    let each: Vec<String> = d.log.iter().map(|(&seq, slot)| slot_text(d, seq, slot)).collect();
    let noun = if d.log.len() == 1 { "entry" } else { "entries" };
    format!("{} {noun}: {}", d.log.len(), each.join("; "))
}

fn slot_text(d: &ReplicaDurable, seq: Seq, slot: &Slot) -> String {
    let digest = slot.digest();
    let phase = if seq <= d.executed {
        "executed"
    } else if slot.committed {
        "committed"
    } else if slot.prepared {
        "prepared"
    } else if digest.is_some() {
        "pre-prepared"
    } else {
        "votes only"
    };
    format!(
        "{seq}: {} v{}, {} prepares, {} commits, {phase}",
        digest.map_or_else(|| "?".to_string(), Digest::short),
        slot.view,
        matching(&slot.prepares, slot.view, digest),
        matching(&slot.commits, slot.view, digest),
    )
}

/// Votes that match the accepted PRE-PREPARE; without one, every vote kept.
fn matching(
    votes: &SortedMap<(View, Digest, NodeId), Signed<Vote>>,
    view: View,
    digest: Option<Digest>,
) -> usize {
    match digest {
        Some(digest) => {
            votes.range((view, digest, NodeId(0))..=(view, digest, NodeId(u32::MAX))).count()
        }
        None => votes.len(),
    }
}

/// `1 proof`, `2 proofs`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

#[cfg(test)]
mod tests;
