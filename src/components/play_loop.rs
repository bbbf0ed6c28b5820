//! Drives play: while the session is playing, every animation frame tells it
//! how much wall time passed. Renders nothing.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{AnimationFrame, request_animation_frame};
use yew::prelude::*;

use crate::app::SessionContext;
use crate::session::SessionAction;

/// A frame gap longer than this (a background tab) counts as this long.
const MAX_FRAME_MS: f64 = 100.0;

#[function_component(PlayLoop)]
pub fn play_loop() -> Html {
    let session = use_context::<SessionContext>().expect("PlayLoop needs the session context");
    let playing = session.playing;
    use_effect_with(playing, move |&playing| {
        // The pending frame request; dropping it cancels the frame.
        let frame: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
        if playing {
            schedule(frame.clone(), session, None);
        }
        move || drop(frame.borrow_mut().take())
    });
    html! {}
}

fn schedule(
    frame: Rc<RefCell<Option<AnimationFrame>>>,
    session: SessionContext,
    last: Option<f64>,
) {
    let slot = frame.clone();
    let request = request_animation_frame(move |now| {
        let dt = last.map_or(0.0, |l| (now - l).clamp(0.0, MAX_FRAME_MS));
        if dt > 0.0 {
            session.dispatch(SessionAction::Tick(dt));
        }
        schedule(slot, session, Some(now));
    });
    *frame.borrow_mut() = Some(request);
}
