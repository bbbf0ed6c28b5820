//! Play and pause, step, step back, speed on a log scale, and the timeline
//! scrubber with marks for user actions, leader changes and violations.

use caucus_sim::ids::format_time;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::SessionContext;
use crate::session::{SPEED_MAX, SPEED_MIN, SessionAction};

fn input_value(e: &Event) -> Option<String> {
    e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).map(|i| i.value())
}

/// Speed in words: virtual time per wall second.
pub fn speed_label(speed: f64) -> String {
    let ms = 10f64.powf(speed);
    if ms >= 1000.0 {
        format!("{:.1} s per second", ms / 1000.0)
    } else {
        format!("{ms:.0} ms per second")
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
        Callback::from(move |e: InputEvent| {
            if let Some(speed) = input_value(&e).and_then(|v| v.parse().ok()) {
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
    let marks = run.history().marks().filter(|r| r.step > 0).map(|r| {
        let (class, what) = if !r.violations.is_empty() {
            ("violation", format!("step {}: {} broken", r.step, r.violations[0].property))
        } else if let Some(l) = r.new_leader {
            ("leader", format!("step {}: {l} becomes leader", r.step))
        } else {
            (
                "user",
                format!("step {}: {}", r.step, r.lines.first().map_or("", |l| l.text.as_str())),
            )
        };
        mark(&session, r.step, len, class, what.clone(), what)
    });
    // Noted steps, above the scrubber: where the narration has something to say.
    let note_marks = session.narration.notes.iter().filter(|n| n.step <= len).map(|n| {
        let what = format!("step {}: note", n.step);
        mark(&session, n.step, len, "note", format!("{what}: {}", n.text), what)
    });
    let playing = session.playing;
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
                <span class="clock" aria-live="off">
                    { format!("step {cursor} of {len} · {}", format_time(run.shown_time())) }
                </span>
            </div>
            <div class="scrubber">
                <div class="note-marks">{ for note_marks }</div>
                <input type="range" min="0" max={len.to_string()} value={cursor.to_string()}
                       oninput={on_scrub} aria-label="Timeline: step shown"
                       aria-valuetext={format!("step {cursor} of {len}")} />
                <div class="marks">{ for marks }</div>
            </div>
            <div class="transport-settings">
                <label class="speed">
                    <span>{ "Speed" }</span>
                    <input type="range" min={SPEED_MIN.to_string()} max={SPEED_MAX.to_string()} step="0.1"
                           value={format!("{:.1}", session.speed)} oninput={on_speed}
                           aria-valuetext={speed_label(session.speed)} />
                    <output>{ speed_label(session.speed) }</output>
                </label>
                <form class="goto" onsubmit={on_goto}>
                    <label>{ "Go to step " }<input name="step" type="number" min="0" max={len.to_string()} inputmode="numeric" /></label>
                    <button type="submit">{ "Go" }</button>
                </form>
            </div>
        </section>
    }
}

/// A mark on the timeline at `step` of `len`: a button that goes there.
fn mark(
    session: &SessionContext,
    step: u64,
    len: u64,
    class: &'static str,
    title: String,
    label: String,
) -> Html {
    let left = if len == 0 { 0.0 } else { step as f64 / len as f64 * 100.0 };
    let session = session.clone();
    let onclick = Callback::from(move |_: MouseEvent| session.dispatch(SessionAction::Seek(step)));
    html! {
        <button type="button" class={classes!("mark", class)} style={format!("left: {left:.2}%")}
                {title} aria-label={label} {onclick}></button>
    }
}
