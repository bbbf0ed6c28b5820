//! One sentence for the user: why an action was refused, or what changed.

use yew::prelude::*;

use crate::app::SessionContext;
use crate::session::{NoticeTone, SessionAction};

pub fn notice_bar(session: &SessionContext) -> Html {
    // The live region is always there, so screen readers announce each
    // sentence as it appears (and nothing else on the page).
    let Some(notice) = &session.notice else {
        return html! { <div class="notices" aria-live="polite"></div> };
    };
    let dismiss = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(SessionAction::DismissNotice))
    };
    let (class, role) = match notice.tone {
        NoticeTone::Error => ("notice error", "alert"),
        NoticeTone::Info => ("notice info", "status"),
    };
    html! {
        <div class="notices" aria-live="polite">
            <div {class} {role}>
                <span class="notice-text">{ notice.text.clone() }</span>
                <button type="button" onclick={dismiss} aria-label="Dismiss">{ "×" }</button>
            </div>
        </div>
    }
}
