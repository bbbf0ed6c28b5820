//! What a random schedule search does to a PBFT cluster besides the
//! world's faults (`explore`): requests from random clients, and replicas
//! turned Byzantine in random named ways, or telling random lies message by
//! message, while no more than a chosen number of replicas are faulty.

use chacha20::ChaCha8Rng;
use rand_core::Rng;

use super::byzantine::Behaviour;
use super::node::{PbftCommand, PbftDurable, PbftNode};
use crate::action::Action;
use crate::ids::NodeId;
use crate::kv::Set;
use crate::view::Visual;
use crate::world::World;

/// A request from a random client, with a value that names its step.
pub fn client_request(w: &World<PbftNode>, rng: &mut ChaCha8Rng) -> Option<Action<PbftNode>> {
    let config = w.config();
    let node = NodeId(config.replicas() + rng.next_u32() % config.clients);
    let request = Set::parse(&format!("x={}", w.step())).expect("a valid command");
    Some(Action::Request { node, request })
}

/// The replicas that were ever Byzantine.
pub fn faulty(w: &World<PbftNode>) -> Vec<NodeId> {
    w.config()
        .replica_ids()
        .filter(|&id| matches!(w.durable(id), Some(PbftDurable::Replica(d)) if !d.correct()))
        .collect()
}

/// Half the time, if a faulty replica's message in flight offers lies
/// (`Visual::message_commands`), tells one of them in its place; otherwise
/// makes a random replica Byzantine in a random way (one `allowed`), while
/// fewer than `limit` are. Delays go to a random half of the others.
pub fn turn_byzantine(
    limit: usize,
    allowed: fn(&Behaviour) -> bool,
) -> impl Fn(&World<PbftNode>, &mut ChaCha8Rng) -> Option<Action<PbftNode>> + Send + Sync {
    move |w, rng| {
        if rng.next_u32() % 2 == 0
            && let Some(lie) = random_lie(w, rng)
        {
            return Some(lie);
        }
        let config = w.config();
        let bad = faulty(w);
        let node = if bad.len() < limit {
            NodeId(rng.next_u32() % config.replicas())
        } else {
            // Already at the limit: a faulty replica may change how it lies.
            *bad.get(rng.next_u32() as usize % bad.len().max(1))?
        };
        let peers =
            config.replica_ids().filter(|&p| p != node && rng.next_u32() % 2 == 0).collect();
        let all: Vec<Behaviour> = Behaviour::all(peers).into_iter().filter(allowed).collect();
        let behaviour = all.get(rng.next_u32() as usize % all.len().max(1))?.clone();
        Some(Action::Command { node, command: PbftCommand::Byzantine(behaviour) })
    }
}

/// One of the lies a faulty replica may tell in place of one of its
/// messages in flight, at random.
pub fn random_lie(w: &World<PbftNode>, rng: &mut ChaCha8Rng) -> Option<Action<PbftNode>> {
    let offers: Vec<_> = w
        .in_flight()
        .map(|m| (m.id, PbftNode::message_commands(w, m.id)))
        .filter(|(_, lies)| !lies.is_empty())
        .collect();
    let (message, lies) = offers.get(rng.next_u32() as usize % offers.len().max(1))?;
    let command = lies[rng.next_u32() as usize % lies.len()].command.clone();
    Some(Action::Substitute { message: *message, command })
}
