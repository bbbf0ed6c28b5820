//! The RaftScope workload, for benchmarks natively and in wasm: 5 servers
//! with RaftScope's timing, one client request to the leader every 50
//! simulated ms, for 10 simulated seconds.

use super::config::RaftConfig;
use super::kv::{Key, Set};
use super::node::RaftNode;
use crate::action::Action;
use crate::ids::{MILLIS, NodeId, Time};
use crate::network::LinkParams;
use crate::timeline::Timeline;
use crate::world::{Observe, World};

/// What one run of the workload did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorkloadStats {
    pub steps: u64,
    pub messages_delivered: u64,
    pub requests_sent: u64,
    pub commit_index: u64,
    pub trace_hash: u64,
}

/// The seeds the benchmarks average over: one seed's run depends on how its
/// first elections fall, so a single seed would measure luck as much as speed.
pub const BENCH_SEEDS: [u64; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

const DURATION: Time = 10_000 * MILLIS;
const REQUEST_EVERY: Time = 50 * MILLIS;

/// Runs the workload, through a `Timeline` (with its snapshots) when
/// `timeline` is true, or on a bare `World`, recording what `observe` asks.
pub fn raftscope(seed: u64, timeline: bool, observe: Observe) -> WorkloadStats {
    let world = World::<RaftNode>::observing(
        RaftConfig::raftscope(5),
        seed,
        LinkParams::default(),
        observe,
    );
    let mut runner =
        if timeline { Runner::Timeline(Timeline::new(world)) } else { Runner::World(world) };
    let mut stats = WorkloadStats::default();
    let key = Key::new("x").expect("a valid key");
    let mut next_request = REQUEST_EVERY;
    while next_request <= DURATION {
        runner.run_until(next_request, &mut stats);
        if let Some(leader) = runner.leader() {
            let request = Set { key, value: stats.requests_sent as i64 };
            runner.apply(Action::Request { node: leader, request }, &mut stats);
            stats.requests_sent += 1;
        }
        next_request += REQUEST_EVERY;
    }
    let w = runner.world();
    stats.commit_index =
        (0..5).filter_map(|i| w.node(NodeId(i))).map(RaftNode::commit_index).max().unwrap_or(0);
    stats.trace_hash = w.trace_hash();
    stats.messages_delivered = w.messages_delivered();
    stats
}

enum Runner {
    World(World<RaftNode>),
    Timeline(Timeline<RaftNode>),
}

impl Runner {
    fn world(&self) -> &World<RaftNode> {
        match self {
            Runner::World(w) => w,
            Runner::Timeline(t) => t.world(),
        }
    }

    fn apply(&mut self, action: Action<RaftNode>, stats: &mut WorkloadStats) {
        match self {
            Runner::World(w) => w.apply(&action),
            Runner::Timeline(t) => t.apply(action),
        }
        .expect("the workload's actions apply");
        stats.steps += 1;
    }

    fn run_until(&mut self, until: Time, stats: &mut WorkloadStats) {
        while self.world().next_event_time().is_some_and(|t| t <= until) {
            self.apply(Action::Step, stats);
        }
        if until > self.world().now() {
            self.apply(Action::AdvanceTo(until), stats);
        }
    }

    fn leader(&self) -> Option<NodeId> {
        super::view::leader(self.world())
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn the_workload_commits_nearly_every_request_and_snapshots_change_nothing() {
        let bare = raftscope(1, false, Observe::default());
        assert!(bare.requests_sent >= 190, "{bare:?}");
        assert!(bare.commit_index + 5 >= bare.requests_sent, "{bare:?}");
        assert!(bare.messages_delivered > 1_000, "{bare:?}");
        assert_eq!(raftscope(1, true, Observe::default()), bare);
    }

    #[test]
    fn observing_less_changes_what_is_recorded_but_not_what_happens() {
        let full = raftscope(2, false, Observe::default());
        let quiet = raftscope(2, false, Observe { invariants: false, notes: false });
        assert_eq!(
            (quiet.steps, quiet.messages_delivered, quiet.commit_index),
            (full.steps, full.messages_delivered, full.commit_index)
        );
        assert_ne!(quiet.trace_hash, full.trace_hash, "notes are part of the trace");
    }
}
