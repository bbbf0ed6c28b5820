//! Presets to start from, and taking a run elsewhere: Share copies a link
//! that opens this very moment (and puts it in the address bar), Save and
//! Open move it as a JSON file, and Trace saves what every step did as JSON
//! lines. A link pasted into this page's address bar opens too.

use caucus_sim::scenario::Scenario;
use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::SessionContext;
use crate::session::{Session, SessionAction};

/// The protocol's presets: (slug, name, link fragment).
type Presets = &'static [(&'static str, &'static str, &'static str)];

#[function_component(ScenarioBar)]
pub fn scenario_bar() -> Html {
    let session = use_context::<SessionContext>().expect("ScenarioBar needs the session context");
    let shared = use_state(|| None::<String>);
    use_hash_links(&session);

    let share = {
        let session = session.clone();
        let shared = shared.clone();
        Callback::from(move |_: MouseEvent| {
            let fragment = session.scenario().to_link();
            let url = show_in_address_bar(Some(&fragment));
            shared.set(Some(url.clone()));
            let session = session.clone();
            spawn_local(async move {
                let copied = copy(&url).await;
                let step = session.run().cursor();
                session.dispatch(SessionAction::Inform(if copied {
                    format!("Link copied: it opens this run at step {step}.")
                } else {
                    format!("This link opens the run at step {step}: copy it from the box.")
                }));
            });
        })
    };
    let save = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            let json = session.scenario().to_json();
            match download("caucus-scenario.json", "application/json", &json) {
                Ok(()) => session.dispatch(SessionAction::Inform(
                    "Saved the scenario as caucus-scenario.json.".into(),
                )),
                Err(why) => session.dispatch(SessionAction::Warn(why)),
            }
        })
    };
    let trace = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            let (saved, len) = {
                let run = session.run();
                (run.trace_lines(), run.len())
            };
            let saved = saved
                .map_err(|e| format!("The trace cannot be made: {e}."))
                .and_then(|lines| download("caucus-trace.jsonl", "application/x-ndjson", &lines));
            session.dispatch(match saved {
                Ok(()) => SessionAction::Inform(format!(
                    "Saved the trace of {len} steps as caucus-trace.jsonl, one JSON line a step."
                )),
                Err(why) => SessionAction::Warn(why),
            });
        })
    };
    let open = {
        let session = session.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let session = session.clone();
            spawn_local(async move {
                let name = file.name();
                let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
                session.dispatch(match text.map(|t| Scenario::from_json(&t)) {
                    Some(Ok(scenario)) => SessionAction::Open {
                        scenario: Box::new(scenario),
                        what: format!("the file {name}"),
                    },
                    Some(Err(why)) => SessionAction::Warn(format!(
                        "The file {name} cannot be opened: {why}. The run on the page is unchanged."
                    )),
                    None => SessionAction::Warn(format!(
                        "The file {name} cannot be read as text. The run on the page is unchanged."
                    )),
                });
            });
        })
    };
    // The link floats under the bar, so showing it moves nothing on the page.
    let link_box = (*shared).clone().map(|url| {
        let close = {
            let shared = shared.clone();
            Callback::from(move |_: MouseEvent| shared.set(None))
        };
        html! {
            <span class="share-popover">
                <input class="share-link" type="text" readonly=true value={url}
                       aria-label="Link to this moment" onfocus={Callback::from(select_all)} />
                <button type="button" class="close-share" onclick={close} aria-label="Close the link box">{ "×" }</button>
            </span>
        }
    });
    html! {
        <div class="scenario-bar" role="group" aria-label="Presets, share and save">
            <PresetMenu presets={session.run().presets()} dispatch={session.dispatcher()} />
            <button type="button" class="share" onclick={share}
                    title="Copy a link that opens this run at this step">{ "Share link" }</button>
            <span class="share-slot">{ for link_box }</span>
            <button type="button" class="save-file" onclick={save}
                    title="Save the run and its notes as a JSON file">{ "Save file" }</button>
            <label class="open-file">
                { "Open file" }
                <input type="file" accept=".json,application/json" onchange={open} />
            </label>
            <button type="button" class="save-trace" onclick={trace}
                    title="Save what every step did, one JSON line a step">{ "Trace" }<span class="long">{ " (JSON lines)" }</span></button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PresetMenuProps {
    presets: Presets,
    dispatch: UseReducerDispatcher<Session>,
}

/// The presets menu: it renders when the protocol changes, not on every frame.
#[function_component(PresetMenu)]
fn preset_menu(props: &PresetMenuProps) -> Html {
    crate::renders::count("PresetMenu");
    let PresetMenuProps { presets, dispatch } = props;
    let presets = *presets;
    if presets.is_empty() {
        return Html::default();
    }
    let pick = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let Some(select) = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            else {
                return;
            };
            let slug = select.value();
            select.set_value("");
            let Some(&(_, name, link)) = presets.iter().find(|p| p.0 == slug) else { return };
            dispatch.dispatch(match Scenario::from_link(link) {
                Ok(scenario) => SessionAction::Open {
                    scenario: Box::new(scenario),
                    what: format!("the preset “{name}”: read its notes with ▶ next note"),
                },
                Err(why) => SessionAction::Warn(format!("The preset cannot be opened: {why}.")),
            });
        })
    };
    let options =
        presets.iter().map(|&(slug, name, _)| html! { <option value={slug}>{ name }</option> });
    html! {
        <select class="presets" onchange={pick} aria-label="Open a preset scenario">
            <option value="" selected=true>{ "Presets…" }</option>
            { for options }
        </select>
    }
}

/// Opens links pasted into this page's address bar (the page does not
/// reload when only the part after `#` changes), and takes a refused link
/// out of the address bar, so a reload does not repeat the error: the bar
/// then holds the run on the page (if it has steps or notes), or nothing.
#[hook]
fn use_hash_links(session: &SessionContext) {
    {
        let session = session.clone();
        use_effect_with(session.refused_links, move |&refused| {
            if refused > 0 {
                let kept = !session.run().is_empty() || !session.narration.is_empty();
                show_in_address_bar(kept.then(|| session.scenario().to_link()).as_deref());
            }
        });
    }
    let session = session.clone();
    use_effect_with((), move |_| {
        let window = web_sys::window().expect("a window");
        // Share writes the address bar with replaceState, which fires no
        // hashchange: every change seen here is the user's.
        let listener = EventListener::new(&window, "hashchange", move |_| {
            let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
            let fragment = hash.trim_start_matches('#');
            if !fragment.is_empty() {
                session.dispatch(SessionAction::OpenLink(fragment.to_string()));
            }
        });
        move || drop(listener)
    });
}

/// Puts `#fragment` in the address bar (or, with `None`, the page's address
/// alone) without a new history entry; returns the whole link.
fn show_in_address_bar(fragment: Option<&str>) -> String {
    let hash = fragment.map(|f| format!("#{f}")).unwrap_or_default();
    let Some(window) = web_sys::window() else { return hash };
    let location = window.location();
    let base = format!(
        "{}{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    let url = format!("{base}{hash}");
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
    url
}

/// Copies `text` to the clipboard; false where the browser does not allow it.
async fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let clipboard = window.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}

/// Offers `text` as a file download named `name`.
fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let failed = |_| format!("The browser did not let the page save {name}.");
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let document =
        web_sys::window().and_then(|w| w.document()).ok_or_else(|| failed(JsValue::NULL))?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| failed(JsValue::NULL))?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

fn select_all(e: FocusEvent) {
    if let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
        input.select();
    }
}
