//! Plain data for the generic components, built from any engine's run
//! through `Visual`: where nodes and messages are drawn, what the
//! next-events list offers, what the inspector shows. The components draw
//! this data and dispatch the actions it carries; they know no protocol.

use caucus_sim::ids::format_time;
use caucus_sim::trace::{DropReason, TraceEvent};
use caucus_sim::view::{Field, KindStyle, NodeView, Shape, Visual, style_of};
use caucus_sim::{Action, MessageId, NodeId, Time, TimerId, World};

use crate::run::Run;
use crate::session::SessionAction;

/// The cluster view's coordinate system: the ring is centred on 0, 0.
pub const RING_RADIUS: f64 = 200.0;
pub const NODE_RADIUS: f64 = 36.0;

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
    pub fields: Vec<Field>,
    pub sent_at: Time,
    pub arrives_at: Time,
}

impl MessageDot {
    /// One line for tooltips and screen readers.
    pub fn describe(&self) -> String {
        let fields: Vec<String> =
            self.fields.iter().map(|f| format!("{}={}", f.name, f.value)).collect();
        format!(
            "{} {} from {} to {}: {}",
            self.style.kind,
            self.id,
            self.from,
            self.to,
            fields.join(", ")
        )
    }
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

/// A link drawn between two nodes; `blocked` when either direction is.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkLine {
    pub a: NodeId,
    pub b: NodeId,
    pub blocked: bool,
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
    pub kinds: &'static [KindStyle],
    pub noun: &'static str,
}

/// A point of the cluster view.
pub type Point = (f64, f64);
/// A line (x1, y1, x2, y2).
pub type Segment = (f64, f64, f64, f64);

/// Where each node sits: on a ring, with a gap between partition groups.
/// Returns the positions and the dividers drawn in the gaps.
pub fn layout(n: u32, groups: &[Vec<NodeId>]) -> (Vec<Point>, Vec<Segment>) {
    let order: Vec<Vec<NodeId>> =
        if groups.len() > 1 { groups.to_vec() } else { vec![(0..n).map(NodeId).collect()] };
    let gaps = if order.len() > 1 { order.len() } else { 0 };
    let slots = n as usize + gaps;
    let angle =
        |slot: f64| -std::f64::consts::FRAC_PI_2 + slot * std::f64::consts::TAU / slots as f64;
    let mut pos = vec![(0.0, 0.0); n as usize];
    let mut dividers = Vec::new();
    let mut slot = 0.0;
    for group in &order {
        for node in group {
            let a = angle(slot);
            pos[node.index()] = (RING_RADIUS * a.cos(), RING_RADIUS * a.sin());
            slot += 1.0;
        }
        if gaps > 0 {
            let a = angle(slot);
            let (r0, r1) = (40.0, RING_RADIUS + 70.0);
            dividers.push((r0 * a.cos(), r0 * a.sin(), r1 * a.cos(), r1 * a.sin()));
            slot += 1.0;
        }
    }
    (pos, dividers)
}

/// A point `t` (0 to 1) of the way along the link from `a` to `b`, between
/// the nodes' rims, shifted to the right of travel so the two directions of
/// one link do not overlap. Also returns the direction in degrees.
pub fn along(a: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64, f64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    let rim = NODE_RADIUS + 6.0;
    let travel = (len - 2.0 * rim).max(0.0);
    let d = rim + travel * t.clamp(0.0, 1.0);
    let side = 7.0;
    (a.0 + ux * d - uy * side, a.1 + uy * d + ux * side, uy.atan2(ux).to_degrees())
}

/// How far a message has travelled at `now`.
pub fn progress(sent_at: Time, arrives_at: Time, now: Time) -> f64 {
    if arrives_at <= sent_at {
        return 1.0;
    }
    (now.saturating_sub(sent_at) as f64 / (arrives_at - sent_at) as f64).clamp(0.0, 1.0)
}

