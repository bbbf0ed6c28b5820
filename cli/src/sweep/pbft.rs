//! PBFT's sweep: every client is handed its requests at the start and
//! sends them one at a time (§4.1: one outstanding, the rest queued); chosen
//! replicas are Byzantine from the start. The run ends when every request
//! is accepted (f + 1 matching replies), or gives up. It measures requests
//! completed, the latency of each (from the client sending it to its
//! acceptance), messages per request and view changes.

use caucus_sim::kv::{Key, Set};
use caucus_sim::pbft::{Behaviour, PbftCommand, PbftConfig, PbftNode};
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
    settings: settings::pbft::Settings,

    #[command(flatten)]
    network: settings::Network,

    /// Requests each client sends.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    requests: u32,

    /// Make a replica Byzantine from the start, as REPLICA=BEHAVIOUR: r2=silent. Behaviours:
    /// silent, equivocate, wrong-digest, withhold-commits, stall, lie-to-clients,
    /// fabricated-view-change, stale-view-change, replay, double-vote, delay (its messages to
    /// every other replica). Repeat the flag for several.
    #[arg(long, value_name = "REPLICA=BEHAVIOUR", value_parser = byzantine)]
    byzantine: Vec<(u32, Behaviour)>,

    /// The primaries of the first N views (r0, r1, …) are faulty from the start, each as
    /// --primary-fault says: N view changes before a correct primary orders requests.
    #[arg(long, value_name = "N", default_value_t = 0)]
    faulty_primaries: u32,

    /// How a faulty primary misbehaves (a behaviour as --byzantine names them).
    #[arg(long, value_name = "BEHAVIOUR", default_value = "stall", value_parser = conduct)]
    primary_fault: Behaviour,

    /// A run stops this long after it starts, done or not, in ms.
    #[arg(long, value_name = "MS", default_value = "60000", value_parser = parse::positive_millis)]
    give_up: Time,

    #[command(flatten)]
    pub common: Common,
}

/// The flag's name for each behaviour a replica may have from the start,
/// in `Behaviour::all`'s order (its last, "you choose", is the page's).
const NAMES: [&str; 11] = [
    "silent",
    "equivocate",
    "wrong-digest",
    "withhold-commits",
    "stall",
    "lie-to-clients",
    "fabricated-view-change",
    "stale-view-change",
    "replay",
    "double-vote",
    "delay",
];

fn conduct(text: &str) -> Result<Behaviour, String> {
    let at = NAMES.iter().position(|n| *n == text).ok_or_else(|| {
        format!("“{text}” is not a behaviour; choose one of {}", NAMES.join(", "))
    })?;
    Ok(Behaviour::all(Vec::new()).swap_remove(at))
}

fn byzantine(text: &str) -> Result<(u32, Behaviour), String> {
    let (replica, behaviour) = text
        .split_once('=')
        .ok_or_else(|| format!("“{text}” is not REPLICA=BEHAVIOUR, such as r1=silent"))?;
    let number = replica
        .strip_prefix('r')
        .and_then(|n| n.parse::<u32>().ok())
        .ok_or_else(|| format!("“{replica}” is not a replica's name, such as r0 or r3"))?;
    Ok((number, conduct(behaviour)?))
}

/// The behaviour as replica `me` has it: "delay" holds back its messages
/// to every other replica.
fn of_replica(behaviour: Behaviour, me: NodeId, config: &PbftConfig) -> Behaviour {
    match behaviour {
        Behaviour::DelayTo { .. } => {
            Behaviour::DelayTo { peers: config.replica_ids().filter(|&p| p != me).collect() }
        }
        other => other,
    }
}

pub struct Requests {
    config: PbftConfig,
    links: LinkParams,
    requests: u32,
    /// Each faulty replica and how it lies, by replica number.
    faulty: Vec<(u32, Behaviour)>,
    give_up: Time,
}

impl Requests {
    pub fn new(args: &Args) -> Result<Requests, Fail> {
        let (config, links) = (args.settings.config()?, args.network.links()?);
        let n = config.replicas();
        if args.faulty_primaries > n {
            return Err(Fail::new(format!(
                "--faulty-primaries {} is more than the {n} replicas of f = {}.",
                args.faulty_primaries, config.f
            )));
        }
        let mut faulty: Vec<(u32, Behaviour)> =
            (0..args.faulty_primaries).map(|r| (r, args.primary_fault.clone())).collect();
        for (r, behaviour) in &args.byzantine {
            let r = *r;
            if r >= n {
                return Err(Fail::new(format!(
                    "there is no replica r{r}: f = {} has replicas r0 to r{}.",
                    config.f,
                    n - 1
                )));
            }
            faulty.retain(|&(other, _)| other != r);
            faulty.push((r, behaviour.clone()));
        }
        faulty.sort_by_key(|&(r, _)| r);
        let faulty =
            faulty.into_iter().map(|(r, b)| (r, of_replica(b, NodeId(r), &config))).collect();
        Ok(Requests { config, links, requests: args.requests, faulty, give_up: args.give_up })
    }
}

