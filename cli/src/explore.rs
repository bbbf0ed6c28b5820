//! `caucus explore`: the random schedule search (`caucus_sim::explore`)
//! on every core. Schedules are numbered and each draws from its own
//! stream, so they run in batches in parallel and the first schedule (by
//! number) that breaks a property is the one reported, however many cores
//! ran: the same flags find the same counterexample. It is shrunk, printed
//! in words and as a link that opens it on the page.

use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use caucus_sim::engine::Engine;
use caucus_sim::explore::{Counterexample, Faults, Found, Moves, schedule};
use caucus_sim::gossip::GossipNode;
use caucus_sim::gossip::invariants::LOSS_OF_INTEREST;
use caucus_sim::gossip::swim::SwimNode;
use caucus_sim::gossip::swim::invariants::NO_FALSE_DEATH;
use caucus_sim::pbft::{Behaviour, PbftNode};
use caucus_sim::raft::RaftNode;
use caucus_sim::scenario::Scenario;
use caucus_sim::view::Visual;
use caucus_sim::{Action, NodeId, Protocol, Violation, World};
use clap::Subcommand;
use rayon::prelude::*;

use crate::fail::{FOUND, Fail, STOPPED};
use crate::progress::{Progress, Stop};
use crate::run::Page;
use crate::workers::Workers;
use crate::{parse, settings, words};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    protocol: Which,
}

#[derive(Subcommand)]
enum Which {
    /// Raft with client requests to random servers.
    Raft {
        #[command(flatten)]
        settings: settings::raft::Settings,
        #[command(flatten)]
        search: Search,
        #[command(flatten)]
        faults: FaultFlags,
    },
    /// PBFT with requests from random clients and up to --byzantine-replicas replicas turned
    /// Byzantine in random ways, telling random lies.
    Pbft {
        #[command(flatten)]
        settings: settings::pbft::Settings,
        /// The most replicas the search makes Byzantine. [default: f]
        #[arg(long, value_name = "N")]
        byzantine_replicas: Option<u32>,
        /// Chance that an action turns a replica Byzantine or tells a lie, in percent.
        #[arg(long, value_name = "%", default_value = "2", value_parser = parse::percent)]
        byzantine_rate: u32,
        #[command(flatten)]
        search: Search,
        #[command(flatten)]
        faults: FaultFlags,
    },
    /// Epidemic dissemination with new versions of three keys written at random sites.
    Gossip {
        #[command(flatten)]
        settings: settings::gossip::Settings,
        #[command(flatten)]
        search: Search,
        #[command(flatten)]
        faults: FaultFlags,
    },
    /// SWIM membership. Its property (no live member declared dead) holds only while no message
    /// is lost and no member crashes, so by default the search only reorders and duplicates.
    Swim {
        #[command(flatten)]
        settings: settings::swim::Settings,
        #[command(flatten)]
        search: Search,
        #[command(flatten)]
        faults: FaultFlags,
    },
}

/// The search's budget and how it reports.
#[derive(clap::Args)]
struct Search {
    /// Schedules to try. [default: 1,000, unless --seconds is given]
    #[arg(long, value_name = "N", conflicts_with = "seconds", value_parser = clap::value_parser!(u64).range(1..))]
    schedules: Option<u64>,

    /// Try schedules for this many seconds of wall-clock time instead.
    #[arg(long, value_name = "S", value_parser = clap::value_parser!(u64).range(1..=604_800))]
    seconds: Option<u64>,

    /// Actions in each schedule. [default: 600; 800 for PBFT; 2,000 for SWIM]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    steps: Option<u32>,

    /// The search's seed: the same seed and settings find the same schedule.
    #[arg(long, value_name = "SEED", default_value_t = 1)]
    search_seed: u64,

    /// Look only for this property, going on past others that break first (its name as the
    /// page's properties panel shows it).
    #[arg(long, value_name = "NAME")]
    property: Option<String>,

    #[command(flatten)]
    workers: Workers,

    #[command(flatten)]
    page: Page,
}

