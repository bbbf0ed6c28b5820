//! `caucus explore`: a mistake is found, shrunk, printed in words and as a
//! link that opens the same broken run on the page; the same flags find
//! the same schedule on any number of cores; nothing is found without a
//! mistake; exit codes say which happened.

use caucus_sim::engine::Engine;
use caucus_sim::explore::replay;
use caucus_sim::pbft::PbftNode;
use caucus_sim::scenario::Scenario;

use super::output;

const PBFT_MISTAKE: [&str; 8] =
    ["explore", "pbft", "--mistake", "commit-with-2f", "--clients", "2", "--schedules", "3000"];

#[test]
fn a_pbft_mistake_is_found_and_its_link_replays_the_violation() {
    let (text, stderr) = output(&PBFT_MISTAKE, 1);
    assert!(stderr.contains("shrinking"), "{stderr}");
    let found = text.lines().find(|l| l.starts_with("Found: ")).expect(&text);
    let property = ["Agreement", "Executed Prefixes"]
        .into_iter()
        .find(|p| found.starts_with(&format!("Found: {p} (")))
        .unwrap_or_else(|| panic!("an expected property: {found}"));
    assert!(text.contains("shrunk from"), "{text}");
    let link = text.lines().last().unwrap().strip_prefix('#').expect("the link is the last line");
    let scenario = Scenario::from_link(link).expect("the link opens");
    let spec = PbftNode::spec(&scenario.run).expect("a PBFT run");
    assert!(spec.config.mistakes.iter().any(|m| m.name() == "Commit with 2f commits"));
    assert_eq!(scenario.step, spec.actions.len() as u64, "shown where it broke");
    let (at, violation) =
        replay::<PbftNode>(&spec.config, scenario.seed, scenario.links, &spec.actions, property)
            .expect("the run breaks the property again");
    assert_eq!(at, spec.actions.len(), "at its last action");
    let note = scenario.narration.note_at(scenario.step).map(|n| n.text.clone());
    let note = note.unwrap_or_default();
    assert!(
        note.starts_with(&format!("{property} (")) && note.ends_with(&violation.detail),
        "{note}"
    );
    assert_eq!(note, found.strip_prefix("Found: ").unwrap(), "the note says what the command said");
}

#[test]
fn the_same_flags_find_the_same_schedule_on_any_number_of_cores() {
    let run = |jobs: &str| {
        let mut args = PBFT_MISTAKE.to_vec();
        args.extend_from_slice(&["--jobs", jobs, "--quiet"]);
        output(&args, 1).0
    };
    assert_eq!(run("1"), run("4"));
}

#[test]
fn without_mistakes_nothing_breaks_and_it_says_how_much_was_tried() {
    let (text, _) = output(&["explore", "raft", "--schedules", "60", "--quiet"], 0);
    assert!(
        text.ends_with("No property broke in 60 schedules of 600 actions (search seed 1).\n"),
        "{text}"
    );
    let (text, _) =
        output(&["explore", "swim", "--schedules", "8", "--steps", "500", "--quiet"], 0);
    assert!(text.contains("No property broke in 8 schedules of 500 actions"), "{text}");
    let (text, _) = output(&["explore", "gossip", "--seconds", "1", "--quiet"], 0);
    assert!(text.contains("No property broke in "), "{text}");
}

#[test]
fn a_search_for_one_property_and_a_gossip_mistake() {
    let (text, _) = output(
        &[
            "explore",
            "raft",
            "--mistake",
            "vote-without-up-to-date-check",
            "--property",
            "leader completeness",
            "--schedules",
            "5000",
            "-q",
        ],
        1,
    );
    assert!(text.contains("Found: Leader Completeness ("), "{text}");
    let (text, _) =
        output(&["explore", "gossip", "--mistake", "counter-reset-on-useless-contact", "-q"], 1);
    assert!(text.contains("Found: Loss of interest ("), "{text}");
    assert!(text.contains("The page does not draw this protocol yet"), "{text}");
}
