//! The top bar: the Caucus name, the protocol picker, and the keyboard help.

use yew::prelude::*;

use super::protocol_picker::protocol_picker;
use crate::app::SessionContext;
use crate::session::SessionAction;

pub fn header(session: &SessionContext) -> Html {
    let help = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(SessionAction::ToggleHelp))
    };
    html! {
        <header class="site-header">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <h1>{ "Caucus" }</h1>
                <span class="tagline">{ "see consensus happen" }</span>
            </div>
            { protocol_picker(session) }
            <button type="button" class="help-button" onclick={help}
                    title="Keyboard shortcuts (?)">{ "? Keys" }<span class="visually-hidden">{ " (keyboard shortcuts)" }</span></button>
        </header>
    }
}
