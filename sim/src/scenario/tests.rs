use crate::engine::Engine;
use crate::raft::RaftNode;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;
use crate::raft::{RaftCommand, Set};

/// A 200-step Raft run with 10 interventions of every kind a user makes,
/// at the steps where each applies, with a title and a note.
fn sample() -> Scenario {
    let config = RaftConfig::default();
    let links = LinkParams::default();
    let mut timeline = Timeline::new(World::<RaftNode>::new(config.clone(), 7, links));
    type Intervention = Box<dyn Fn(&World<RaftNode>) -> Action<RaftNode>>;
    let interventions: Vec<(u64, Intervention)> = vec![
        (10, Box::new(|_| Action::Crash(NodeId(4)))),
        (20, Box::new(|w| Action::AdvanceTo(w.now() + 1))),
        (30, Box::new(|_| Action::Restart(NodeId(4)))),
        (
            50,
            Box::new(|w| {
                // A follower: a leader has no election timeout to fire.
                let leader = crate::raft::view::leader(w);
                let node = (0..5).map(NodeId).find(|&n| Some(n) != leader).unwrap();
                Action::Command { node, command: RaftCommand::ForceElection }
            }),
        ),
        (70, Box::new(|_| Action::Partition(vec![vec![NodeId(0), NodeId(1)]]))),
        (90, Box::new(|_| Action::Heal)),
        (
            110,
            Box::new(|_| Action::Request { node: NodeId(0), request: Set::parse("x=3").unwrap() }),
        ),
        (130, Box::new(|_| Action::Cut { from: NodeId(1), to: NodeId(3) })),
        (150, Box::new(|_| Action::Restore { from: NodeId(1), to: NodeId(3) })),
        (
            170,
            Box::new(|_| Action::Request { node: NodeId(3), request: Set::parse("y=12").unwrap() }),
        ),
    ];
    let mut next = interventions.into_iter().peekable();
    while timeline.len() < 210 {
        if let Some((_, make)) = next.next_if(|(at, _)| *at == timeline.len()) {
            let action = make(timeline.world());
            timeline.apply(action).expect("the sample's interventions apply");
        } else {
            timeline.apply(Action::Step).expect("a Raft cluster always has a timer");
        }
    }
    let mut scenario = Scenario::raft(config, 7, links);
    let spec = RaftNode::spec_mut(&mut scenario.run).expect("a Raft scenario");
    spec.actions = timeline.log().to_vec();
    scenario.step = 180;
    scenario.selected = Some(Selected::Node(NodeId(2)));
    scenario.narration.title = "A sample run".into();
    scenario.narration.set_note(12, "n5 is down: <b>watch</b> the others.");
    scenario
}

#[test]
fn a_link_brings_back_the_same_scenario_and_stays_short() {
    let scenario = sample();
    assert_eq!(scenario.len(), 210);
    let link = scenario.to_link();
    assert!(link.starts_with("v1."), "{link}");
    assert!(
        link.len() < 2_000,
        "a 200-step run with 10 interventions in {} characters",
        link.len()
    );
    assert!(link.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)), "{link}");
    assert_eq!(Scenario::from_link(&link), Ok(scenario.clone()));
    assert_eq!(Scenario::from_link(&format!("#{link}")), Ok(scenario.clone()), "with its #");
    assert_eq!(Scenario::from_json(&scenario.to_json()), Ok(scenario));
}

