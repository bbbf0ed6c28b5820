//! The fields of a scenario's JSON as the page names them ("the cluster size
//! (nodes)", "the server to crash at step 12 of the action log"), what each
//! must be where that is narrower than its type ("a whole number from 1 to
//! 9"), and where in the JSON a reader stopped. A path the tables do not
//! know is named from its parent ("item 2 of the notes").
//!
//! The names are tables, not code: a `match` on paths compiled to some 15 KiB
//! of wasm, the tables to a tenth of that.

use super::error::{BRACES, list, quoted, whole};
use super::{FORMAT_VERSION, MAX_NOTE_CHARS, MAX_TITLE_CHARS};
use crate::network::{MAX_LATENCY, PPM};
use crate::raft::config::{MAX_NODES, Mistake};

/// One step of a path into the JSON: a named field (or enum variant), or a
/// place in a list, from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

use Seg::{Index, Key};

/// The path to the value serde_json was reading when it stopped at byte
/// `at` of `json`: each open object's key and each open list's place.
pub(super) fn path_at(json: &str, at: usize) -> Vec<Seg<'_>> {
    enum Open<'a> {
        /// An object, with the key read last (none before the first and
        /// after a comma) and whether its value has begun.
        Object(Option<&'a str>, bool),
        List(usize),
    }
    let bytes = json.as_bytes();
    let mut end = at.min(bytes.len());
    // A value of the wrong kind is refused either before its bracket or just
    // after it: the path leads to that value, not into it.
    let before_bracket = matches!(bytes.get(end), Some(b'[' | b'{'));
    if !before_bracket && end > 0 && matches!(bytes[end - 1], b'[' | b'{') {
        end -= 1;
    }
    let mut open: Vec<Open> = Vec::new();
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i = start;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                // A key counts once its closing quote is read.
                if let Some(Open::Object(key, false)) = open.last_mut()
                    && i < end
                {
                    *key = json.get(start..i);
                }
            }
            b'{' => open.push(Open::Object(None, false)),
            b'[' => open.push(Open::List(0)),
            b'}' | b']' => {
                open.pop();
            }
            b':' => {
                if let Some(Open::Object(_, value)) = open.last_mut() {
                    *value = true;
                }
            }
            b',' => match open.last_mut() {
                Some(Open::List(index)) => *index += 1,
                Some(Open::Object(key, value)) => (*key, *value) = (None, false),
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    open.iter()
        .filter_map(|o| match o {
            // A key whose value has not begun names nothing yet.
            Open::Object(key, value) => key.filter(|_| *value).map(Key),
            Open::List(index) => Some(Index(*index)),
        })
        .collect()
}

