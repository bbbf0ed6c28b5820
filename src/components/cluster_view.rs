//! The cluster as an SVG: nodes on a ring (role, term and vote at a glance,
//! the leader marked, a timer arc, crashed nodes greyed), links (cut ones
//! drawn cut), partition groups apart, messages moving along their links,
//! lost ones fading where they vanished, and a legend. Click a node to
//! inspect it, right-click (or press the menu key) for its actions, drag it
//! onto another node or into empty space to draw a partition.

use caucus_sim::NodeId;
use caucus_sim::view::{KindStyle, Tone};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::app::SessionContext;
use crate::components::element_size::use_element_size;
use crate::components::partition_drag::{PartitionDrag, use_partition_drag};
use crate::session::{Selection, SessionAction};
use crate::view_model::{
    self, ClusterData, Frame, LinkLine, LinkState, MenuItem, MessageDot, NodeDot, shape_class,
};

/// Below this node radius the labels use the stylesheet's smaller sizes.
const COMPACT_RADIUS: f64 = 28.0;

#[function_component(ClusterView)]
pub fn cluster_view() -> Html {
    let session = use_context::<SessionContext>().expect("ClusterView needs the session context");
    let svg = use_node_ref();
    let frame = use_element_size(&svg)
        .filter(|&(w, h)| w > 0.0 && h > 0.0)
        .map_or(Frame::DEFAULT, |(width, height)| Frame { width, height });
    let data = session.run().cluster(frame);
    let view_box = frame.view_box();
    let draft = session.partition_draft.clone();
    let selected = session.selection;
    let drag = use_partition_drag(&session, svg, &data.nodes, view_box, data.node_radius);

    let nodes = data.nodes.iter().map(|dot| {
        let id = dot.view.id;
        let group = draft.as_ref().map(|d| d[id.index()]);
        let selected = selected == Some(Selection::Node(id));
        node(dot, data.node_radius, selected, group, &session, &drag)
    });
    let links = data.links.iter().map(|l| {
        let chosen = selected == Some(Selection::Link(l.a, l.b));
        link(l, &data, chosen, &session)
    });
    let dividers = data.dividers.iter().map(|&(x1, y1, x2, y2)| {
        html! { <line class="divider" x1={fmt(x1)} y1={fmt(y1)} x2={fmt(x2)} y2={fmt(y2)} /> }
    });
    let messages = data
        .messages
        .iter()
        .map(|m| message(m, selected == Some(Selection::Message(m.id)), &session));
    let vanished = data.vanished.iter().map(|v| {
        html! {
            <g key={format!("v{}-{}", data.step, v.id)} class="vanish" transform={format!("translate({} {})", fmt(v.x), fmt(v.y))}>
                <title>{ format!("{} {} {}", v.kind, v.id, v.why) }</title>
                <text text-anchor="middle" y="5">{ "✕" }</text>
                <text class="vanish-why" text-anchor="middle" y="20">{ v.why }</text>
            </g>
        }
    });
    // A node's actions are listed only when its menu is open.
    let menu_html = session.menu.and_then(|id| data.nodes.get(id.index())).map(|dot| {
        let items = session.run().node_menu(dot.view.id, &session.request_text);
        let on_close = {
            let session = session.clone();
            Callback::from(move |()| session.dispatch(SessionAction::CloseMenu))
        };
        html! { <NodeMenu dot={dot.clone()} {frame} {items} {on_close} /> }
    });
    let summary = data.summary();
    let (left, top, width, height) = view_box;
    let compact = data.node_radius < COMPACT_RADIUS;
    html! {
        <div class="cluster">
            <svg ref={drag.svg.clone()}
                 class={classes!("cluster-svg", draft.is_some().then_some("drafting"), compact.then_some("compact"))}
                 viewBox={format!("{left} {top} {width} {height}")} role="group" aria-label={summary}
                 onpointermove={drag.on_move()} onpointerup={drag.on_up()} onpointercancel={drag.on_cancel()}>
                <g class="links">{ for links }</g>
                <g class="dividers">{ for dividers }</g>
                <g class="nodes">{ for nodes }</g>
                <g class="messages">{ for messages }</g>
                <g class="vanished">{ for vanished }</g>
                { drag.overlay() }
            </svg>
            <Legend kinds={data.kinds} />
            // Always there, so opening and closing the menu leaves the
            // drawing's elements in place (and the focus on a server).
            <div class="menu-slot">{ for menu_html }</div>
        </div>
    }
}