static MEASURES: [Measure; 6] = [
    Measure { key: "completed", title: "completed", decimals: 0 },
    Measure { key: "latency_ms", title: "latency (ms)", decimals: 1 },
    Measure { key: "messages_per_request", title: "messages/request", decimals: 1 },
    Measure { key: "view_changes", title: "view changes", decimals: 0 },
    Measure { key: "time_s", title: "time (s)", decimals: 3 },
    Measure { key: "violations", title: "violations", decimals: 0 },
];

impl Experiment for Requests {
    fn title(&self) -> String {
        "PBFT, clients' requests".into()
    }

    fn settings(&self) -> String {
        let faulty = if self.faulty.is_empty() {
            "every replica correct".to_string()
        } else {
            let list: Vec<String> =
                self.faulty.iter().map(|(r, b)| format!("r{r} {}", b.name())).collect();
            let beyond = if self.faulty.len() > self.config.f as usize {
                " (more than f: safety is not promised)"
            } else {
                ""
            };
            format!("Byzantine: {}{beyond}", list.join(", "))
        };
        format!(
            "{}; {}; {faulty}; {} requests per client",
            words::pbft(&self.config),
            words::network(&self.links),
            self.requests
        )
    }

    fn measures(&self) -> &'static [Measure] {
        &MEASURES
    }

    fn run(&self, seed: u64) -> Vec<Option<f64>> {
        let mut world = World::<PbftNode>::observing(
            self.config.clone(),
            seed,
            self.links,
            Observe { invariants: true, notes: false },
        );
        for (r, behaviour) in &self.faulty {
            let command = PbftCommand::Byzantine(behaviour.clone());
            world
                .apply(&Action::Command { node: NodeId(*r), command })
                .expect("a replica turns Byzantine");
        }
        let key = Key::new("x").expect("a valid key");
        let clients: Vec<NodeId> = self.config.client_ids().collect();
        // Messages sent, from each client's first request on.
        let mut sent_total = 0;
        for &client in &clients {
            for value in 0..self.requests {
                let request = Set { key, value: i64::from(value) };
                let step = world.apply(&Action::Request { node: client, request });
                sent_total += sent(step.expect("a client takes it"));
            }
        }
        let total = self.requests as usize * clients.len();
        // Per client: requests accepted, and when the last was.
        let mut accepted: Vec<(usize, Time)> = vec![(0, world.now()); clients.len()];
        let (mut latency_sum, mut messages) = (0u64, sent_total);
        let mut done = 0;
        while done < total && world.now() <= self.give_up {
            let Ok(step) = world.apply(&Action::Step) else { break };
            messages += sent(step);
            for (i, &client) in clients.iter().enumerate() {
                let now_accepted = accepted_by(&world, client);
                let (before, last) = accepted[i];
                if now_accepted > before {
                    // A client sends its next request when it accepts one (§4.1).
                    latency_sum += (world.now() - last) * (now_accepted - before) as u64;
                    done += now_accepted - before;
                    accepted[i] = (now_accepted, world.now());
                }
            }
        }
        let views = self
            .config
            .replica_ids()
            .filter_map(|id| {
                world.node(id)?.replica().filter(|(d, _)| d.correct()).map(|(d, _)| d.view)
            })
            .max();
        vec![
            Some(done as f64),
            (done > 0).then(|| latency_sum as f64 / done as f64 / MILLIS as f64),
            (done > 0).then(|| messages as f64 / done as f64),
            views.map(|v| v as f64),
            (done == total).then(|| world.now() as f64 / 1e6),
            Some(world.violation_count() as f64),
        ]
    }
}

fn accepted_by(world: &World<PbftNode>, client: NodeId) -> usize {
    world.node(client).and_then(|n| n.client()).map_or(0, |(d, _)| d.accepted.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_is_its_own_behaviour() {
        assert_eq!(conduct("silent"), Ok(Behaviour::Silent));
        assert_eq!(conduct("stall"), Ok(Behaviour::Stall));
        assert_eq!(conduct("double-vote"), Ok(Behaviour::DoubleVote));
        assert_eq!(conduct("delay"), Ok(Behaviour::DelayTo { peers: Vec::new() }));
        let all: Vec<Behaviour> = NAMES.iter().map(|n| conduct(n).unwrap()).collect();
        assert!(!all.contains(&Behaviour::YouChoose));
        assert!(all.iter().enumerate().all(|(i, b)| !all[..i].contains(b)), "{all:?}");
        assert!(conduct("lying").unwrap_err().contains("silent, equivocate"));
    }
}
