//! Plain data for the generic components, built from any engine's run
//! through `Visual`: where nodes and messages are drawn, what the
//! next-events list offers, what the inspector shows. The components draw
//! this data and dispatch the actions it carries; they know no protocol.

use caucus_sim::ids::format_time;
use caucus_sim::network::Blocked;
use caucus_sim::trace::{DropReason, TraceEvent};
use caucus_sim::view::{KindStyle, NodeView, Shape, Visual, style_of};
use caucus_sim::{MessageId, NodeId, NodeKind, Time, TimerId, World};

use crate::host::UserAction;
use crate::numbers::math;
use crate::run::Run;
use crate::session::SessionAction;

/// The drawing's size on the page, in CSS pixels. The cluster view draws in
/// pixels (its viewBox is its own size), so text keeps its size on every
/// screen, and the ring stretches to an ellipse that fills the drawing
/// instead of leaving empty bands beside or above it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
}

/// Node radius on a roomy screen, and the least any screen gets.
const NODE_RADIUS_MAX: f64 = 36.0;
const NODE_RADIUS_MIN: f64 = 22.0;
/// Room beside a node for its caption, and above it for "★ leader".
const CAPTION_HALF_WIDTH: f64 = 56.0;
const ABOVE_NODE: f64 = 36.0;
const BELOW_NODE: f64 = 34.0;

impl Frame {
    /// Until the page has measured the drawing.
    pub const DEFAULT: Frame = Frame { width: 600.0, height: 560.0 };

    /// (left, top, width, height), centred on 0, 0.
    pub fn view_box(&self) -> (f64, f64, f64, f64) {
        (-self.width / 2.0, -self.height / 2.0, self.width, self.height)
    }

    pub fn node_radius(&self) -> f64 {
        (self.width.min(self.height) / 12.0).clamp(NODE_RADIUS_MIN, NODE_RADIUS_MAX)
    }

    /// The ring's radii (x, y): as wide and tall as the frame allows, with
    /// room for the captions, and never flatter than 1 to 2.
    pub fn ring(&self) -> (f64, f64) {
        let r = self.node_radius();
        let rx = (self.width / 2.0 - r - CAPTION_HALF_WIDTH).max(r * 2.0);
        let ry = (self.height / 2.0 - r - ABOVE_NODE.max(BELOW_NODE)).max(r * 2.0);
        (rx.min(ry * 2.0), ry.min(rx * 2.0))
    }
}

/// An action offered on a node, with its keyboard shortcut.
#[derive(Clone, Debug, PartialEq)]
pub struct MenuItem {
    pub label: String,
    pub key: Option<char>,
    pub action: SessionAction,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NodeDot {
    pub view: NodeView,
    pub x: f64,
    pub y: f64,
    /// How far its timer has run, 0 to 1.
    pub timer: Option<f64>,
    pub violating: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MessageDot {
    pub id: MessageId,
    pub from: NodeId,
    pub to: NodeId,
    pub style: KindStyle,
    pub x: f64,
    pub y: f64,
    /// Direction of travel, in degrees, so triangles point where they go.
    pub angle: f64,
    /// Its sender put a lie in its place while it flew.
    pub lie: bool,
}

/// A message in flight in one line, for its tooltip: built when the pointer
/// is over it, not every frame for every message.
pub fn describe_message<P: Visual>(world: &World<P>, id: MessageId) -> Option<String> {
    let m = world.message(id)?;
    let fields: Vec<String> = P::message_fields(world.config(), &m.message)
        .into_iter()
        .map(|f| format!("{}={}", f.name, f.value))
        .collect();
    let name = |id| P::node_label(world.config(), id);
    Some(format!(
        "{} {id} from {} to {}: {}",
        P::message_kind(&m.message),
        name(m.from),
        name(m.to),
        fields.join(", ")
    ))
}

/// A message lost in the last step, drawn fading out where it vanished.
#[derive(Clone, Debug, PartialEq)]
pub struct Vanish {
    pub id: MessageId,
    pub kind: &'static str,
    pub why: &'static str,
    pub x: f64,
    pub y: f64,
}

/// Whether one direction of a link carries messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    Open,
    /// Its ends are in different partition groups (the divider shows why).
    Partitioned,
    /// Cut by hand.
    Cut,
}

impl LinkState {
    /// The state in words, as every panel shows it.
    pub fn words(self) -> &'static str {
        match self {
            LinkState::Open => "open",
            LinkState::Partitioned => "blocked by the partition",
            LinkState::Cut => "cut",
        }
    }
}

