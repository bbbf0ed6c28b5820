//! Why a link or a file cannot be opened, in one sentence a user reads: the
//! field that is wrong, named as the page names it, and what it must be.
//!
//! A JSON error arrives as serde's words ("invalid type: floating point
//! `1.8446744073709552e+19`, expected u64 at line 1 column 399"). Where it
//! stopped gives the path of the field ([`fields::path_at`]), the path the
//! field's name ([`fields::name`]), serde's kind of error the sentence
//! around it, and serde's type names ranges.
//!
//! The path is read back from where serde_json stopped, not tracked while
//! reading as `serde_path_to_error` does: its wrapper around every step of
//! the reader made the decoder's wasm 11 KiB larger gzipped (measured), and
//! it allocates every key of every link read, all for the rare link that
//! fails.

use std::fmt;

use super::fields::{self, Seg};
use super::{FORMAT_VERSION, MAX_JSON_BYTES, MAX_LINK_CHARS};
use crate::ActionError;

/// Why a link or a file cannot be opened, in words for the page. Each
/// displays as one sentence, without its capital and its full stop (the
/// page adds them, or goes on after a colon).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// Nothing after the `#`.
    Empty,
    /// The fragment is not a scenario at all.
    NotAScenario,
    /// Written by a newer Caucus (or naming a format none wrote).
    UnknownVersion(u32),
    TooLong {
        chars: usize,
    },
    /// Not base64url: the link was cut or changed.
    BadEncoding,
    /// The compressed data is cut short or damaged.
    Damaged,
    TooLarge,
    /// The JSON does not describe a scenario: why, in words.
    BadScenario(String),
    /// It does, but it cannot run or does not fit together.
    Impossible(String),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Empty => write!(f, "the link holds no scenario"),
            LinkError::NotAScenario => {
                write!(f, "this is not a Caucus scenario link (it should start with #v1.)")
            }
            // This one, TooLarge, BadScenario and Impossible come from files as
            // well as links, so they do not say "link".
            LinkError::UnknownVersion(0) => write!(
                f,
                "the scenario names format 0, which no Caucus writes; this Caucus reads {}",
                formats_read()
            ),
            LinkError::UnknownVersion(v) => write!(
                f,
                "the scenario was made by a newer Caucus (format {v}); this Caucus reads {}",
                formats_read()
            ),
            LinkError::TooLong { chars } => write!(
                f,
                "the link is too long ({chars} characters; at most {MAX_LINK_CHARS} are read)"
            ),
            LinkError::BadEncoding => write!(
                f,
                "the link is damaged: it has characters a scenario link never has (was it cut or \
                 changed when it was copied?)"
            ),
            LinkError::Damaged => {
                write!(f, "the link is damaged or cut short: its data does not unpack")
            }
            LinkError::TooLarge => write!(
                f,
                "the scenario is too large (more than {} MiB unpacked)",
                MAX_JSON_BYTES >> 20
            ),
            LinkError::BadScenario(why) => write!(f, "the scenario cannot be read: {why}"),
            LinkError::Impossible(why) => write!(f, "the scenario cannot run: {why}"),
        }
    }
}

impl std::error::Error for LinkError {}

/// "format 1", or "formats 1 to 3".
fn formats_read() -> String {
    match FORMAT_VERSION {
        1 => "format 1".into(),
        v => format!("formats 1 to {v}"),
    }
}

/// An action of the log that does not apply when replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayError {
    /// Its position in the log, from 0.
    pub index: usize,
    pub error: ActionError,
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "action {} of the scenario does not apply: {}", self.index + 1, self.error)
    }
}

