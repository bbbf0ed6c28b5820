//! Protocol-neutral view data: what the generic parts of the UI (cluster
//! view, messages in flight, next-events list, inspector, invariant panel)
//! need to know about any engine. Each engine implements [`Visual`]; its own
//! panels (the Raft log grid, the PBFT phase matrix) read its own types.

use crate::ids::{MessageId, NodeId, NodeKind, Time};
use crate::protocol::Protocol;
use crate::world::World;

/// How a message kind is drawn: its shape, and whether it answers a request.
/// Replies are drawn hollow, so a request and its reply on one link differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindStyle {
    /// The name `Protocol::message_kind` gives.
    pub kind: &'static str,
    pub shape: Shape,
    pub reply: bool,
    /// One line for the legend.
    pub meaning: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Diamond,
    Triangle,
}

/// How a node looks at a glance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tone {
    /// The node in charge (Raft's leader, PBFT's primary).
    Leader,
    /// Trying to become leader.
    Candidate,
    /// Any other live node.
    Member,
    /// Behaving maliciously on purpose (a Byzantine replica).
    Faulty,
    /// Crashed.
    Down,
}

/// One named value of a node's or message's state, for the inspector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub value: String,
}

impl Field {
    pub fn new(name: &'static str, value: impl ToString) -> Field {
        Field { name, value: value.to_string() }
    }
}

/// A node as the cluster view draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub id: NodeId,
    /// Which kind of node it is: an index into [`Visual::NODE_KINDS`]. The
    /// page lays kinds out apart (PBFT's replicas on the ring, its clients beside it).
    pub kind: NodeKind,
    /// The node's name as notes and the inspector write it ([`Visual::node_label`]):
    /// "n1" for a Raft server, "r0" or "c1" for a PBFT replica or client.
    pub label: String,
    pub tone: Tone,
    /// The role in words, for example "leader" or "crashed".
    pub role: String,
    /// A short number shown inside the node, for example the term.
    pub badge: String,
    /// What the badge means, for example "term".
    pub badge_name: &'static str,
    /// A second short line under the node, for example "voted n2".
    pub caption: String,
    /// (set at, fires at) of the timer whose progress the node's arc shows.
    pub timer: Option<(Time, Time)>,
}

/// A protocol-specific action offered on a node (its menu and shortcut).
#[derive(Clone, Debug, PartialEq)]
pub struct NodeCommand<C> {
    pub label: String,
    pub command: C,
}

/// A safety property the engine checks, for the invariant panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Property {
    pub name: &'static str,
    pub source: &'static str,
    /// What it promises, in one sentence.
    pub statement: &'static str,
}

/// What an engine tells the generic UI.
pub trait Visual: Protocol {
    /// Every message kind, for drawing and for the legend.
    const KINDS: &'static [KindStyle];
    /// Every property the engine's checks enforce, with the name a violation carries.
    const PROPERTIES: &'static [Property];
    /// What to call a node of the first kind ("server", "replica").
    const NODE_NOUN: &'static str;
    /// What the `e` key does to a selected node (its first own action), for the help.
    const COMMAND_KEY_HELP: &'static str = "the selected node's first own action";
    /// The presets as links: (slug, name, link fragment), in menu order.
    const PRESET_LINKS: &'static [(&'static str, &'static str, &'static str)] = &[];
    /// The name of each kind of node, indexed by `NodeKind` (`Protocol::node_kind`):
    /// `["server"]` for Raft, `["replica", "client"]` for PBFT.
    const NODE_KINDS: &'static [&'static str];

    /// A node's name as people read it, cheap enough for every message and
    /// every row of a list; by default the id ("n1").
    fn node_label(config: &Self::Config, id: NodeId) -> String {
        let _ = config;
        id.to_string()
    }

    /// A node as drawn: built for every node every frame, so it must be
    /// cheap, and never grow with the run (no copy of a log).
    fn node_view(world: &World<Self>, id: NodeId) -> NodeView;

    /// The node's whole state, for the inspector: built only for the node
    /// the user selected.
    fn node_fields(world: &World<Self>, id: NodeId) -> Vec<Field>;

    /// A message's fields, for its tooltip and the inspector; the settings
    /// name the nodes a message mentions.
    fn message_fields(config: &Self::Config, message: &Self::Message) -> Vec<Field>;

    /// The protocol's own actions on this node as it is now.
    fn node_commands(world: &World<Self>, id: NodeId) -> Vec<NodeCommand<Self::Command>>;

    /// What the sender of message `id` in flight may put in its place
    /// (`Action::Substitute`): a Byzantine node's lies, message by message.
    /// Engines whose nodes never lie keep the default, nothing.
    fn message_commands(world: &World<Self>, id: MessageId) -> Vec<NodeCommand<Self::Command>> {
        let _ = (world, id);
        Vec::new()
    }

    /// Reads a client request as a user types it, or says what is wrong.
    fn parse_request(text: &str) -> Result<Self::Request, String>;

    /// A request to suggest in the input box.
    fn example_request(n: u64) -> String;

    /// The node in charge now, if any: where a client request goes by
    /// default, and whose changes the timeline marks.
    fn leader(world: &World<Self>) -> Option<NodeId>;

    /// Whether node `id` takes client requests (a PBFT replica does not:
    /// requests come from its clients).
    fn takes_requests(_world: &World<Self>, _id: NodeId) -> bool {
        true
    }

    /// Where a client request goes when the user names no node: the
    /// leader, unless the engine's clients are nodes of their own.
    fn request_target(world: &World<Self>) -> Option<NodeId> {
        Self::leader(world)
    }
}

/// The name of a node kind ("replica"); an unknown kind is a plain "node".
pub fn kind_name<P: Visual>(kind: NodeKind) -> &'static str {
    P::NODE_KINDS.get(usize::from(kind.0)).copied().unwrap_or("node")
}

/// The drawing style of a message kind; unknown kinds get a plain circle.
pub fn style_of<P: Visual>(kind: &str) -> KindStyle {
    P::KINDS.iter().copied().find(|k| k.kind == kind).unwrap_or(KindStyle {
        kind: "message",
        shape: Shape::Circle,
        reply: false,
        meaning: "",
    })
}