/// A node in words: "follower, term 2, voted n1".
pub fn node_summary(view: &NodeView) -> String {
    let mut words = format!("{}, {} {}", view.role, view.badge_name, view.badge);
    if !view.caption.is_empty() {
        words.push_str(", ");
        words.push_str(&view.caption);
    }
    words
}

/// A link drawn between two nodes `a` < `b`, with each direction's state.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkLine {
    pub a: NodeId,
    pub b: NodeId,
    /// `a → b` and `b → a`.
    pub forward: LinkState,
    pub backward: LinkState,
    /// Either direction's latency, loss or duplication differs from the rest.
    pub tuned: bool,
}

impl LinkLine {
    /// One line for tooltips and screen readers, the nodes named `a` and `b`.
    pub fn describe(&self, a: &str, b: &str) -> String {
        let state = LinkState::words;
        let tuned = if self.tuned { "; settings of its own" } else { "" };
        if self.forward == self.backward {
            format!("link {a} ↔ {b}: {}{tuned}", state(self.forward))
        } else {
            format!(
                "link {a} ↔ {b}: {a} → {b} {}, {b} → {a} {}{tuned}",
                state(self.forward),
                state(self.backward)
            )
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClusterData {
    pub nodes: Vec<NodeDot>,
    pub links: Vec<LinkLine>,
    /// Lines separating partition groups: (x1, y1, x2, y2).
    pub dividers: Vec<Segment>,
    pub messages: Vec<MessageDot>,
    pub vanished: Vec<Vanish>,
    /// The step the vanishing marks belong to, so their animation restarts.
    pub step: u64,
    /// The radius the nodes were laid out with (it follows the frame).
    pub node_radius: f64,
    pub kinds: &'static [KindStyle],
    pub noun: &'static str,
}

impl ClusterData {
    /// The drawing in one sentence, for screen readers.
    pub fn summary(&self) -> String {
        let nodes: Vec<String> = self
            .nodes
            .iter()
            .map(|n| {
                format!("{} {} {} {}", n.view.label, n.view.role, n.view.badge_name, n.view.badge)
            })
            .collect();
        let in_flight = match self.messages.len() {
            0 => "no message in flight".to_string(),
            1 => "1 message in flight".to_string(),
            n => format!("{n} messages in flight"),
        };
        format!("Cluster: {}; {in_flight}", nodes.join(", "))
    }
}

/// A point of the cluster view.
pub type Point = (f64, f64);
/// A line (x1, y1, x2, y2).
pub type Segment = (f64, f64, f64, f64);

/// Where each node sits: nodes of the first kind (Raft's servers, PBFT's
/// replicas) on the frame's ring, with a gap between partition groups;
/// nodes of other kinds (PBFT's clients) apart, in a row inside the ring.
/// Returns the positions and the dividers drawn in the gaps.
pub fn layout(n: u32, groups: &[Vec<NodeId>], frame: Frame) -> (Vec<Point>, Vec<Segment>) {
    layout_kinds(&vec![NodeKind(0); n as usize], groups, frame)
}

pub fn layout_kinds(
    kinds: &[NodeKind],
    groups: &[Vec<NodeId>],
    frame: Frame,
) -> (Vec<Point>, Vec<Segment>) {
    let n = kinds.len();
    let on_ring = |id: &NodeId| kinds[id.index()] == NodeKind(0);
    let (rx, ry) = frame.ring();
    let r = frame.node_radius();
    let order: Vec<Vec<NodeId>> = if groups.len() > 1 {
        groups
            .iter()
            .map(|g| g.iter().copied().filter(on_ring).collect::<Vec<_>>())
            .filter(|g| !g.is_empty())
            .collect()
    } else {
        vec![(0..n as u32).map(NodeId).filter(on_ring).collect()]
    };
    let ring_nodes: usize = order.iter().map(Vec::len).sum();
    let gaps = if order.len() > 1 { order.len() } else { 0 };
    let slots = ring_nodes + gaps;
    let angle =
        |slot: f64| -std::f64::consts::FRAC_PI_2 + slot * std::f64::consts::TAU / slots as f64;
    let mut pos = vec![(0.0, 0.0); n];
    let mut dividers = Vec::new();
    let mut slot = 0.0;
    for group in &order {
        for node in group {
            let a = angle(slot);
            pos[node.index()] = (rx * math::cos(a), ry * math::sin(a));
            slot += 1.0;
        }
        if gaps > 0 {
            let a = angle(slot);
            // From near the centre to past the ring, between the groups.
            let (inner, outer) = (0.2, 1.0 + 1.5 * r / rx.min(ry));
            let (x, y) = (rx * math::cos(a), ry * math::sin(a));
            dividers.push((inner * x, inner * y, outer * x, outer * y));
            slot += 1.0;
        }
    }
    let apart: Vec<usize> = (0..n).filter(|&i| kinds[i] != NodeKind(0)).collect();
    let spacing = (3.2 * r).min(1.6 * rx / apart.len().max(1) as f64);
    let first = -(apart.len() as f64 - 1.0) / 2.0;
    for (k, &i) in apart.iter().enumerate() {
        pos[i] = ((first + k as f64) * spacing, 0.0);
    }
    (pos, dividers)
}

/// Where a node's caption is drawn, relative to its centre and below its
/// rim: the ink of a line of 12 to 13 px text (`node_mark.rs` puts its
/// baseline 26 px below the rim), and half the width of a typical caption
/// ("exec 12 · h 8").
const CAPTION_INK: (f64, f64) = (18.0, 28.0);
const CAPTION_INK_HALF_WIDTH: f64 = 36.0;

/// Whether nodes placed at `places`, of radius `r`, sit so close that a
/// caption would run into another node or its caption: PBFT's ten replicas
/// and three clients on a laptop's drawing. The page then leaves captions
/// out; each node's tooltip and the inspector still say them.
pub fn crowded(places: &[Point], r: f64) -> bool {
    let caption = |(x, y): Point| {
        let (top, bottom) = (y + r + CAPTION_INK.0, y + r + CAPTION_INK.1);
        (x - CAPTION_INK_HALF_WIDTH, x + CAPTION_INK_HALF_WIDTH, top, bottom)
    };
    let body = |(x, y): Point| (x - r, x + r, y - r, y + r);
    let meet = |a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)| {
        a.0 < b.1 && b.0 < a.1 && a.2 < b.3 && b.2 < a.3
    };
    places.iter().enumerate().any(|(i, &a)| {
        places.iter().enumerate().any(|(j, &b)| {
            i != j && (meet(caption(a), body(b)) || (i < j && meet(caption(a), caption(b))))
        })
    })
}

/// A point `t` (0 to 1) of the way along the link from `a` to `b`, between
/// the rims of nodes of radius `r`, shifted to the right of travel so the two
/// directions of one link do not overlap. Also returns the direction in degrees.
pub fn along(a: (f64, f64), b: (f64, f64), t: f64, r: f64) -> (f64, f64, f64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    let rim = r + 6.0;
    let travel = (len - 2.0 * rim).max(0.0);
    let d = rim + travel * t.clamp(0.0, 1.0);
    let side = 7.0;
    (a.0 + ux * d - uy * side, a.1 + uy * d + ux * side, math::atan2(uy, ux).to_degrees())
}

/// How far a message has travelled at `now`.
pub fn progress(sent_at: Time, arrives_at: Time, now: Time) -> f64 {
    if arrives_at <= sent_at {
        return 1.0;
    }
    (now.saturating_sub(sent_at) as f64 / (arrives_at - sent_at) as f64).clamp(0.0, 1.0)
}

pub fn cluster<P: Visual>(run: &Run<P>, frame: Frame) -> ClusterData {
    let world = run.world();
    let now = run.shown_time();
    let n = world.node_count();
    let groups = world.network().groups();
    let kinds: Vec<NodeKind> = (0..n).map(|i| world.node_kind(NodeId(i))).collect();
    let (pos, dividers) = layout_kinds(&kinds, &groups, frame);
    let r = frame.node_radius();
    let violating: Vec<NodeId> = run
        .history()
        .get(run.cursor())
        .map(|r| r.violations().iter().flat_map(|v| v.nodes.iter().copied()).collect())
        .unwrap_or_default();
    let nodes = (0..n)
        .map(NodeId)
        .map(|id| {
            let view = P::node_view(world, id);
            let timer = view.timer.map(|(set, fires)| progress(set, fires, now));
            NodeDot {
                x: pos[id.index()].0,
                y: pos[id.index()].1,
                timer,
                violating: violating.contains(&id),
                view,
            }
        })
        .collect();
    let net = world.network();
    let defaults = net.defaults();
    let mut links = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let (a, b) = (NodeId(a), NodeId(b));
            let Some(LinkDetail { directions: [ab, ba] }) = link_detail(world, a, b) else {
                continue;
            };
            let tuned = ab.params != defaults || ba.params != defaults;
            links.push(LinkLine { a, b, forward: ab.state, backward: ba.state, tuned });
        }
    }
    let messages = world
        .in_flight()
        .map(|m| {
            let t = progress(m.sent_at, m.arrives_at, now);
            let (x, y, angle) = along(pos[m.from.index()], pos[m.to.index()], t, r);
            MessageDot {
                id: m.id,
                from: m.from,
                to: m.to,
                style: style_of::<P>(P::message_kind(&m.message)),
                x,
                y,
                angle,
                lie: m.replaced,
            }
        })
        .collect();
    let vanished = world
        .last_step()
        .events()
        .filter_map(|e| match e {
            TraceEvent::Dropped { id, from, to, kind, reason } => {
                // Where it was: on its way if it had been in flight, else at its sender.
                let t = run
                    .taken_message(id)
                    .map_or(0.1, |(sent_at, arrives_at)| progress(sent_at, arrives_at, now));
                let (x, y, _) = along(pos[from.index()], pos[to.index()], t, r);
                let why = match reason {
                    DropReason::Lost => "lost",
                    DropReason::ByUser => "dropped",
                    DropReason::Blocked(_) => "blocked",
                    DropReason::ReceiverDown => "receiver down",
                };
                Some(Vanish { id, kind, why, x, y })
            }
            _ => None,
        })
        .collect();
    ClusterData {
        nodes,
        links,
        dividers,
        messages,
        vanished,
        step: run.cursor(),
        node_radius: r,
        kinds: P::KINDS,
        noun: P::NODE_NOUN,
    }
}

