//! Raft's sweep: a leader crash, as in Raft §9.3 (Figure 16). Server n1
//! starts the first election at boot (its election timer is fired at once),
//! so every trial has a leader to crash, even with no randomness in the
//! timeouts, which the figure is about. A client sends a request to the
//! leader every so often; once the first leader has
//! committed a few entries the client pauses, and the leader is crashed at a
//! moment drawn uniformly within its heartbeat interval (measured from the
//! heartbeat it last sent). The run measures the time until another server
//! is leader, then goes on with requests for a while to measure commits per
//! second and messages per commit with the crash in it.

use caucus_sim::kv::{Key, Set};
use caucus_sim::raft::view::leader;
use caucus_sim::raft::{RaftConfig, RaftNode, Timer};
use caucus_sim::{Action, LinkParams, MILLIS, NodeId, Observe, Time, World};

use super::{Common, Experiment};
use crate::fail::Fail;
use crate::report::Measure;
use crate::words;
use crate::workers::sent;
use crate::{parse, settings};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    settings: settings::raft::Settings,

    #[command(flatten)]
    network: settings::Network,

    /// Entries the first leader commits before it is crashed.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u64).range(0..=10_000))]
    entries: u64,

    /// A client request goes to the leader this often, in ms (none while there is no leader).
    #[arg(long, value_name = "MS", default_value = "50", value_parser = parse::positive_millis)]
    request_every: Time,

    /// How long the run goes on after the crash, for commits per second and messages per
    /// commit, in ms.
    #[arg(long, value_name = "MS", default_value = "10000", value_parser = parse::positive_millis)]
    after: Time,

    /// A run with no leader this long after boot or after the crash counts as having none,
    /// in ms.
    #[arg(long, value_name = "MS", default_value = "60000", value_parser = parse::positive_millis)]
    give_up: Time,

    #[command(flatten)]
    pub common: Common,
}

pub struct LeaderCrash {
    config: RaftConfig,
    links: LinkParams,
    entries: u64,
    request_every: Time,
    after: Time,
    give_up: Time,
}

impl LeaderCrash {
    pub fn new(args: &Args) -> Result<LeaderCrash, Fail> {
        let (config, links) = (args.settings.config()?, args.network.links()?);
        if config.nodes < 2 {
            return Err(Fail::new(
                "a leader crash needs at least 2 servers: one to crash and one to take over.",
            ));
        }
        Ok(LeaderCrash {
            config,
            links,
            entries: args.entries,
            request_every: args.request_every,
            after: args.after,
            give_up: args.give_up,
        })
    }
}

static MEASURES: [Measure; 6] = [
    // n1's election, started at boot: how long the first one took.
    Measure { key: "first_leader_ms", title: "first leader (ms)", decimals: 1 },
    Measure { key: "downtime_ms", title: "downtime (ms)", decimals: 1 },
    Measure { key: "elections", title: "elections", decimals: 0 },
    Measure { key: "commits_per_s", title: "commits/s", decimals: 1 },
    Measure { key: "messages_per_commit", title: "messages/commit", decimals: 1 },
    Measure { key: "violations", title: "violations", decimals: 0 },
];

impl Experiment for LeaderCrash {
    fn title(&self) -> String {
        "Raft, a leader crash".into()
    }

    fn settings(&self) -> String {
        format!(
            "{}; {}; the leader crashes after committing {} entries, a request every {}, {} \
             after the crash",
            words::raft(&self.config),
            words::network(&self.links),
            self.entries,
            words::time(self.request_every),
            words::time(self.after),
        )
    }

    fn measures(&self) -> &'static [Measure] {
        &MEASURES
    }

    fn run(&self, seed: u64) -> Vec<Option<f64>> {
        let o = self.trial(seed);
        let ms = |t: Option<Time>| t.map(|t| t as f64 / MILLIS as f64);
        let seconds = self.after as f64 / 1e6;
        let per_commit = (o.commits > 0).then(|| o.sent_after as f64 / o.commits as f64);
        vec![
            ms(o.first_leader),
            ms(o.downtime),
            o.elections.map(|e| e as f64),
            o.downtime.map(|_| o.commits as f64 / seconds),
            per_commit,
            Some(o.violations as f64),
        ]
    }
}

/// What one run measured.
#[derive(Debug, Default)]
struct Outcome {
    first_leader: Option<Time>,
    downtime: Option<Time>,
    elections: Option<u64>,
    commits: u64,
    sent_after: u64,
    violations: u64,
}

