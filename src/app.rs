//! The page's frame: the header with the protocol picker, and the main area.

use yew::prelude::*;

use crate::components::{header::header, protocol_view::ProtocolView};
use crate::session::Session;

/// The session state as components receive it.
pub type SessionContext = UseReducerHandle<Session>;

#[function_component(App)]
pub fn app() -> Html {
    // A link's scenario, if the page was opened with one after its `#`.
    let session = use_reducer(|| {
        let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
        Session::from_fragment(&hash)
    });
    let header = header(&session);
    html! {
        <ContextProvider<SessionContext> context={session}>
            { header }
            <main id="main">
                <ProtocolView />
            </main>
            <footer class="site-footer">
                { "Runs entirely in your browser: nothing you do here is sent anywhere." }
            </footer>
        </ContextProvider<SessionContext>>
    }
}