/// What a user can do to a node, with the shortcuts the help lists.
/// `request` is the request box's text, which the menu sends as it is.
pub fn node_menu<P: Visual>(world: &World<P>, id: NodeId, request: &str) -> Vec<MenuItem> {
    let wrap = SessionAction::Act;
    let up = world.node(id).is_some();
    let mut items = Vec::new();
    if up {
        items.push(MenuItem {
            label: "Crash".into(),
            key: Some('c'),
            action: wrap(UserAction::Crash(id)),
        });
    } else {
        items.push(MenuItem {
            label: "Restart".into(),
            key: Some('r'),
            action: wrap(UserAction::Restart(id)),
        });
    }
    for (i, c) in P::node_commands(world, id).into_iter().enumerate() {
        let key = (i == 0).then_some('e');
        items.push(MenuItem {
            label: c.label,
            key,
            action: wrap(UserAction::Command { node: id, index: i }),
        });
    }
    if up && P::takes_requests(world, id) {
        items.push(MenuItem {
            label: format!("Client request {request}"),
            key: Some('q'),
            action: SessionAction::Request { node: Some(id) },
        });
    }
    items.push(MenuItem {
        label: "Isolate".into(),
        key: Some('i'),
        action: SessionAction::Isolate(id),
    });
    items
}

