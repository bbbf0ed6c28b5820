//! The fields of a scenario's JSON as the page names them ("the cluster size
//! (nodes)", "the server to crash at step 12 of the action log"), what each
//! must be where that is narrower than its type ("a whole number from 1 to
//! 9"), and what kind of name an enum's field holds. A path this does not
//! know is named from its parent ("item 2 of the notes").

use super::error::{BRACES, list, quoted, whole};
use super::{FORMAT_VERSION, MAX_NOTE_CHARS, MAX_NOTES, MAX_TITLE_CHARS};
use crate::network::{MAX_LATENCY, PPM};
use crate::raft::config::{MAX_NODES, Mistake};
use crate::raft::kv::MAX_KEY_LEN;

/// One step of a path into the JSON: a named field (or enum variant), or a
/// place in a list, from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

use Seg::{Index, Key};

/// The field at `path` in words; `step` is the step the action log's
/// failing entry starts at. The scenario itself is "it".
pub(super) fn name(path: &[Seg], step: u64) -> String {
    known_name(path, step).unwrap_or_else(|| match path {
        [] => "it".into(),
        [Index(i)] => format!("item {} of the scenario", i + 1),
        [Key(key)] => quoted(key).map_or_else(|| "a value".into(), |q| format!("the value of {q}")),
        [parent @ .., Index(i)] => format!("item {} of {}", i + 1, name(parent, step)),
        [parent @ .., Key(key)] => {
            let key = quoted(key).unwrap_or_else(|| "a value".into());
            format!("{key} in {}", name(parent, step))
        }
    })
}

fn known_name(path: &[Seg], step: u64) -> Option<String> {
    let words = match path {
        [Key("version")] => "the format version",
        [Key("run")] => "the run (its protocol, settings and actions)",
        [Key("run"), Key(protocol)] => return Some(format!("the {} run", protocol_name(protocol))),
        [Key("run"), Key(protocol), Key("config")] => {
            return Some(format!("the {} settings", protocol_name(protocol)));
        }
        [Key("run"), Key("raft"), Key("config"), setting @ ..] => return raft_setting(setting),
        [Key("run"), Key(_), Key("actions")] => "the action log",
        [Key("run"), Key(protocol), Key("actions"), Index(_), part @ ..] => {
            return action_part(protocol, part, step);
        }
        [Key("seed")] => "the seed",
        [Key("links")] => "the network settings (links)",
        [Key("links"), Key(setting)] => link_setting(setting)?,
        [Key("step")] => "the step shown (step)",
        [Key("time")] => "the time shown (time)",
        [Key("selected")] => "the selection (selected)",
        [Key("selected"), Key("Node")] => "the selected server",
        [Key("selected"), Key("Message")] => "the selected message",
        [Key("narration")] => "the narration",
        [Key("narration"), Key("title")] => "the title",
        [Key("narration"), Key("description")] => "the description",
        [Key("narration"), Key("notes")] => "the notes",
        [Key("narration"), Key("notes"), Index(i)] => return Some(format!("note {}", i + 1)),
        [Key("narration"), Key("notes"), Index(i), Key("step")] => {
            return Some(format!("the step of note {}", i + 1));
        }
        [Key("narration"), Key("notes"), Index(i), Key("text")] => {
            return Some(format!("the text of note {}", i + 1));
        }
        _ => return None,
    };
    Some(words.into())
}

fn protocol_name(key: &str) -> String {
    match key {
        "raft" => "Raft".into(),
        other => quoted(other).unwrap_or_else(|| "protocol's".into()),
    }
}

fn raft_setting(path: &[Seg]) -> Option<String> {
    let words = match path {
        [Key("nodes")] => "the cluster size (nodes)",
        [Key("election_timeout_min")] => "the shortest election timeout (election_timeout_min)",
        [Key("election_timeout_max")] => "the longest election timeout (election_timeout_max)",
        [Key("heartbeat_interval")] => "the heartbeat interval (heartbeat_interval)",
        [Key("max_entries_per_append")] => {
            "the entries an AppendEntries carries (max_entries_per_append)"
        }
        [Key("conflict_hint")] => "the conflict hint setting (conflict_hint)",
        [Key("pre_vote")] => "the PreVote setting (pre_vote)",
        [Key("check_quorum")] => "the CheckQuorum setting (check_quorum)",
        [Key("mistakes")] => "the mistakes switched on (mistakes)",
        [Key("mistakes"), Index(i)] => return Some(format!("mistake {} of the settings", i + 1)),
        [Key("initial")] => "the starting logs (initial)",
        [Key("initial"), Index(n)] => return Some(format!("the starting state of n{}", n + 1)),
        [Key("initial"), Index(n), Key("current_term")] => {
            return Some(format!("the starting term of n{}", n + 1));
        }
        [Key("initial"), Index(n), Key("log_terms")] => {
            return Some(format!("the starting log of n{}", n + 1));
        }
        [Key("initial"), Index(n), Key("log_terms"), Index(i)] => {
            return Some(format!("entry {} of the starting log of n{}", i + 1, n + 1));
        }
        _ => return None,
    };
    Some(words.into())
}