/// How often each fault is chosen instead of a plain step, as a percentage
/// of actions. Unset, each takes the protocol's default.
#[derive(clap::Args)]
struct FaultFlags {
    /// Chance that an action crashes a random node, in percent. [default: 1.5; 0 for SWIM]
    #[arg(long, value_name = "%", value_parser = parse::percent)]
    crash: Option<u32>,
    /// Chance that an action restarts a crashed node, in percent. [default: 3; 0 for SWIM]
    #[arg(long, value_name = "%", value_parser = parse::percent)]
    restart: Option<u32>,
    /// Chance that an action splits the network in two at random, in percent. [default: 0.8; 0
    /// for SWIM]
    #[arg(long, value_name = "%", value_parser = parse::percent)]
    partition: Option<u32>,
    /// Chance that an action heals the network, in percent. [default: 1.5; 0 for SWIM]
    #[arg(long, value_name = "%", value_parser = parse::percent)]
    heal: Option<u32>,
    /// Chance that an action delivers a random message ahead of its time, in percent. [default: 2]
    #[arg(long, value_name = "%", value_parser = parse::percent)]
    deliver_early: Option<u32>,
    /// Chance that an action loses a random message, in percent. [default: 1; 0 for SWIM]
    #[arg(long, value_name = "%", value_parser = parse::percent)]
    drop: Option<u32>,
    /// Chance that an action duplicates a random message, in percent. [default: 1]
    #[arg(long, value_name = "%", value_parser = parse::percent)]
    duplicate: Option<u32>,
    /// Chance that an action is a client request or a write, in percent. [default: 4; 0 for SWIM]
    #[arg(long, value_name = "%", value_parser = parse::percent)]
    requests: Option<u32>,
    /// Each schedule's links lose up to this share of messages, in percent. [default: 10; 0 for
    /// SWIM]
    #[arg(long, value_name = "%", value_parser = parse::percent)]
    max_loss: Option<u32>,
    /// Each schedule's links duplicate up to this share of messages, in percent. [default: 5]
    #[arg(long, value_name = "%", value_parser = parse::percent)]
    max_duplication: Option<u32>,
}

impl FaultFlags {
    fn over(&self, base: Faults) -> Faults {
        Faults {
            crash: self.crash.unwrap_or(base.crash),
            restart: self.restart.unwrap_or(base.restart),
            partition: self.partition.unwrap_or(base.partition),
            heal: self.heal.unwrap_or(base.heal),
            deliver_early: self.deliver_early.unwrap_or(base.deliver_early),
            drop: self.drop.unwrap_or(base.drop),
            duplicate: self.duplicate.unwrap_or(base.duplicate),
            protocol: self.requests.unwrap_or(base.protocol),
            byzantine: base.byzantine,
            max_loss: self.max_loss.unwrap_or(base.max_loss),
            max_duplication: self.max_duplication.unwrap_or(base.max_duplication),
        }
    }
}

pub fn explore(args: Args, stop: &Stop) -> Result<ExitCode, Fail> {
    match args.protocol {
        Which::Raft { settings, search, faults } => {
            let config = settings.config()?;
            let plan = Plan::new(
                search,
                faults.over(Faults::default()),
                600,
                RaftNode::PROPERTIES.iter().map(|p| p.name),
            )?;
            let words = format!("Raft: {}", words::raft(&config));
            let moves =
                Moves { protocol: &caucus_sim::raft::moves::client_request, byzantine: &no_move };
            run_search(&config, &plan, moves, &words, stop, &labels::<RaftNode>(&config), &|c| {
                link::<RaftNode>(&config, c)
            })
        }
        Which::Pbft { settings, byzantine_replicas, byzantine_rate, search, faults } => {
            let config = settings.config()?;
            let limit = byzantine_replicas.unwrap_or(config.f);
            if limit > config.replicas() {
                return Err(Fail::new(format!(
                    "--byzantine-replicas {limit} is more than the {} replicas of f = {}.",
                    config.replicas(),
                    config.f
                )));
            }
            let base = Faults {
                byzantine: if limit == 0 { 0 } else { byzantine_rate },
                ..Faults::default()
            };
            let plan = Plan::new(
                search,
                faults.over(base),
                800,
                PbftNode::PROPERTIES.iter().map(|p| p.name),
            )?;
            let beyond =
                if limit > config.f { ", more than f: safety is not promised" } else { "" };
            let words = format!(
                "PBFT: {}; up to {limit} Byzantine replica{}{beyond}",
                words::pbft(&config),
                if limit == 1 { "" } else { "s" }
            );
            let turn = caucus_sim::pbft::moves::turn_byzantine(limit as usize, any_behaviour);
            let moves =
                Moves { protocol: &caucus_sim::pbft::moves::client_request, byzantine: &turn };
            run_search(&config, &plan, moves, &words, stop, &labels::<PbftNode>(&config), &|c| {
                link::<PbftNode>(&config, c)
            })
        }
        Which::Gossip { settings, search, faults } => {
            let config = settings.config(8)?;
            let plan = Plan::new(search, faults.over(Faults::default()), 600, [LOSS_OF_INTEREST])?;
            let words = format!("Gossip: {}", words::gossip(&config));
            let moves = Moves { protocol: &caucus_sim::gossip::moves::write, byzantine: &no_move };
            run_search::<GossipNode>(
                &config,
                &plan,
                moves,
                &words,
                stop,
                &|id| id.to_string(),
                &no_link,
            )
        }
        Which::Swim { settings, search, faults } => {
            let config = settings.config(5)?;
            let plan = Plan::new(search, faults.over(Faults::lossless()), 2_000, [NO_FALSE_DEATH])?;
            let words = format!("SWIM: {}", words::swim(&config));
            let moves = Moves { protocol: &no_move, byzantine: &no_move };
            run_search::<SwimNode>(
                &config,
                &plan,
                moves,
                &words,
                stop,
                &|id| id.to_string(),
                &no_link,
            )
        }
    }
}

