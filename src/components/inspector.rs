//! The selected node's or message's whole state (what the last step changed
//! is highlighted, with the value it had before), or the selected link's two
//! directions with what can be done to them.

use yew::prelude::*;

use super::network_panel::link_controls;
use crate::app::SessionContext;
use crate::session::Selection;

pub fn inspector(session: &SessionContext) -> Html {
    let run = session.run();
    let body = match session.selection {
        None => {
            html! { <p class="empty">{ format!("Click a {}, a message or a link to see its whole state.", run.node_noun()) }</p> }
        }
        Some(Selection::Node(id)) => {
            let rows = run.inspect_node(id).into_iter().map(|r| {
                let before =
                    r.before.map(|b| html! { <span class="before">{ format!("was {b}") }</span> });
                html! {
                    <tr class={classes!(r.changed.then_some("changed"))} data-field={r.name}>
                        <th scope="row">{ r.name }</th>
                        <td><span class="value">{ r.value }</span>{ for before }</td>
                    </tr>
                }
            });
            html! {
                <>
                    <h4>{ run.label(id) }</h4>
                    <table class="fields"><tbody>{ for rows }</tbody></table>
                </>
            }
        }
        Some(Selection::Link(a, b)) => html! {
            <>
                <h4>{ format!("Link {} ↔ {}", run.label(a), run.label(b)) }</h4>
                { link_controls(session, a, b) }
            </>
        },
        Some(Selection::Message(id)) => match run.inspect_message(id) {
            None => {
                html! { <p class="empty">{ format!("Message {id} is no longer in flight.") }</p> }
            }
            Some(detail) => {
                let rows = detail.rows.into_iter().map(|(k, v)| {
                    html! { <tr data-field={k.clone()}><th scope="row">{ k }</th><td>{ v }</td></tr> }
                });
                let lies = detail
                    .lies
                    .into_iter()
                    .map(|(label, action)| {
                        let dispatch = session.dispatcher();
                        let onclick =
                            Callback::from(move |_: MouseEvent| dispatch.dispatch(action.clone()));
                        html! { <li><button type="button" {onclick}>{ label }</button></li> }
                    })
                    .collect::<Vec<_>>();
                let lies = (!lies.is_empty()).then(|| {
                    let heading = format!("In its place, {} may send:", detail.sender);
                    html! {
                        <section class="lies" aria-label={heading.clone()}>
                            <p>{ heading }</p>
                            <ul>{ for lies }</ul>
                        </section>
                    }
                });
                html! {
                    <>
                        <h4>{ detail.title }</h4>
                        <p class="meaning">{ detail.meaning }</p>
                        <table class="fields"><tbody>{ for rows }</tbody></table>
                        { for lies }
                    </>
                }
            }
        },
    };
    html! {
        <section class="panel inspector" aria-labelledby="inspector-title">
            <h3 id="inspector-title" tabindex="-1">{ "Inspector" }</h3>
            { body }
        </section>
    }
}