/// A link: plain while open, faint where the partition blocks it (the
/// divider says why), red where it was cut by hand, with an arrow for the
/// cut direction when only one direction is cut.
fn link(l: &LinkLine, data: &ClusterData, chosen: bool, session: &SessionContext) -> Html {
    let (a, b) = (&data.nodes[l.a.index()], &data.nodes[l.b.index()]);
    let cut = |s: LinkState| s == LinkState::Cut;
    let class = classes!(
        "link",
        match (l.forward, l.backward) {
            (LinkState::Cut, LinkState::Cut) => "cut",
            (LinkState::Cut, _) | (_, LinkState::Cut) => "cut-one-way",
            (LinkState::Partitioned, _) | (_, LinkState::Partitioned) => "partitioned",
            _ => "open",
        },
        l.tuned.then_some("tuned")
    );
    let onclick = {
        let (session, a, b) = (session.clone(), l.a, l.b);
        Callback::from(move |_: MouseEvent| {
            session.dispatch(SessionAction::Select(Some(Selection::Link(a, b))))
        })
    };
    // The mark sits in the middle; a one-way cut points its arrow from the
    // sender whose messages are stopped towards their receiver.
    let (mx, my) = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
    let toward = match (cut(l.forward), cut(l.backward)) {
        (true, false) => Some((b.x - a.x, b.y - a.y)),
        (false, true) => Some((a.x - b.x, a.y - b.y)),
        _ => None,
    };
    let mark = (cut(l.forward) || cut(l.backward)).then(|| {
        let arrow = toward.map(|(dx, dy)| {
            let angle = dy.atan2(dx).to_degrees();
            html! {
                <polygon class="cut-arrow" points="-26,-7 -12,0 -26,7"
                         transform={format!("translate({} {}) rotate({angle:.0})", fmt(mx), fmt(my))} />
            }
        });
        html! {
            <>
                { for arrow }
                <text class="cut-mark" x={fmt(mx)} y={fmt(my + 6.0)} text-anchor="middle">{ "✕" }</text>
            </>
        }
    });
    html! {
        <g key={format!("{}-{}", l.a, l.b)} data-link={format!("{}-{}", l.a, l.b)}
           class={classes!("link-group", chosen.then_some("selected"))} {onclick}>
            <title>{ l.describe() }</title>
            <line {class} x1={fmt(a.x)} y1={fmt(a.y)} x2={fmt(b.x)} y2={fmt(b.y)} />
            // A wide invisible line over the thin one, so a finger can pick it.
            <line class="link-hit" x1={fmt(a.x)} y1={fmt(a.y)} x2={fmt(b.x)} y2={fmt(b.y)} />
            { for mark }
        </g>
    }
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

fn node(
    dot: &NodeDot,
    r: f64,
    selected: bool,
    group: Option<u8>,
    session: &SessionContext,
    drag: &PartitionDrag,
) -> Html {
    let id = dot.view.id;
    let tone = match dot.view.tone {
        Tone::Leader => "leader",
        Tone::Candidate => "candidate",
        Tone::Member => "member",
        Tone::Faulty => "faulty",
        Tone::Down => "down",
    };
    let drafting = group.is_some();
    let onclick = {
        let session = session.clone();
        let drag = drag.clone();
        Callback::from(move |_: MouseEvent| {
            if drag.take_click() {
                return;
            }
            if drafting {
                session.dispatch(SessionAction::CyclePartitionGroup(id));
            } else {
                session.dispatch(SessionAction::Select(Some(Selection::Node(id))));
            }
        })
    };
    let oncontextmenu = {
        let session = session.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            session.dispatch(SessionAction::OpenMenu(id));
        })
    };
    let onkeydown = {
        let session = session.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" | " " => {
                e.prevent_default();
                if drafting {
                    session.dispatch(SessionAction::CyclePartitionGroup(id));
                } else {
                    session.dispatch(SessionAction::Select(Some(Selection::Node(id))));
                }
            }
            "ContextMenu" | "m" => {
                e.prevent_default();
                e.stop_propagation();
                session.dispatch(SessionAction::OpenMenu(id));
            }
            _ => {}
        })
    };
    // Baselines for the name and the badge, apart at either font size (the
    // stylesheet's `.compact` sizes below `COMPACT_RADIUS`).
    let (name_y, badge_y) = if r < COMPACT_RADIUS { ("-3", "13") } else { ("-5", "17") };
    let arc = dot.timer.map(|p| {
        let circumference = std::f64::consts::TAU * (r + 7.0);
        html! {
            <circle class="timer-arc" r={fmt(r + 7.0)}
                stroke-dasharray={format!("{:.1} {:.1}", circumference * p, circumference)}
                transform="rotate(-90)" />
        }
    });
    let marked = matches!(dot.view.tone, Tone::Leader | Tone::Faulty);
    let label = format!(
        "{}: {}{}",
        dot.view.label,
        view_model::node_summary(&dot.view),
        group.map(|g| format!(", partition group {}", group_name(g))).unwrap_or_default()
    );
    html! {
        <g key={id.to_string()}
           class={classes!("node", tone, selected.then_some("selected"), dot.violating.then_some("violating"),
                           group.map(|g| format!("group-{}", group_name(g))))}
           transform={format!("translate({} {})", fmt(dot.x), fmt(dot.y))}
           data-node={id.to_string()} data-role={dot.view.role.clone()} data-term={dot.view.badge.clone()}
           tabindex="0" role="button" aria-label={label.clone()}
           {onclick} {oncontextmenu} {onkeydown} onpointerdown={drag.start(id)}>
            <title>{ label }</title>
            if dot.view.tone == Tone::Leader {
                <circle class="leader-halo" r={fmt(r + 14.0)} />
            }
            <circle class="timer-track" r={fmt(r + 7.0)} />
            { for arc }
            if dot.view.tone == Tone::Faulty {
                <polygon class="node-body" points={octagon(r)} />
            } else {
                <circle class="node-body" r={fmt(r)} />
            }
            <text class="node-name" text-anchor="middle" y={name_y}>{ dot.view.label.clone() }</text>
            <text class="node-badge" text-anchor="middle" y={badge_y}>{ badge(&dot.view) }</text>
            <text class="node-caption" text-anchor="middle" y={fmt(r + 26.0)}>{ dot.view.caption.clone() }</text>
            // Above the node, one line: the leader's star or a Byzantine
            // node's behaviour and, while a partition is drawn, the group
            // (never one on top of the other).
            if marked || group.is_some() {
                <text class="above-node" text-anchor="middle" y={fmt(-r - 20.0)}>
                    if dot.view.tone == Tone::Leader {
                        <tspan class="leader-mark">{ format!("★ {}", dot.view.role) }</tspan>
                    }
                    if dot.view.tone == Tone::Faulty {
                        <tspan class="faulty-mark">{ format!("⚠ {}", dot.view.role) }</tspan>
                    }
                    if let Some(g) = group {
                        <tspan class="group-mark">
                            { if marked { " · " } else { "" } }
                            { format!("group {}", group_name(g)) }
                        </tspan>
                    }
                </text>
            }
        </g>
    }
}

