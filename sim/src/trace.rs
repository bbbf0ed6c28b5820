//! What each step did: the raw material of the event log, the space-time
//! diagram and exported traces, and of the trace hash that proves two runs
//! (native and wasm, straight and replayed) were the same.

use serde::{Deserialize, Serialize};

use crate::ids::{MessageId, NodeId, Time, TimerId};
use crate::invariant::Violation;
use crate::network::{Blocked, LinkParams};

mod hash;
mod name;

pub use hash::{StableHasher, chain};
pub use name::Name;

/// Why a message was lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DropReason {
    /// The network's loss draw.
    Lost,
    /// The user dropped it.
    ByUser,
    /// A partition or a cut link was in the way.
    Blocked(Blocked),
    /// The receiver was crashed when it arrived.
    ReceiverDown,
}

/// One thing that happened during a step. Traces are exported, never read
/// back (a run is rebuilt from its actions), so they only serialize.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum TraceEvent {
    /// A message left `from`. `arrives_at` is when it is due.
    Sent {
        id: MessageId,
        from: NodeId,
        to: NodeId,
        kind: &'static Name,
        sent_at: Time,
        arrives_at: Time,
        /// The original, when this is a duplicate.
        copy_of: Option<MessageId>,
    },
    Delivered {
        id: MessageId,
        from: NodeId,
        to: NodeId,
        kind: &'static Name,
        sent_at: Time,
    },
    Dropped {
        id: MessageId,
        from: NodeId,
        to: NodeId,
        kind: &'static Name,
        reason: DropReason,
    },
    TimerSet {
        id: TimerId,
        node: NodeId,
        timer: &'static Name,
        fires_at: Time,
    },
    TimerCancelled {
        id: TimerId,
        node: NodeId,
        timer: &'static Name,
    },
    TimerFired {
        id: TimerId,
        node: NodeId,
        timer: &'static Name,
    },
    Crashed {
        node: NodeId,
    },
    Restarted {
        node: NodeId,
    },
    Partitioned {
        groups: Vec<Vec<NodeId>>,
    },
    Healed,
    LinkCut {
        from: NodeId,
        to: NodeId,
    },
    LinkRestored {
        from: NodeId,
        to: NodeId,
    },
    LinkChanged {
        link: Option<(NodeId, NodeId)>,
        params: LinkParams,
    },
    Request {
        node: NodeId,
        request: String,
    },
    Command {
        node: NodeId,
        command: String,
    },
    TimeAdvanced {
        to: Time,
    },
    /// The engine's one line of words on what changed and why.
    Note {
        node: NodeId,
        text: String,
    },
    /// A node's answer to a client outside the cluster.
    ClientReply {
        node: NodeId,
        text: String,
    },
    Violation(Violation),
}

impl TraceEvent {
    /// One line of words, for the event log.
    pub fn summary(&self) -> String {
        use TraceEvent::*;
        match self {
            Sent { id, from, to, kind, copy_of: None, .. } => {
                format!("{from} sends {kind} {id} to {to}")
            }
            Sent { id, from, to, kind, copy_of: Some(of), .. } => {
                format!("{kind} {of} from {from} to {to} is duplicated as {id}")
            }
            Delivered { id, from, to, kind, .. } => {
                format!("{to} receives {kind} {id} from {from}")
            }
            Dropped { id, from, to, kind, reason } => {
                let why = match reason {
                    DropReason::Lost => "lost by the network",
                    DropReason::ByUser => "dropped by hand",
                    DropReason::Blocked(Blocked::Partitioned) => "blocked by the partition",
                    DropReason::Blocked(Blocked::LinkCut) => "blocked: the link is cut",
                    DropReason::ReceiverDown => "lost: the receiver is crashed",
                };
                format!("{kind} {id} from {from} to {to} is {why}")
            }
            TimerSet { node, timer, .. } => format!("{node} sets its {timer} timer"),
            TimerCancelled { node, timer, .. } => format!("{node} cancels its {timer} timer"),
            TimerFired { node, timer, .. } => format!("{node}'s {timer} timer fires"),
            Crashed { node } => format!("{node} crashes"),
            Restarted { node } => format!("{node} restarts from its durable state"),
            Partitioned { groups } => {
                let groups: Vec<String> = groups
                    .iter()
                    .map(|g| g.iter().map(NodeId::to_string).collect::<Vec<_>>().join(" "))
                    .collect();
                format!("the network splits into {{{}}}", groups.join("} | {"))
            }
            Healed => "the network heals".into(),
            LinkCut { from, to } => format!("the link {from} → {to} is cut"),
            LinkRestored { from, to } => format!("the link {from} → {to} is restored"),
            LinkChanged { link: Some((from, to)), .. } => format!("the link {from} → {to} changes"),
            LinkChanged { link: None, .. } => "every link changes".into(),
            Request { node, request } => format!("a client sends {request} to {node}"),
            Command { node, command } => format!("{command} on {node}"),
            TimeAdvanced { to } => format!("time passes to {}", crate::ids::format_time(*to)),
            Note { text, .. } => text.clone(),
            ClientReply { node, text } => format!("{node} answers the client: {text}"),
            Violation(v) => format!("VIOLATION: {v}"),
        }
    }
}

/// Everything one step did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepTrace {
    /// The step number, counting from 1.
    pub step: u64,
    /// Virtual time when the step happened.
    pub time: Time,
    pub events: Vec<TraceEvent>,
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn summaries_read_as_sentences() {
        let sent = TraceEvent::Sent {
            id: MessageId(4),
            from: NodeId(0),
            to: NodeId(2),
            kind: &const { Name::new("Ping") },
            sent_at: 0,
            arrives_at: 10,
            copy_of: None,
        };
        assert_eq!(sent.summary(), "n1 sends Ping m4 to n3");
        let split =
            TraceEvent::Partitioned { groups: vec![vec![NodeId(0)], vec![NodeId(1), NodeId(2)]] };
        assert_eq!(split.summary(), "the network splits into {n1} | {n2 n3}");
    }
}
