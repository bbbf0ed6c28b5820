//! `World::target` names, before an action, the one node it can change: the
//! page keeps only that node's state from before a step for the inspector's
//! "was", instead of a copy of the world. Checked on every step of every
//! preset of every engine (they crash, restart, partition, ask and command):
//! every other node's inspector fields are the same after the step.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use caucus_sim::engine::Engine;
use caucus_sim::pbft::PbftNode;
use caucus_sim::raft::RaftNode;
use caucus_sim::scenario::Scenario;
use caucus_sim::{Action, NodeId, World};

/// Plays every preset of `P` and checks each step against its target;
/// returns how many steps changed their target node.
fn every_step_changes_at_most_its_target<P: Engine>() -> usize {
    let mut changed = 0;
    for (slug, _, link) in P::PRESET_LINKS {
        let scenario = Scenario::from_link(link).unwrap_or_else(|e| panic!("{slug}: {e}"));
        let spec = P::spec(&scenario.run).expect("the preset is of its protocol");
        let mut world = World::<P>::new(spec.config.clone(), scenario.seed, scenario.links);
        let fields = |w: &World<P>| {
            (0..w.node_count()).map(|i| P::node_fields(w, NodeId(i))).collect::<Vec<_>>()
        };
        for (index, action) in spec.actions.iter().enumerate() {
            let target = world.target(action);
            let before = fields(&world);
            if let Action::Drop(id) | Action::Deliver(id) = action {
                assert_eq!(target.message, Some(*id), "{slug}, action {index}");
            }
            world.apply(action).unwrap_or_else(|e| panic!("{slug}, action {index}: {e}"));
            let after = fields(&world);
            for (i, (b, a)) in before.iter().zip(&after).enumerate() {
                let id = NodeId(i as u32);
                if target.node == Some(id) {
                    changed += usize::from(b != a);
                } else {
                    assert_eq!(
                        b, a,
                        "{slug}, action {index} ({action:?}) changed {id}, not its target"
                    );
                }
            }
        }
    }
    changed
}

#[test]
fn a_raft_step_changes_no_node_but_its_target() {
    assert!(every_step_changes_at_most_its_target::<RaftNode>() > 100);
}

#[test]
fn a_pbft_step_changes_no_node_but_its_target() {
    assert!(every_step_changes_at_most_its_target::<PbftNode>() > 100);
}
