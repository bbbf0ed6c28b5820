//! What a user sees when something inside the app goes wrong.
//!
//! A Rust panic in wasm aborts the module, and Yew can no longer draw. The hook
//! installed here writes a banner straight into the document first, so the page
//! says in words what went wrong instead of freezing or going blank.

use std::panic::PanicHookInfo;

use web_sys::{Document, Element};

/// The id of the banner element, for styles and tests.
pub const BANNER_ID: &str = "error-banner";

/// Makes every later panic show the error banner and log to the console.
///
/// Installed through Yew, which otherwise replaces any hook with its own
/// console-only one when the app is first rendered.
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = describe_panic(info);
        web_sys::console::error_1(&format!("Caucus stopped: {message}").into());
        show(&message);
    }));
}

/// The panic's own message and where it was raised, in one line.
fn describe_panic(info: &PanicHookInfo<'_>) -> String {
    let message = info.payload_as_str().unwrap_or("(no message)");
    match info.location() {
        Some(at) => format!("{message} (at {}:{})", at.file(), at.line()),
        None => message.to_owned(),
    }
}

/// Shows the banner with `detail`, or replaces the detail of the one already shown.
///
/// The detail is set as text, never parsed as HTML. Failure to reach the
/// document is ignored: there is nowhere left to report it.
pub fn show(detail: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let banner = match document.get_element_by_id(BANNER_ID) {
        Some(banner) => banner,
        None => match build_banner(&document) {
            Some(banner) => banner,
            None => return,
        },
    };
    if let Ok(Some(slot)) = banner.query_selector(".error-detail") {
        slot.set_text_content(Some(detail));
    }
}

/// The banner's elements: a heading, the detail, and a way out.
fn build_banner(document: &Document) -> Option<Element> {
    let banner = document.create_element("div").ok()?;
    banner.set_id(BANNER_ID);
    banner.set_attribute("role", "alert").ok()?;

    let heading = document.create_element("strong").ok()?;
    heading.set_text_content(Some("Caucus hit an internal error and stopped."));
    let detail = document.create_element("code").ok()?;
    detail.set_class_name("error-detail");
    let advice = document.create_element("span").ok()?;
    advice.set_text_content(Some(
        "Reloading starts it again; a shared link in the address bar is kept.",
    ));
    // A plain inline handler: after a panic the wasm module may not answer calls.
    let reload = document.create_element("button").ok()?;
    reload.set_attribute("type", "button").ok()?;
    reload.set_attribute("onclick", "location.reload()").ok()?;
    reload.set_text_content(Some("Reload"));

    for child in [&heading, &detail, &advice, &reload] {
        banner.append_child(child).ok()?;
    }
    document.body()?.prepend_with_node_1(&banner).ok()?;
    Some(banner)
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    fn document() -> Document {
        web_sys::window().unwrap().document().unwrap()
    }

    fn remove_banner() {
        if let Some(old) = document().get_element_by_id(BANNER_ID) {
            old.remove();
        }
    }

    #[wasm_bindgen_test]
    fn shows_the_detail_as_text_in_an_alert() {
        remove_banner();
        show("boom <img src=x onerror=alert(1)>");
        let banner = document().get_element_by_id(BANNER_ID).expect("a banner");
        assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
        let detail = banner.query_selector(".error-detail").unwrap().unwrap();
        assert_eq!(detail.text_content().as_deref(), Some("boom <img src=x onerror=alert(1)>"));
        assert!(banner.query_selector("img").unwrap().is_none(), "detail must not become HTML");
        assert!(banner.query_selector("button").unwrap().is_some(), "a reload button");
        remove_banner();
    }

    #[wasm_bindgen_test]
    fn a_second_error_replaces_the_detail_of_the_one_banner() {
        remove_banner();
        show("first");
        show("second");
        let banners = document().query_selector_all(&format!("#{BANNER_ID}")).unwrap();
        assert_eq!(banners.length(), 1);
        let detail = document().query_selector(".error-detail").unwrap().unwrap();
        assert_eq!(detail.text_content().as_deref(), Some("second"));
        remove_banner();
    }
}