fn link_setting(key: &str) -> Option<&'static str> {
    Some(match key {
        "latency_min" => "the shortest latency (latency_min)",
        "latency_max" => "the longest latency (latency_max)",
        "loss_ppm" => "the chance of loss (loss_ppm)",
        "duplicate_ppm" => "the chance of a duplicate (duplicate_ppm)",
        _ => return None,
    })
}

/// A part of the action that starts at `step`.
fn action_part(protocol: &str, part: &[Seg], step: u64) -> Option<String> {
    let at = format!("at step {step} of the action log");
    Some(match (protocol, part) {
        (_, []) => format!("step {step} of the action log"),
        (_, [Key(verb @ ("Deliver" | "Drop" | "Duplicate"))]) => {
            format!("the message to {} {at}", verb.to_lowercase())
        }
        (_, [Key("Fire")]) => format!("the timer to fire {at}"),
        (_, [Key(verb @ ("Crash" | "Restart"))]) => {
            format!("the server to {} {at}", verb.to_lowercase())
        }
        (_, [Key("Partition")]) => format!("the groups of the partition {at}"),
        (_, [Key("Partition"), Index(g)]) => format!("group {} of the partition {at}", g + 1),
        (_, [Key("Partition"), Index(g), Index(s)]) => {
            format!("server {} of group {} of the partition {at}", s + 1, g + 1)
        }
        (_, [Key(verb @ ("Cut" | "Restore"))]) => {
            format!("the link to {} {at}", verb.to_lowercase())
        }
        (_, [Key(verb @ ("Cut" | "Restore")), Key(end @ ("from" | "to"))]) => {
            let which = if *end == "from" { "first" } else { "second" };
            format!("the {which} server ({end}) of the link to {} {at}", verb.to_lowercase())
        }
        (_, [Key("SetLink")]) => format!("the link change {at}"),
        (_, [Key("SetLink"), Key("link")]) => format!("the link to change {at}"),
        (_, [Key("SetLink"), Key("link"), Index(i)]) => {
            format!("server {} of the link to change {at}", i + 1)
        }
        (_, [Key("SetLink"), Key("params")]) => format!("the link settings {at}"),
        (_, [Key("SetLink"), Key("params"), Key(setting)]) => {
            format!("{} set {at}", link_setting(setting)?)
        }
        (_, [Key("Request")]) => format!("the request {at}"),
        (_, [Key("Request"), Key("node")]) => format!("the server the request goes to {at}"),
        (_, [Key("Command")]) => format!("the command {at}"),
        (_, [Key("Command"), Key("node")]) => format!("the server given the command {at}"),
        (_, [Key("AdvanceTo")]) => format!("the time to let pass to {at}"),
        ("raft", [Key("Request"), Key("request")]) => {
            format!("the key and value of the request {at}")
        }
        ("raft", [Key("Request"), Key("request"), Key(field @ ("key" | "value"))]) => {
            format!("the {field} of the request {at}")
        }
        ("raft", [Key("Command"), Key("command")]) => format!("the command {at}"),
        ("raft", [Key("Command"), Key("command"), Key("TransferLeadership")]) => {
            format!("the leadership transfer {at}")
        }
        ("raft", [Key("Command"), Key("command"), Key("TransferLeadership"), Key("to")]) => {
            format!("the server to hand leadership to {at}")
        }
        _ => return None,
    })
}

