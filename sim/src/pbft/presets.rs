//! Ready-made PBFT scenarios, each teaching one idea of the paper step by
//! step, written as Raft's are (`crate::presets`): the run is scripted here
//! (actions taken when the replicas reach a state, not at hard-coded steps)
//! and a note is written on each step that matters, with claims about that
//! step ([`Claim`]) which a test checks against a replay.
//!
//! The page opens presets from their links (`preset_links.rs`); a test checks
//! that every stored link is what its script writes today, and rewrites them
//! when asked.

mod claims;
mod faults;

pub use claims::Claim;

use super::messages::kinds;
use super::replica::{ReplicaDurable, Slot};
use super::{Behaviour, PbftCommand, PbftConfig, PbftDurable, PbftNode};
use crate::{Action, NodeId, World};
use Claim::*;

/// A PBFT preset as its script writes it.
pub type Written = crate::presets::Written<Claim>;

/// Writes a PBFT run as it goes, with notes on steps.
type Script = crate::presets::Script<PbftNode, Claim>;

/// A preset: its name in the menu and how to write it.
pub struct Preset {
    pub slug: &'static str,
    pub name: &'static str,
    pub build: fn() -> Result<Written, String>,
}

pub const PRESETS: &[Preset] = &[
    Preset { slug: "normal-case", name: "Normal case: three phases", build: normal_case },
    Preset {
        slug: "silent-primary",
        name: "Silent primary and view change",
        build: faults::silent_primary,
    },
    Preset {
        slug: "equivocating-primary",
        name: "Equivocating primary",
        build: faults::equivocating_primary,
    },
    Preset {
        slug: "prepared-survives",
        name: "A prepared request survives a view change",
        build: faults::prepared_survives,
    },
    Preset { slug: "checkpoint", name: "Checkpoint and garbage collection", build: checkpoint },
    Preset {
        slug: "state-transfer",
        name: "Lagging replica: state transfer",
        build: state_transfer,
    },
    Preset {
        slug: "f-plus-one",
        name: "f + 1 Byzantine replicas break agreement",
        build: faults::f_plus_one,
    },
];

impl Script {
    fn byzantine(&mut self, node: NodeId, behaviour: Behaviour) -> Result<(), String> {
        self.act(Action::Command { node, command: PbftCommand::Byzantine(behaviour) })
    }

    /// Steps like `until`, first dropping every message of the `kinds` in
    /// flight before each step: those messages are lost as they are sent.
    fn until_dropping(
        &mut self,
        limit: u32,
        what: &str,
        kinds: &[&str],
        done: impl Fn(&World<PbftNode>) -> bool,
    ) -> Result<(), String> {
        for _ in 0..limit {
            let lost: Vec<_> = self
                .world()
                .in_flight()
                .filter(|m| kinds.contains(&m.message.kind().as_str()))
                .map(|m| m.id)
                .collect();
            for id in lost {
                self.act(Action::Drop(id))?;
            }
            if done(self.world()) {
                return Ok(());
            }
            self.act(Action::Step)?;
        }
        Err(format!("the preset never reached {what}"))
    }
}

/// Replica `id`'s state on disk (readable while it is crashed).
fn replica(w: &World<PbftNode>, id: NodeId) -> Option<&ReplicaDurable> {
    match w.durable(id) {
        Some(PbftDurable::Replica(d)) => Some(d),
        _ => None,
    }
}

fn slot(w: &World<PbftNode>, id: NodeId, seq: u64) -> Option<&Slot> {
    replica(w, id).and_then(|r| r.log.get(&seq))
}

/// The request a slot's PRE-PREPARE carries, as the phase matrix reads it.
fn request_text(slot: &Slot) -> Option<String> {
    let digest = slot.digest()?;
    if digest == super::messages::Digest::NULL {
        return Some("null".into());
    }
    let request = slot.request.as_ref().filter(|r| r.payload().digest() == digest)?;
    Some(request.payload().op.to_string())
}