fn no_move<P: Protocol>(
    _: &World<P>,
    _: &mut caucus_sim::explore::ChaCha8Rng,
) -> Option<Action<P>> {
    None
}

fn any_behaviour(_: &Behaviour) -> bool {
    true
}

/// Names nodes as the page does (PBFT's r0 and c1).
fn labels<P: Visual>(config: &P::Config) -> impl Fn(NodeId) -> String + '_ {
    move |id| P::node_label(config, id)
}

/// The counterexample as a scenario the page opens, at the step where the
/// property broke, with the violation as that step's note.
fn link<P: Engine>(config: &P::Config, found: &Counterexample<P>) -> Result<Scenario, String> {
    let mut scenario = Scenario::new::<P>(config.clone(), found.seed, found.links);
    if let Some(spec) = P::spec_mut(&mut scenario.run) {
        spec.actions = found.actions.clone();
    }
    scenario.step = found.actions.len() as u64;
    scenario.narration.title =
        format!("{} broken: found by caucus explore", found.violation.property);
    let name = |id| P::node_label(config, id);
    scenario.narration.set_note(scenario.step, &in_words(&found.violation, &name));
    scenario.check().map_err(|why| format!("No link can hold it: {why}."))?;
    Ok(scenario)
}

/// Gossip runs have no scenario yet: the page does not draw them.
fn no_link<P: Protocol>(_: &Counterexample<P>) -> Result<Scenario, String> {
    Err("The page does not draw this protocol yet: replay the run from its seed, network and \
         actions above."
        .into())
}

/// What one search does, checked.
struct Plan {
    faults: Faults,
    steps: u32,
    budget: Budget,
    search_seed: u64,
    property: Option<String>,
    workers: Workers,
    page: Page,
}

#[derive(Clone, Copy)]
enum Budget {
    Schedules(u64),
    Time(Duration),
}

impl Plan {
    fn new<'a>(
        search: Search,
        faults: Faults,
        steps: u32,
        properties: impl IntoIterator<Item = &'a str>,
    ) -> Result<Plan, Fail> {
        if let Some(why) = faults.problem() {
            return Err(Fail::new(format!("{why}.")));
        }
        let property = match &search.property {
            None => None,
            Some(name) => {
                let names: Vec<&str> = properties.into_iter().collect();
                let found = names.iter().find(|n| n.eq_ignore_ascii_case(name.trim()));
                Some(found.map(|n| n.to_string()).ok_or_else(|| {
                    Fail::new(format!(
                        "“{name}” is not a property of this protocol; its properties are: {}.",
                        names.join(", ")
                    ))
                })?)
            }
        };
        Ok(Plan {
            faults,
            steps: search.steps.unwrap_or(steps),
            budget: match search.seconds {
                Some(s) => Budget::Time(Duration::from_secs(s)),
                None => Budget::Schedules(search.schedules.unwrap_or(1_000)),
            },
            search_seed: search.search_seed,
            property,
            workers: search.workers,
            page: search.page,
        })
    }
}