/// One direction of a link as the network panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkDirection {
    pub from: NodeId,
    pub to: NodeId,
    pub state: LinkState,
    pub params: caucus_sim::LinkParams,
}

/// Both directions of the link between `a` and `b`, `a → b` first; `None`
/// unless both are nodes of the cluster and differ.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkDetail {
    pub directions: [LinkDirection; 2],
}

pub fn link_detail<P: Visual>(world: &World<P>, a: NodeId, b: NodeId) -> Option<LinkDetail> {
    let n = world.node_count();
    if a == b || a.0 >= n || b.0 >= n {
        return None;
    }
    let net = world.network();
    let direction = |from, to| LinkDirection {
        from,
        to,
        state: match net.blocked(from, to) {
            None => LinkState::Open,
            Some(Blocked::Partitioned) => LinkState::Partitioned,
            Some(Blocked::LinkCut) => LinkState::Cut,
        },
        params: net.link(from, to),
    };
    Some(LinkDetail { directions: [direction(a, b), direction(b, a)] })
}

/// One entry of the next-events list.
#[derive(Clone, Debug, PartialEq)]
pub enum NextEvent {
    Message {
        id: MessageId,
        label: String,
        due: Time,
        deliver: SessionAction,
        drop: SessionAction,
        duplicate: SessionAction,
        /// Its sender may put a lie in its place (the inspector lists them).
        lies: bool,
    },
    Timer {
        id: TimerId,
        label: String,
        due: Time,
        fire: SessionAction,
    },
}

