//! Chooses the protocol to show. It lists only engines that exist
//! (`ProtocolKind::ALL`): no protocol appears before its engine has landed.

use caucus_sim::ProtocolKind;
use yew::prelude::*;

use crate::app::SessionContext;
use crate::session::SessionAction;

pub fn protocol_picker(session: &SessionContext) -> Html {
    let buttons = ProtocolKind::ALL.iter().map(|&protocol| {
        let selected = session.protocol == protocol;
        let onclick = {
            let session = session.clone();
            Callback::from(move |_| session.dispatch(SessionAction::PickProtocol(protocol)))
        };
        html! {
            <button
                type="button"
                role="radio"
                class={classes!("protocol-choice", selected.then_some("selected"))}
                aria-checked={if selected { "true" } else { "false" }}
                data-protocol={protocol.slug()}
                {onclick}
            >
                { protocol.name() }
            </button>
        }
    });
    html! {
        <nav class="protocol-picker" role="radiogroup" aria-label="Protocol">
            <span class="picker-label" aria-hidden="true">{ "Protocol" }</span>
            { for buttons }
        </nav>
    }
}
