//! Every change to a run is an [`Action`]. (config, seed, actions) therefore
//! determines the whole run, which is what step back, scrubbing and links
//! replay. An action that cannot apply returns an [`ActionError`] and changes nothing.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{MessageId, NodeId, Time, TimerId};
use crate::network::LinkParams;
use crate::protocol::Protocol;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(bound(serialize = "", deserialize = ""))]
pub enum Action<P: Protocol> {
    /// Perform the next event in time order.
    Step,
    /// Deliver this message now, ahead of its time.
    Deliver(MessageId),
    /// Lose this message.
    Drop(MessageId),
    /// Send a second copy of this message, with its own latency.
    Duplicate(MessageId),
    /// Fire this timer now.
    Fire(TimerId),
    Crash(NodeId),
    Restart(NodeId),
    /// Split the nodes into groups; nodes in no group form one more.
    Partition(Vec<Vec<NodeId>>),
    /// End every partition and restore every cut link.
    Heal,
    /// Cut the directed link `from → to`.
    Cut {
        from: NodeId,
        to: NodeId,
    },
    /// Restore the directed link `from → to`.
    Restore {
        from: NodeId,
        to: NodeId,
    },
    /// Change latency, loss and duplication of one directed link, or of all.
    SetLink {
        link: Option<(NodeId, NodeId)>,
        params: LinkParams,
    },
    /// A client hands a request to `node`.
    Request {
        node: NodeId,
        request: P::Request,
    },
    /// A protocol-specific action on `node`.
    Command {
        node: NodeId,
        command: P::Command,
    },
    /// Let virtual time pass to `Time` without performing an event (smooth play).
    AdvanceTo(Time),
    /// The sender of this message in flight puts what `command` makes of
    /// it in its place: a Byzantine node lying message by message. Only the
    /// message's contents change; it keeps its id, route and times.
    Substitute {
        message: MessageId,
        command: P::Command,
    },
}

/// Why an action could not apply. The world is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionError {
    /// Nothing is scheduled: no message in flight, no pending timer.
    NothingPending,
    UnknownMessage(MessageId),
    UnknownTimer(TimerId),
    /// The node number is not in this cluster.
    NoSuchNode {
        node: NodeId,
        node_count: u32,
    },
    NodeDown(NodeId),
    NodeUp(NodeId),
    /// The link was not cut.
    LinkNotCut {
        from: NodeId,
        to: NodeId,
    },
    /// A node cannot have a link to itself.
    SelfLink(NodeId),
    BadPartition(String),
    BadLinkParams(String),
    /// Time cannot go backwards, nor past an event that is due first.
    BadTime {
        now: Time,
        to: Time,
        next_event: Option<Time>,
    },
    /// The engine refused the command, in its own words.
    Refused {
        node: NodeId,
        reason: String,
    },
    /// The timeline holds as many steps as it may (`Timeline::max_steps`).
    RunFull {
        most: u64,
    },
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::NothingPending => {
                write!(f, "nothing is scheduled: no message is in flight and no timer is pending")
            }
            ActionError::UnknownMessage(id) => write!(f, "message {id} is not in flight"),
            ActionError::UnknownTimer(id) => write!(f, "timer {id} is not pending"),
            ActionError::NoSuchNode { node, node_count } => {
                write!(f, "{node} is not in this {node_count}-node cluster")
            }
            ActionError::NodeDown(n) => write!(f, "{n} is crashed"),
            ActionError::NodeUp(n) => write!(f, "{n} is already running"),
            ActionError::LinkNotCut { from, to } => write!(f, "the link {from} → {to} is not cut"),
            ActionError::SelfLink(n) => write!(f, "{n} has no link to itself"),
            ActionError::BadPartition(why) => write!(f, "not a partition: {why}"),
            ActionError::BadLinkParams(why) => write!(f, "bad link settings: {why}"),
            ActionError::BadTime { now, to, next_event } => match next_event {
                Some(next) if to > next => write!(
                    f,
                    "cannot let time pass to {to} µs: an event is due first, at {next} µs"
                ),
                _ => write!(f, "cannot go back in time from {now} µs to {to} µs"),
            },
            ActionError::Refused { node, reason } => write!(f, "{node} refused: {reason}"),
            ActionError::RunFull { most } => write!(
                f,
                "the run holds {most} steps, as many as it may (a link carries no more); \
                 step back to branch off earlier, or start a new run"
            ),
        }
    }
}

impl std::error::Error for ActionError {}
