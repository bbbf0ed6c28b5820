//! The top bar: the Caucus name and the protocol picker.

use yew::prelude::*;

use super::protocol_picker::ProtocolPicker;

#[function_component(Header)]
pub fn header() -> Html {
    html! {
        <header class="site-header">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <h1>{ "Caucus" }</h1>
                <span class="tagline">{ "see consensus happen" }</span>
            </div>
            <ProtocolPicker />
        </header>
    }
}
