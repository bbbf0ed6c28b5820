//! Narration: the run's title and description, the note of the step shown
//! (a caption to read while stepping), jumps to the previous and next noted
//! step, and writing, changing or deleting the note of this step. Notes
//! travel in links and files. Everything here is shown as plain text.

use wasm_bindgen::JsCast;
use web_sys::{HtmlFormElement, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::SessionContext;
use crate::session::{Lane, SessionAction};

#[function_component(NarrationPanel)]
pub fn narration_panel() -> Html {
    let session =
        use_context::<SessionContext>().expect("NarrationPanel needs the session context");
    let editing = use_state(|| false);
    // The step the panels show: while playing fast, about four times a second.
    let step = session.panels.step(Lane::Notes);
    let narration = &session.narration;
    let note = narration.note_at(step).map(|n| n.text.clone());
    let previous = narration.previous_note(step);
    let next = narration.next_note(step);
    let dispatch = |a: SessionAction| {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(a.clone()))
    };
    let toggle_edit = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(!*editing))
    };
    let on_save = {
        let session = session.clone();
        let editing = editing.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(form) = e.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else {
                return;
            };
            let field = |name: &str| form.elements().named_item(name);
            if let Some(text) = field("note").and_then(|f| f.dyn_into::<HtmlTextAreaElement>().ok())
            {
                session.dispatch(SessionAction::SetNote(text.value()));
            }
            if let Some(title) = field("title").and_then(|f| f.dyn_into::<HtmlInputElement>().ok())
            {
                session.dispatch(SessionAction::SetTitle(title.value()));
            }
            if let Some(text) =
                field("description").and_then(|f| f.dyn_into::<HtmlTextAreaElement>().ok())
            {
                session.dispatch(SessionAction::SetDescription(text.value()));
            }
            editing.set(false);
        })
    };
    // One element either way: a screen reader reads each note as the
    // cursor reaches it.
    let caption = html! {
        <p class={classes!("caption", note.is_none().then_some("empty"))} aria-live="polite">
            { note.clone().unwrap_or_else(|| format!("No note on step {step}.")) }
        </p>
    };
    html! {
        <section class="panel narration" aria-labelledby="narration-title">
            <header>
                <h3 id="narration-title">
                    { if narration.title.is_empty() { "Notes".to_string() } else { narration.title.clone() } }
                </h3>
                <span class="note-count">{ format!("{} note{}", narration.notes.len(), if narration.notes.len() == 1 { "" } else { "s" }) }</span>
            </header>
            // Folded, so the note of the step and the safety properties
            // keep their place on the first screen.
            if !narration.description.is_empty() {
                <details class="about-run">
                    <summary>{ "About this run" }</summary>
                    <p class="description">{ narration.description.clone() }</p>
                </details>
            }
            <div class="note-at-step">
                <span class="note-step">{ format!("Step {step}") }</span>
                { caption }
            </div>
            <div class="note-nav">
                <button type="button" class="previous-note" disabled={previous.is_none()}
                        onclick={dispatch(SessionAction::JumpToNote { forward: false })}
                        aria-label={previous.map(|s| format!("Previous note, at step {s}")).unwrap_or_else(|| "No earlier note".into())}
                        title="Previous step with a note ([)">
                    { previous.map(|s| format!("◀ step {s}")).unwrap_or_else(|| "◀".into()) }
                </button>
                <button type="button" class="next-note" disabled={next.is_none()}
                        onclick={dispatch(SessionAction::JumpToNote { forward: true })}
                        aria-label={next.map(|s| format!("Next note, at step {s}")).unwrap_or_else(|| "No later note".into())}
                        title="Next step with a note (])">
                    { next.map(|s| format!("step {s} ▶")).unwrap_or_else(|| "▶".into()) }
                </button>
                <button type="button" class="edit-note" onclick={toggle_edit} aria-expanded={editing.to_string()}>
                    { if note.is_some() { "Edit" } else { "Write a note" } }
                </button>
            </div>
            if *editing {
                <form class="note-editor" onsubmit={on_save}>
                    <label>{ format!("Note on step {step} (empty deletes it)") }
                        <textarea name="note" rows="3" value={note.clone().unwrap_or_default()} />
                    </label>
                    <label>{ "Title of the run" }
                        <input name="title" type="text" value={narration.title.clone()} />
                    </label>
                    <label>{ "Description" }
                        <textarea name="description" rows="2" value={narration.description.clone()} />
                    </label>
                    <div class="editor-buttons">
                        <button type="submit" class="save-note">{ "Save" }</button>
                        <button type="button" onclick={{ let editing = editing.clone(); Callback::from(move |_: MouseEvent| editing.set(false)) }}>{ "Cancel" }</button>
                    </div>
                </form>
            }
        </section>
    }
}
