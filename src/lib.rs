//! Caucus, the web app: a Yew UI over the `caucus-sim` simulator.
//!
//! This crate holds browser code only. Protocol logic lives in `caucus-sim`,
//! which never imports anything of the browser.

pub mod app;
pub mod components;
pub mod disc;
pub mod error_banner;
pub mod host;
pub mod numbers;
pub mod renders;
pub mod run;
pub mod session;
pub mod view_model;

use wasm_bindgen::prelude::wasm_bindgen;

// Under `cargo test --target wasm32-unknown-unknown`, the tests run in headless Chromium.
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The id of the element the app mounts into (see `index.html`).
pub const ROOT_ID: &str = "app";

/// Installs the panic banner and mounts the app.
pub fn start() {
    error_banner::install_panic_hook();
    let root =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(ROOT_ID));
    match root {
        Some(root) => {
            // The static "Loading Caucus…" text stays until the app can replace it.
            root.set_text_content(None);
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => error_banner::show(&format!(
            "The page has no element with id \"{ROOT_ID}\" to draw the app in."
        )),
    }
}

/// Panics with `message`, on purpose.
///
/// The browser tests call this through Trunk's `window.wasmBindings` to check
/// that a Rust panic shows the error banner rather than a blank page. It has no
/// control on the page.
#[wasm_bindgen]
pub fn debug_panic(message: String) {
    panic!("{message}");
}
