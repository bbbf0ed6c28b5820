//! Form fields the protocols' settings panels share: labelled numbers and
//! checkboxes, and reading a control's value.

use caucus_sim::MILLIS;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// A whole number of milliseconds typed in a field, in microseconds.
pub fn millis(text: &str) -> Result<u64, String> {
    let ms = text
        .parse::<u64>()
        .map_err(|_| format!("\"{text}\" is not a whole number of milliseconds"))?;
    ms.checked_mul(MILLIS).ok_or_else(|| format!("{text} ms is too long"))
}

pub fn value_of(e: &Event) -> String {
    let target = e.target();
    if let Some(i) = target.clone().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
        return if i.type_() == "checkbox" { i.checked().to_string() } else { i.value() };
    }
    target
        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

/// A labelled whole-number field.
pub fn number_field(label: &str, value: String, onchange: Callback<Event>) -> Html {
    html! {
        <label>{ format!("{label} ") }<input type="number" min="1" {value} {onchange} /></label>
    }
}

/// A labelled checkbox.
pub fn check_field(label: &str, checked: bool, onchange: Callback<Event>) -> Html {
    html! { <label><input type="checkbox" {checked} {onchange} />{ label }</label> }
}