/// What a field must be, where the page knows better than its type.
#[derive(Clone, Copy)]
enum Shape {
    Words(&'static str),
    Whole(u64, u64),
    Micros(u64, u64),
    PartsPerMillion,
    Text(usize),
    Server,
    Mistake,
}

/// A field: its path (`.`-separated; `#` a place in a list, `*` any key),
/// its name (`#1` and `#2` are the numbers of the path's places, from 1)
/// and, if narrower than its type, what it must be.
type Field = (&'static str, &'static str, Option<Shape>);

use Shape::*;

/// The scenario's own fields; the action log's entries are in [`ACTION`].
const FIELDS: &[Field] = &[
    ("version", "the format version", Some(Whole(1, FORMAT_VERSION as u64))),
    ("run", "the run (its protocol, settings and actions)", Some(Words(RUN))),
    ("run.raft", "the Raft run", None),
    ("run.raft.config", "the Raft settings", None),
    ("run.raft.config.nodes", "the cluster size (nodes)", Some(Whole(1, MAX_NODES as u64))),
    (
        "run.raft.config.election_timeout_min",
        "the shortest election timeout (election_timeout_min)",
        Some(Micros(1, u64::MAX)),
    ),
    (
        "run.raft.config.election_timeout_max",
        "the longest election timeout (election_timeout_max)",
        Some(Micros(1, u64::MAX)),
    ),
    (
        "run.raft.config.heartbeat_interval",
        "the heartbeat interval (heartbeat_interval)",
        Some(Micros(1, u64::MAX)),
    ),
    (
        "run.raft.config.max_entries_per_append",
        "the entries an AppendEntries carries (max_entries_per_append)",
        Some(Whole(1, u32::MAX as u64)),
    ),
    ("run.raft.config.conflict_hint", "the conflict hint setting (conflict_hint)", None),
    ("run.raft.config.pre_vote", "the PreVote setting (pre_vote)", None),
    ("run.raft.config.check_quorum", "the CheckQuorum setting (check_quorum)", None),
    ("run.raft.config.mistakes", "the mistakes switched on (mistakes)", None),
    ("run.raft.config.mistakes.#", "mistake #1 of the settings", Some(Mistake)),
    ("run.raft.config.initial", "the starting logs (initial)", None),
    ("run.raft.config.initial.#", "the starting state of n#1", None),
    ("run.raft.config.initial.#.current_term", "the starting term of n#1", None),
    ("run.raft.config.initial.#.log_terms", "the starting log of n#1", None),
    (
        "run.raft.config.initial.#.log_terms.#",
        "entry #2 of the starting log of n#1",
        Some(Whole(1, u64::MAX)),
    ),
    ("run.raft.config.initial.#.values", "the values of the starting log of n#1", None),
    (
        "run.raft.config.initial.#.values.#",
        "the value of entry #2 of the starting log of n#1",
        None,
    ),
    ("run.*.actions", "the action log", Some(Words(ACTIONS))),
    ("seed", "the seed", None),
    ("links", "the network settings (links)", Some(Words(BRACES))),
    ("links.latency_min", "the shortest latency (latency_min)", Some(Micros(0, MAX_LATENCY))),
    ("links.latency_max", "the longest latency (latency_max)", Some(Micros(0, MAX_LATENCY))),
    ("links.loss_ppm", "the chance of loss (loss_ppm)", Some(PartsPerMillion)),
    ("links.duplicate_ppm", "the chance of a duplicate (duplicate_ppm)", Some(PartsPerMillion)),
    ("step", "the step shown (step)", None),
    ("time", "the time shown (time)", Some(Micros(0, u64::MAX))),
    ("selected", "the selection (selected)", Some(Words(SELECTED))),
    ("selected.Node", "the selected server", Some(Server)),
    ("selected.Message", "the selected message", None),
    ("selected.Link", "the selected link", Some(Words(PAIR))),
    ("selected.Link.#", "server #1 of the selected link", Some(Server)),
    ("narration", "the narration", None),
    ("narration.title", "the title", Some(Text(MAX_TITLE_CHARS))),
    ("narration.description", "the description", Some(Text(MAX_NOTE_CHARS))),
    ("narration.notes", "the notes", Some(Words(NOTES))),
    ("narration.notes.#", "note #1", None),
    ("narration.notes.#.step", "the step of note #1", None),
    ("narration.notes.#.text", "the text of note #1", Some(Text(MAX_NOTE_CHARS))),
];

/// The parts of the action log's entry at a step, named before "at step 12
/// of the action log". The entry itself is "step 12 of the action log".
const ACTION: &[Field] = &[
    ("", "", Some(Words(ENTRY))),
    ("Deliver", "the message to deliver", None),
    ("Drop", "the message to drop", None),
    ("Duplicate", "the message to duplicate", None),
    ("Fire", "the timer to fire", None),
    ("Crash", "the server to crash", Some(Server)),
    ("Restart", "the server to restart", Some(Server)),
    ("Partition", "the groups of the partition", Some(Words(GROUPS))),
    ("Partition.#", "group #1 of the partition", Some(Words(GROUP))),
    ("Partition.#.#", "server #2 of group #1 of the partition", Some(Server)),
    ("Cut", "the link to cut", None),
    ("Cut.from", "the first server (from) of the link to cut", Some(Server)),
    ("Cut.to", "the second server (to) of the link to cut", Some(Server)),
    ("Restore", "the link to restore", None),
    ("Restore.from", "the first server (from) of the link to restore", Some(Server)),
    ("Restore.to", "the second server (to) of the link to restore", Some(Server)),
    ("SetLink", "the link change", None),
    ("SetLink.link", "the link to change", Some(Words(LINK))),
    ("SetLink.link.#", "server #1 of the link to change", Some(Server)),
    ("SetLink.params", "the link settings", None),
    (
        "SetLink.params.latency_min",
        "the shortest latency (latency_min) set",
        Some(Micros(0, MAX_LATENCY)),
    ),
    (
        "SetLink.params.latency_max",
        "the longest latency (latency_max) set",
        Some(Micros(0, MAX_LATENCY)),
    ),
    ("SetLink.params.loss_ppm", "the chance of loss (loss_ppm) set", Some(PartsPerMillion)),
    (
        "SetLink.params.duplicate_ppm",
        "the chance of a duplicate (duplicate_ppm) set",
        Some(PartsPerMillion),
    ),
    ("Request", "the request", None),
    ("Request.node", "the server the request goes to", Some(Server)),
    // Raft's request and command.
    ("Request.request", "the key and value of the request", Some(Words(SET))),
    ("Request.request.key", "the key of the request", Some(Words(KEY))),
    ("Request.request.value", "the value of the request", None),
    ("Command", "the command", None),
    ("Command.node", "the server given the command", Some(Server)),
    ("Command.command", "the command", Some(Words(COMMAND))),
    ("Command.command.TransferLeadership", "the leadership transfer", None),
    ("Command.command.TransferLeadership.to", "the server to hand leadership to", Some(Server)),
    ("AdvanceTo", "the time to let pass to", Some(Micros(0, u64::MAX))),
];

const RUN: &str = r#"named values in braces, like {"raft": {…}}"#;
const ACTIONS: &str = "a list of actions and counts of steps in square brackets [ … ]";
const ENTRY: &str = r#"a count of steps or an action, like 12, "Heal" or {"Crash": 0}"#;
const SELECTED: &str = r#"named values in braces, like {"Node": 0}"#;
const PAIR: &str = "a pair of server numbers, like [0, 1]";
const NOTES: &str = "a list of at most 1000 notes in square brackets [ … ]";
const GROUPS: &str = "a list of groups of server numbers, like [[0, 1], [2]]";
const GROUP: &str = "a list of server numbers, like [0, 1]";
const LINK: &str = "a pair of server numbers like [0, 1], or null for every link";
const SET: &str = r#"named values in braces, like {"key": "x", "value": 3}"#;
const KEY: &str = "1 to 8 characters of a-z, 0-9 and _, starting with a letter";
const COMMAND: &str = r#""ForceElection" or {"TransferLeadership": {"to": 1}}"#;

/// The field at `path` in the table, and the numbers of its places.
fn find(table: &'static [Field], path: &[Seg]) -> Option<(&'static Field, [usize; 2])> {
    table.iter().find_map(|field| {
        let mut places = [0; 2];
        let mut n = 0;
        let mut segs = path.iter();
        for part in field.0.split('.').filter(|p| !p.is_empty()) {
            match (part, segs.next()?) {
                ("#", Index(i)) => {
                    places[n.min(1)] = i + 1;
                    n += 1;
                }
                ("*", Key(_)) => {}
                (part, Key(key)) if part == *key => {}
                _ => return None,
            }
        }
        segs.next().is_none().then_some((field, places))
    })
}

/// The table and the path within it: an entry of the action log and the
/// step it starts at, or the scenario's own fields.
fn table<'p, 'a>(path: &'p [Seg<'a>]) -> (&'static [Field], &'p [Seg<'a>], bool) {
    match path {
        [Key("run"), Key(_), Key("actions"), Index(_), part @ ..] => (ACTION, part, true),
        _ => (FIELDS, path, false),
    }
}

/// The field at `path` in words; `step` is the step the action log's
/// failing entry starts at. The scenario itself is "it".
pub(super) fn name(path: &[Seg], step: u64) -> String {
    let (table, part, in_log) = table(path);
    if let Some(((_, words, _), [a, b])) = find(table, part) {
        let words = words.replace("#1", &a.to_string()).replace("#2", &b.to_string());
        return match (in_log, words.is_empty()) {
            (false, _) => words,
            (true, true) => format!("step {step} of the action log"),
            (true, false) => format!("{words} at step {step} of the action log"),
        };
    }
    match path {
        [] => "it".into(),
        [Index(i)] => format!("item {} of the scenario", i + 1),
        [parent @ .., Index(i)] => format!("item {} of {}", i + 1, name(parent, step)),
        [parent @ .., Key(key)] => {
            let key = quoted(key).unwrap_or_else(|| "a value".into());
            match parent {
                [] => format!("the value of {key}"),
                _ => format!("{key} in {}", name(parent, step)),
            }
        }
    }
}

/// What the field at `path` must be, where the page knows better than its
/// type (a range the scenario's check enforces, a text's length, examples).
pub(super) fn shape(path: &[Seg]) -> Option<String> {
    let (table, part, _) = table(path);
    Some(match find(table, part)?.0.2? {
        Words(words) => words.into(),
        Whole(lo, hi) => whole(lo, hi),
        Micros(lo, hi) => {
            let hour = if hi == MAX_LATENCY { " (one hour)" } else { "" };
            format!("a whole number of microseconds from {lo} to {hi}{hour}")
        }
        PartsPerMillion => format!("a whole number of parts per million from 0 to {PPM}"),
        Text(max) => format!("a text in double quotes of at most {max} characters"),
        Server => format!("a server's number, a whole number from 0 (for n1) to {}", u32::MAX),
        Mistake => {
            let names: Vec<String> = Mistake::ALL.iter().map(|m| format!("{m:?}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            format!("one of {}", list(&names, "or"))
        }
    })
}

/// The kind of name an enum's field holds, for "names an unknown …".
pub(super) fn kind(path: &[Seg]) -> &'static str {
    match path {
        [Key("run")] => "protocol",
        [Key("run"), Key(_), Key("actions"), Index(_)] => "action",
        [Key("run"), Key(_), Key("config"), Key("mistakes"), Index(_)] => "mistake",
        [.., Key("command")] => "command",
        [Key("selected")] => "kind of selection",
        _ => "name",
    }
}

#[cfg(test)]
#[test]
fn the_tables_limits_are_the_codes() {
    use super::MAX_NOTES;
    use crate::raft::kv::MAX_KEY_LEN;
    assert!(NOTES.contains(&format!(" {MAX_NOTES} ")));
    assert!(KEY.starts_with(&format!("1 to {MAX_KEY_LEN} ")));
    let patterns = FIELDS.iter().chain(ACTION).map(|f| f.0);
    let mut seen = std::collections::BTreeSet::new();
    assert!(patterns.into_iter().all(|p| seen.insert(p)), "each path once");
}

#[cfg(test)]
#[test]
fn the_path_is_read_back_from_where_the_reader_stopped() {
    let json = r#"{"a": {"x": 1}, "b": [5, [6, "#;
    let at = |prefix: &str| path_at(json, prefix.len());
    assert_eq!(at(r#"{"a": {"x": 1"#), [Key("a"), Key("x")]);
    assert_eq!(at(r#"{"a": {"x": 1}"#), [Key("a")], "after the object, at its key");
    assert_eq!(at(r#"{"a": {"x": 1}, "b""#), [], "a key whose value has not begun");
    assert_eq!(at(r#"{"a": {"x": 1}, "b": [5, [6"#), [Key("b"), Index(1), Index(0)]);
    // Refused before a bracket, or just after it: the value, not inside it.
    assert_eq!(at(r#"{"a": {"x": 1}, "b": [5, "#), [Key("b"), Index(1)]);
    assert_eq!(at(r#"{"a": {"x": 1}, "b": [5, ["#), [Key("b"), Index(1)]);
    assert_eq!(path_at(r#"{"a\"b": 1"#, 9), [Key(r#"a\"b"#)], "an escaped quote");
}