/// What the field at `path` must be, where the page knows better than its
/// type (a range the scenario's check enforces, a text's length, examples).
pub(super) fn shape(path: &[Seg]) -> Option<String> {
    Some(match path {
        [Key("version")] => whole(1, FORMAT_VERSION),
        [Key("run")] => r#"named values in braces, like {"raft": {…}}"#.into(),
        [Key("run"), Key("raft"), Key("config"), setting @ ..] => raft_shape(setting)?,
        [Key("run"), Key(_), Key("actions")] => {
            "a list of actions and counts of steps in square brackets [ … ]".into()
        }
        [Key("run"), Key(protocol), Key("actions"), Index(_), part @ ..] => {
            action_shape(protocol, part)?
        }
        [Key("links")] => BRACES.into(),
        [Key("links"), Key(setting)] => link_shape(setting)?,
        [Key("time")] => micros(0, u64::MAX),
        [Key("selected")] => r#"named values in braces, like {"Node": 0}"#.into(),
        [Key("selected"), Key("Node")] => server(),
        [Key("narration"), Key("title")] => text(MAX_TITLE_CHARS),
        [Key("narration"), Key("description")] => text(MAX_NOTE_CHARS),
        [Key("narration"), Key("notes")] => {
            format!("a list of at most {MAX_NOTES} notes in square brackets [ … ]")
        }
        [Key("narration"), Key("notes"), Index(_), Key("text")] => text(MAX_NOTE_CHARS),
        _ => return None,
    })
}

fn raft_shape(path: &[Seg]) -> Option<String> {
    Some(match path {
        [Key("nodes")] => whole(1, MAX_NODES),
        [Key("election_timeout_min" | "election_timeout_max" | "heartbeat_interval")] => {
            micros(1, u64::MAX)
        }
        [Key("max_entries_per_append")] => whole(1, u32::MAX),
        [Key("mistakes"), Index(_)] => {
            let names: Vec<String> = Mistake::ALL.iter().map(|m| format!("{m:?}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            format!("one of {}", list(&names, "or"))
        }
        [Key("initial"), Index(_), Key("log_terms"), Index(_)] => whole(1, u64::MAX),
        _ => return None,
    })
}

fn link_shape(key: &str) -> Option<String> {
    Some(match key {
        "latency_min" | "latency_max" => {
            format!("{} (one hour)", micros(0, MAX_LATENCY))
        }
        "loss_ppm" | "duplicate_ppm" => {
            format!("a whole number of parts per million from 0 to {PPM}")
        }
        _ => return None,
    })
}

fn action_shape(protocol: &str, part: &[Seg]) -> Option<String> {
    Some(match (protocol, part) {
        (_, []) => r#"a count of steps or an action, like 12, "Heal" or {"Crash": 0}"#.into(),
        (_, [Key("Crash" | "Restart")])
        | (_, [Key("Partition"), Index(_), Index(_)])
        | (_, [Key("Cut" | "Restore"), Key("from" | "to")])
        | (_, [Key("SetLink"), Key("link"), Index(_)])
        | (_, [Key("Request" | "Command"), Key("node")])
        | ("raft", [Key("Command"), Key("command"), Key("TransferLeadership"), Key("to")]) => {
            server()
        }
        (_, [Key("Partition")]) => "a list of groups of server numbers, like [[0, 1], [2]]".into(),
        (_, [Key("Partition"), Index(_)]) => "a list of server numbers, like [0, 1]".into(),
        (_, [Key("SetLink"), Key("link")]) => {
            "a pair of server numbers like [0, 1], or null for every link".into()
        }
        (_, [Key("SetLink"), Key("params"), Key(setting)]) => link_shape(setting)?,
        (_, [Key("AdvanceTo")]) => micros(0, u64::MAX),
        ("raft", [Key("Request"), Key("request")]) => {
            r#"named values in braces, like {"key": "x", "value": 3}"#.into()
        }
        ("raft", [Key("Request"), Key("request"), Key("key")]) => {
            format!("1 to {MAX_KEY_LEN} characters of a-z, 0-9 and _, starting with a letter")
        }
        ("raft", [Key("Command"), Key("command")]) => {
            r#""ForceElection" or {"TransferLeadership": {"to": 1}}"#.into()
        }
        _ => return None,
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

/// A node's number in the JSON: n1 is 0.
fn server() -> String {
    format!("a server's number, a whole number from 0 (for n1) to {}", u32::MAX)
}

fn micros(lo: u64, hi: u64) -> String {
    format!("a whole number of microseconds from {lo} to {hi}")
}

fn text(max: usize) -> String {
    format!("a text in double quotes of at most {max} characters")
}
