//! Form fields the protocols' settings panels share: labelled numbers and
//! checkboxes, and reading a control's value.

use caucus_sim::MILLIS;
use caucus_sim::sorted::SortedSet;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::session::{Session, SessionAction, Settings};

/// A change to one setting of a `C` from the text of its control, or why it cannot apply.
pub type Edit<C> = Box<dyn Fn(&mut C, &str) -> Result<(), String>>;

/// Makes each control's callback: it edits one field of a copy of
/// `config` and asks for a new run with it, or says why it cannot.
pub fn editor<C: Clone + 'static>(
    dispatch: &UseReducerDispatcher<Session>,
    config: &C,
    wrap: fn(C) -> Settings,
) -> impl Fn(Edit<C>) -> Callback<Event> {
    let (dispatch, config) = (dispatch.clone(), config.clone());
    move |f: Edit<C>| {
        let dispatch = dispatch.clone();
        let config = config.clone();
        Callback::from(move |e: Event| {
            let mut next = config.clone();
            match f(&mut next, value_of(&e).trim()) {
                Ok(()) => dispatch.dispatch(SessionAction::Configure(wrap(next))),
                Err(why) => dispatch
                    .dispatch(SessionAction::Warn(format!("That setting cannot be used: {why}."))),
            }
        })
    }
}

/// The edit a mistake's checkbox makes: checked adds `mistake` to the set
/// `mistakes` picks out of the settings, unchecked removes it.
pub fn toggle_mistake<C: 'static, M: Ord + Copy + 'static>(
    mistake: M,
    mistakes: fn(&mut C) -> &mut SortedSet<M>,
) -> Edit<C> {
    Box::new(move |c, on| {
        if on == "true" {
            mistakes(c).insert(mistake);
        } else {
            mistakes(c).remove(&mistake);
        }
        Ok(())
    })
}

/// One mistake a teacher can switch on: its name, a checkbox, and what goes wrong.
pub fn mistake_item(
    name: &str,
    explanation: &str,
    id: String,
    checked: bool,
    onchange: Callback<Event>,
) -> Html {
    html! {
        <li>
            <label><input type="checkbox" {checked} {onchange} data-mistake={id} />{ name }</label>
            <p class="explanation">{ explanation }</p>
        </li>
    }
}

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
