//! A link's latency, loss and duplication as a person types them: latency
//! in milliseconds (decimals allowed), loss and duplication in percent. The
//! simulator counts microseconds and parts per million, so the text is read
//! with whole-number arithmetic and the same text always gives the same run.

use caucus_sim::LinkParams;
use caucus_sim::ids::MILLIS;
use caucus_sim::network::{MAX_LATENCY, PPM};
use wasm_bindgen::JsCast;
use web_sys::{HtmlFormElement, HtmlInputElement};
use yew::prelude::*;

/// The longest latency a person can set, in milliseconds (the network's limit).
pub const MAX_LATENCY_MS: u64 = MAX_LATENCY / MILLIS;

/// Reads a decimal number with at most `places` digits after the point as a
/// whole number of its `places`-th parts ("12.5" with 3 places is 12500).
fn decimal(text: &str, places: u32) -> Option<u64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty()
        || !digits(whole)
        || !digits(fraction)
        || fraction.len() > places as usize
    {
        return None;
    }
    let scale = 10u64.pow(places);
    let whole: u64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let fraction: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse::<u64>().ok()? * 10u64.pow(places - fraction.len() as u32)
    };
    whole.checked_mul(scale)?.checked_add(fraction)
}

/// Milliseconds, to the microsecond, from 0 to an hour.
pub fn parse_ms(what: &str, text: &str) -> Result<u64, String> {
    decimal(text, 3).filter(|&us| us <= MAX_LATENCY_MS * MILLIS).ok_or_else(|| {
        format!(
            "the {what} must be a number of milliseconds from 0 to {MAX_LATENCY_MS} \
             (up to three decimals), not \u{201c}{}\u{201d}",
            text.trim()
        )
    })
}

/// A percentage, to the ten-thousandth of a percent, from 0 to 100, in parts per million.
pub fn parse_percent(what: &str, text: &str) -> Result<u32, String> {
    decimal(text, 4).filter(|&ppm| ppm <= u64::from(PPM)).map(|ppm| ppm as u32).ok_or_else(|| {
        format!(
            "the {what} must be a percentage from 0 to 100 (up to four decimals), not \u{201c}{}\u{201d}",
            text.trim()
        )
    })
}

/// The four fields read together, or the first thing wrong with them.
pub fn parse_link(
    latency_min: &str,
    latency_max: &str,
    loss: &str,
    duplicate: &str,
) -> Result<LinkParams, String> {
    let params = LinkParams {
        latency_min: parse_ms("smallest latency", latency_min)?,
        latency_max: parse_ms("largest latency", latency_max)?,
        loss_ppm: parse_percent("loss", loss)?,
        duplicate_ppm: parse_percent("duplication", duplicate)?,
    };
    if params.latency_min > params.latency_max {
        return Err(format!(
            "the smallest latency ({} ms) is above the largest ({} ms)",
            ms_text(params.latency_min),
            ms_text(params.latency_max)
        ));
    }
    match params.problem() {
        Some(why) => Err(why),
        None => Ok(params),
    }
}

/// Microseconds as the form shows them: "12.5".
pub fn ms_text(us: u64) -> String {
    let (whole, part) = (us / MILLIS, us % MILLIS);
    if part == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{part:03}").trim_end_matches('0').to_string()
    }
}

/// Parts per million as the form shows them, in percent: "0.5".
pub fn percent_text(ppm: u32) -> String {
    let (whole, part) = (ppm / 10_000, ppm % 10_000);
    if part == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{part:04}").trim_end_matches('0').to_string()
    }
}

/// A link's settings in words: "10–15 ms, 5% lost, none duplicated".
pub fn describe(p: &LinkParams) -> String {
    let latency = if p.latency_min == p.latency_max {
        format!("{} ms", ms_text(p.latency_min))
    } else {
        format!("{}–{} ms", ms_text(p.latency_min), ms_text(p.latency_max))
    };
    let share = |ppm: u32, what: &str| match ppm {
        0 => format!("none {what}"),
        _ => format!("{}% {what}", percent_text(ppm)),
    };
    format!("{latency}, {}, {}", share(p.loss_ppm, "lost"), share(p.duplicate_ppm, "duplicated"))
}

