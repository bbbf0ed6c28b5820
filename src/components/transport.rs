//! Play and pause, step, step back, speed on a log scale, and the timeline
//! scrubber with its marks (`timeline_marks`).

use caucus_sim::ids::format_time;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::paced::use_paced;
use super::timeline_marks::{Marks, mark, marks_span};
use crate::app::SessionContext;
use crate::numbers::{fixed, math};
use crate::session::{Lane, SPEED_MAX, SPEED_MIN, SessionAction};

fn input_value(e: &Event) -> Option<String> {
    e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).map(|i| i.value())
}

/// Speed in words: virtual time per wall second.
pub fn speed_label(speed: f64) -> String {
    let ms = math::pow(10.0, speed);
    if ms >= 1000.0 {
        format!("{} s per second", fixed(ms / 1000.0, 1))
    } else {
        format!("{} ms per second", fixed(ms, 0))
    }
}

#[function_component(Transport)]
pub fn transport() -> Html {
    let session = use_context::<SessionContext>().expect("Transport needs the session context");
    let run = session.run();
    let (cursor, len) = (run.cursor(), run.len());
    let dispatch = |a: SessionAction| {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(a.clone()))
    };
    let on_scrub = {
        let session = session.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(step) = input_value(&e).and_then(|v| v.parse().ok()) {
                session.dispatch(SessionAction::Seek(step));
            }
        })
    };
    let on_speed = {
        let session = session.clone();
        // The browser reads the number: Rust's float parser and its tables
        // would be about 14 KB of the gzipped wasm for this one slider.
        Callback::from(move |e: InputEvent| {
            let speed = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .map(|i| i.value_as_number())
                .filter(|v| v.is_finite());
            if let Some(speed) = speed {
                session.dispatch(SessionAction::SetSpeed(speed));
            }
        })
    };
    let on_goto = {
        let session = session.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
                .and_then(|f| f.elements().named_item("step"))
                .and_then(|i| i.dyn_into::<HtmlInputElement>().ok());
            if let Some(step) = input.and_then(|i| i.value().trim().parse().ok()) {
                session.dispatch(SessionAction::Seek(step));
            }
        })
    };
    // Noted steps, above the scrubber: where the narration has something to say.
    let note_marks = session.narration.notes.iter().filter(|n| n.step <= len).map(|n| {
        let what = format!("step {}: note", n.step);
        mark(&session.dispatcher(), n.step, len, "note", format!("{what}: {}", n.text), what)
    });
    let playing = session.playing;
    // The marks are a panel of their own: while playing fast, they are
    // drawn again (and stretched to the run's length) when the panels are
    // (`session::pace`), not every frame.
    let (marks_revision, marked_len) =
        use_paced(session.panels.shown(Lane::Drawing), || (run.history().marks_revision(), len));
    let span = marks_span(marked_len);
    let clock = format!("step {cursor} of {len} · {}", format_time(run.shown_time()));
    html! {
        <section class="transport" aria-label="Transport">
            <div class="transport-buttons">
                <button type="button" class="step-back" onclick={dispatch(SessionAction::StepBack)}
                        disabled={cursor == 0} aria-label="Step back one event" title="Step back (←)">{ "← Back" }</button>
                <button type="button" class="play" onclick={dispatch(SessionAction::TogglePlay)}
                        aria-label={if playing { "Pause" } else { "Play" }} title="Play or pause (Space)">
                    { if playing { "❚❚ Pause" } else { "▶ Play" } }
                </button>
                <button type="button" class="step" onclick={dispatch(SessionAction::Step)}
                        aria-label="Step one event" title="Step (→)">{ "Step →" }</button>
                // The clock, the scrubber and the step box change on every
                // frame of play; each sits in a box whose size its content
                // cannot change (`.fixed-box`), so the browser lays out that
                // box alone, not the page around it.
                <span class="clock" aria-live="off">
                    <span class="fixed-box clock-text" style={format!("width: {}ch", clock_width(&clock))}>{ clock }</span>
                </span>
            </div>
            <div class="scrubber">
                <div class="note-marks">{ for note_marks }</div>
                <div class="fixed-box scrub-track">
                    <input type="range" min="0" max={len.to_string()} value={cursor.to_string()}
                           oninput={on_scrub} aria-label="Timeline: step shown"
                           aria-valuetext={format!("step {cursor} of {len}")} />
                </div>
                // The marks are placed along `span` steps and stretched to the
                // run's length: while a run grows they are drawn again only
                // when it outgrows `span`, not on every frame of play.
                <div class="marks" style={format!("transform: scaleX({})", fixed(span as f64 / marked_len.max(1) as f64, 5))}>
                    <Marks revision={marks_revision} {span} runs={session.runs.clone()}
                           protocol={session.protocol} dispatch={session.dispatcher()} />
                </div>
            </div>
            <div class="transport-settings">
                <label class="speed">
                    <span>{ "Speed" }</span>
                    <input type="range" min={fixed(SPEED_MIN, 1).to_string()} max={fixed(SPEED_MAX, 1).to_string()} step="0.1"
                           value={fixed(session.speed, 1).to_string()} oninput={on_speed}
                           aria-valuetext={speed_label(session.speed)} />
                    <output>{ speed_label(session.speed) }</output>
                </label>
                <form class="goto" onsubmit={on_goto}>
                    <label>{ "Go to step " }<span class="fixed-box step-field"><input name="step" type="number" min="0" max={len.to_string()} inputmode="numeric" /></span></label>
                    <button type="submit">{ "Go" }</button>
                </form>
            </div>
        </section>
    }
}

/// The clock's width in widths of a digit (`ch`), enough for `clock`: a
/// digit is a `ch`, the rest (a few letters and spaces) narrower on
/// average: three quarters of one is room to spare, in the page's fonts.
/// The width changes only when the clock's length does, so its box keeps
/// its size from one frame of play to the next (`.fixed-box`).
fn clock_width(clock: &str) -> usize {
    let digits = clock.chars().filter(char::is_ascii_digit).count();
    let others = clock.chars().count() - digits;
    digits + (others * 3).div_ceil(4) + 1
}