/// A regular octagon of circumradius `r` about the origin, flat at the
/// top: the body of a Byzantine node.
fn octagon(r: f64) -> String {
    (0..8)
        .map(|i| {
            let a = std::f64::consts::TAU * (f64::from(i) + 0.5) / 8.0;
            format!("{},{}", fmt(r * a.cos()), fmt(r * a.sin()))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn group_name(g: u8) -> &'static str {
    ["A", "B", "C"][g as usize % 3]
}

fn message(m: &MessageDot, selected: bool, session: &SessionContext) -> Html {
    let id = m.id;
    let onclick = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            session.dispatch(SessionAction::Select(Some(Selection::Message(id))))
        })
    };
    let kind = m.style.kind;
    html! {
        <g key={id.to_string()}
           class={classes!("message", format!("kind-{kind}"), m.style.reply.then_some("reply"), selected.then_some("selected"))}
           transform={format!("translate({} {}) rotate({:.0})", fmt(m.x), fmt(m.y), m.angle)}
           data-message={id.to_string()} data-kind={kind} {onclick}>
            <title>{ m.describe() }</title>
            { glyph(m.style, 7.0) }
        </g>
    }
}

/// A message kind's mark: its shape, filled for requests, hollow for replies.
pub fn glyph(style: KindStyle, s: f64) -> Html {
    let class = classes!(
        "glyph",
        shape_class(style.shape),
        format!("kind-{}", style.kind),
        style.reply.then_some("reply")
    );
    match style.shape {
        caucus_sim::view::Shape::Circle => html! { <circle {class} r={fmt(s)} /> },
        caucus_sim::view::Shape::Square => {
            html! { <rect {class} x={fmt(-s)} y={fmt(-s)} width={fmt(2.0 * s)} height={fmt(2.0 * s)} rx="1.5" /> }
        }
        caucus_sim::view::Shape::Diamond => {
            html! { <polygon {class} points={format!("0,{} {},0 0,{} {},0", fmt(-s * 1.3), fmt(s * 1.3), fmt(s * 1.3), fmt(-s * 1.3))} /> }
        }
        caucus_sim::view::Shape::Triangle => {
            html! { <polygon {class} points={format!("{},0 {},{} {},{}", fmt(s * 1.3), fmt(-s), fmt(-s), fmt(-s), fmt(s))} /> }
        }
    }
}

#[derive(Properties, PartialEq)]
struct NodeMenuProps {
    dot: NodeDot,
    /// The drawing the node is placed in.
    frame: Frame,
    items: Vec<MenuItem>,
    /// Closes the menu (the session's state).
    on_close: Callback<()>,
}