impl LeaderCrash {
    fn trial(&self, seed: u64) -> Outcome {
        let world = World::<RaftNode>::observing(
            self.config.clone(),
            seed,
            self.links,
            Observe { invariants: true, notes: false },
        );
        let mut t = Trial { world, sent: 0, requests: 0, first_leader: None };
        t.start_first_election();
        let mut outcome = Outcome::default();
        let ready = t.with_requests(self.request_every, self.give_up, |w| {
            leader(w).is_some_and(|l| committed(w, l) >= self.entries)
        });
        outcome.first_leader = t.first_leader;
        let Some(crashed) =
            ready.then(|| t.crash_in_heartbeat(seed, self.config.heartbeat_interval)).flatten()
        else {
            outcome.violations = t.world.violation_count();
            return outcome;
        };
        let Crashed { old, term, at: crashed_at, commit_index: commits_before } = crashed;
        let sent_before = t.sent;
        let deadline = crashed_at + self.give_up;
        while leader(&t.world).is_none() && t.world.now() <= deadline && t.step() {}
        // A leader elected in the step that passed the limit still came too late.
        let in_time = t.world.now() <= deadline;
        if let Some(new) = leader(&t.world).filter(|&l| l != old && in_time) {
            outcome.downtime = Some(t.world.now() - crashed_at);
            let new_term = t.world.node(new).map_or(term, RaftNode::current_term);
            outcome.elections = Some(new_term - term);
            let end = crashed_at + self.after;
            t.with_requests(self.request_every, end.saturating_sub(t.world.now()), |_| false);
            outcome.commits = max_commit(&t.world).saturating_sub(commits_before);
            outcome.sent_after = t.sent - sent_before;
        }
        outcome.violations = t.world.violation_count();
        outcome
    }
}

/// A run under way, counting the messages it sends.
struct Trial {
    world: World<RaftNode>,
    sent: u64,
    requests: i64,
    first_leader: Option<Time>,
}

impl Trial {
    /// One event in time order; false when nothing is left to happen.
    fn step(&mut self) -> bool {
        let Ok(step) = self.world.apply(&Action::Step) else { return false };
        self.sent += sent(step);
        if self.first_leader.is_none() && leader(&self.world).is_some() {
            self.first_leader = Some(self.world.now());
        }
        true
    }

    fn run_until(&mut self, until: Time) {
        while self.world.next_event_time().is_some_and(|t| t <= until) {
            self.step();
        }
        if until > self.world.now() {
            self.world.apply(&Action::AdvanceTo(until)).expect("no event is due before `until`");
        }
    }

    /// Sends a request to the leader every `every` for up to `limit`, until
    /// `done` holds at a request's time; says whether it did.
    fn with_requests(
        &mut self,
        every: Time,
        limit: Time,
        done: impl Fn(&World<RaftNode>) -> bool,
    ) -> bool {
        let end = self.world.now() + limit;
        let mut next = self.world.now() + every;
        while next <= end {
            self.run_until(next);
            if done(&self.world) {
                return true;
            }
            if let Some(l) = leader(&self.world) {
                let key = Key::new("x").expect("a valid key");
                let request = Set { key, value: self.requests };
                self.requests += 1;
                let step = self.world.apply(&Action::Request { node: l, request });
                self.sent += step.map_or(0, sent);
            }
            next += every;
        }
        self.run_until(end);
        false
    }

    /// Fires n1's election timer now: n1 asks for votes before any other
    /// server's timeout can split them.
    fn start_first_election(&mut self) {
        let first = self
            .world
            .pending_timers()
            .find(|p| p.node == NodeId(0) && p.timer == Timer::Election)
            .map(|p| p.id);
        if let Some(id) = first {
            self.world.apply(&Action::Fire(id)).expect("a pending timer fires");
        }
    }

    /// Waits for the leader's next heartbeat, then crashes it at a moment
    /// drawn from the seed within the following heartbeat interval.
    fn crash_in_heartbeat(&mut self, seed: u64, interval: Time) -> Option<Crashed> {
        let l = leader(&self.world)?;
        let beat = self
            .world
            .pending_timers()
            .find(|p| p.node == l && p.timer == Timer::Heartbeat)
            .map(|p| p.fires_at)?;
        let at = beat + super::draw(seed) % interval;
        self.run_until(at);
        // The leader may have lost its place meanwhile (a lost message, a
        // mistake): then this run has no crash to measure.
        let node = self.world.node(l).filter(|n| leader(&self.world) == Some(n.id()))?;
        let (term, commit_index) = (node.current_term(), node.commit_index());
        self.world.apply(&Action::Crash(l)).ok()?;
        Some(Crashed { old: l, term, at, commit_index })
    }
}

/// The leader crashed: who, in which term, when, and what it had committed.
struct Crashed {
    old: NodeId,
    term: u64,
    at: Time,
    commit_index: u64,
}

/// Entries the server knows to be committed.
fn committed(w: &World<RaftNode>, id: NodeId) -> u64 {
    w.node(id).map_or(0, RaftNode::commit_index)
}

/// The highest commit index among live servers.
fn max_commit(w: &World<RaftNode>) -> u64 {
    (0..w.node_count()).map(|i| committed(w, NodeId(i))).max().unwrap_or(0)
}
