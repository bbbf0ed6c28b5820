//! The top bar: the Caucus name, the protocol picker, and the keyboard help.

use yew::prelude::*;

use super::protocol_picker::ProtocolPicker;
use crate::app::SessionContext;
use crate::session::SessionAction;

#[function_component(Header)]
pub fn header() -> Html {
    let session = use_context::<SessionContext>().expect("Header needs the session context");
    let help = Callback::from(move |_: MouseEvent| session.dispatch(SessionAction::ToggleHelp));
    html! {
        <header class="site-header">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <h1>{ "Caucus" }</h1>
                <span class="tagline">{ "see consensus happen" }</span>
            </div>
            <ProtocolPicker />
            <button type="button" class="help-button" onclick={help}
                    title="Keyboard shortcuts (?)">{ "? Keys" }<span class="visually-hidden">{ " (keyboard shortcuts)" }</span></button>
        </header>
    }
}