/// A server's actions, as an ARIA menu: it takes the focus when it opens,
/// the arrow keys move between items, and Escape, a choice or the close
/// button give the focus back to the server.
#[function_component(NodeMenu)]
fn node_menu(props: &NodeMenuProps) -> Html {
    let session = use_context::<SessionContext>().expect("NodeMenu needs the session context");
    let list = use_node_ref();
    let id = props.dot.view.id;
    {
        let list = list.clone();
        use_effect_with(id, move |_| {
            focus_item(&list, |_, _| 0);
        });
    }
    let close = {
        let on_close = props.on_close.clone();
        move || {
            on_close.emit(());
            focus_node(id);
        }
    };
    let items = props.items.iter().map(|item| {
        let onclick = {
            let session = session.clone();
            let close = close.clone();
            let action = item.action.clone();
            Callback::from(move |_: MouseEvent| {
                close();
                session.dispatch(action.clone());
            })
        };
        let key = item.key.map(|k| html! { <kbd>{ k.to_string() }</kbd> });
        html! { <li role="none"><button type="button" role="menuitem" tabindex="-1" {onclick}>{ item.label.clone() }{ for key }</button></li> }
    }).collect::<Html>();
    let on_close_button = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close())
    };
    let onkeydown = {
        let list = list.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step: fn(usize, usize) -> usize = match e.key().as_str() {
                "ArrowDown" => |i, n| (i + 1) % n,
                "ArrowUp" => |i, n| (i + n - 1) % n,
                "Home" => |_, _| 0,
                "End" => |_, n| n - 1,
                "Escape" | "Tab" => {
                    e.stop_propagation();
                    e.prevent_default();
                    close();
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            focus_item(&list, step);
        })
    };
    // Placed at the node (the drawing is in CSS pixels from its top left
    // corner), opening towards the middle so it never runs off its edges.
    let (left, top, _, _) = props.frame.view_box();
    let (x, y) = (props.dot.x - left, props.dot.y - top);
    let side = if props.dot.x > 0.0 { "opens-left" } else { "opens-right" };
    let upright = if props.dot.y > 0.0 { "opens-up" } else { "opens-down" };
    html! {
        <div class={classes!("node-menu", side, upright)} style={format!("left: {x:.0}px; top: {y:.0}px")} {onkeydown}>
            <ul ref={list} role="menu" aria-label={format!("Actions on {}", props.dot.view.label)}>{ items }</ul>
            <button type="button" class="menu-close" aria-label="Close the menu" onclick={on_close_button}>{ "×" }</button>
        </div>
    }
}

/// Focuses the menu item `pick(current, count)`; current is 0 when the
/// focus is outside the menu.
fn focus_item(list: &NodeRef, pick: fn(usize, usize) -> usize) {
    let Some(list) = list.cast::<web_sys::Element>() else { return };
    let Ok(items) = list.query_selector_all("[role=menuitem]") else { return };
    let count = items.length() as usize;
    if count == 0 {
        return;
    }
    let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
    let current = (0..count)
        .find(|&i| {
            let item = items.item(i as u32);
            item.is_some() && active.as_ref().map(|a| a.as_ref() as &web_sys::Node) == item.as_ref()
        })
        .unwrap_or(0);
    let at_start = active.is_none_or(|a| !list.contains(Some(&a)));
    let next = if at_start { 0 } else { pick(current, count) };
    if let Some(el) =
        items.item(next as u32).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Gives the keyboard focus back to a server of the drawing.
fn focus_node(id: NodeId) {
    let node = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!(".cluster-svg [data-node=\"{id}\"]")).ok().flatten()
        })
        .and_then(|n| n.dyn_into::<web_sys::SvgElement>().ok());
    if let Some(node) = node {
        let _ = node.focus();
    }
}

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    pub kinds: &'static [KindStyle],
}

#[function_component(Legend)]
pub fn legend(props: &LegendProps) -> Html {
    crate::renders::count("Legend");
    let items = props.kinds.iter().map(|k| {
        html! {
            <li title={k.meaning}>
                <svg viewBox="-10 -10 20 20" width="18" height="18" aria-hidden="true">{ glyph(*k, 6.0) }</svg>
                <span>{ k.kind }</span>
            </li>
        }
    });
    html! {
        <figure class="legend">
            <figcaption>{ "Messages (hollow: replies)" }</figcaption>
            <ul>{ for items }</ul>
        </figure>
    }
}

/// The badge inside a node: the first letter of what it counts and the
/// count ("T3" for Raft's term 3, "V1" for PBFT's view 1).
fn badge(view: &caucus_sim::view::NodeView) -> String {
    let initial = view.badge_name.chars().next().map(|c| c.to_ascii_uppercase()).unwrap_or('#');
    format!("{initial}{}", view.badge)
}
