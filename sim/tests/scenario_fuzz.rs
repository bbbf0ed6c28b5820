//! The link decoder under attack: arbitrary strings, arbitrary bytes in a
//! well-formed envelope, damaged copies of a real link, and scenarios with
//! random (often impossible) settings and actions, and a file's JSON with
//! any value of the wrong kind or with its text damaged. Decoding must never
//! panic, and whatever it accepts must replay without panicking: an action
//! that does not apply is an error in words, not a crash. Every refusal is
//! one plain sentence, without the parser's words.
//!
//! On failure proptest shrinks the input and prints it. The budget is small
//! here and large under `cargo xtask test --long`.

#![cfg(not(target_arch = "wasm32"))]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use caucus_sim::engine::Engine;
use caucus_sim::raft::config::InitialServer;
use caucus_sim::raft::kv::{Key, Set};
use caucus_sim::raft::node::RaftCommand;
use caucus_sim::raft::{Mistake, RaftConfig, RaftNode};
use caucus_sim::scenario::{Scenario, Selected};
use caucus_sim::{Action, LinkParams, MessageId, NodeId, TimerId};
use proptest::prelude::*;

fn cases() -> u32 {
    match std::env::var("CAUCUS_TEST_LENGTH").as_deref() {
        Ok("long") => 50_000,
        _ => 1_000,
    }
}

/// Decodes and, if accepted, replays: the whole path a link takes. Returns
/// whether the link was accepted. Every refusal is in plain words.
fn open(link: &str) -> bool {
    let scenario = match Scenario::from_link(link) {
        Ok(scenario) => scenario,
        Err(refused) => {
            assert_plain(&refused.to_string());
            return false;
        }
    };
    assert!(scenario.check().is_ok(), "accepted but not runnable: {scenario:?}");
    let spec = RaftNode::spec(&scenario.run).expect("a Raft scenario");
    if let Err(refused) = spec.replay(scenario.seed, scenario.links) {
        assert_plain(&refused.to_string());
    }
    true
}

/// A file's path: the JSON read as it is, then the same JSON as a link.
fn open_json(json: &str) -> bool {
    if let Err(refused) = Scenario::from_json(json) {
        assert_plain(&refused.to_string());
    }
    open(&pack(json.as_bytes()))
}

/// One sentence without its capital and full stop (the page adds both, or
/// goes on after a colon), and none of the parser's words.
fn assert_plain(words: &str) {
    assert!(words.starts_with(|c: char| c.is_lowercase()), "{words}");
    let one_sentence = !words.ends_with('.') && !words.contains(". ") && !words.contains('\n');
    assert!(one_sentence, "not one sentence: {words}");
    for jargon in ["line ", "column", "invalid type", "expected", "variant", "`", "struct", "EOF"] {
        assert!(!words.contains(jargon), "{jargon:?} in {words}");
    }
    for jargon in ["map", "sequence", "u32", "u64", "i64"] {
        assert!(!words.split(|c: char| !c.is_alphanumeric()).any(|w| w == jargon), "{words}");
    }
}

fn random_scenario() -> impl Strategy<Value = Scenario> {
    (config(), links(), any::<u64>(), prop::collection::vec(action(), 0..80), 0u64..100).prop_map(
        |(config, links, seed, actions, step)| {
            let mut scenario = Scenario::raft(config, seed, links);
            let spec = RaftNode::spec_mut(&mut scenario.run).expect("a Raft scenario");
            spec.actions = actions;
            scenario.step = step;
            scenario
        },
    )
}

