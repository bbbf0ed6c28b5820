//! Keyboard shortcuts for every transport and node action, and the help
//! overlay that lists them (`?`). One table feeds both, so they agree.

use caucus_sim::NodeId;
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::app::SessionContext;
use crate::host::UserAction;
use crate::session::{Selection, SessionAction};

/// (keys, what they do), as the help overlay lists them, for a protocol
/// whose nodes are called `noun` and whose `e` key does `command`.
pub fn shortcuts(noun: &str, command: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Space", "play or pause".into()),
        ("→ or .", "step one event".into()),
        ("← or ,", "step back one event".into()),
        ("+ / −", "faster / slower".into()),
        ("Home / End", "go to the first / last step".into()),
        ("1 … 9, 0", "select the 1st … 9th node, the 10th".into()),
        ("n / N", "select the next / previous node (any number of nodes)".into()),
        ("c", format!("crash the selected {noun}")),
        ("r", format!("restart the selected {noun}")),
        ("e", command.into()),
        ("q", "send a client request to the selected node".into()),
        ("i", "isolate the selected node".into()),
        ("m or the menu key", "open the selected node's menu (on the node itself)".into()),
        ("p", "start drawing a partition; Enter applies it".into()),
        ("h", "heal every partition and cut link".into()),
        ("y", "you choose: list what can happen next".into()),
        ("[ / ]", "go to the previous / next step with a note".into()),
        ("?", "show or hide this help".into()),
        ("Esc", "close help, the partition tool, or the selection".into()),
    ]
}

/// What a key does now, if anything.
fn action_for(key: &str, session: &SessionContext) -> Option<SessionAction> {
    use SessionAction::*;
    let run = session.run();
    let selected = match session.selection {
        Some(Selection::Node(n)) => Some(n),
        _ => None,
    };
    let node_key = |k: char| {
        let id = selected?;
        run.node_menu(id, &session.request_text)
            .into_iter()
            .find(|i| i.key == Some(k))
            .map(|i| i.action)
    };
    Some(match key {
        " " => TogglePlay,
        "ArrowRight" | "." => Step,
        "ArrowLeft" | "," => StepBack,
        "+" | "=" => Faster,
        "-" | "−" => Slower,
        "Home" => Seek(0),
        "End" => Seek(run.len()),
        "?" => ToggleHelp,
        "Escape" => CloseOverlays,
        "h" => Act(UserAction::Heal),
        "y" => ToggleChoosing,
        "[" => JumpToNote { forward: false },
        "]" => JumpToNote { forward: true },
        "p" => StartPartition,
        "Enter" if session.partition_draft.is_some() => ApplyPartition,
        "c" | "r" | "e" | "q" | "i" => node_key(key.chars().next()?)?,
        k if k.len() == 1 && k.as_bytes()[0].is_ascii_digit() => {
            // 1 … 9 select the first nine nodes, 0 the tenth.
            let n = (u32::from(k.as_bytes()[0] - b'0') + 9) % 10;
            if n >= run.node_count() {
                return None;
            }
            Select(Some(Selection::Node(NodeId(n))))
        }
        "n" | "N" => {
            let count = run.node_count();
            let next = match (selected, key == "n") {
                (Some(id), true) => (id.0 + 1) % count,
                (Some(id), false) => (id.0 + count - 1) % count,
                (None, true) => 0,
                (None, false) => count - 1,
            };
            Select(Some(Selection::Node(NodeId(next))))
        }
        _ => return None,
    })
}

/// Listens for shortcuts on the whole page, except while typing in a field.
#[function_component(Shortcuts)]
pub fn shortcuts() -> Html {
    let session = use_context::<SessionContext>().expect("Shortcuts needs the session context");
    let latest = use_mut_ref(|| session.clone());
    *latest.borrow_mut() = session.clone();
    use_effect_with((), move |_| {
        let document = web_sys::window().and_then(|w| w.document()).expect("a document");
        // Not passive: a shortcut's key (Space, End, the arrows) must not also
        // scroll the page, and a passive listener cannot prevent that.
        let options = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(&document, "keydown", options, move |e| {
            let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
            if e.ctrl_key() || e.meta_key() || e.alt_key() || e.default_prevented() {
                return;
            }
            let typing =
                e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
                });
            // Space and Enter on a focused button press that button.
            let on_button =
                e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| {
                    el.tag_name() == "BUTTON"
                        || el.get_attribute("role").as_deref() == Some("button")
                });
            let key = e.key();
            if typing && key != "Escape" || on_button && (key == " " || key == "Enter") {
                return;
            }
            let session = latest.borrow().clone();
            if let Some(action) = action_for(&key, &session) {
                e.prevent_default();
                session.dispatch(action);
            }
        });
        move || drop(listener)
    });
    html! {}
}

/// The shortcuts, as a dialog. It opens at its top with the focus on the
/// dialog itself (not on Close, which would scroll a long list to its end);
/// Tab then reaches Close, and Escape or Close shuts it and gives the focus
/// back to where it was.
#[function_component(HelpOverlay)]
pub fn help_overlay() -> Html {
    let session = use_context::<SessionContext>().expect("HelpOverlay needs the session context");
    let dialog = use_node_ref();
    let opener = use_mut_ref(|| None::<web_sys::HtmlElement>);
    {
        let dialog = dialog.clone();
        use_effect_with(session.help_open, move |&open| {
            if open && let Some(dialog) = dialog.cast::<web_sys::HtmlElement>() {
                let active =
                    web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
                *opener.borrow_mut() = active.and_then(|a| a.dyn_into().ok());
                dialog.set_scroll_top(0);
                let _ = dialog.focus();
            } else if !open && let Some(opener) = opener.borrow_mut().take() {
                let _ = opener.focus();
            }
        });
    }
    if !session.help_open {
        return html! {};
    }
    let close = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(SessionAction::ToggleHelp))
    };
    let list = {
        let run = session.run();
        shortcuts(run.node_noun(), run.command_key_help())
    };
    let rows = list
        .into_iter()
        .map(|(k, what)| html! { <tr><th scope="row"><kbd>{ k }</kbd></th><td>{ what }</td></tr> });
    html! {
        <div class="overlay">
            <div class="overlay-box" ref={dialog} tabindex="-1"
                 role="dialog" aria-modal="true" aria-labelledby="help-title">
                <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                <table class="shortcuts"><tbody>{ for rows }</tbody></table>
                <p>{ "Right-click a node (or focus it and press m) for its actions. \
                      Hover a message to read its fields; click it to inspect it." }</p>
                <button type="button" class="close-help" onclick={close}>{ "Close" }</button>
            </div>
        </div>
    }
}
