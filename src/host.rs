//! One object-safe window on a run of any protocol: what the generic
//! components read, and the actions they send, none of which names an
//! engine. It is implemented once, for every engine's `Run`; a user's
//! action is turned into the engine's own `Action` here, and nowhere else.

use caucus_sim::engine::Engine;
use caucus_sim::scenario::{RunSpec, ScenarioRun};
use caucus_sim::view::{KindStyle, NodeView, Visual};
use caucus_sim::{Action, ActionError, LinkParams, MessageId, Network, NodeId, ProtocolKind};
use caucus_sim::{Time, TimerId};

use crate::run::history::History;
use crate::run::revision::Revision;
use crate::run::{Run, TickEnd};
use crate::view_model::{self, ClusterData, Frame, InspectorRow, LinkDetail, MenuItem};
use crate::view_model::{MessageDetail, NextEvent, PropertyStatus};

/// A user's intervention, as a generic component sends it: the world's own
/// actions, and a protocol's command by its place in the node's menu.
#[derive(Clone, Debug, PartialEq)]
pub enum UserAction {
    Deliver(MessageId),
    Drop(MessageId),
    Duplicate(MessageId),
    Fire(TimerId),
    Crash(NodeId),
    Restart(NodeId),
    Partition(Vec<Vec<NodeId>>),
    Heal,
    Cut {
        from: NodeId,
        to: NodeId,
    },
    Restore {
        from: NodeId,
        to: NodeId,
    },
    SetLink {
        link: Option<(NodeId, NodeId)>,
        params: LinkParams,
    },
    /// The `index`th of the protocol's commands the node's menu offers now.
    Command {
        node: NodeId,
        index: usize,
    },
    /// The `index`th of the lies the message's sender may put in its place now.
    Substitute {
        message: MessageId,
        index: usize,
    },
}

impl UserAction {
    /// The engine's action, or why there is none.
    fn resolve<P: Visual>(self, run: &Run<P>) -> Result<Action<P>, String> {
        Ok(match self {
            UserAction::Deliver(id) => Action::Deliver(id),
            UserAction::Drop(id) => Action::Drop(id),
            UserAction::Duplicate(id) => Action::Duplicate(id),
            UserAction::Fire(id) => Action::Fire(id),
            UserAction::Crash(n) => Action::Crash(n),
            UserAction::Restart(n) => Action::Restart(n),
            UserAction::Partition(groups) => Action::Partition(groups),
            UserAction::Heal => Action::Heal,
            UserAction::Cut { from, to } => Action::Cut { from, to },
            UserAction::Restore { from, to } => Action::Restore { from, to },
            UserAction::SetLink { link, params } => Action::SetLink { link, params },
            UserAction::Command { node, index } => {
                let commands = P::node_commands(run.world(), node);
                let Some(c) = commands.into_iter().nth(index) else {
                    return Err(format!(
                        "{} has no such action now",
                        P::node_label(run.config(), node)
                    ));
                };
                Action::Command { node, command: c.command }
            }
            UserAction::Substitute { message, index } => {
                let lies = P::message_commands(run.world(), message);
                let Some(c) = lies.into_iter().nth(index) else {
                    return Err(format!("{message} offers no such lie now"));
                };
                Action::Substitute { message, command: c.command }
            }
        })
    }
}

/// Why a user's action was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// The world refused it.
    Action(ActionError),
    /// It names nothing the run has.
    Words(String),
    /// The request, as typed, does not read.
    Request(String),
}

/// A run of some protocol, as the generic page sees it.
pub trait Host {
    fn kind(&self) -> ProtocolKind;
    fn cursor(&self) -> u64;
    fn len(&self) -> u64;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn history(&self) -> &History;
    /// Changes whenever the world at the cursor (or the watched node) does.
    fn revision(&self) -> Revision;
    fn shown_time(&self) -> Time;
    /// The world's virtual time (the shown time may be later, between events).
    fn now(&self) -> Time;
    fn seed(&self) -> u64;
    fn links(&self) -> LinkParams;
    fn network(&self) -> &Network;
    fn node_count(&self) -> u32;
    fn node_up(&self, id: NodeId) -> bool;
    /// Whether the node takes client requests (a PBFT replica does not).
    fn takes_requests(&self, id: NodeId) -> bool;
    fn has_message(&self, id: MessageId) -> bool;
    /// A message's kind and id ("PREPARE m12") and its route, if in flight.
    fn message_title(&self, id: MessageId) -> Option<(String, NodeId, NodeId)>;
    /// A message in flight in one line, with its fields, for its tooltip.
    fn describe_message(&self, id: MessageId) -> Option<String>;
    /// The node in charge now (Raft's leader, PBFT's primary).
    fn leader(&self) -> Option<NodeId>;
    /// Where the request box sends a request when no node is chosen.
    fn request_target(&self) -> Option<NodeId>;
    /// A node's name as people read it ("n1", "r0", "c1").
    fn label(&self, id: NodeId) -> String;
    fn node_view(&self, id: NodeId) -> NodeView;
    fn node_noun(&self) -> &'static str;
    /// What the `e` key does, for the help.
    fn command_key_help(&self) -> &'static str;
    fn kinds(&self) -> &'static [KindStyle];
    /// The protocol's presets: (slug, name, link fragment).
    fn presets(&self) -> &'static [(&'static str, &'static str, &'static str)];
    /// What every step of the run did, as JSON lines.
    fn trace_lines(&self) -> Result<String, caucus_sim::scenario::ReplayError>;
    fn example_request(&self, n: u64) -> String;

    fn cluster(&self, frame: Frame) -> ClusterData;
    fn node_menu(&self, id: NodeId, request: &str) -> Vec<MenuItem>;
    fn link_detail(&self, a: NodeId, b: NodeId) -> Option<LinkDetail>;
    /// The soonest `limit` pending events, and how many there are in all.
    fn next_events(&self, limit: usize) -> (Vec<NextEvent>, usize);
    fn inspect_node(&self, id: NodeId) -> Vec<InspectorRow>;
    fn inspect_message(&self, id: MessageId) -> Option<MessageDetail>;
    fn properties(&self) -> Vec<PropertyStatus>;
    /// The run's protocol, settings and actions, for links and files.
    fn scenario_run(&self) -> ScenarioRun;

    /// The node the inspector shows, whose state before each step is kept.
    fn watch(&mut self, node: Option<NodeId>);
    fn step(&mut self) -> Result<(), ActionError>;
    fn step_back(&mut self);
    fn seek(&mut self, step: u64);
    fn tick(&mut self, wall_ms: f64, speed: f64) -> TickEnd;
    fn act(&mut self, action: UserAction) -> Result<(), Refusal>;
    /// A client request, as typed, to `node`.
    fn request(&mut self, node: NodeId, text: &str) -> Result<(), Refusal>;
}

