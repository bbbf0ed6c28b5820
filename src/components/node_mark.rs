//! One node of the cluster drawing: its body by role, name, badge and
//! caption, the leader's halo, a Byzantine node's octagon, its partition
//! group while one is drawn. A component of its own so that a node is drawn
//! again only when what it shows changed, not on every frame (its timer's
//! arc, which moves every frame, is drawn apart by the cluster view). Its
//! clicks and keys are handled by the cluster view, for every node at once.

use caucus_sim::view::{NodeView, Tone};
use yew::prelude::*;

use crate::numbers::{math, tenths};
use crate::view_model;

/// Below this node radius the labels use the stylesheet's smaller sizes.
pub const COMPACT_RADIUS: f64 = 28.0;

/// How far outside a node's body its timer's ring lies: the track drawn
/// here, the arc over it (`timer_arcs`).
pub const TIMER_RING_GAP: f64 = 7.0;

#[derive(Properties, PartialEq)]
pub struct NodeMarkProps {
    pub view: NodeView,
    pub x: f64,
    pub y: f64,
    /// The radius of every node.
    pub r: f64,
    pub selected: bool,
    pub violating: bool,
    /// Its group in the partition being drawn.
    pub group: Option<u8>,
}

/// The tone's class: the body's colour.
pub fn tone_class(tone: Tone) -> &'static str {
    match tone {
        Tone::Leader => "leader",
        Tone::Candidate => "candidate",
        Tone::Member => "member",
        Tone::Faulty => "faulty",
        Tone::Down => "down",
    }
}

#[function_component(NodeMark)]
pub fn node_mark(props: &NodeMarkProps) -> Html {
    crate::renders::count("NodeMark");
    let NodeMarkProps { view, x, y, r, selected, violating, group } = props;
    let (r, group) = (*r, *group);
    let id = view.id;
    // Baselines for the name and the badge, apart at either font size (the
    // stylesheet's `.compact` sizes below `COMPACT_RADIUS`).
    let (name_y, badge_y) = if r < COMPACT_RADIUS { ("-3", "13") } else { ("-5", "17") };
    let marked = matches!(view.tone, Tone::Leader | Tone::Faulty);
    let label = format!(
        "{}: {}{}",
        view.label,
        view_model::node_summary(view),
        group.map(|g| format!(", partition group {}", group_name(g))).unwrap_or_default()
    );
    html! {
        <g class={classes!("node", tone_class(view.tone), selected.then_some("selected"), violating.then_some("violating"),
                           group.map(|g| format!("group-{}", group_name(g))))}
           transform={format!("translate({} {})", fmt(*x), fmt(*y))}
           data-node={id.to_string()} data-role={view.role.clone()} data-term={view.badge.clone()}
           tabindex="0" role="button" aria-label={label.clone()}>
            <title>{ label }</title>
            if view.tone == Tone::Leader {
                <circle class="leader-halo" r={fmt(r + 14.0)} />
            }
            <circle class="timer-track" r={fmt(r + TIMER_RING_GAP)} />
            if view.tone == Tone::Faulty {
                <polygon class="node-body" points={octagon(r)} />
            } else {
                <circle class="node-body" r={fmt(r)} />
            }
            <text class="node-name" text-anchor="middle" y={name_y}>{ view.label.clone() }</text>
            <text class="node-badge" text-anchor="middle" y={badge_y}>{ badge(view) }</text>
            <text class="node-caption" text-anchor="middle" y={fmt(r + 26.0)}>{ view.caption.clone() }</text>
            // Above the node, one line: the leader's star or a Byzantine
            // node's behaviour and, while a partition is drawn, the group
            // (never one on top of the other).
            if marked || group.is_some() {
                <text class="above-node" text-anchor="middle" y={fmt(-r - 20.0)}>
                    if view.tone == Tone::Leader {
                        <tspan class="leader-mark">{ format!("★ {}", view.role) }</tspan>
                    }
                    if view.tone == Tone::Faulty {
                        <tspan class="faulty-mark">{ format!("⚠ {}", view.role) }</tspan>
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

pub fn fmt(v: f64) -> String {
    tenths(v).to_string()
}

/// A regular octagon of circumradius `r` about the origin, flat at the
/// top: the body of a Byzantine node.
fn octagon(r: f64) -> String {
    (0..8)
        .map(|i| {
            let a = std::f64::consts::TAU * (f64::from(i) + 0.5) / 8.0;
            format!("{},{}", tenths(r * math::cos(a)), tenths(r * math::sin(a)))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn group_name(g: u8) -> &'static str {
    ["A", "B", "C"][g as usize % 3]
}

/// The badge inside a node: the first letter of what it counts and the
/// count ("T3" for Raft's term 3, "V1" for PBFT's view 1).
fn badge(view: &NodeView) -> String {
    let initial = view.badge_name.chars().next().map(|c| c.to_ascii_uppercase()).unwrap_or('#');
    format!("{initial}{}", view.badge)
}
