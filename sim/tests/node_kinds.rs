//! Engines with more than one kind of node (PBFT's replicas and clients):
//! a broadcast reaches the sender's own kind only, `broadcast_to` reaches a
//! chosen kind, and nodes of every kind are crashed, restarted and
//! partitioned alike. A small two-kind engine stands in for PBFT here.

use caucus_sim::protocol::{Context, Protocol};
use caucus_sim::trace::Name;
use caucus_sim::{Action, LinkParams, NodeId, NodeKind, World};
use serde::{Deserialize, Serialize};

const REPLICA: NodeKind = NodeKind(0);
const CLIENT: NodeKind = NodeKind(1);

#[derive(Clone, Debug)]
struct Config {
    replicas: u32,
    clients: u32,
    /// Added to what a node says: a lie that changes a message's contents
    /// and nothing else.
    offset: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
enum Command {
    /// `broadcast`: to the sender's own kind.
    Shout,
    /// `broadcast_to(REPLICA)`, as a client sends a request to every replica.
    AskReplicas,
}

#[derive(Clone, Debug)]
struct Node(u32);

impl Protocol for Node {
    type Config = Config;
    type Message = u32;
    type Timer = ();
    type Request = ();
    type Command = Command;
    type Durable = ();
    type Ghost = ();
    type Measures = ();

    fn node_count(config: &Config) -> u32 {
        config.replicas + config.clients
    }

    fn node_kind(config: &Config, id: NodeId) -> NodeKind {
        if id.0 < config.replicas { REPLICA } else { CLIENT }
    }

    fn initial_durable(_: &Config, _: NodeId) {}

    fn boot(config: &Config, (): (), _: &mut Context<'_, Self>) -> Self {
        Node(config.offset)
    }

    fn durable(&self) -> &() {
        &()
    }

    fn on_message(&mut self, _: NodeId, _: u32, _: &mut Context<'_, Self>) {}

    fn on_timer(&mut self, (): (), _: &mut Context<'_, Self>) {}

    fn on_request(&mut self, (): (), _: &mut Context<'_, Self>) {}

    fn on_command(&mut self, command: Command, ctx: &mut Context<'_, Self>) -> Result<(), String> {
        let me = ctx.id().0 + self.0;
        match command {
            Command::Shout => ctx.broadcast(me),
            Command::AskReplicas => ctx.broadcast_to(REPLICA, me),
        }
        Ok(())
    }

    fn message_kind(_: &u32) -> &'static Name {
        const HELLO: &Name = &Name::new("Hello");
        HELLO
    }

    fn timer_kind(_: &()) -> &'static Name {
        const NONE: &Name = &Name::new("None");
        NONE
    }
}

fn world() -> World<Node> {
    lying(0)
}

fn lying(offset: u32) -> World<Node> {
    World::new(Config { replicas: 4, clients: 2, offset }, 1, LinkParams::default())
}

/// Who received what the last command sent, in id order.
fn receivers(world: &World<Node>) -> Vec<u32> {
    let mut to: Vec<u32> = world.in_flight().map(|m| m.to.0).collect();
    to.sort();
    to
}

#[test]
fn a_replica_broadcast_never_reaches_a_client() {
    let mut w = world();
    w.apply(&Action::Command { node: NodeId(1), command: Command::Shout }).unwrap();
    assert_eq!(receivers(&w), vec![0, 2, 3], "the other replicas only");
}

#[test]
fn a_client_broadcast_reaches_the_other_clients_and_broadcast_to_reaches_every_replica() {
    let mut w = world();
    w.apply(&Action::Command { node: NodeId(4), command: Command::Shout }).unwrap();
    assert_eq!(receivers(&w), vec![5], "a client's own kind is the other client");
    let mut w = world();
    w.apply(&Action::Command { node: NodeId(5), command: Command::AskReplicas }).unwrap();
    assert_eq!(receivers(&w), vec![0, 1, 2, 3], "every replica, and no client");
    assert_eq!(w.node_kind(NodeId(5)), CLIENT);
    assert_eq!(w.node_kind(NodeId(0)), REPLICA);
}

#[test]
fn clients_are_crashed_restarted_and_partitioned_like_replicas() {
    let mut w = world();
    w.apply(&Action::Crash(NodeId(4))).unwrap();
    assert!(w.node(NodeId(4)).is_none(), "a crashed client is down");
    w.apply(&Action::Restart(NodeId(4))).unwrap();
    w.apply(&Action::Partition(vec![vec![NodeId(5), NodeId(0)]])).unwrap();
    w.apply(&Action::Command { node: NodeId(5), command: Command::AskReplicas }).unwrap();
    // Sent to every replica; the partition blocks all but n1's on the wire.
    let delivered: Vec<u32> = w.in_flight().map(|m| m.to.0).collect();
    assert_eq!(delivered, vec![0], "only the replica in the client's group: {delivered:?}");
}

/// The trace hash covers what messages say: two runs that differ only in
/// what one node wrote hash differently (issue 15: a Byzantine replica's
/// words must show in the hash).
#[test]
fn runs_that_differ_only_in_a_message_s_contents_hash_differently() {
    let run = |offset| {
        let mut w = lying(offset);
        w.apply(&Action::Command { node: NodeId(2), command: Command::Shout }).unwrap();
        while w.apply(&Action::Step).is_ok() {}
        w.trace_hash()
    };
    assert_eq!(run(0), run(0), "the same run hashes the same");
    assert_ne!(run(0), run(1), "a lie in a message's contents changes the hash");
}
