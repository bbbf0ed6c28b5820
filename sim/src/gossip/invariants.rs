//! The properties an epidemic run keeps. After every step: a site with a
//! counter loses interest in a rumor after k counted contacts (Demers §1.4),
//! which is what makes rumor mongering die out. At the end of a run: once
//! updates stop and the network heals, anti-entropy brings every live site
//! to the same store (Demers §1.3), which [`converged`] checks.

use crate::ids::NodeId;
use crate::invariant::{Violation, WorldView};
use crate::world::World;

use super::config::{Removal, Style};
use super::node::GossipNode;

pub const LOSS_OF_INTEREST: &str = "Loss of interest";

pub fn check(view: &WorldView<'_, GossipNode>) -> Vec<Violation> {
    let config = view.config;
    if config.style != Style::RumorMongering || config.removal != Removal::Counter {
        return Vec::new();
    }
    let mut found = Vec::new();
    for &id in view.touched {
        let Some(node) = view.node(id) else { continue };
        for rumor in node.rumors().iter().filter(|r| r.counted >= config.k) {
            found.push(Violation::new(
                view,
                LOSS_OF_INTEREST,
                "Demers et al. 1987, §1.4, counter",
                vec![id],
                format!(
                    "{id} still spreads {} after {} counted contacts; with a counter it loses \
                     interest after k = {}, so the rumor dies out",
                    rumor.update, rumor.counted, config.k
                ),
            ));
        }
    }
    found
}

/// Whether every live site holds the same store, and if not, the first two
/// that differ, in words.
pub fn converged(world: &World<GossipNode>) -> Result<(), String> {
    let mut live = (0..world.node_count()).map(NodeId).filter_map(|id| Some((id, world.node(id)?)));
    let Some((first, reference)) = live.next() else { return Ok(()) };
    let same = |a: &GossipNode, b: &GossipNode| {
        a.store().entries().iter().map(|k| k.update).eq(b
            .store()
            .entries()
            .iter()
            .map(|k| k.update))
    };
    for (id, node) in live {
        if !same(reference, node) {
            return Err(format!(
                "{first} holds {:?} but {id} holds {:?}",
                reference
                    .store()
                    .entries()
                    .iter()
                    .map(|k| k.update.to_string())
                    .collect::<Vec<_>>(),
                node.store().entries().iter().map(|k| k.update.to_string()).collect::<Vec<_>>()
            ));
        }
    }
    Ok(())
}
