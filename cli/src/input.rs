//! What `caucus run` reads: a scenario file as the page saves it, a file
//! holding a link, a link as the page shares it (the whole address or only
//! its `#v1.…` fragment), or `-` for standard input.

use std::io::Read;
use std::path::Path;

use caucus_sim::scenario::{MAX_JSON_BYTES, Scenario};

use crate::fail::Fail;

pub fn scenario(arg: &str) -> Result<Scenario, Fail> {
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin()
            .take(MAX_JSON_BYTES as u64 + 1)
            .read_to_string(&mut text)
            .map_err(|e| Fail::new(format!("standard input could not be read: {e}")))?;
        return from_text(&text, "standard input");
    }
    // A file by that name first: a path may hold a '#' too.
    let path = Path::new(arg);
    if !path.exists() {
        if let Some((_, fragment)) = arg.rsplit_once('#') {
            return Scenario::from_link(fragment).map_err(|e| Fail::new(format!("{e}.")));
        }
        if looks_like_link(arg) {
            return Scenario::from_link(arg).map_err(|e| Fail::new(format!("{e}.")));
        }
    }
    let file = std::fs::File::open(path)
        .map_err(|e| Fail::new(format!("{arg} could not be opened: {}.", plain(&e))))?;
    let mut text = String::new();
    file.take(MAX_JSON_BYTES as u64 + 1)
        .read_to_string(&mut text)
        .map_err(|e| Fail::new(format!("{arg} could not be read as text: {}.", plain(&e))))?;
    from_text(&text, arg)
}

/// A file's or stdin's text: a scenario's JSON, or a link.
fn from_text(text: &str, source: &str) -> Result<Scenario, Fail> {
    let trimmed = text.trim();
    let read = if trimmed.starts_with('{') {
        Scenario::from_json(trimmed)
    } else {
        let fragment = trimmed.rsplit_once('#').map_or(trimmed, |(_, f)| f);
        Scenario::from_link(fragment)
    };
    read.map_err(|e| Fail::new(format!("{source}: {e}.")))
}

/// `v1.…`: a fragment pasted without its address.
fn looks_like_link(arg: &str) -> bool {
    arg.strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// An I/O error in words, without Rust's "(os error 2)".
pub fn plain(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text.to_string(),
    }
}
