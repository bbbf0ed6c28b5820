//! What a random schedule search does to an epidemic run besides the
//! world's faults (`explore`): new versions of a few keys, written at random
//! live sites, so that updates overlap.

use chacha20::ChaCha8Rng;
use rand_core::Rng;

use super::node::{GossipNode, Request};
use crate::action::Action;
use crate::ids::NodeId;
use crate::world::World;

/// Keys a search writes: few, so that versions of one key race.
pub const KEYS: u32 = 3;

/// A new version of one of [`KEYS`] keys, written at a random live site.
pub fn write(w: &World<GossipNode>, rng: &mut ChaCha8Rng) -> Option<Action<GossipNode>> {
    let node = NodeId(rng.next_u32() % w.node_count());
    w.node(node)?;
    Some(Action::Request { node, request: Request::Update { key: rng.next_u32() % KEYS } })
}
