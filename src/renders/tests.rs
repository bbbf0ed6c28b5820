//! Playing re-renders what shows the run, not the panels whose data did not
//! change: the settings form, the presets menu and the legend render again
//! only when their own data changes. The whole protocol view is mounted in
//! headless Chromium and driven through its session.

use std::cell::RefCell;

use caucus_sim::raft::RaftConfig;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use yew::prelude::*;

use crate::app::SessionContext;
use crate::components::protocol_view::ProtocolView;
use crate::session::{Session, SessionAction, Settings};

thread_local! {
    static SESSION: RefCell<Option<SessionContext>> = const { RefCell::new(None) };
}

/// The page's main area with a session the test can reach.
#[function_component(Probe)]
fn probe() -> Html {
    let session = use_reducer(Session::default);
    SESSION.with(|s| *s.borrow_mut() = Some(session.clone()));
    html! {
        <ContextProvider<SessionContext> context={session}>
            <ProtocolView />
        </ContextProvider<SessionContext>>
    }
}

/// Lets Yew render what was dispatched (its scheduler runs in a later task).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .expect("a timeout");
    });
    JsFuture::from(promise).await.expect("the timeout resolves");
}

fn dispatch(action: SessionAction) {
    SESSION.with(|s| s.borrow().as_ref().expect("mounted").dispatch(action));
}

const STILL: [&str; 3] = ["RaftSettingsForm", "PresetMenu", "Legend"];

fn counts() -> [u32; 3] {
    STILL.map(super::of)
}

#[wasm_bindgen_test]
async fn panels_whose_data_did_not_change_are_not_rendered_on_every_step() {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root = document.create_element("div").expect("a div");
    document.body().expect("a body").append_child(&root).expect("attached");
    yew::Renderer::<Probe>::with_root(root.clone()).render();
    settle().await;
    let first = counts();
    assert!(first.iter().all(|&n| n >= 1), "each renders when the page opens: {first:?}");
    let clock = || root.query_selector(".clock").ok().flatten().and_then(|e| e.text_content());
    let before = clock();

    for _ in 0..20 {
        dispatch(SessionAction::Step);
        settle().await;
    }
    assert_ne!(clock(), before, "the steps were drawn");
    assert_eq!(counts(), first, "{STILL:?} rendered again while only the run changed");

    // Their own data changing renders them again: new settings, the form.
    dispatch(SessionAction::Configure(Settings::Raft(RaftConfig::raftscope(3))));
    settle().await;
    assert!(super::of("RaftSettingsForm") > first[0], "new settings are shown");
    let three = root.query_selector_all(".cluster-svg .node").expect("a query").length();
    assert_eq!(three, 3);
    root.remove();
}
