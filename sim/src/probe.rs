//! One input at a time, without a world: an engine's tests hand a node one
//! message, timer, request or command and assert exactly what it produced
//! (the messages it sends, the timers it sets or cancels, its notes and
//! replies), as openraft's engine tests do. The node's random stream is the
//! one a world with the same seed would lend it, so a probe and a world agree
//! on the first input.

use crate::ids::{NodeId, Time};
use crate::protocol::{Context, Outputs, Protocol, TimerOp};
use crate::rng::NodeRng;

/// What one input produced, in the order the handler asked for it.
#[derive(Debug)]
pub struct Produced<P: Protocol> {
    /// (receiver, message): the network adds the sender.
    pub sends: Vec<(NodeId, P::Message)>,
    pub timers: Vec<TimerOp<P::Timer>>,
    pub notes: Vec<String>,
    /// Answers to clients outside the cluster.
    pub replies: Vec<String>,
}

impl<P: Protocol> From<Outputs<P>> for Produced<P> {
    fn from(out: Outputs<P>) -> Self {
        Produced { sends: out.sends, timers: out.timer_ops, notes: out.notes, replies: out.replies }
    }
}

/// Node `id` of a cluster made from `config`, at virtual time `now`.
#[derive(Clone, Debug)]
pub struct Probe<P: Protocol> {
    pub config: P::Config,
    pub id: NodeId,
    pub now: Time,
    rng: NodeRng,
}

impl<P: Protocol> Probe<P> {
    pub fn new(config: P::Config, seed: u64, id: NodeId) -> Probe<P> {
        Probe { config, id, now: 0, rng: NodeRng::new(seed, id) }
    }

    /// Runs `handler` with a context for this node and returns what it produced.
    fn run<R>(
        &mut self,
        handler: impl FnOnce(&P::Config, &mut Context<'_, P>) -> R,
    ) -> (R, Produced<P>) {
        let mut out = Outputs::default();
        let mut ctx = Context::new(self.id, self.now, &self.config, &mut self.rng, &mut out, true);
        let result = handler(&self.config, &mut ctx);
        (result, out.into())
    }

    /// Starts the node from `durable`, as the world does at the start and after a crash.
    pub fn boot(&mut self, durable: P::Durable) -> (P, Produced<P>) {
        self.run(|config, ctx| P::boot(config, durable, ctx))
    }

    pub fn message(&mut self, node: &mut P, from: NodeId, message: P::Message) -> Produced<P> {
        self.run(|_, ctx| node.on_message(from, message, ctx)).1
    }

    pub fn timer(&mut self, node: &mut P, timer: P::Timer) -> Produced<P> {
        self.run(|_, ctx| node.on_timer(timer, ctx)).1
    }

    pub fn request(&mut self, node: &mut P, request: P::Request) -> Produced<P> {
        self.run(|_, ctx| node.on_request(request, ctx)).1
    }

    /// A command, or the engine's words for why it refused. (The world also
    /// puts the node back after a refusal; a probe leaves that to the test.)
    pub fn command(&mut self, node: &mut P, command: P::Command) -> Result<Produced<P>, String> {
        let (result, produced) = self.run(|_, ctx| node.on_command(command, ctx));
        result.map(|()| produced)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::raft::messages::Message;
    use crate::raft::{RaftConfig, RaftNode, Timer};

    /// Raft §5.2: a follower whose election timer fires becomes a candidate
    /// for the next term, votes for itself, asks every other server for its
    /// vote, and sets a new election timer; nothing else.
    #[test]
    fn an_election_timeout_produces_exactly_the_vote_requests_and_a_new_timer() {
        let config = RaftConfig::default();
        let mut probe = Probe::<RaftNode>::new(config.clone(), 1, NodeId(2));
        let (mut node, booted) = probe.boot(RaftNode::initial_durable(&config, NodeId(2)));
        assert!(booted.sends.is_empty(), "a booting server sends nothing");
        assert!(matches!(booted.timers[..], [TimerOp::Set { timer: Timer::Election, .. }]));

        probe.now = 150_000;
        let produced = probe.timer(&mut node, Timer::Election);
        let vote =
            Message::RequestVote { term: 1, last_log_index: 0, last_log_term: 0, pre_vote: false };
        let expected: Vec<_> = [0, 1, 3, 4].map(|n| (NodeId(n), vote.clone())).into();
        assert_eq!(produced.sends, expected);
        assert!(
            matches!(produced.timers[..], [TimerOp::Set { timer: Timer::Election, .. }]),
            "{:?}",
            produced.timers
        );
        assert!(produced.replies.is_empty());
        assert!(
            produced.notes.iter().any(|n| n.contains("candidate for term 1")),
            "{:?}",
            produced.notes
        );
        assert_eq!(node.durable().current_term, 1);
    }

    /// The probe lends a node the stream a world with the same seed lends it:
    /// booting node by node, each draws the same election timeout.
    #[test]
    fn a_probe_and_a_world_with_the_same_seed_agree() {
        let config = RaftConfig::default();
        let world = crate::World::<RaftNode>::new(config.clone(), 9, crate::LinkParams::default());
        let mut due: Vec<_> = world.pending_timers().map(|t| (t.node, t.fires_at)).collect();
        due.sort();
        for (node, fires_at) in due {
            let mut probe = Probe::<RaftNode>::new(config.clone(), 9, node);
            let (_, booted) = probe.boot(RaftNode::initial_durable(&config, node));
            let [TimerOp::Set { timer: Timer::Election, after }] = booted.timers[..] else {
                panic!("{node} boots with one election timer: {:?}", booted.timers)
            };
            assert_eq!(after, fires_at, "{node}'s election timeout");
        }
    }

    #[test]
    fn a_signature_names_the_node_whose_handler_signed_and_survives_forwarding() {
        let config = RaftConfig { nodes: 3, ..RaftConfig::default() };
        let mut alice = Probe::<RaftNode>::new(config.clone(), 7, NodeId(0));
        let (signed, _) = alice.run(|_, ctx| ctx.sign(42u64));
        assert_eq!((signed.signer(), *signed.payload()), (NodeId(0), 42));
        // n2 passes on what n1 signed: the signature is still n1's, and n2
        // has no way to make one that says otherwise.
        let mut bob = Probe::<RaftNode>::new(config, 7, NodeId(1));
        let (forwarded, _) = bob.run(|_, ctx| (signed.clone(), ctx.sign(43u64)));
        assert_eq!(forwarded.0.signer(), NodeId(0));
        assert_eq!(forwarded.1.signer(), NodeId(1));
    }
}