impl NextEvent {
    pub fn due(&self) -> Time {
        match self {
            NextEvent::Message { due, .. } | NextEvent::Timer { due, .. } => *due,
        }
    }
}

/// The soonest `limit` of every message in flight and every pending timer,
/// soonest first (ties in the world's order), and how many there are in all.
/// Only those shown are put in words: a busy cluster has hundreds.
pub fn next_events<P: Visual>(world: &World<P>, limit: usize) -> (Vec<NextEvent>, usize) {
    enum Due<'a, P: Visual> {
        Message(&'a caucus_sim::world::InFlight<P::Message>),
        Timer(&'a caucus_sim::world::PendingTimer<P::Timer>),
    }
    let mut all: Vec<(Time, Due<'_, P>)> = world
        .in_flight()
        .map(|m| (m.arrives_at, Due::Message(m)))
        .chain(world.pending_timers().map(|t| (t.fires_at, Due::Timer(t))))
        .collect();
    let total = all.len();
    all.sort_by_key(|(due, _)| *due);
    let wrap = SessionAction::Act;
    let name = |id: NodeId| P::node_label(world.config(), id);
    let shown = all
        .into_iter()
        .take(limit)
        .map(|(due, event)| match event {
            Due::Message(m) => NextEvent::Message {
                id: m.id,
                label: format!("{} {} → {}", P::message_kind(&m.message), name(m.from), name(m.to)),
                due,
                deliver: wrap(UserAction::Deliver(m.id)),
                drop: wrap(UserAction::Drop(m.id)),
                duplicate: wrap(UserAction::Duplicate(m.id)),
                lies: !P::message_commands(world, m.id).is_empty(),
            },
            Due::Timer(t) => NextEvent::Timer {
                id: t.id,
                label: format!("{}'s {} timer", name(t.node), P::timer_kind(&t.timer)),
                due,
                fire: wrap(UserAction::Fire(t.id)),
            },
        })
        .collect();
    (shown, total)
}

/// One row of the inspector: a field now, and whether the last step changed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectorRow {
    pub name: &'static str,
    pub value: String,
    pub changed: bool,
    /// The value before the last step, when it changed.
    pub before: Option<String>,
}

/// Rows for a node: its fields now against one step back.
pub fn inspect_node<P: Visual>(run: &Run<P>, id: NodeId) -> Vec<InspectorRow> {
    let now = P::node_fields(run.world(), id);
    let before = run.fields_before(id);
    now.into_iter()
        .map(|f| {
            let old = before.map(|b| b.iter().find(|o| o.name == f.name).map(|o| o.value.clone()));
            let changed = matches!(&old, Some(o) if o.as_deref() != Some(f.value.as_str()));
            InspectorRow {
                name: f.name,
                changed,
                before: if changed { old.flatten() } else { None },
                value: f.value,
            }
        })
        .collect()
}

/// A message in flight as the inspector shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageDetail {
    pub title: String,
    /// What the kind is for, from the legend.
    pub meaning: &'static str,
    /// Route, times, and the message's own fields.
    pub rows: Vec<(String, String)>,
    /// Its sender's name, and what it may put in the message's place (a
    /// Byzantine replica's lies), each with its action.
    pub sender: String,
    pub lies: Vec<(String, SessionAction)>,
}

