//! "You choose": every message in flight and every pending timer, soonest
//! first. Deliver or fire any of them next; drop or duplicate a message.
//! A busy cluster has hundreds: the soonest few are listed, the rest on
//! request (a message in the drawing also opens in the inspector).

use caucus_sim::ids::format_time;
use yew::prelude::*;

use caucus_sim::ProtocolKind;

use crate::app::SessionContext;
use crate::run::revision::Revision;
use crate::session::{Lane, Runs, Selection, Session, SessionAction};
use crate::view_model::NextEvent;

/// Events listed until the user asks for all of them.
const SOONEST: usize = 12;

pub fn next_events_panel(session: &SessionContext) -> Html {
    let revision = session.panels.shown(Lane::Events);
    html! {
        <NextEventList {revision} runs={session.runs.clone()} protocol={session.protocol}
                       choosing={session.choosing} dispatch={session.dispatcher()} />
    }
}

/// What the list draws, so it is drawn again only when the revision the
/// panels show changes (`session::pace`), not on every frame of play.
#[derive(Properties, PartialEq)]
struct ListProps {
    revision: Revision,
    runs: Runs,
    protocol: ProtocolKind,
    choosing: bool,
    dispatch: UseReducerDispatcher<Session>,
}

#[function_component(NextEventList)]
fn next_event_list(props: &ListProps) -> Html {
    let dispatch = &props.dispatch;
    let show_all = use_state(|| false);
    let limit = if *show_all { usize::MAX } else { SOONEST };
    let (events, total) = props.runs.get(props.protocol).next_events(limit);
    let button = |label: &str, class: &str, aria: String, action: &SessionAction| {
        let dispatch = dispatch.clone();
        let action = action.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatch.dispatch(action.clone()));
        html! { <button type="button" class={class.to_string()} aria-label={aria} {onclick}>{ label }</button> }
    };
    let rows = events.iter().map(|e| match e {
        NextEvent::Message { id, label, due, deliver, drop, duplicate, lies } => {
            let id = *id;
            let select = {
                let dispatch = dispatch.clone();
                Callback::from(move |_: MouseEvent| dispatch.dispatch(SessionAction::Select(Some(Selection::Message(id)))))
            };
            html! {
                <li class="next-message" data-message={id.to_string()} key={id.to_string()}>
                    <button type="button" class="event-label" onclick={select}>{ format!("{label} ({id})") }</button>
                    <span class="due">{ format_time(*due) }</span>
                    { button("Deliver", "deliver", format!("Deliver {label} now"), deliver) }
                    { button("Drop", "drop", format!("Drop {label}"), drop) }
                    { button("Duplicate", "duplicate", format!("Duplicate {label}"), duplicate) }
                    if *lies {
                        { button("Lie…", "lie", format!("Choose a lie in place of {label}"), &SessionAction::Select(Some(Selection::Message(id)))) }
                    }
                </li>
            }
        }
        NextEvent::Timer { id, label, due, fire } => html! {
            <li class="next-timer" data-timer={id.to_string()} key={id.to_string()}>
                <span class="event-label">{ label.clone() }</span>
                <span class="due">{ format_time(*due) }</span>
                { button("Fire", "fire", format!("Fire {label} now"), fire) }
            </li>
        },
    });
    let more = {
        let show_all = show_all.clone();
        Callback::from(move |_: MouseEvent| show_all.set(!*show_all))
    };
    let toggle = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(SessionAction::ToggleChoosing))
    };
    let choosing = props.choosing;
    html! {
        <section class={classes!("panel", "next-events", choosing.then_some("choosing"))} aria-labelledby="next-title">
            <header>
                <h3 id="next-title">{ "Next events" }</h3>
                <button type="button" class="choose-toggle" onclick={toggle}
                        aria-pressed={if choosing { "true" } else { "false" }}
                        title="You choose what happens next (y)">{ "You choose" }</button>
            </header>
            if choosing {
                <p class="hint">{ "Play is off: pick what happens next." }</p>
            }
            if events.is_empty() {
                <p class="empty">{ "Nothing is scheduled." }</p>
            } else {
                <ol>{ for rows }</ol>
            }
            if total > SOONEST {
                <p class="more">
                    { if *show_all { format!("All {total} listed. ") } else { format!("The soonest {SOONEST} of {total}. ") } }
                    <button type="button" class="show-all" onclick={more}
                            aria-pressed={if *show_all { "true" } else { "false" }}>
                        { if *show_all { "Show the soonest only".to_string() } else { format!("Show all {total}") } }
                    </button>
                </p>
            }
        </section>
    }
}
