//! Each step in words: the engine's one-line "why" and every message, timer
//! and user action. Click a step to jump there; steps after the cursor (a
//! future you stepped back from) are dimmed.

use caucus_sim::ids::format_time;
use yew::prelude::*;

use caucus_sim::ProtocolKind;

use crate::app::SessionContext;
use crate::run::history::LineKind;
use crate::run::revision::Revision;
use crate::session::{Lane, Runs, Session, SessionAction};

/// Steps shown before and after the cursor.
const BEFORE: u64 = 40;
const AFTER: u64 = 10;
/// While playing, dozens of steps go by each frame: laying out 40 new rows a
/// frame was most of the page's render time (frame benchmark, `cargo xtask
/// bench`), and only the newest few can be read in passing.
const BEFORE_PLAYING: u64 = 12;

pub fn event_log(session: &SessionContext) -> Html {
    let revision = session.panels.shown(Lane::Log);
    html! {
        <EventLogRows {revision} runs={session.runs.clone()} protocol={session.protocol}
                      playing={session.playing} dispatch={session.dispatcher()} />
    }
}

/// What the log draws, so it is drawn again only when the revision the
/// panels show changes (a step, a seek; while playing fast, four times a
/// second: `session::pace`), not on every frame of play.
#[derive(Properties, PartialEq)]
struct RowsProps {
    revision: Revision,
    runs: Runs,
    protocol: ProtocolKind,
    playing: bool,
    dispatch: UseReducerDispatcher<Session>,
}

#[function_component(EventLogRows)]
fn event_log_rows(props: &RowsProps) -> Html {
    crate::renders::count("EventLog");
    let run = props.runs.get(props.protocol);
    let cursor = run.cursor();
    let before = if props.playing { BEFORE_PLAYING } else { BEFORE };
    let records = run.history().range(cursor.saturating_sub(before), cursor + AFTER + 1);
    let rows = records.rev().map(|r| {
        let step = r.step();
        let onclick = {
            let dispatch = props.dispatch.clone();
            Callback::from(move |_: MouseEvent| dispatch.dispatch(SessionAction::Seek(step)))
        };
        let lines = r.lines(&|id| run.label(id)).into_iter().map(|l| {
            let class = match l.kind {
                LineKind::Message => "message",
                LineKind::Timer => "timer",
                LineKind::Note => "note",
                LineKind::User => "user",
                LineKind::Reply => "reply",
                LineKind::Violation => "violation",
                LineKind::Time => "time",
            };
            html! { <li class={class}>{ l.text }</li> }
        });
        html! {
            <li key={step.to_string()} class={classes!("log-step", (step == cursor).then_some("current"), (step > cursor).then_some("future"))}
                data-step={step.to_string()}>
                <button type="button" class="step-link" {onclick}
                        aria-label={format!("Go to step {step}")}>{ format!("#{step}") }</button>
                <span class="time">{ format_time(r.time()) }</span>
                <ul>{ for lines }</ul>
            </li>
        }
    });
    html! {
        <section class="panel event-log" aria-labelledby="log-title">
            <h3 id="log-title">{ "Event log" }</h3>
            <ol class="log-steps">{ for rows }</ol>
        </section>
    }
}