fn accepted(w: &World<PbftNode>, client: NodeId) -> usize {
    match w.durable(client) {
        Some(PbftDurable::Client(d)) => d.accepted.len(),
        _ => 0,
    }
}

fn executed(w: &World<PbftNode>, id: NodeId) -> u64 {
    replica(w, id).map_or(0, |r| r.executed)
}

/// Replicas `0..count`.
fn replicas(count: u32) -> impl Iterator<Item = NodeId> {
    (0..count).map(NodeId)
}

fn name(id: NodeId) -> String {
    PbftConfig::new(1, 1).name(id)
}

/// Nodes named as a list in words: "r1, r2 and r3".
fn and_list(nodes: &[NodeId]) -> String {
    let names: Vec<String> = nodes.iter().map(|&n| name(n)).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// The replicas for which `holds` holds, in order.
fn which(w: &World<PbftNode>, holds: impl Fn(&World<PbftNode>, NodeId) -> bool) -> Vec<NodeId> {
    replicas(w.config().replicas()).filter(|&r| holds(w, r)).collect()
}

const C0: NodeId = NodeId(4);
const R0: NodeId = NodeId(0);
const R1: NodeId = NodeId(1);
const R2: NodeId = NodeId(2);
const R3: NodeId = NodeId(3);

fn normal_case() -> Result<Written, String> {
    let mut s = Script::new(
        PbftConfig::new(1, 1),
        11,
        "Normal case: three phases",
        "How one client request is ordered and executed by four replicas that tolerate one \
         Byzantine fault: PRE-PREPARE, PREPARE and COMMIT, then the client accepts the result \
         once f + 1 replicas agree on it (PBFT §4.1, §4.2).",
    );
    s.note(
        "Four replicas r0 to r3 tolerate f = 1 faulty replica (n = 3f + 1); c0 is a client. All \
         are in view 0, whose primary is r0 (the star). Use ▶ next note, or step with → to see \
         every message.",
        replicas(4).map(|r| InView(r, 0)).chain([NothingBroken]),
    );
    s.request(C0, "x=1")?;
    s.note(
        "c0 asks to set x=1: it signs a REQUEST and sends it to the primary it believes in, r0.",
        [InFlight(C0, R0, "REQUEST")],
    );
    s.until(200, "r0 pre-prepares", |w| slot(w, R0, 1).is_some_and(|s| s.digest().is_some()))?;
    // §4.2: the primary assigns a sequence number and multicasts PRE-PREPARE.
    s.note(
        "r0 gives the request sequence number 1 and multicasts a PRE-PREPARE for it to the \
         backups. Row 1 of the phase matrix now has an entry in r0's column (§4.2).",
        [PrePrepared(R0, 0, 1, "x=1"), InFlight(R0, R1, "PRE-PREPARE")],
    );
    let accepted_by = |w: &World<PbftNode>| {
        which(w, |w, r| r != R0 && slot(w, r, 1).is_some_and(|s| s.digest().is_some()))
    };
    s.until(200, "a backup accepts", |w| !accepted_by(w).is_empty())?;
    let b = accepted_by(s.world());
    let b = *b.first().ok_or("no backup")?;
    s.note(
        format!(
            "{} accepts the PRE-PREPARE (right view, sequence number within its watermarks, no \
             other request at 1) and multicasts a PREPARE: it agrees that x=1 goes at 1.",
            name(b)
        ),
        [PrePrepared(b, 0, 1, "x=1"), NotPrepared(b, 1)],
    );
    let prepared = |w: &World<PbftNode>| which(w, |w, r| slot(w, r, 1).is_some_and(|s| s.prepared));
    s.until(300, "a replica prepares", |w| !prepared(w).is_empty())?;
    let p = prepared(s.world())[0];
    s.note(
        format!(
            "{} has the PRE-PREPARE and 2f = 2 matching PREPAREs: the request is prepared there. \
             With f = 1, no other request can be prepared at 1 in view 0 by a correct replica. \
             It multicasts a COMMIT.",
            name(p)
        ),
        [Prepared(p, 1, "x=1")],
    );
    let committed =
        |w: &World<PbftNode>| which(w, |w, r| slot(w, r, 1).is_some_and(|s| s.committed));
    s.until(300, "a replica commits", |w| !committed(w).is_empty())?;
    let c = committed(s.world())[0];
    // §4.2: committed-local needs 2f + 1 matching COMMITs; then execute in order.
    s.note(
        format!(
            "{} has 2f + 1 = 3 matching COMMITs: committed-local. Every request below 1 is \
             executed (there is none), so it executes x=1 and replies to c0 (§4.2).",
            name(c)
        ),
        [Committed(c, 1, "x=1"), Executed(c, 1), Applied(c, "x", 1)],
    );
    s.until(300, "c0 accepts", |w| accepted(w, C0) == 1)?;
    // §4.1: the client waits for f + 1 replies with the same result.
    s.note(
        "c0 now holds f + 1 = 2 matching REPLYs. At most f replicas lie, so one of them is \
         correct: c0 accepts the result (§4.1). The event log says so.",
        [Accepts(C0, "x=1", 2), AcceptedCount(C0, 1)],
    );
    s.until(300, "every replica executes", |w| replicas(4).all(|r| executed(w, r) == 1))?;
    s.note(
        "The last COMMITs arrive: all four replicas executed x=1 at sequence number 1, and hold \
         x=1. Nothing is broken.",
        replicas(4).flat_map(|r| [Executed(r, 1), Applied(r, "x", 1)]).chain([NothingBroken]),
    );
    Ok(s.finish())
}

fn checkpoint() -> Result<Written, String> {
    let config = PbftConfig { checkpoint_period: 4, ..PbftConfig::new(1, 1) };
    let (period, window) = (config.checkpoint_period, config.log_size);
    let mut s = Script::new(
        config,
        15,
        "Checkpoint and garbage collection",
        "Every few requests each replica takes a checkpoint of its state; when 2f + 1 replicas \
         vouch for the same one it becomes stable, the low watermark moves up and the log below \
         it is thrown away (PBFT §4.3).",
    );
    s.note(
        format!(
            "Four replicas take a checkpoint every {period} sequence numbers. Their log accepts \
             sequence numbers between the watermarks h = 0 and H = h + {window}."
        ),
        replicas(4).map(|r| Stable(r, 0)),
    );
    for i in 1..=5 {
        s.request(C0, &format!("x={i}"))?;
    }
    s.note(
        "c0 is handed five requests, x=1 to x=5; it sends them one at a time.",
        [AcceptedCount(C0, 0)],
    );
    let took = |w: &World<PbftNode>| {
        which(w, |w, r| replica(w, r).is_some_and(|d| d.snapshots.contains_key(&4)))
    };
    s.until(3_000, "a checkpoint", |w| !took(w).is_empty())?;
    let t = took(s.world())[0];
    s.note(
        format!(
            "{} executed sequence number 4: it takes checkpoint 4 (a digest of its state) and \
             multicasts a CHECKPOINT. Its log keeps everything until the checkpoint is proven.",
            name(t)
        ),
        [Checkpoint(t, 4), Executed(t, 4), Stable(t, 0)],
    );
    let stable =
        |w: &World<PbftNode>| which(w, |w, r| replica(w, r).is_some_and(|d| d.stable.seq == 4));
    s.until(3_000, "a stable checkpoint", |w| !stable(w).is_empty())?;
    let st = stable(s.world())[0];
    let held: Vec<u64> =
        replica(s.world(), st).map(|d| d.log.keys().copied().collect()).unwrap_or_default();
    s.note(
        format!(
            "{} has 2f + 1 = 3 matching CHECKPOINTs for 4: checkpoint 4 is stable. h moves to 4 \
             and H to {}; the log entries for 1 to 4 are discarded (their rows empty in the \
             phase matrix) (§4.3).",
            name(st),
            4 + window
        ),
        [Stable(st, 4), LogHolds(st, held)],
    );
    s.until(3_000, "every replica collects", |w| {
        replicas(4).all(|r| replica(w, r).is_some_and(|d| d.stable.seq == 4 && d.executed == 5))
            && accepted(w, C0) == 5
    })?;
    let logs: Vec<(NodeId, Vec<u64>)> = replicas(4)
        .map(|r| {
            (r, replica(s.world(), r).map(|d| d.log.keys().copied().collect()).unwrap_or_default())
        })
        .collect();
    s.note(
        "Every replica has executed 5 and holds stable checkpoint 4; each log keeps only what \
         lies above 4. c0 accepted all five results.",
        logs.into_iter()
            .flat_map(|(r, l)| [Stable(r, 4), Executed(r, 5), LogHolds(r, l)])
            .chain([AcceptedCount(C0, 5)]),
    );
    Ok(s.finish())
}

fn state_transfer() -> Result<Written, String> {
    let mut s = Script::new(
        PbftConfig::new(1, 1),
        17,
        "Lagging replica: state transfer",
        "A replica cut off from the others misses requests the others have long since \
         discarded from their logs; once it hears of a stable checkpoint beyond what it \
         executed, it fetches that state instead of the messages (PBFT §4.3).",
    );
    s.note(
        "Four replicas and a client. r3 is about to be cut off from everyone.",
        replicas(4).map(|r| Executed(r, 0)),
    );
    s.act(Action::Partition(vec![vec![R3]]))?;
    let rest = vec![R0, R1, R2, C0];
    s.note(
        "The network splits: r3 alone on one side. Three replicas are 2f + 1, enough to go on \
         without it.",
        [Partition(vec![vec![R3], rest.clone()])],
    );
    for i in 1..=12 {
        s.request(C0, &format!("x={i}"))?;
    }
    s.until(6_000, "twelve results", |w| accepted(w, C0) == 12)?;
    let h = replica(s.world(), R0).map_or(0, |d| d.stable.seq);
    s.note(
        format!(
            "c0's twelve requests were executed by r0, r1 and r2, which took checkpoints and \
             made checkpoint {h} stable: the messages for 1 to {h} are gone from their logs. r3 \
             executed nothing."
        ),
        [AcceptedCount(C0, 12), Stable(R0, h), Executed(R3, 0)],
    );
    s.act(Action::Heal)?;
    s.note("The partition heals.", [Partition(Vec::new())]);
    for i in 13..=16 {
        s.request(C0, &format!("x={i}"))?;
    }
    let installed = |w: &World<PbftNode>| {
        replica(w, R3).is_some_and(|d| {
            d.journal.iter().any(|f| matches!(f, super::journal::Fact::Installed { .. }))
        })
    };
    s.until(6_000, "r3 installs a state", installed)?;
    let at = executed(s.world(), R3);
    // §4.3: a replica that lags fetches the state of a stable checkpoint.
    s.note(
        format!(
            "r3 learned that checkpoint {at} is stable, beyond anything it executed: the \
             requests it missed are no longer in anyone's log. It fetched the state of \
             checkpoint {at} from another replica, checked it against the proven digest and \
             installed it (§4.3). The event log shows the transfer."
        ),
        [Installs(R3, at), Executed(R3, at)],
    );
    s.until(6_000, "r3 catches up", |w| executed(w, R3) >= 16)?;
    s.note(
        "From there r3 takes part in the normal case again and executes the new requests: it \
         holds x=16 like the others.",
        replicas(4).flat_map(|r| [Executed(r, 16), Applied(r, "x", 16)]).chain([NothingBroken]),
    );
    Ok(s.finish())
}

#[cfg(test)]
mod tests;