/// Runs the search in numbered batches on every core; prints what it found.
fn run_search<P: Protocol>(
    config: &P::Config,
    plan: &Plan,
    moves: Moves<'_, P>,
    settings: &str,
    stop: &Stop,
    name: &dyn Fn(NodeId) -> String,
    link: &dyn Fn(&Counterexample<P>) -> Result<Scenario, String>,
) -> Result<ExitCode, Fail>
where
    P::Config: Sync,
    Found<P>: Send,
{
    let pool = plan.workers.pool()?;
    let total = match plan.budget {
        Budget::Schedules(n) => Some(n),
        Budget::Time(_) => None,
    };
    let progress = Progress::new(total, "schedules", plan.workers.quiet);
    let started = Instant::now();
    let out_of_time = |budget: Budget| matches!(budget, Budget::Time(d) if started.elapsed() >= d);
    let wanted = |v: &Violation| plan.property.as_ref().is_none_or(|p| &v.property == p);
    let tried = AtomicU64::new(0);
    // Enough schedules a batch to keep every core busy between checks.
    let batch = pool.current_num_threads() as u64 * 8;
    let mut next = 0;
    let found = loop {
        let end = match plan.budget {
            Budget::Schedules(n) => n.min(next + batch),
            Budget::Time(_) => next + batch,
        };
        if next >= end || stop.requested() || out_of_time(plan.budget) {
            break None;
        }
        let first = pool.install(|| {
            (next..end).into_par_iter().find_map_first(|index| {
                if stop.requested() || out_of_time(plan.budget) {
                    return None;
                }
                let found = schedule(
                    config,
                    plan.search_seed,
                    index,
                    plan.steps,
                    &plan.faults,
                    moves,
                    &wanted,
                );
                tried.fetch_add(1, Ordering::Relaxed);
                progress.tick();
                found.map(|f| (index, f))
            })
        });
        if first.is_some() {
            break first;
        }
        next = end;
    };
    progress.finish();
    let tried = tried.into_inner();
    let Some((index, found)) = found else {
        let what =
            plan.property.as_deref().map_or("No property".to_string(), |p| format!("{p} never"));
        crate::output::print(&format!(
            "{settings}.\n{what} broke in {tried} schedules of {} actions (search seed {}).\n",
            plan.steps, plan.search_seed
        ))?;
        if stop.requested() {
            eprintln!("Stopped by Ctrl-C after {tried} schedules.");
            return Ok(ExitCode::from(STOPPED));
        }
        return Ok(ExitCode::SUCCESS);
    };
    let before = found.len();
    if !plan.workers.quiet {
        eprintln!(
            "Schedule {index} broke {}; shrinking its {before} actions…",
            found.violation().property
        );
    }
    let shrunk = found.shrink_until(config, &|| stop.requested());
    let mut text = describe(config, settings, plan, index, before, &shrunk, name);
    match link(&shrunk) {
        Ok(scenario) => {
            text.push_str("Open it on the page:\n");
            text.push_str(&crate::run::link(&plan.page.page, &scenario));
        }
        Err(why) => text.push_str(&why),
    }
    text.push('\n');
    crate::output::print(&text)?;
    if stop.requested() {
        eprintln!("Stopped by Ctrl-C: the schedule above is shrunk as far as it got.");
        return Ok(ExitCode::from(STOPPED));
    }
    Ok(ExitCode::from(FOUND))
}

/// The counterexample in words: what broke, where it was found, and each
/// action (runs of plain steps folded), with the virtual time it happened.
fn describe<P: Protocol>(
    config: &P::Config,
    settings: &str,
    plan: &Plan,
    index: u64,
    before: usize,
    found: &Counterexample<P>,
    name: &dyn Fn(NodeId) -> String,
) -> String {
    let mut text = format!("{settings}.\nFound: {}\n", in_words(&found.violation, name));
    text.push_str(&format!(
        "Schedule {index} of search seed {}, shrunk from {before} to {} actions. The run's seed is \
         {}; its network: {}.\n",
        plan.search_seed,
        found.actions.len(),
        found.seed,
        words::network(&found.links)
    ));
    let mut world = World::<P>::new(config.clone(), found.seed, found.links);
    let mut steps = 0;
    let mut lines = Vec::new();
    let flush = |steps: &mut u64, lines: &mut Vec<String>, at: usize| {
        if *steps > 0 {
            let first = at as u64 - *steps + 1;
            let what = if *steps == 1 { "1 step".to_string() } else { format!("{steps} steps") };
            lines.push(format!("{:>11}  {what} in time order", range(first, at as u64)));
            *steps = 0;
        }
    };
    for (i, action) in found.actions.iter().enumerate() {
        let Ok(step) = world.apply(action) else { break };
        if matches!(action, Action::Step) {
            steps += 1;
            continue;
        }
        flush(&mut steps, &mut lines, i);
        let what =
            step.events().next().map_or_else(|| format!("{action:?}"), |e| e.summary_with(name));
        let early = match action {
            Action::Deliver(_) | Action::Fire(_) => ", ahead of its time",
            _ => "",
        };
        lines.push(format!("{:>11}  at {}: {what}{early}", i + 1, words::time(world.now())));
    }
    flush(&mut steps, &mut lines, found.actions.len());
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// A violation with its nodes named as the page names them (PBFT's r1, c0).
fn in_words(v: &Violation, name: &dyn Fn(NodeId) -> String) -> String {
    let nodes: Vec<String> = v.nodes.iter().map(|&id| name(id)).collect();
    format!(
        "{} ({}) broken at step {} by {}: {}",
        v.property,
        v.source,
        v.step,
        nodes.join(", "),
        v.detail
    )
}

fn range(first: u64, last: u64) -> String {
    if first == last { first.to_string() } else { format!("{first}–{last}") }
}