#[test]
fn runs_of_plain_steps_are_written_as_counts() {
    let json = serde_json::to_string(&sample()).unwrap();
    assert!(json.contains(r#""actions":[10,{"Crash":4},9,{"AdvanceTo":"#), "{json}");
    // Plain "Step" entries read as well, for people writing files by hand.
    let hand = json.replacen("[10,", r#"["Step",9,"#, 1);
    assert_eq!(Scenario::from_json(&hand).unwrap().len(), 210);
}

#[test]
fn every_way_a_link_can_be_wrong_has_its_own_words() {
    let good = sample().to_link();
    let cases: Vec<(String, LinkError)> = vec![
        ("".into(), LinkError::Empty),
        ("#".into(), LinkError::Empty),
        ("hello".into(), LinkError::NotAScenario),
        ("v.abc".into(), LinkError::NotAScenario),
        ("v99999999999.abc".into(), LinkError::NotAScenario),
        (good.replacen("v1.", "v2.", 1), LinkError::UnknownVersion(2)),
        (good.replacen("v1.", "v0.", 1), LinkError::UnknownVersion(0)),
        (
            format!("v1.{}", "A".repeat(MAX_LINK_CHARS)),
            LinkError::TooLong { chars: MAX_LINK_CHARS + 3 },
        ),
        (format!("{good}!*"), LinkError::BadEncoding),
        (good[..good.len() * 2 / 3].to_string(), LinkError::Damaged),
        // Cut where base64 cannot end, and where it can.
        (good[..good.len() - 1].to_string(), LinkError::Damaged),
        (good[..good.len() - 2].to_string(), LinkError::Damaged),
        (good[..good.len() - 3].to_string(), LinkError::Damaged),
    ];
    for (link, expected) in cases {
        let got = Scenario::from_link(&link);
        assert_eq!(got, Err(expected.clone()), "for {:?}", &link[..link.len().min(40)]);
        let words = expected.to_string();
        assert!(words.len() > 20 && !words.contains("Err"), "{words}");
    }
}

fn link_of_json(json: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    format!("v1.{}", URL_SAFE_NO_PAD.encode(packed))
}

#[test]
fn a_link_that_unpacks_to_too_much_is_refused_without_unpacking_it_all() {
    let bomb = " ".repeat(MAX_JSON_BYTES + 1);
    let link = link_of_json(&bomb);
    assert!(link.len() < 20_000, "it packs small: {}", link.len());
    assert_eq!(Scenario::from_link(&link), Err(LinkError::TooLarge));
}

#[test]
fn scenarios_that_cannot_run_say_why() {
    let mut json: serde_json::Value = serde_json::from_str(&sample().to_json()).unwrap();
    let with = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut j = json.clone();
        edit(&mut j);
        Scenario::from_link(&link_of_json(&j.to_string()))
    };
    let says = |r: Result<Scenario, LinkError>, words: &str| match r {
        Err(e) => assert!(e.to_string().contains(words), "{e} should say {words:?}"),
        Ok(_) => panic!("should be refused: {words}"),
    };
    says(with(&|j| j["run"]["raft"]["config"]["nodes"] = 12.into()), "1 to 9 servers, not 12");
    says(with(&|j| j["links"]["loss_ppm"] = 2_000_000.into()), "above one million");
    says(with(&|j| j["step"] = 500.into()), "step 500 of a run of 210 steps");
    says(with(&|j| j["version"] = 3.into()), "newer Caucus (format 3)");
    says(with(&|j| j["run"] = serde_json::json!({"paxos": {}})), "unknown protocol, “paxos”");
    says(
        with(&|j| j["run"]["raft"]["actions"] = serde_json::json!([2000000])),
        "at most 1000000 actions",
    );
    says(
        with(&|j| j["run"]["raft"]["actions"][1] = serde_json::json!({"Teleport": 1})),
        "cannot be read",
    );
    says(with(&|j| j["narration"]["notes"][0]["step"] = 999.into()), "past the end of the run");
    says(with(&|j| j["narration"]["title"] = "t".repeat(201).into()), "title is longer");
    json.as_object_mut().unwrap().remove("version");
    says(Scenario::from_link(&link_of_json(&json.to_string())), "no format version");
    says(Scenario::from_link(&link_of_json("[1, 2")), "cannot be read");
}

#[test]
fn replaying_stops_at_the_first_action_that_does_not_apply() {
    let mut scenario = sample();
    let spec = RaftNode::spec_mut(&mut scenario.run).expect("a Raft scenario");
    spec.actions.insert(15, Action::Restart(NodeId(0)));
    let error = spec.replay(scenario.seed, scenario.links).unwrap_err();
    assert_eq!(error.index, 15);
    assert_eq!(
        error.to_string(),
        "action 16 of the scenario does not apply: n1 is already running"
    );
    let sample = sample();
    let spec = RaftNode::spec(&sample.run).expect("a Raft scenario");
    assert_eq!(spec.replay(7, LinkParams::default()).unwrap().len(), 210);
}

#[test]
fn notes_are_one_a_step_in_order_and_empty_text_deletes() {
    let mut n = Narration::default();
    n.set_note(30, "third");
    n.set_note(10, "first");
    n.set_note(20, " second ");
    n.set_note(10, "first, edited");
    let steps: Vec<(u64, &str)> = n.notes.iter().map(|x| (x.step, x.text.as_str())).collect();
    assert_eq!(steps, vec![(10, "first, edited"), (20, "second"), (30, "third")]);
    assert_eq!(
        (n.next_note(10), n.next_note(30), n.previous_note(20), n.previous_note(10)),
        (Some(20), None, Some(10), None)
    );
    n.set_note(20, "  ");
    assert_eq!(n.note_at(20), None);
    n.truncate(15);
    assert_eq!(n.notes.len(), 1);
}

#[test]
fn the_trace_is_one_json_line_a_step() {
    let sample = sample();
    let spec = RaftNode::spec(&sample.run).expect("a Raft scenario");
    let lines = spec.trace_lines(7, LinkParams::default()).unwrap();
    let lines: Vec<serde_json::Value> =
        lines.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    assert_eq!(lines.len(), 211, "step 0 and 210 steps");
    assert_eq!(lines[0]["step"], 0);
    assert_eq!(lines[210]["step"], 210);
    assert!(lines[11].to_string().contains("Crash"), "{}", lines[11]);
}

#[test]
fn settings_missing_from_an_older_link_take_their_defaults() {
    let mut json: serde_json::Value = serde_json::from_str(&sample().to_json()).unwrap();
    let config = json["run"]["raft"]["config"].as_object_mut().unwrap();
    config.remove("check_quorum");
    config.remove("initial");
    let opened = Scenario::from_json(&json.to_string()).expect("an older link still opens");
    let spec = RaftNode::spec(&opened.run).expect("a Raft scenario");
    assert_eq!(spec.config, RaftConfig::default());
}