impl<P: Engine> Host for Run<P> {
    fn kind(&self) -> ProtocolKind {
        P::KIND
    }
    fn cursor(&self) -> u64 {
        Run::cursor(self)
    }
    fn len(&self) -> u64 {
        Run::len(self)
    }
    fn history(&self) -> &History {
        Run::history(self)
    }
    fn revision(&self) -> Revision {
        Run::revision(self)
    }
    fn shown_time(&self) -> Time {
        Run::shown_time(self)
    }
    fn now(&self) -> Time {
        self.world().now()
    }
    fn seed(&self) -> u64 {
        Run::seed(self)
    }
    fn links(&self) -> LinkParams {
        Run::links(self)
    }
    fn network(&self) -> &Network {
        self.world().network()
    }
    fn node_count(&self) -> u32 {
        self.world().node_count()
    }
    fn node_up(&self, id: NodeId) -> bool {
        self.world().node(id).is_some()
    }
    fn takes_requests(&self, id: NodeId) -> bool {
        P::takes_requests(self.world(), id)
    }
    fn has_message(&self, id: MessageId) -> bool {
        self.world().message(id).is_some()
    }
    fn message_title(&self, id: MessageId) -> Option<(String, NodeId, NodeId)> {
        let m = self.world().message(id)?;
        Some((format!("{} {id}", P::message_kind(&m.message)), m.from, m.to))
    }
    fn describe_message(&self, id: MessageId) -> Option<String> {
        view_model::describe_message(self.world(), id)
    }
    fn leader(&self) -> Option<NodeId> {
        P::leader(self.world())
    }
    fn request_target(&self) -> Option<NodeId> {
        P::request_target(self.world())
    }
    fn label(&self, id: NodeId) -> String {
        P::node_label(self.config(), id)
    }
    fn node_view(&self, id: NodeId) -> NodeView {
        P::node_view(self.world(), id)
    }
    fn node_noun(&self) -> &'static str {
        P::NODE_NOUN
    }
    fn command_key_help(&self) -> &'static str {
        P::COMMAND_KEY_HELP
    }
    fn kinds(&self) -> &'static [KindStyle] {
        P::KINDS
    }
    fn example_request(&self, n: u64) -> String {
        P::example_request(n)
    }
    fn presets(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        P::PRESET_LINKS
    }
    fn trace_lines(&self) -> Result<String, caucus_sim::scenario::ReplayError> {
        let spec = RunSpec::<P> { config: self.config().clone(), actions: self.actions().to_vec() };
        spec.trace_lines(self.seed(), self.links())
    }
    fn cluster(&self, frame: Frame) -> ClusterData {
        view_model::cluster(self, frame)
    }
    fn node_menu(&self, id: NodeId, request: &str) -> Vec<MenuItem> {
        view_model::node_menu(self.world(), id, request)
    }
    fn link_detail(&self, a: NodeId, b: NodeId) -> Option<LinkDetail> {
        view_model::link_detail(self.world(), a, b)
    }
    fn next_events(&self, limit: usize) -> (Vec<NextEvent>, usize) {
        view_model::next_events(self.world(), limit)
    }
    fn inspect_node(&self, id: NodeId) -> Vec<InspectorRow> {
        view_model::inspect_node(self, id)
    }
    fn inspect_message(&self, id: MessageId) -> Option<MessageDetail> {
        view_model::inspect_message(self.world(), id)
    }
    fn properties(&self) -> Vec<PropertyStatus> {
        view_model::properties(self)
    }
    fn scenario_run(&self) -> ScenarioRun {
        P::into_run(RunSpec { config: self.config().clone(), actions: self.actions().to_vec() })
    }
    fn watch(&mut self, node: Option<NodeId>) {
        Run::watch(self, node)
    }
    fn step(&mut self) -> Result<(), ActionError> {
        Run::step(self)
    }
    fn step_back(&mut self) {
        Run::step_back(self)
    }
    fn seek(&mut self, step: u64) {
        Run::seek(self, step)
    }
    fn tick(&mut self, wall_ms: f64, speed: f64) -> TickEnd {
        Run::tick(self, wall_ms, speed)
    }
    fn act(&mut self, action: UserAction) -> Result<(), Refusal> {
        let action = action.resolve(self).map_err(Refusal::Words)?;
        Run::act(self, action).map_err(Refusal::Action)
    }
    fn request(&mut self, node: NodeId, text: &str) -> Result<(), Refusal> {
        let request = P::parse_request(text).map_err(Refusal::Request)?;
        Run::act(self, Action::Request { node, request }).map_err(Refusal::Action)
    }
}