pub fn inspect_message<P: Visual>(world: &World<P>, id: MessageId) -> Option<MessageDetail> {
    let m = world.message(id)?;
    let kind = P::message_kind(&m.message);
    let mut rows: Vec<(String, String)> = vec![
        ("from".into(), P::node_label(world.config(), m.from)),
        ("to".into(), P::node_label(world.config(), m.to)),
        ("sent at".into(), format_time(m.sent_at)),
        ("arrives at".into(), format_time(m.arrives_at)),
    ];
    if let Some(of) = m.copy_of {
        rows.push(("copy of".into(), of.to_string()));
    }
    let sender = P::node_label(world.config(), m.from);
    if m.replaced {
        rows.push(("a lie".into(), format!("{sender} put this in place of what it sent")));
    }
    rows.extend(
        P::message_fields(world.config(), &m.message)
            .into_iter()
            .map(|f| (f.name.to_string(), f.value)),
    );
    let lies = P::message_commands(world, id)
        .into_iter()
        .enumerate()
        .map(|(index, c)| {
            (c.label, SessionAction::Act(UserAction::Substitute { message: id, index }))
        })
        .collect();
    Some(MessageDetail {
        title: format!("{kind} {id}"),
        meaning: style_of::<P>(kind).meaning,
        rows,
        sender,
        lies,
    })
}

/// The live status of one property at the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyStatus {
    pub name: &'static str,
    pub source: &'static str,
    pub statement: &'static str,
    /// The first violation at or before the cursor: (step, what is wrong).
    pub broken: Option<(u64, String)>,
}

pub fn properties<P: Visual>(run: &Run<P>) -> Vec<PropertyStatus> {
    P::PROPERTIES
        .iter()
        .map(|p| PropertyStatus {
            name: p.name,
            source: p.source,
            statement: p.statement,
            broken: run
                .history()
                .first_violation(p.name, run.cursor())
                .map(|v| (v.step, v.detail.clone())),
        })
        .collect()
}

/// How each shape is drawn, for the legend and the messages.
/// A point of the page (client pixels) in the drawing's coordinates, for an
/// SVG whose box on the page is `rect` (left, top, width, height) and whose
/// viewBox is `view`, scaled with the default `xMidYMid meet`.
pub fn to_drawing(point: Point, rect: (f64, f64, f64, f64), view: (f64, f64, f64, f64)) -> Point {
    let scale = (rect.2 / view.2).min(rect.3 / view.3);
    if scale <= 0.0 {
        return (view.0, view.1);
    }
    // `meet` centres the drawing in the box along the longer side.
    let pad_x = (rect.2 - view.2 * scale) / 2.0;
    let pad_y = (rect.3 - view.3 * scale) / 2.0;
    (view.0 + (point.0 - rect.0 - pad_x) / scale, view.1 + (point.1 - rect.1 - pad_y) / scale)
}

/// The node drawn under `p` (its body or its timer ring), if any, among
/// nodes of radius `r` drawn at the given places.
pub fn node_at(places: &[(NodeId, Point)], p: Point, r: f64) -> Option<NodeId> {
    let reach = r + 10.0;
    places.iter().find(|(_, (x, y))| math::hypot(x - p.0, y - p.1) <= reach).map(|&(id, _)| id)
}

