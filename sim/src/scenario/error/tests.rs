use crate::engine::Engine;
use crate::raft::RaftNode;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::raft::RaftConfig;
use crate::scenario::{MAX_LINK_CHARS, Scenario};
use crate::{Action, LinkParams, NodeId};

/// A small scenario's JSON: 3 steps, a crash, 2 steps, a note.
fn good() -> Value {
    let mut scenario = Scenario::raft(RaftConfig::default(), 7, LinkParams::default());
    let spec = RaftNode::spec_mut(&mut scenario.run).expect("a Raft scenario");
    spec.actions = [Action::Step, Action::Step, Action::Step, Action::Crash(NodeId(1))]
        .into_iter()
        .chain([Action::Step, Action::Step])
        .collect();
    scenario.step = 4;
    scenario.narration.set_note(4, "n2 is down");
    serde_json::from_str(&scenario.to_json()).unwrap()
}

fn edited(edit: impl Fn(&mut Value)) -> String {
    let mut json = good();
    edit(&mut json);
    json.to_string()
}

fn link_of(json: &str) -> String {
    format!(
        "v1.{}",
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9))
    )
}

/// The words a link or file is refused with: one sentence, lowercase first
/// and without its full stop (the page capitalizes it and goes on after it).
fn refusal(what: &str, opened: Result<Scenario, super::LinkError>) -> String {
    let words = opened.map(|_| ()).expect_err(what).to_string();
    assert!(words.starts_with(|c: char| c.is_lowercase()), "{what}: {words}");
    let one_sentence = !words.ends_with('.') && !words.contains(". ") && !words.contains('\n');
    assert!(one_sentence, "{what}: {words}");
    words
}

