//! Links of every released format version, made once and kept here as
//! text. Each must keep opening to the same moment of the same run: the same
//! step, the same trace hash at the end of its replay, the same words. A
//! change that breaks one breaks every link people have shared: it needs a
//! new format version (with the old one still read), not a new link here.
//! The trace hashes were written anew once, when the hash function changed
//! (events hashed word by word), with the replays' exported traces shown
//! identical before and after. The PBFT link's hash moved once more, when
//! replicas already in a view stopped answering each other's VIEW-CHANGEs
//! for good (an engine fix: the link still opens at its step, with r0
//! equivocating). Runs natively and in headless Chromium.

use caucus_sim::engine::Engine;
use caucus_sim::raft::RaftNode;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use caucus_sim::NodeId;
use caucus_sim::raft::view::leader;
use caucus_sim::scenario::{Scenario, Selected};

#[path = "common/released_links.rs"]
mod released_links;

use released_links::{V1_FIGURE_8, V1_INTERVENTIONS, V1_PBFT, V1_PBFT_LIES};

/// Opens a released link of engine `P`'s run and replays its actions.
fn open<P: Engine>(link: &str) -> (Scenario, caucus_sim::Timeline<P>) {
    let scenario = Scenario::from_link(link).expect("a released link opens");
    let spec = P::spec(&scenario.run).expect("a scenario of this engine");
    let timeline = spec.replay(scenario.seed, scenario.links).expect("its actions apply");
    (scenario, timeline)
}

#[test]
fn a_format_1_link_with_every_kind_of_intervention_still_opens() {
    let (scenario, mut timeline) = open::<RaftNode>(V1_INTERVENTIONS);
    assert_eq!((scenario.version, scenario.step, timeline.len()), (1, 180, 210));
    assert_eq!(timeline.world().trace_hash(), 15613887238381286365);
    assert_eq!(scenario.selected, Some(Selected::Node(NodeId(2))));
    assert_eq!(scenario.narration.title, "A sample run");
    assert_eq!(
        scenario.narration.note_at(12).map(|n| n.text.as_str()),
        Some("n5 is down: <b>watch</b> the others.")
    );
    timeline.seek(scenario.step).unwrap();
    assert!(leader(timeline.world()).is_some());
}

#[test]
fn a_format_1_link_of_a_preset_with_a_user_note_still_opens() {
    let (scenario, timeline) = open::<RaftNode>(V1_FIGURE_8);
    assert_eq!((scenario.step, timeline.len()), (49, 64));
    assert_eq!(timeline.world().trace_hash(), 16095029527011210735);
    assert_eq!(scenario.narration.title, "Figure 8 with the mistake switched on");
    assert_eq!(
        scenario.narration.note_at(49).map(|n| n.text.as_str()),
        Some("my own note: \"quotes\", <tags> & ümlauts")
    );
    // The mistake is in the link's settings, so the run still breaks a property.
    let spec = RaftNode::spec(&scenario.run).expect("a Raft scenario");
    let mut world = caucus_sim::World::new(spec.config.clone(), scenario.seed, scenario.links);
    let broken = spec.actions.iter().any(|a| !world.apply(a).unwrap().violations().is_empty());
    assert!(broken);
}

#[test]
fn a_format_1_pbft_link_opens_to_the_same_moment() {
    use caucus_sim::pbft::{Behaviour, PbftDurable, PbftNode};
    let (scenario, mut timeline) = open::<PbftNode>(V1_PBFT);
    assert_eq!((scenario.step, timeline.len()), (207, 227));
    assert_eq!(timeline.world().trace_hash(), 9096439472043901531);
    assert_eq!(scenario.selected, Some(Selected::Node(NodeId(0))));
    assert_eq!(
        scenario.narration.note_at(5).map(|n| n.text.as_str()),
        Some("r0 lies: <b>watch</b> the backups")
    );
    timeline.seek(scenario.step).unwrap();
    let Some(PbftDurable::Replica(r0)) = timeline.world().durable(NodeId(0)) else {
        panic!("r0 is a replica")
    };
    assert_eq!(r0.byzantine, Some(Behaviour::Equivocate));
}

#[test]
fn a_format_1_pbft_link_with_lies_opens_to_the_same_moment() {
    use caucus_sim::pbft::{PbftDurable, PbftNode};
    let (scenario, mut timeline) = open::<PbftNode>(V1_PBFT_LIES);
    let lies = timeline.log().iter().filter(|a| matches!(a, caucus_sim::Action::Substitute { .. }));
    assert_eq!(lies.count(), 4);
    assert_eq!((scenario.step, timeline.len()), (27, 33));
    assert_eq!(timeline.world().trace_hash(), 10927395224860204561);
    assert_eq!(scenario.selected, Some(Selected::Node(NodeId(3))));
    assert_eq!(
        scenario.narration.note_at(4).map(|n| n.text.as_str()),
        Some("r0 tells <b>r3</b> alone about the null request")
    );
    timeline.seek(scenario.step).unwrap();
    let broken =
        timeline.world().last_step().violations().iter().any(|v| v.property == "Agreement");
    assert!(broken, "Agreement breaks at the step shown");
    for replica in [2, 3] {
        let Some(PbftDurable::Replica(r)) = timeline.world().durable(NodeId(replica)) else {
            panic!("r{replica} is a replica")
        };
        assert_eq!(r.executed, 1, "r{replica}");
    }
}