pub fn cluster<P: Visual>(run: &Run<P>) -> ClusterData {
    let world = run.world();
    let now = run.shown_time();
    let n = world.node_count();
    let groups = world.network().groups();
    let (pos, dividers) = layout(n, &groups);
    let violating: Vec<NodeId> = run
        .history()
        .get(run.cursor())
        .map(|r| r.violations.iter().flat_map(|v| v.nodes.iter().copied()).collect())
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
    let mut links = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let (a, b) = (NodeId(a), NodeId(b));
            let blocked = net.blocked(a, b).is_some() || net.blocked(b, a).is_some();
            links.push(LinkLine { a, b, blocked });
        }
    }
    let messages = world
        .in_flight()
        .map(|m| {
            let t = progress(m.sent_at, m.arrives_at, now);
            let (x, y, angle) = along(pos[m.from.index()], pos[m.to.index()], t);
            MessageDot {
                id: m.id,
                from: m.from,
                to: m.to,
                style: style_of::<P>(P::message_kind(&m.message)),
                x,
                y,
                angle,
                fields: P::message_fields(&m.message),
                sent_at: m.sent_at,
                arrives_at: m.arrives_at,
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
                    .previous()
                    .and_then(|w| w.message(id))
                    .map_or(0.1, |m| progress(m.sent_at, m.arrives_at, now));
                let (x, y, _) = along(pos[from.index()], pos[to.index()], t);
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
        kinds: P::KINDS,
        noun: P::NODE_NOUN,
    }
}

/// What a user can do to a node, with the shortcuts the help lists.
pub fn node_menu<P: Visual>(
    world: &World<P>,
    id: NodeId,
    wrap: fn(Action<P>) -> SessionAction,
) -> Vec<MenuItem> {
    let up = world.node(id).is_some();
    let mut items = Vec::new();
    if up {
        items.push(MenuItem {
            label: "Crash".into(),
            key: Some('c'),
            action: wrap(Action::Crash(id)),
        });
    } else {
        items.push(MenuItem {
            label: "Restart".into(),
            key: Some('r'),
            action: wrap(Action::Restart(id)),
        });
    }
    for (i, c) in P::node_commands(world, id).into_iter().enumerate() {
        let key = (i == 0).then_some('e');
        items.push(MenuItem {
            label: c.label,
            key,
            action: wrap(Action::Command { node: id, command: c.command }),
        });
    }
    if up {
        let text = P::example_request(world.step());
        items.push(MenuItem {
            label: format!("Client request {text}"),
            key: Some('q'),
            action: SessionAction::Request { node: Some(id), text },
        });
    }
    items.push(MenuItem {
        label: "Isolate".into(),
        key: Some('i'),
        action: SessionAction::Isolate(id),
    });
    items
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

/// Every message in flight and every pending timer, soonest first.
pub fn next_events<P: Visual>(
    world: &World<P>,
    wrap: fn(Action<P>) -> SessionAction,
) -> Vec<NextEvent> {
    let mut list: Vec<NextEvent> = world
        .in_flight()
        .map(|m| NextEvent::Message {
            id: m.id,
            label: format!("{} {} → {}", P::message_kind(&m.message), m.from, m.to),
            due: m.arrives_at,
            deliver: wrap(Action::Deliver(m.id)),
            drop: wrap(Action::Drop(m.id)),
            duplicate: wrap(Action::Duplicate(m.id)),
        })
        .chain(world.pending_timers().map(|t| NextEvent::Timer {
            id: t.id,
            label: format!("{}'s {} timer", t.node, P::timer_kind(&t.timer)),
            due: t.fires_at,
            fire: wrap(Action::Fire(t.id)),
        }))
        .collect();
    list.sort_by_key(|e| e.due());
    list
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
    let now = P::node_view(run.world(), id).fields;
    let before = run.previous().map(|w| P::node_view(w, id).fields);
    now.into_iter()
        .map(|f| {
            let old = before
                .as_ref()
                .map(|b| b.iter().find(|o| o.name == f.name).map(|o| o.value.clone()));
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageDetail {
    pub title: String,
    /// What the kind is for, from the legend.
    pub meaning: &'static str,
    /// Route, times, and the message's own fields.
    pub rows: Vec<(String, String)>,
}

pub fn inspect_message<P: Visual>(world: &World<P>, id: MessageId) -> Option<MessageDetail> {
    let m = world.message(id)?;
    let kind = P::message_kind(&m.message);
    let mut rows: Vec<(String, String)> = vec![
        ("from".into(), m.from.to_string()),
        ("to".into(), m.to.to_string()),
        ("sent at".into(), format_time(m.sent_at)),
        ("arrives at".into(), format_time(m.arrives_at)),
    ];
    if let Some(of) = m.copy_of {
        rows.push(("copy of".into(), of.to_string()));
    }
    rows.extend(P::message_fields(&m.message).into_iter().map(|f| (f.name.to_string(), f.value)));
    Some(MessageDetail {
        title: format!("{kind} {id}"),
        meaning: style_of::<P>(kind).meaning,
        rows,
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
/// nodes drawn at the given places.
pub fn node_at(places: &[(NodeId, Point)], p: Point) -> Option<NodeId> {
    let reach = NODE_RADIUS + 10.0;
    places.iter().find(|(_, (x, y))| (x - p.0).hypot(y - p.1) <= reach).map(|&(id, _)| id)
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
        let data = cluster(&run);
        let places: Vec<(NodeId, Point)> =
            data.nodes.iter().map(|n| (n.view.id, (n.x, n.y))).collect();
        let n1 = &data.nodes[0];
        assert_eq!(node_at(&places, (n1.x, n1.y)), Some(NodeId(0)));
        assert_eq!(node_at(&places, (n1.x + NODE_RADIUS + 8.0, n1.y)), Some(NodeId(0)));
        assert_eq!(node_at(&places, (0.0, 0.0)), None, "the ring's centre is empty");
    }

    #[test]
    fn nodes_sit_on_the_ring_and_groups_are_split_by_dividers() {
        let (pos, dividers) = layout(5, &[]);
        assert!(dividers.is_empty());
        assert!((pos[0].0).abs() < 1e-9 && (pos[0].1 + RING_RADIUS).abs() < 1e-9, "n1 on top");
        for p in &pos {
            assert!(((p.0 * p.0 + p.1 * p.1).sqrt() - RING_RADIUS).abs() < 1e-9);
        }
        let groups = vec![vec![NodeId(0), NodeId(1), NodeId(2)], vec![NodeId(3), NodeId(4)]];
        let (split, dividers) = layout(5, &groups);
        assert_eq!(dividers.len(), 2);
        // Nodes of one group are closer to each other than to the other group.
        let d = |a: usize, b: usize| {
            ((split[a].0 - split[b].0).powi(2) + (split[a].1 - split[b].1).powi(2)).sqrt()
        };
        assert!(d(2, 3) > d(1, 2), "a gap separates the groups");
    }

    #[test]
    fn messages_travel_from_rim_to_rim_on_the_right_of_their_link() {
        let (a, b) = ((0.0, 0.0), (100.0 + 2.0 * (NODE_RADIUS + 6.0), 0.0));
        let (x0, y0, angle) = along(a, b, 0.0);
        let (x1, y1, _) = along(a, b, 1.0);
        assert_eq!((x0, x1), (NODE_RADIUS + 6.0, 100.0 + NODE_RADIUS + 6.0));
        assert_eq!((y0, y1, angle), (7.0, 7.0, 0.0));
        let (_, back_y, _) = along(b, a, 0.5);
        assert_eq!(back_y, -7.0, "the other direction runs on the other side");
        assert_eq!(progress(10, 20, 15), 0.5);
        assert_eq!(progress(10, 20, 40), 1.0);
        assert_eq!(progress(10, 10, 10), 1.0);
    }
}
