//! What a tap or a click selected, in one line under the drawing, with a
//! way to the inspector's whole state. On a phone or a tablet the inspector
//! is further down the page; this line shows at once what was picked.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::app::SessionContext;
use crate::session::{Selection, SessionAction};
use crate::view_model::node_summary;

pub fn selection_line(session: &SessionContext) -> Html {
    let run = session.run();
    let node = match session.selection {
        Some(Selection::Node(id)) => Some(id),
        _ => None,
    };
    let (what, summary) = match session.selection {
        None => {
            let noun = run.node_noun();
            return html! {
                <p class="selection-line empty hint">
                    <span class="for-mouse">{ format!("Click a {noun}, message or link to inspect it; right-click a {noun} to act on it.") }</span>
                    <span class="for-touch">{ format!("Tap a {noun}, message or link to inspect it.") }</span>
                </p>
            };
        }
        Some(Selection::Node(id)) => (run.label(id), node_summary(&run.node_view(id))),
        Some(Selection::Link(a, b)) => {
            let link = format!("Link {} ↔ {}", run.label(a), run.label(b));
            match run.link_detail(a, b) {
                Some(detail) => {
                    let words = detail.directions.map(|d| {
                        format!("{} → {} {}", run.label(d.from), run.label(d.to), d.state.words())
                    });
                    (link, words.join(", "))
                }
                None => (link, "not a link of this cluster".to_string()),
            }
        }
        Some(Selection::Message(id)) => match run.message_title(id) {
            Some((title, from, to)) => (title, format!("{} → {}", run.label(from), run.label(to))),
            None => (id.to_string(), "no longer in flight".to_string()),
        },
    };
    // To the inspector, with the keyboard's focus on its title, so Tab goes
    // on from there.
    let to_inspector = Callback::from(|_: MouseEvent| {
        let title = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(".inspector h3").ok().flatten())
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(title) = title {
            title.scroll_into_view();
            let _ = title.focus();
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