pub fn shape_class(shape: Shape) -> &'static str {
    match shape {
        Shape::Circle => "circle",
        Shape::Square => "square",
        Shape::Diamond => "diamond",
        Shape::Triangle => "triangle",
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn the_next_events_list_puts_the_soonest_in_words_and_counts_the_rest() {
        use caucus_sim::pbft::{PbftConfig, PbftNode};
        let mut w =
            World::<PbftNode>::new(PbftConfig::new(3, 3), 1, caucus_sim::LinkParams::default());
        for c in 10..13 {
            let request = PbftNode::parse_request("x=1").unwrap();
            w.apply(&caucus_sim::Action::Request { node: NodeId(c), request }).unwrap();
        }
        for _ in 0..40 {
            w.apply(&caucus_sim::Action::Step).unwrap();
        }
        let (all, total) = next_events(&w, usize::MAX);
        assert_eq!(total, w.in_flight().count() + w.pending_timers().count());
        assert_eq!(all.len(), total);
        assert!(total > 20, "a busy cluster: {total} events");
        assert!(all.windows(2).all(|p| p[0].due() <= p[1].due()), "soonest first");
        let (soonest, counted) = next_events(&w, 5);
        assert_eq!((soonest.as_slice(), counted), (&all[..5], total));
    }

    #[test]
    fn page_points_map_to_the_drawing_with_meet_scaling() {
        let view = (-300.0, -290.0, 600.0, 580.0);
        // A box twice the drawing's size, wider than needed: centred, 2× scale.
        let rect = (10.0, 20.0, 1400.0, 1160.0);
        let pad = (1400.0 - 1200.0) / 2.0;
        assert_eq!(to_drawing((10.0 + pad, 20.0), rect, view), (-300.0, -290.0));
        assert_eq!(to_drawing((10.0 + pad + 600.0, 20.0 + 580.0), rect, view), (0.0, 0.0));
        assert_eq!(to_drawing((5.0, 5.0), (0.0, 0.0, 0.0, 0.0), view), (-300.0, -290.0));
    }

    #[test]
    fn the_node_under_a_point_includes_its_timer_ring() {
        let run = Run::<caucus_sim::raft::RaftNode>::new(
            caucus_sim::raft::RaftConfig::default(),
            1,
            caucus_sim::LinkParams::default(),
        );
        let data = cluster(&run, Frame::DEFAULT);
        let r = data.node_radius;
        let places: Vec<(NodeId, Point)> =
            data.nodes.iter().map(|n| (n.view.id, (n.x, n.y))).collect();
        let n1 = &data.nodes[0];
        assert_eq!(node_at(&places, (n1.x, n1.y), r), Some(NodeId(0)));
        assert_eq!(node_at(&places, (n1.x + r + 8.0, n1.y), r), Some(NodeId(0)));
        assert_eq!(node_at(&places, (0.0, 0.0), r), None, "the ring's centre is empty");
    }

    #[test]
    fn the_summary_counts_messages_in_words() {
        let mut run = Run::<caucus_sim::raft::RaftNode>::new(
            caucus_sim::raft::RaftConfig::default(),
            1,
            caucus_sim::LinkParams::default(),
        );
        let summary = |run: &Run<_>| cluster(run, Frame::DEFAULT).summary();
        assert!(summary(&run).starts_with("Cluster: n1 follower term 0, n2 follower term 0"));
        assert!(summary(&run).ends_with("; no message in flight"), "{}", summary(&run));
        let mut counts = Vec::new();
        while counts.len() < 400 && !counts.contains(&1) {
            run.step().expect("a step");
            counts.push(run.world().in_flight().count());
        }
        assert!(counts.contains(&1), "some step leaves one message in flight: {counts:?}");
        assert!(summary(&run).ends_with("; 1 message in flight"), "{}", summary(&run));
    }

    #[test]
    fn nodes_sit_on_the_ring_and_groups_are_split_by_dividers() {
        let frame = Frame { width: 800.0, height: 500.0 };
        let (rx, ry) = frame.ring();
        assert!(rx > ry, "a wide frame stretches the ring sideways ({rx} × {ry})");
        let (pos, dividers) = layout(5, &[], frame);
        assert!(dividers.is_empty());
        assert!((pos[0].0).abs() < 1e-9 && (pos[0].1 + ry).abs() < 1e-9, "n1 on top");
        for p in &pos {
            assert!(((p.0 / rx).powi(2) + (p.1 / ry).powi(2) - 1.0).abs() < 1e-9, "on the ellipse");
        }
        let groups = vec![vec![NodeId(0), NodeId(1), NodeId(2)], vec![NodeId(3), NodeId(4)]];
        let (split, dividers) = layout(5, &groups, frame);
        assert_eq!(dividers.len(), 2);
        // Nodes of one group are closer to each other than to the other group.
        let d = |a: usize, b: usize| {
            ((split[a].0 - split[b].0).powi(2) + (split[a].1 - split[b].1).powi(2)).sqrt()
        };
        assert!(d(2, 3) > d(1, 2), "a gap separates the groups");
    }

    #[test]
    fn every_node_and_its_captions_stay_inside_the_frame() {
        for (w, h) in [(600.0, 560.0), (1000.0, 420.0), (340.0, 360.0), (300.0, 640.0)] {
            let frame = Frame { width: w, height: h };
            let r = frame.node_radius();
            assert!(r >= NODE_RADIUS_MIN, "legible nodes at {w}×{h}");
            for n in 1..=9 {
                for (x, y) in layout(n, &[], frame).0 {
                    assert!(
                        x.abs() + r + CAPTION_HALF_WIDTH <= w / 2.0 + 1e-9,
                        "{n} nodes at {w}×{h}"
                    );
                    assert!(y - r - ABOVE_NODE >= -h / 2.0 - 1e-9, "{n} nodes at {w}×{h}");
                    assert!(y + r + BELOW_NODE <= h / 2.0 + 1e-9, "{n} nodes at {w}×{h}");
                }
            }
        }
    }

    #[test]
    fn captions_are_left_out_only_where_they_would_run_into_a_neighbour() {
        use caucus_sim::NodeKind;
        let pbft = |replicas: usize, clients: usize| {
            let mut kinds = vec![NodeKind(0); replicas];
            kinds.extend(vec![NodeKind(1); clients]);
            kinds
        };
        // A laptop's drawing (1280 × 720), then a projector's.
        for (frame, big) in [
            (Frame { width: 600.0, height: 260.0 }, false),
            (Frame { width: 1200.0, height: 700.0 }, true),
        ] {
            let r = frame.node_radius();
            let at = |kinds: &[NodeKind]| crowded(&layout_kinds(kinds, &[], frame).0, r);
            assert!(!crowded(&layout(5, &[], frame).0, r), "Raft's five servers");
            assert!(!at(&pbft(4, 1)), "PBFT f = 1 with its client in the middle");
            assert_eq!(at(&pbft(10, 3)), !big, "PBFT f = 3 with three clients, big: {big}");
        }
    }

    #[test]
    fn messages_travel_from_rim_to_rim_on_the_right_of_their_link() {
        let r = 36.0;
        let (a, b) = ((0.0, 0.0), (100.0 + 2.0 * (r + 6.0), 0.0));
        let (x0, y0, angle) = along(a, b, 0.0, r);
        let (x1, y1, _) = along(a, b, 1.0, r);
        assert_eq!((x0, x1), (r + 6.0, 100.0 + r + 6.0));
        assert_eq!((y0, y1, angle), (7.0, 7.0, 0.0));
        let (_, back_y, _) = along(b, a, 0.5, r);
        assert_eq!(back_y, -7.0, "the other direction runs on the other side");
        assert_eq!(progress(10, 20, 15), 0.5);
        assert_eq!(progress(10, 20, 40), 1.0);
        assert_eq!(progress(10, 10, 10), 1.0);
    }

    #[test]
    fn nodes_of_other_kinds_sit_apart_inside_the_ring() {
        let frame = Frame::DEFAULT;
        let kinds = [NodeKind(0), NodeKind(0), NodeKind(0), NodeKind(0), NodeKind(1), NodeKind(1)];
        let (pos, _) = layout_kinds(&kinds, &[], frame);
        let (ring, _) = layout(4, &[], frame);
        assert_eq!(pos[..4], ring[..], "replicas where a ring of four puts them");
        assert_eq!((pos[4].1, pos[5].1), (0.0, 0.0), "clients in a row through the centre");
        assert!(pos[4].0 < 0.0 && pos[5].0 > 0.0 && (pos[4].0 + pos[5].0).abs() < 1e-9);
    }
}