#[derive(Properties, PartialEq)]
pub struct LinkFormProps {
    /// What the fields start from.
    pub params: LinkParams,
    /// Names the form for screen readers and tests ("every link", "n1 ↔ n2").
    pub label: AttrValue,
    pub submit: AttrValue,
    /// The settings read from the fields, or one sentence on what is wrong.
    pub on_apply: Callback<Result<LinkParams, String>>,
}

/// Latency range, loss and duplication, with one button to apply them.
#[function_component(LinkForm)]
pub fn link_form(props: &LinkFormProps) -> Html {
    let on_submit = {
        let on_apply = props.on_apply.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(form) = e.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else {
                return;
            };
            let field = |name: &str| {
                form.elements()
                    .named_item(name)
                    .and_then(|f| f.dyn_into::<HtmlInputElement>().ok())
                    .map(|f| f.value())
                    .unwrap_or_default()
            };
            on_apply.emit(parse_link(
                &field("latency_min"),
                &field("latency_max"),
                &field("loss"),
                &field("duplicate"),
            ));
        })
    };
    let p = props.params;
    // Keyed by the values, so the fields show new settings once applied.
    let key = format!("{p:?}");
    html! {
        <form class="link-form" onsubmit={on_submit} aria-label={props.label.clone()} {key}>
            <label>{ "Latency " }
                <input name="latency_min" type="text" inputmode="decimal" size="5"
                       value={ms_text(p.latency_min)} aria-label="Smallest latency in milliseconds" />
            </label>
            <label>{ "to " }
                <input name="latency_max" type="text" inputmode="decimal" size="5"
                       value={ms_text(p.latency_max)} aria-label="Largest latency in milliseconds" />
                { " ms" }
            </label>
            <label>{ "Loss " }
                <input name="loss" type="text" inputmode="decimal" size="4"
                       value={percent_text(p.loss_ppm)} aria-label="Loss in percent" />{ " %" }
            </label>
            <label>{ "Duplicates " }
                <input name="duplicate" type="text" inputmode="decimal" size="4"
                       value={percent_text(p.duplicate_ppm)} aria-label="Duplication in percent" />{ " %" }
            </label>
            <button type="submit">{ props.submit.clone() }</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn milliseconds_and_percentages_are_read_exactly() {
        assert_eq!(parse_ms("latency", "12.5"), Ok(12_500));
        assert_eq!(parse_ms("latency", " 0 "), Ok(0));
        assert_eq!(parse_ms("latency", ".25"), Ok(250));
        assert_eq!(parse_ms("latency", "3600000"), Ok(3_600_000_000));
        assert_eq!(parse_percent("loss", "12.5"), Ok(125_000));
        assert_eq!(parse_percent("loss", "100"), Ok(PPM));
        assert_eq!(parse_percent("loss", "0.0001"), Ok(1));
    }

    #[test]
    fn bad_fields_are_refused_with_the_field_and_its_range() {
        for bad in ["", "-1", "1e3", "abc", "1.2345", "3600001", "1.2.3"] {
            let why = parse_ms("smallest latency", bad).unwrap_err();
            assert!(
                why.starts_with(
                    "the smallest latency must be a number of milliseconds from 0 to 3600000"
                ),
                "{why}"
            );
        }
        for bad in ["100.01", "-5", "5%", "0.00001"] {
            let why = parse_percent("loss", bad).unwrap_err();
            assert!(why.starts_with("the loss must be a percentage from 0 to 100"), "{why}");
        }
        let why = parse_link("20", "10", "0", "0").unwrap_err();
        assert!(why.contains("smallest latency") && why.contains("above the largest"), "{why}");
    }

    #[test]
    fn settings_read_back_as_they_are_shown() {
        let p = parse_link("10", "15.25", "2.5", "0").unwrap();
        assert_eq!((ms_text(p.latency_min), ms_text(p.latency_max)), ("10".into(), "15.25".into()));
        assert_eq!(percent_text(p.loss_ppm), "2.5");
        assert_eq!(describe(&p), "10–15.25 ms, 2.5% lost, none duplicated");
    }
}