#[test]
fn every_malformed_file_or_link_is_refused_in_one_sentence_naming_the_field() {
    let read = "the scenario cannot be read: ";
    let cases: Vec<(&str, String, String)> = vec![
        (
            "a seed too large for 64 bits",
            good().to_string().replace(r#""seed":7"#, r#""seed":18446744073709551616"#),
            format!(
                "{read}the seed must be a whole number from 0 to 18446744073709551615, not \
                 1.8446744073709552e+19"
            ),
        ),
        (
            "an action log over the limit",
            edited(|j| j["run"]["raft"]["actions"] = json!([3, {"Crash": 1}, 999_997])),
            format!("{read}the action log must hold at most 1000000 actions"),
        ),
        (
            "a count that would wrap round 64 bits",
            edited(|j| j["run"]["raft"]["actions"] = json!([1, u64::MAX])),
            format!("{read}the action log must hold at most 1000000 actions"),
        ),
        (
            "a word for the cluster size",
            edited(|j| j["run"]["raft"]["config"]["nodes"] = json!("five")),
            format!(
                "{read}the cluster size (nodes) must be a whole number from 1 to 9, not “five”"
            ),
        ),
        (
            "a setting of the wrong type",
            edited(|j| j["run"]["raft"]["config"]["pre_vote"] = json!(1)),
            format!("{read}the PreVote setting (pre_vote) must be true or false, not 1"),
        ),
        (
            "a negative step",
            edited(|j| j["step"] = json!(-5)),
            format!(
                "{read}the step shown (step) must be a whole number from 0 to \
                 18446744073709551615, not -5"
            ),
        ),
        (
            "a negative count of steps",
            edited(|j| j["run"]["raft"]["actions"][2] = json!(-1)),
            format!(
                r#"{read}step 5 of the action log must be a count of steps or an action, like 12, "Heal" or {{"Crash": 0}}, not -1"#
            ),
        ),
        (
            "an unknown action",
            edited(|j| j["run"]["raft"]["actions"][1] = json!({"Teleport": 1})),
            format!(
                "{read}step 4 of the action log names an unknown action, “Teleport” (this page \
                 knows Step, Deliver, Drop, Duplicate, Fire, Crash, Restart, Partition, Heal, \
                 Cut, Restore, SetLink, Request, Command, AdvanceTo and Substitute)"
            ),
        ),
        (
            "a server that is not a number",
            edited(|j| j["run"]["raft"]["actions"][1] = json!({"Crash": "n2"})),
            format!(
                "{read}the server to crash at step 4 of the action log must be a server's \
                 number, a whole number from 0 (for n1) to 4294967295, not “n2”"
            ),
        ),
        (
            "a key that is not one",
            edited(|j| {
                j["run"]["raft"]["actions"][1] =
                    json!({"Request": {"node": 0, "request": {"key": "X!", "value": 3}}})
            }),
            format!(
                "{read}the key of the request at step 4 of the action log must be 1 to 8 \
                 characters of a-z, 0-9 and _, starting with a letter"
            ),
        ),
        (
            "an unknown protocol",
            edited(|j| j["run"] = json!({"paxos": {}})),
            format!(
                "{read}the run (its protocol, settings and actions) names an unknown protocol, \
                 “paxos” (this page knows raft and pbft)"
            ),
        ),
        (
            "an unknown mistake",
            edited(|j| j["run"]["raft"]["config"]["mistakes"] = json!(["Oops"])),
            format!(
                "{read}mistake 1 of the settings names an unknown mistake, “Oops” (this page \
                 knows CommitOlderTermByCounting, ForgetVotedForOnRestart, \
                 VoteWithoutUpToDateCheck and AppendWithoutConsistencyCheck)"
            ),
        ),
        (
            "a missing field",
            r#"{"version": 1}"#.into(),
            format!("{read}it lacks the run (its protocol, settings and actions)"),
        ),
        (
            "a missing field in an action",
            edited(|j| j["run"]["raft"]["actions"][1] = json!({"Cut": {"from": 1}})),
            format!(
                "{read}it lacks the second server (to) of the link to cut at step 4 of the action \
                 log"
            ),
        ),
        (
            "a latency JSON cannot hold",
            good().to_string().replace(r#""latency_max":15000"#, r#""latency_max":1e999"#),
            format!(
                "{read}the longest latency (latency_max) must be a whole number of microseconds \
                 from 0 to 3600000000 (one hour)"
            ),
        ),
        (
            "a title that is not text",
            edited(|j| j["narration"]["title"] = json!(["a", "b"])),
            format!(
                "{read}the title must be a text in double quotes of at most 200 characters, not a \
                 list"
            ),
        ),
        (
            "truncated JSON",
            {
                let json = Scenario::from_json(&good().to_string()).unwrap().to_json();
                let cut = json.find(r#""heartbeat_interval": "#).unwrap() + 22;
                json[..cut].to_string()
            },
            format!(
                "{read}it is cut short in the middle of the heartbeat interval (heartbeat_interval)"
            ),
        ),
        (
            "text after the end",
            format!("{} and more", good()),
            format!("{read}it is not well-formed JSON: more text follows where it should end"),
        ),
        (
            "not JSON at all",
            "hello".into(),
            format!("{read}it is not well-formed JSON: a value is missing or misspelt"),
        ),
        (
            "a note past the end (a plain refusal that stays as it was)",
            edited(|j| j["narration"]["notes"][0]["step"] = json!(99)),
            "the scenario cannot run: a note is on step 99, past the end of the run".into(),
        ),
    ];
    for (what, json, expected) in cases {
        assert_eq!(refusal(what, Scenario::from_json(&json)), expected, "{what}");
        let as_link = refusal(what, Scenario::from_link(&link_of(&json)));
        assert_eq!(as_link, expected, "{what}, as a link");
    }

    let good_link = link_of(&good().to_string());
    let links: Vec<(&str, String, &str)> = vec![
        (
            "a bad base64 link",
            "v1.%%%".into(),
            "the link is damaged: it has characters a scenario link never has (was it cut or \
             changed when it was copied?)",
        ),
        (
            "a too long link",
            format!("v1.{}", "A".repeat(MAX_LINK_CHARS)),
            "the link is too long (100003 characters; at most 100000 are read)",
        ),
        (
            "an unknown version",
            good_link.replacen("v1.", "v2.", 1),
            "the scenario was made by a newer Caucus (format 2); this Caucus reads format 1",
        ),
        (
            "version 0",
            good_link.replacen("v1.", "v0.", 1),
            "the scenario names format 0, which no Caucus writes; this Caucus reads format 1",
        ),
        (
            "a newer version inside",
            link_of(&edited(|j| j["version"] = json!(3))),
            "the scenario was made by a newer Caucus (format 3); this Caucus reads format 1",
        ),
    ];
    for (what, link, expected) in links {
        assert_eq!(refusal(what, Scenario::from_link(&link)), expected, "{what}");
    }
}

#[test]
fn an_entry_of_the_log_is_named_by_the_step_it_starts_at() {
    // 3 steps, a crash (step 4), 2 steps (5 and 6), then the bad entry: step 7.
    let json = edited(|j| j["run"]["raft"]["actions"].as_array_mut().unwrap().push(json!(true)));
    let words = refusal("true in the log", Scenario::from_json(&json));
    assert!(words.contains("step 7 of the action log must be"), "{words}");
    let json = edited(|j| {
        j["run"]["raft"]["actions"][1] = json!({"SetLink": {"link": null, "params": {
            "latency_min": 1, "latency_max": 2, "loss_ppm": -1, "duplicate_ppm": 0}}})
    });
    assert_eq!(
        refusal("a negative loss", Scenario::from_json(&json)),
        "the scenario cannot be read: the chance of loss (loss_ppm) set at step 4 of the action \
         log must be a whole number of parts per million from 0 to 1000000, not -1"
    );
}

#[test]
fn a_path_no_table_names_is_named_from_its_parent() {
    // A starting state written as a list: its second item is the log.
    let json = edited(|j| j["run"]["raft"]["config"]["initial"] = json!([[1, "a"]]));
    assert_eq!(
        refusal("a starting state as a list", Scenario::from_json(&json)),
        "the scenario cannot be read: item 2 of the starting state of n1 must be a list in \
         square brackets [ … ], not “a”"
    );
    let json = edited(|j| j["narration"]["notes"][0] = json!(["a"]));
    assert_eq!(
        refusal("a note as a list", Scenario::from_json(&json)),
        "the scenario cannot be read: item 1 of note 1 must be a whole number from 0 to \
         18446744073709551615, not “a”"
    );
}