/// What serde_json said, sorted by what the sentence must say.
#[derive(Debug, PartialEq)]
enum Problem<'a> {
    /// A value of the wrong type or range (or a number JSON cannot hold):
    /// what was found, when it is worth repeating, and serde's name for what
    /// was wanted.
    Value {
        found: Option<String>,
        wanted: &'a str,
    },
    /// A list (or a struct written as one) of the wrong length.
    Length {
        wanted: &'a str,
    },
    /// A list longer than its limit, which the reader words itself ("at most 10 actions").
    TooMany(&'a str),
    /// A name the format does not have, and the names it has.
    UnknownName {
        name: &'a str,
        known: Vec<&'a str>,
    },
    Missing(&'a str),
    Twice(&'a str),
    CutShort,
    /// Not JSON: what is wrong with the text, in words.
    Syntax(&'static str),
    /// A refusal in a deserializer's own words, which may not be the page's.
    Other,
}

/// The words for the scenario `json` when serde_json refused it with
/// `error`, after "the scenario cannot be read: ". `entry_step` is the step
/// of the action log's entry being read when it failed (a path counts
/// entries, and one entry may hold many steps).
#[cold]
#[inline(never)]
pub(super) fn unreadable(json: &str, error: &serde_json::Error, entry_step: u64) -> String {
    let message = error.to_string();
    let at = format!(" at line {} column {}", error.line(), error.column());
    let message = message.strip_suffix(&at).unwrap_or(&message);
    let problem = match error.classify() {
        serde_json::error::Category::Eof => Problem::CutShort,
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => syntax(message),
        serde_json::error::Category::Data => data(message),
    };
    // serde_json counts lines from 1 and columns in bytes from the line's start.
    let line_start: usize =
        json.split_inclusive('\n').take(error.line().saturating_sub(1)).map(str::len).sum();
    let mut path = fields::path_at(json, line_start + error.column());
    let about_the_list = match &problem {
        Problem::Length { .. } | Problem::TooMany(_) => true,
        Problem::Syntax(what) => *what == MORE_AFTER_END,
        _ => false,
    };
    // An unknown name read as a key is reported at that key, and a list's
    // length at the item after which it was noticed: both belong to the value
    // that holds them.
    match (&problem, path.last()) {
        (Problem::UnknownName { name, .. }, Some(&Seg::Key(key))) if key == *name => {
            path.pop();
        }
        (_, Some(Seg::Index(_))) if about_the_list => {
            path.pop();
        }
        _ => {}
    }
    sentence(&problem, &path, entry_step)
}

fn sentence(problem: &Problem, path: &[Seg], step: u64) -> String {
    let field = || fields::name(path, step);
    let in_field = || match path {
        [] => String::new(),
        _ => format!(" in {}", field()),
    };
    match problem {
        Problem::Value { found, wanted } => {
            match fields::shape(path).or_else(|| shape_of_type(wanted)) {
                Some(shape) => match found {
                    Some(found) => format!("{} must be {shape}, not {found}", field()),
                    None => format!("{} must be {shape}", field()),
                },
                None => format!("{} is not written in a way this Caucus reads", field()),
            }
        }
        Problem::Length { wanted } => match fields::shape(path).or_else(|| shape_of_type(wanted)) {
            Some(shape) => format!("{} must be {shape}", field()),
            None => format!("{} is not written in a way this Caucus reads", field()),
        },
        Problem::TooMany(limit) => format!("{} must hold {limit}", field()),
        Problem::UnknownName { name, known } => {
            let kind = fields::kind(path);
            let name = quoted(name).map(|q| format!(", {q}")).unwrap_or_default();
            let known = match known.as_slice() {
                [] => String::new(),
                names => format!(" (this page knows {})", list(names, "and")),
            };
            format!("{} names an unknown {kind}{name}{known}", field())
        }
        Problem::Missing(key) => format!("it lacks {}", fields::name(&child(path, key), step)),
        Problem::Twice(key) => format!("it gives {} twice", fields::name(&child(path, key), step)),
        Problem::CutShort => match path {
            [] => "it is cut short".into(),
            _ => format!("it is cut short in the middle of {}", field()),
        },
        // Where the field's shape is known, a number JSON cannot hold, a list
        // longer than its pair or a value of the wrong kind (serde_json calls
        // an enum's number a syntax error) is a value that is not that shape.
        Problem::Syntax(what) => match fields::shape(path) {
            Some(shape) if !path.is_empty() && ABOUT_ONE_VALUE.contains(what) => {
                format!("{} must be {shape}", field())
            }
            _ => format!("it is not well-formed JSON{}: {what}", in_field()),
        },
        Problem::Other => match fields::shape(path) {
            Some(shape) => format!("{} must be {shape}", field()),
            None => format!("{} is not written in a way this Caucus reads", field()),
        },
    }
}

fn child<'a>(path: &[Seg<'a>], key: &'a str) -> Vec<Seg<'a>> {
    let mut path = path.to_vec();
    path.push(Seg::Key(key));
    path
}

/// Serde's words for a value it could not use.
fn data(message: &str) -> Problem<'_> {
    let named = |rest: &'static str| -> Option<&str> {
        message.strip_prefix(rest)?.strip_suffix('`').filter(|name| !name.contains('`'))
    };
    if let Some(rest) =
        message.strip_prefix("invalid type: ").or_else(|| message.strip_prefix("invalid value: "))
    {
        let (found, wanted) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
        return Problem::Value { found: found_words(found), wanted };
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        let wanted = rest.split_once(", expected ").map_or("", |(_, wanted)| wanted);
        if wanted.starts_with("at most ") {
            return Problem::TooMany(wanted);
        }
        return Problem::Length { wanted };
    }
    for prefix in ["unknown variant `", "unknown field `"] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (name, known) = rest
                .rsplit_once("`, expected ")
                .or_else(|| rest.rsplit_once("`, there are no "))
                .unwrap_or((rest, ""));
            // The known names are the format's own, each in backticks.
            let known = known.split('`').skip(1).step_by(2).collect();
            return Problem::UnknownName { name, known };
        }
    }
    if let Some(key) = named("missing field `") {
        return Problem::Missing(key);
    }
    if let Some(key) = named("duplicate field `") {
        return Problem::Twice(key);
    }
    Problem::Other
}

