//! Playing re-renders what shows the run, not the panels whose data did not
//! change: the settings form, the presets menu and the legend render again
//! only when their own data changes; the links only when they change; a
//! node only when it changes (a step changes one); the event log only when
//! the world does, not on a frame that only moves the time shown. The whole
//! protocol view is mounted in headless Chromium and driven through its
//! session.

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

/// Waits for the next animation frame (the drawing's size is measured by then).
async fn frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().expect("a window").request_animation_frame(&resolve).expect("a frame");
    });
    JsFuture::from(promise).await.expect("the frame comes");
    settle().await;
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

    // Once the drawing's size is measured, the nodes are placed for good.
    frame().await;
    frame().await;
    let (links, nodes) = (super::of("LinkLayer"), super::of("NodeMark"));
    for _ in 0..20 {
        dispatch(SessionAction::Step);
        settle().await;
    }
    assert_ne!(clock(), before, "the steps were drawn");
    assert_eq!(counts(), first, "{STILL:?} rendered again while only the run changed");
    assert_eq!(super::of("LinkLayer"), links, "the links did not change");
    let drawn = super::of("NodeMark") - nodes;
    assert!(drawn <= 20, "each step changes one node at most: {drawn} nodes drawn in 20 steps");

    // Frames of play too short for an event to fall due move the time
    // shown (and the messages) only.
    let cursor = || SESSION.with(|s| s.borrow().as_ref().expect("mounted").run().cursor());
    dispatch(SessionAction::TogglePlay);
    settle().await;
    let (log, at) = (super::of("EventLog"), cursor());
    for _ in 0..5 {
        dispatch(SessionAction::Tick(1.0));
        settle().await;
    }
    if cursor() == at {
        assert_eq!(
            super::of("EventLog"),
            log,
            "the log is drawn again only when the world changes"
        );
    }
    dispatch(SessionAction::TogglePlay);
    settle().await;

    // Their own data changing renders them again: new settings, the form.
    dispatch(SessionAction::Configure(Settings::Raft(RaftConfig::raftscope(3))));
    settle().await;
    assert!(super::of("RaftSettingsForm") > first[0], "new settings are shown");
    let three = root.query_selector_all(".cluster-svg .node").expect("a query").length();
    assert_eq!(three, 3);
    root.remove();
}
