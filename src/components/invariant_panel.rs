//! Each safety property with its live status at the cursor. A broken one
//! names the step (click to go there) and what is wrong.

use yew::prelude::*;

use caucus_sim::ProtocolKind;

use crate::app::SessionContext;
use crate::run::revision::Revision;
use crate::session::{Lane, Runs, Session, SessionAction};

pub fn invariant_panel(session: &SessionContext) -> Html {
    let revision = session.panels.shown(Lane::Notes);
    html! {
        <PropertyList {revision} runs={session.runs.clone()} protocol={session.protocol}
                     dispatch={session.dispatcher()} />
    }
}

/// What the panel draws, so it is drawn again only when the revision the
/// panels show changes (`session::pace`), not on every frame of play.
#[derive(Properties, PartialEq)]
struct PropertiesProps {
    revision: Revision,
    runs: Runs,
    protocol: ProtocolKind,
    dispatch: UseReducerDispatcher<Session>,
}

#[function_component(PropertyList)]
fn properties(props: &PropertiesProps) -> Html {
    let statuses = props.runs.get(props.protocol).properties();
    let rows = statuses.into_iter().map(|p| {
        let status = match &p.broken {
            None => html! { <span class="status ok">{ "✓ holds" }</span> },
            Some((step, detail)) => {
                let step = *step;
                let dispatch = props.dispatch.clone();
                let onclick = Callback::from(move |_: MouseEvent| dispatch.dispatch(SessionAction::Seek(step)));
                html! {
                    <>
                        <button type="button" class="status broken" {onclick}>{ format!("✗ broken at step {step}") }</button>
                        <p class="detail">{ detail.clone() }</p>
                    </>
                }
            }
        };
        html! {
            <li class={classes!("property", p.broken.is_some().then_some("broken"))} data-property={p.name} title={p.statement}>
                <span class="name">{ p.name }</span>
                <span class="source">{ p.source }</span>
                { status }
            </li>
        }
    });
    html! {
        <section class="panel invariants" aria-labelledby="invariants-title">
            <h3 id="invariants-title">{ "Safety properties" }</h3>
            <ul>{ for rows }</ul>
        </section>
    }
}
