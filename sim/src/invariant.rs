//! The invariants hook: after every step the engine's checks look at the
//! world, and each broken property comes back as a [`Violation`] that names
//! the property, the step and the nodes involved.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{NodeId, Time};
use crate::protocol::Protocol;
use crate::world::Slot;

/// One safety property found broken.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Violation {
    /// The property's name as its paper gives it, for example "Election Safety".
    pub property: String,
    /// Where the paper states it, for example "Raft §5.2, Figure 3".
    pub source: String,
    /// The step after which it was found broken.
    pub step: u64,
    /// The nodes whose states break it.
    pub nodes: Vec<NodeId>,
    /// What is wrong, in one sentence.
    pub detail: String,
}

impl Violation {
    /// A violation found at the view's step.
    pub fn new<P: Protocol>(
        view: &WorldView<'_, P>,
        property: &str,
        source: &str,
        nodes: Vec<NodeId>,
        detail: String,
    ) -> Violation {
        Violation {
            property: property.to_owned(),
            source: source.to_owned(),
            step: view.step,
            nodes,
            detail,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nodes: Vec<String> = self.nodes.iter().map(NodeId::to_string).collect();
        write!(
            f,
            "{} ({}) broken at step {} by {}: {}",
            self.property,
            self.source,
            self.step,
            nodes.join(", "),
            self.detail
        )
    }
}

/// What the checks may read: every node's state, up or down, and which
/// nodes the last step touched. Reading is by node, so a check that looks
/// only at `touched` costs nothing per untouched node.
pub struct WorldView<'a, P: Protocol> {
    pub step: u64,
    pub now: Time,
    pub config: &'a P::Config,
    pub(crate) slots: &'a [Slot<P>],
    /// The nodes the last step handled an input on, crashed or restarted.
    pub touched: &'a [NodeId],
}

impl<'a, P: Protocol> WorldView<'a, P> {
    /// How many nodes the world has.
    pub fn node_count(&self) -> u32 {
        self.slots.len() as u32
    }

    /// Every node id, in order.
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> + use<P> {
        (0..self.node_count()).map(NodeId)
    }

    /// The node's live state, or `None` while it is crashed.
    pub fn node(&self, id: NodeId) -> Option<&'a P> {
        self.slots.get(id.index()).and_then(Slot::live)
    }

    /// The node's durable state; for a crashed node, what it will restart from.
    pub fn durable(&self, id: NodeId) -> Option<&'a P::Durable> {
        self.slots.get(id.index()).map(Slot::durable)
    }
}
