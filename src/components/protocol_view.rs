//! The main area for the chosen protocol. The cluster view, transport and
//! panels are drawn here as they land.

use yew::prelude::*;

use crate::app::SessionContext;

#[function_component(ProtocolView)]
pub fn protocol_view() -> Html {
    let session = use_context::<SessionContext>().expect("ProtocolView needs the session context");
    let protocol = session.protocol;
    html! {
        <section class="protocol-view" data-protocol={protocol.slug()} aria-labelledby="protocol-title">
            <h2 id="protocol-title">{ protocol.name() }</h2>
            <p class="protocol-summary">{ protocol.summary() }</p>
            <div class="stage">
                <p class="stage-note">
                    { format!("The {} simulator is under construction: its cluster view, \
                               transport and panels will appear here.", protocol.name()) }
                </p>
            </div>
        </section>
    }
}