fn pack(json: &[u8]) -> String {
    format!("v1.{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json, 6)))
}

/// A real link to damage.
fn good_link() -> String {
    let mut scenario = Scenario::raft(RaftConfig::default(), 3, LinkParams::default());
    let spec = RaftNode::spec_mut(&mut scenario.run).expect("a Raft scenario");
    spec.actions = std::iter::repeat_n(Action::Step, 40)
        .chain([Action::Crash(NodeId(1))])
        .chain(std::iter::repeat_n(Action::Step, 30))
        .collect();
    scenario.step = 60;
    scenario.narration.set_note(41, "n2 crashed");
    scenario.to_link()
}

/// A scenario with every kind of field and action, as JSON to damage.
fn rich_json() -> serde_json::Value {
    let config = RaftConfig {
        mistakes: [Mistake::ALL[0]].into(),
        initial: InitialServer::all(&[(2, &[1, 2]), (2, &[1]), (1, &[])]),
        ..RaftConfig::raftscope(3)
    };
    let mut scenario = Scenario::raft(config, 3, LinkParams::default());
    let spec = RaftNode::spec_mut(&mut scenario.run).expect("a Raft scenario");
    let (n0, n1) = (NodeId(0), NodeId(1));
    spec.actions = vec![
        Action::Step,
        Action::Step,
        Action::Deliver(MessageId(4)),
        Action::Drop(MessageId(5)),
        Action::Duplicate(MessageId(6)),
        Action::Fire(TimerId(7)),
        Action::Crash(n1),
        Action::Restart(n1),
        Action::Partition(vec![vec![n0], vec![n1]]),
        Action::Heal,
        Action::Cut { from: n0, to: n1 },
        Action::Restore { from: n0, to: n1 },
        Action::SetLink { link: Some((n0, n1)), params: LinkParams::default() },
        Action::Request { node: n0, request: Set { key: Key::new("x").unwrap(), value: 3 } },
        Action::Command { node: n0, command: RaftCommand::ForceElection },
        Action::Command { node: n0, command: RaftCommand::TransferLeadership { to: n1 } },
        Action::AdvanceTo(1_000),
    ];
    scenario.step = 12;
    scenario.time = Some(900);
    scenario.selected = Some(Selected::Node(n1));
    scenario.narration.title = "Every kind".into();
    scenario.narration.description = "All of it".into();
    scenario.narration.set_note(3, "a note");
    serde_json::from_str(&scenario.to_json()).expect("a scenario's JSON")
}

/// Every value of `json`, as JSON pointers.
fn pointers(json: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match json {
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{i}"), out);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, value) in fields {
                pointers(value, format!("{at}/{key}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// A value of any kind, often of the wrong one.
fn any_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        ".{0,12}".prop_map(serde_json::Value::from),
        Just(json!([])),
        Just(json!([1, 2, 3])),
        Just(json!({})),
        Just(json!({"Teleport": 1})),
        Just(json!("Heal")),
        Just(json!(-1)),
    ]
}

fn time() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..1_000_000, any::<u64>(), Just(u64::MAX)]
}

fn node() -> impl Strategy<Value = NodeId> {
    prop_oneof![(0u32..10).prop_map(NodeId), any::<u32>().prop_map(NodeId)]
}

/// Mostly settings that run (so the replay is exercised), some wild ones.
fn config() -> impl Strategy<Value = RaftConfig> {
    prop_oneof![3 => plausible_config(), 1 => wild_config()]
}

fn plausible_config() -> impl Strategy<Value = RaftConfig> {
    (
        1u32..=9,
        1u64..300_000,
        0u64..300_000,
        1u64..100_000,
        1u32..4,
        any::<[bool; 3]>(),
        prop::collection::btree_set(prop::sample::select(Mistake::ALL.to_vec()), 0..3),
    )
        .prop_map(
            |(nodes, min, spread, heartbeat, entries, [hint, pre_vote, quorum], mistakes)| {
                RaftConfig {
                    nodes,
                    election_timeout_min: min,
                    election_timeout_max: min + spread,
                    heartbeat_interval: heartbeat,
                    max_entries_per_append: entries,
                    conflict_hint: hint,
                    pre_vote,
                    check_quorum: quorum,
                    mistakes: mistakes.into_iter().collect(),
                    initial: Vec::new(),
                }
            },
        )
}

fn wild_config() -> impl Strategy<Value = RaftConfig> {
    (
        0u32..12,
        time(),
        time(),
        time(),
        prop_oneof![0u32..4, any::<u32>()],
        any::<[bool; 3]>(),
        prop::collection::btree_set(prop::sample::select(Mistake::ALL.to_vec()), 0..4),
        prop::collection::vec(
            (
                prop_oneof![0u64..10, any::<u64>()],
                prop::collection::vec(0u64..6, 0..6),
                prop::collection::vec(any::<i64>(), 0..6),
            )
                .prop_map(|(current_term, log_terms, values)| InitialServer {
                    current_term,
                    log_terms,
                    values,
                }),
            0..6,
        ),
    )
        .prop_map(
            |(nodes, min, max, heartbeat, entries, [hint, pre_vote, quorum], mistakes, initial)| {
                RaftConfig {
                    nodes,
                    election_timeout_min: min,
                    election_timeout_max: max,
                    heartbeat_interval: heartbeat,
                    max_entries_per_append: entries,
                    conflict_hint: hint,
                    pre_vote,
                    check_quorum: quorum,
                    mistakes: mistakes.into_iter().collect(),
                    initial,
                }
            },
        )
}

fn links() -> impl Strategy<Value = LinkParams> {
    prop_oneof![3 => Just(LinkParams::default()), 1 => wild_links()]
}

fn wild_links() -> impl Strategy<Value = LinkParams> {
    (
        time(),
        time(),
        prop_oneof![0u32..300_000, any::<u32>()],
        prop_oneof![0u32..300_000, any::<u32>()],
    )
        .prop_map(|(latency_min, latency_max, loss_ppm, duplicate_ppm)| LinkParams {
            latency_min,
            latency_max,
            loss_ppm,
            duplicate_ppm,
        })
}

fn action() -> impl Strategy<Value = Action<RaftNode>> {
    prop_oneof![
        8 => Just(Action::Step),
        1 => (0u64..40).prop_map(|m| Action::Deliver(MessageId(m))),
        1 => (0u64..40).prop_map(|m| Action::Drop(MessageId(m))),
        1 => (0u64..40).prop_map(|m| Action::Duplicate(MessageId(m))),
        1 => (0u64..40).prop_map(|t| Action::Fire(TimerId(t))),
        1 => node().prop_map(Action::Crash),
        1 => node().prop_map(Action::Restart),
        1 => prop::collection::vec(prop::collection::vec(node(), 0..4), 0..4).prop_map(Action::Partition),
        1 => Just(Action::Heal),
        1 => (node(), node()).prop_map(|(from, to)| Action::Cut { from, to }),
        1 => (node(), node()).prop_map(|(from, to)| Action::Restore { from, to }),
        1 => (prop::option::of((node(), node())), links()).prop_map(|(link, params)| Action::SetLink { link, params }),
        1 => (node(), "[a-z]{1,3}", any::<i64>()).prop_map(|(node, k, value)| Action::Request {
            node,
            request: Set { key: Key::new(&k).expect("a short lowercase key"), value },
        }),
        1 => node().prop_map(|node| Action::Command { node, command: RaftCommand::ForceElection }),
        1 => (node(), node()).prop_map(|(node, to)| Action::Command { node, command: RaftCommand::TransferLeadership { to } }),
        1 => time().prop_map(Action::AdvanceTo),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}") {
        open(&text);
        open(&format!("v1.{text}"));
    }

    #[test]
    fn arbitrary_bytes_in_the_envelope_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        open(&format!("v1.{}", URL_SAFE_NO_PAD.encode(&bytes)));
        open(&pack(&bytes));
    }

    #[test]
    fn damaged_links_never_panic(cut in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), c in any::<char>()) {
        let link = good_link();
        open(&link[..cut.index(link.len())]);
        let mut changed: Vec<char> = link.chars().collect();
        let i = at.index(changed.len());
        changed[i] = c;
        open(&changed.into_iter().collect::<String>());
    }

    #[test]
    fn random_scenarios_are_refused_in_words_or_replay_without_panicking(scenario in random_scenario()) {
        open(&scenario.to_link());
    }

    #[test]
    fn any_value_of_the_wrong_kind_is_refused_in_plain_words(at in any::<prop::sample::Index>(), value in any_json()) {
        let mut json = rich_json();
        let mut all = Vec::new();
        pointers(&json, String::new(), &mut all);
        *json.pointer_mut(&all[at.index(all.len())]).expect("a pointer of its own") = value;
        open_json(&json.to_string());
    }

    #[test]
    fn damaged_json_is_refused_in_plain_words(cut in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), c in any::<char>()) {
        let json = serde_json::to_string_pretty(&rich_json()).expect("JSON");
        let chars: Vec<char> = json.chars().collect();
        open_json(&chars[..cut.index(chars.len())].iter().collect::<String>());
        let mut changed = chars.clone();
        let i = at.index(changed.len());
        changed[i] = c;
        open_json(&changed.iter().collect::<String>());
        changed.insert(i, c);
        open_json(&changed.into_iter().collect::<String>());
    }
}

/// The random scenarios are not all refused up front: enough of them reach
/// the replay for the test above to mean something.
#[test]
fn a_fair_share_of_random_scenarios_is_replayed() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = random_scenario();
    let accepted = (0..400)
        .filter(|_| open(&strategy.new_tree(&mut runner).expect("a value").current().to_link()))
        .count();
    assert!(accepted >= 60, "only {accepted} of 400 random scenarios were accepted");
}

#[test]
fn the_good_link_opens() {
    let scenario = Scenario::from_link(&good_link()).expect("a real link");
    let spec = RaftNode::spec(&scenario.run).expect("a Raft scenario");
    assert_eq!(spec.replay(scenario.seed, scenario.links).map(|t| t.len()), Ok(71));
}
