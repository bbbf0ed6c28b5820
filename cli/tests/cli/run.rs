//! `caucus run`: released links and files played to the page's trace
//! hashes, the trace as the page exports it, and the link it prints.

use caucus_sim::engine::Engine;
use caucus_sim::pbft::PbftNode;
use caucus_sim::raft::RaftNode;
use caucus_sim::scenario::Scenario;

use super::released_links::{V1_INTERVENTIONS, V1_PBFT};
use super::{caucus, output};

#[test]
fn a_released_raft_link_plays_to_its_trace_hash() {
    let (text, _) = output(&["run", V1_INTERVENTIONS], 0);
    // The hash fixed_links.rs holds for this link at the end of its replay.
    assert!(text.contains("Trace hash 15613887238381286365."), "{text}");
    assert!(text.contains("Played 210 of the scenario's 210 actions"), "{text}");
    assert!(text.contains("“A sample run”"), "{text}");
    assert!(text.contains("n4  leader    term 4"), "{text}");
    assert!(text.contains("Every property held at every step."), "{text}");
}

#[test]
fn a_released_pbft_link_plays_to_its_trace_hash_from_a_whole_address() {
    let address = format!("http://localhost:8080/#{V1_PBFT}");
    let (text, _) = output(&["run", &address], 0);
    assert!(text.contains("Trace hash 9096439472043901531."), "{text}");
    assert!(text.contains("PBFT: f = 1: 4 replicas and 2 clients"), "{text}");
    assert!(text.contains("r0"), "replicas are named as the page names them:\n{text}");
}

#[test]
fn a_scenario_file_and_standard_input_play_like_the_link() {
    let scenario = Scenario::from_link(V1_INTERVENTIONS).unwrap();
    let dir = std::env::temp_dir().join(format!("caucus-cli-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sample.json");
    std::fs::write(&file, scenario.to_json()).unwrap();
    let (from_link, _) = output(&["run", V1_INTERVENTIONS], 0);
    let (from_file, _) = output(&["run", file.to_str().unwrap()], 0);
    assert_eq!(from_file, from_link);
    // A file whose name holds a '#' is read as a file, not as a link.
    let hashed = dir.join("run #3.json");
    std::fs::write(&hashed, scenario.to_json()).unwrap();
    assert_eq!(output(&["run", hashed.to_str().unwrap()], 0).0, from_link);
    let piped = caucus().args(["run", "-"]).write_stdin(scenario.to_json()).output().unwrap();
    assert_eq!(String::from_utf8(piped.stdout).unwrap(), from_link);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_trace_is_the_pages_export() {
    let scenario = Scenario::from_link(V1_INTERVENTIONS).unwrap();
    let spec = RaftNode::spec(&scenario.run).unwrap();
    let expected = spec.trace_lines(scenario.seed, scenario.links).unwrap();
    let (trace, _) = output(&["run", V1_INTERVENTIONS, "--trace"], 0);
    assert_eq!(trace, expected);
    assert_eq!(trace.lines().count(), 211, "step 0 and one line a step");
}

#[test]
fn steps_stop_early_or_go_on_past_the_log_and_the_link_opens_there() {
    let (short, _) = output(&["run", V1_PBFT, "--steps", "40"], 0);
    assert!(short.contains("Played 40 of the scenario's 227 actions"), "{short}");
    let (long, _) = output(&["run", V1_INTERVENTIONS, "--steps", "260"], 0);
    assert!(long.contains("Played 210 of the scenario's 210 actions and 50 more steps"), "{long}");
    let (link, _) = output(
        &[
            "run",
            V1_INTERVENTIONS,
            "--steps",
            "260",
            "--link",
            "--page",
            "https://example.org/caucus/",
        ],
        0,
    );
    let fragment = link.trim().strip_prefix("https://example.org/caucus/#").expect(&link);
    let reopened = Scenario::from_link(fragment).unwrap();
    assert_eq!((reopened.len(), reopened.step), (260, 260));
    let original = Scenario::from_link(V1_INTERVENTIONS).unwrap();
    assert_eq!(reopened.narration.title, original.narration.title);
    // Played again, the link ends where `run --steps 260` ended.
    let (again, _) = output(&["run", fragment], 0);
    let hash = |text: &str| text.lines().find(|l| l.starts_with("Trace hash")).unwrap().to_string();
    assert_eq!(hash(&again), hash(&long));
    let spec = PbftNode::spec(&Scenario::from_link(V1_PBFT).unwrap().run).map(|s| s.actions.len());
    assert_eq!(spec, Some(227));
}
