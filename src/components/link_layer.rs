//! The links between nodes: plain while open, faint where the partition
//! blocks them (the divider says why), red where cut by hand, with an arrow
//! for the cut direction when only one direction is cut. A component of its
//! own so that the links are drawn again only when they or the nodes' places
//! change, not on every frame of play; one click handler serves them all.

use std::rc::Rc;

use caucus_sim::NodeId;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::node_mark::fmt;
use crate::numbers::{fixed, math};
use crate::session::{Selection, Session, SessionAction};
use crate::view_model::{LinkLine, LinkState, Point};

#[derive(Properties, PartialEq)]
pub struct LinkLayerProps {
    pub links: Rc<[LinkLine]>,
    /// Where each node is drawn, by index.
    pub places: Rc<[Point]>,
    /// Each node's name as people read it ("r0"), by index.
    pub labels: Rc<[String]>,
    /// The link selected, if any.
    pub selected: Option<(NodeId, NodeId)>,
    pub dispatch: UseReducerDispatcher<Session>,
}

#[function_component(LinkLayer)]
pub fn link_layer(props: &LinkLayerProps) -> Html {
    crate::renders::count("LinkLayer");
    let onclick = {
        let (links, dispatch) = (props.links.clone(), props.dispatch.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(hit) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest("[data-link]").ok().flatten())
                .and_then(|g| g.get_attribute("data-link"))
            else {
                return;
            };
            if let Some(l) = links.iter().find(|l| name(l) == hit) {
                dispatch.dispatch(SessionAction::Select(Some(Selection::Link(l.a, l.b))));
            }
        })
    };
    let links = props.links.iter().map(|l| link(l, props, props.selected == Some((l.a, l.b))));
    html! { <g class="links" {onclick}>{ for links }</g> }
}

/// The link's name in its `data-link` attribute: "n1-n3".
fn name(l: &LinkLine) -> String {
    format!("{}-{}", l.a, l.b)
}

fn link(l: &LinkLine, props: &LinkLayerProps, chosen: bool) -> Html {
    let (a, b) = (props.places[l.a.index()], props.places[l.b.index()]);
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
    // The mark sits in the middle; a one-way cut points its arrow from the
    // sender whose messages are stopped towards their receiver.
    let (mx, my) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let toward = match (cut(l.forward), cut(l.backward)) {
        (true, false) => Some((b.0 - a.0, b.1 - a.1)),
        (false, true) => Some((a.0 - b.0, a.1 - b.1)),
        _ => None,
    };
    let mark = (cut(l.forward) || cut(l.backward)).then(|| {
        let arrow = toward.map(|(dx, dy)| {
            let angle = math::atan2(dy, dx).to_degrees();
            html! {
                <polygon class="cut-arrow" points="-26,-7 -12,0 -26,7"
                         transform={format!("translate({} {}) rotate({})", fmt(mx), fmt(my), fixed(angle, 0))} />
            }
        });
        html! {
            <>
                { for arrow }
                <text class="cut-mark" x={fmt(mx)} y={fmt(my + 6.0)} text-anchor="middle">{ "✕" }</text>
            </>
        }
    });
    let name = name(l);
    html! {
        <g key={name.clone()} data-link={name} class={classes!("link-group", chosen.then_some("selected"))}>
            <title>{ l.describe(&props.labels[l.a.index()], &props.labels[l.b.index()]) }</title>
            <line {class} x1={fmt(a.0)} y1={fmt(a.1)} x2={fmt(b.0)} y2={fmt(b.1)} />
            // A wide invisible line over the thin one, so a finger can pick it.
            <line class="link-hit" x1={fmt(a.0)} y1={fmt(a.1)} x2={fmt(b.0)} y2={fmt(b.1)} />
            { for mark }
        </g>
    }
}