/// serde_json's syntax errors that can be about one value, not about the text.
const ABOUT_ONE_VALUE: [&str; 4] = [
    "a number is too large",
    "a number is written wrongly",
    MORE_AFTER_END,
    "a value is missing or misspelt",
];

const MORE_AFTER_END: &str = "more text follows where it should end";

/// serde_json's syntax errors, in words.
fn syntax(message: &str) -> Problem<'static> {
    Problem::Syntax(match message {
        "expected `:`" => "a colon is missing after a name",
        "expected `,` or `]`" => "a comma or a closing ] is missing",
        "expected `,` or `}`" => "a comma or a closing } is missing",
        "expected value" => "a value is missing or misspelt",
        "expected ident" => "a word is misspelt (only true, false and null go without quotes)",
        "expected `\"`" | "key must be a string" => "a name is not in double quotes",
        "invalid escape" => "a text has a backslash that starts no valid escape",
        "invalid number" => "a number is written wrongly",
        "number out of range" => "a number is too large",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "a text holds a control character, such as a tab"
        }
        "trailing comma" => "a comma is followed by nothing",
        // At the top the text goes on after the scenario; inside, a list holds
        // more than its pair (a link's two servers).
        "trailing characters" => MORE_AFTER_END,
        "recursion limit exceeded" => "its lists and braces are nested too deeply",
        "invalid unicode code point"
        | "lone leading surrogate in hex escape"
        | "unexpected end of hex escape" => "a text has a \\u escape that is not valid unicode",
        _ => "it breaks JSON's rules",
    })
}

/// A value serde found, as the user wrote it: numbers and words in full,
/// anything else by its kind.
fn found_words(found: &str) -> Option<String> {
    let quoted_value = |prefix: &str| found.strip_prefix(prefix)?.strip_suffix('`');
    if let Some(number) = quoted_value("integer `").or_else(|| quoted_value("floating point `")) {
        return Some(number.to_string());
    }
    if let Some(b) = quoted_value("boolean `") {
        return Some(b.to_string());
    }
    if let Some(text) = found.strip_prefix("string \"").and_then(|t| t.strip_suffix('"')) {
        return Some(quoted(text).unwrap_or_else(|| "a text".into()));
    }
    match found {
        "null" | "unit value" => Some("null".into()),
        "sequence" => Some("a list".into()),
        "map" => Some("named values in braces".into()),
        _ => None,
    }
}

/// Serde's names of types, as what a value must be.
fn shape_of_type(wanted: &str) -> Option<String> {
    Some(match wanted {
        "u8" => whole(0, u8::MAX.into()),
        "u16" => whole(0, u16::MAX.into()),
        "u32" => whole(0, u32::MAX.into()),
        "u64" => whole(0, u64::MAX),
        "i64" => "a whole number from -9223372036854775808 to 9223372036854775807".into(),
        "a boolean" => "true or false".into(),
        "a string" | "a borrowed string" => "a text in double quotes".into(),
        "a sequence" => "a list in square brackets [ … ]".into(),
        "a map" => BRACES.into(),
        _ if wanted.starts_with("struct ") => BRACES.into(),
        _ if wanted.starts_with("a tuple of size ") || wanted.starts_with("tuple of size ") => {
            let n = wanted.rsplit(' ').next().unwrap_or("2");
            format!("a list of {n} in square brackets [ … ]")
        }
        // A reader's own words ("an action or a count of steps").
        _ if !wanted.is_empty() && wanted.bytes().all(|b| b.is_ascii_lowercase() || b == b' ') => {
            wanted.to_string()
        }
        _ => return None,
    })
}

pub(super) const BRACES: &str = "named values in braces { … }";

/// "a whole number from 0 to 255", or "the number 1".
pub(super) fn whole(lo: u64, hi: u64) -> String {
    if lo == hi { format!("the number {lo}") } else { format!("a whole number from {lo} to {hi}") }
}

/// A name a user wrote, in quotes, if it is short and plain enough to repeat.
pub(super) fn quoted(name: &str) -> Option<String> {
    // ASCII only: the page's names are, and Unicode's tables would cost the
    // bundle more than a misspelt name in another script is worth repeating.
    let plain = (1..=40).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    plain.then(|| format!("“{name}”"))
}

/// "a, b and c" (or "a, b or c").
pub(super) fn list(names: &[&str], and: &str) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests;
