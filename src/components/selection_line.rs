//! What a tap or a click selected, in one line under the drawing, with a
//! way to the inspector's whole state. On a phone or a tablet the inspector
//! is further down the page; this line shows at once what was picked.

use caucus_sim::view::Visual;
use yew::prelude::*;

use crate::app::SessionContext;
use crate::session::{Selection, SessionAction};
use crate::view_model::{LinkState, inspect_message, link_detail};

#[function_component(SelectionLine)]
pub fn selection_line() -> Html {
    let session = use_context::<SessionContext>().expect("SelectionLine needs the session context");
    let run = session.raft.borrow();
    let world = run.world();
    let node = match session.selection {
        Some(Selection::Node(id)) => Some(id),
        _ => None,
    };
    let (what, summary) = match session.selection {
        None => {
            return html! {
                <p class="selection-line empty hint">
                    <span class="for-mouse">{ "Click a server, message or link to inspect it; right-click a server to act on it." }</span>
                    <span class="for-touch">{ "Tap a server, message or link to inspect it." }</span>
                </p>
            };
        }
        Some(Selection::Node(id)) => {
            let view = Visual::node_view(world, id);
            let mut summary = format!("{}, {} {}", view.role, view.badge_name, view.badge);
            if !view.caption.is_empty() {
                summary.push_str(&format!(", {}", view.caption));
            }
            (id.to_string(), summary)
        }
        Some(Selection::Link(a, b)) => match link_detail(world, a, b) {
            Some(detail) => {
                let words = detail.directions.map(|d| {
                    let state = match d.state {
                        LinkState::Open => "open",
                        LinkState::Partitioned => "partitioned",
                        LinkState::Cut => "cut",
                    };
                    format!("{} → {} {state}", d.from, d.to)
                });
                (format!("Link {a} ↔ {b}"), words.join(", "))
            }
            None => (format!("Link {a} ↔ {b}"), "not a link of this cluster".to_string()),
        },
        Some(Selection::Message(id)) => match inspect_message(world, id) {
            Some(detail) => {
                let route = detail.rows.iter().take(2).map(|(_, v)| v.as_str()).collect::<Vec<_>>();
                (detail.title, route.join(" → "))
            }
            None => (id.to_string(), "no longer in flight".to_string()),
        },
    };
    let to_inspector = Callback::from(|_: MouseEvent| {
        let inspector = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(".inspector").ok().flatten());
        if let Some(inspector) = inspector {
            inspector.scroll_into_view();
        }
    });
    let clear = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(SessionAction::Select(None)))
    };
    html! {
        <p class="selection-line">
            <span class="what">{ what }</span>
            <span class="summary">{ summary }</span>
            if let Some(id) = node {
                <button type="button" class="node-actions"
                        onclick={{ let session = session.clone(); Callback::from(move |_: MouseEvent| session.dispatch(SessionAction::OpenMenu(id))) }}>
                    { "Actions…" }
                </button>
            }
            <button type="button" class="to-inspector" onclick={to_inspector}>{ "Whole state ↓" }</button>
            <button type="button" class="clear-selection" onclick={clear} aria-label="Clear the selection">{ "×" }</button>
        </p>
    }
}
