//! What a random schedule search does to a Raft cluster besides the
//! world's faults (`explore`): a client request to a random server.

use chacha20::ChaCha8Rng;
use rand_core::Rng;

use super::kv::Set;
use super::node::RaftNode;
use crate::action::Action;
use crate::ids::NodeId;
use crate::world::World;

/// A client request to a random server, with a value that names its step.
pub fn client_request(w: &World<RaftNode>, rng: &mut ChaCha8Rng) -> Option<Action<RaftNode>> {
    let node = NodeId(rng.next_u32() % w.node_count());
    let request = Set::parse(&format!("x={}", w.step())).expect("a valid command");
    Some(Action::Request { node, request })
}
