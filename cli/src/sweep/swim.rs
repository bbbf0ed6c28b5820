//! SWIM's sweep: a group runs a few periods, then members chosen by the
//! seed crash together, and the run goes on for a set number of periods. It
//! measures what SWIM §5 reports: the time to the first detection of each
//! crash and until every live member held it dead (means over the crashes
//! that got there; crashes never detected are counted), false suspicions
//! and false deaths, and messages per member per period.

use caucus_sim::gossip::swim::{SwimConfig, SwimNode};
use caucus_sim::{Action, NodeId, Observe, Time, World};

use super::{Common, Experiment};
use crate::fail::Fail;
use crate::report::Measure;
use crate::settings;
use crate::words;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    settings: settings::swim::Settings,

    #[command(flatten)]
    network: settings::Network,

    /// Members that crash together, chosen by the seed.
    #[arg(long, value_name = "N", default_value_t = 1)]
    crashes: u32,

    /// Periods the group runs before the crashes.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    warm_up: u32,

    /// Periods the run goes on after the crashes.
    #[arg(long, value_name = "N", default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    periods: u32,

    #[command(flatten)]
    pub common: Common,
}

pub struct Crashes {
    config: SwimConfig,
    links: caucus_sim::LinkParams,
    crashes: u32,
    warm_up: u32,
    periods: u32,
}

impl Crashes {
    pub fn new(args: &Args) -> Result<Crashes, Fail> {
        let (config, links) = (args.settings.config(100)?, args.network.links()?);
        if args.crashes >= config.nodes {
            return Err(Fail::new(format!(
                "--crashes {} leaves no member of {} to notice: crash fewer than all.",
                args.crashes, config.nodes
            )));
        }
        Ok(Crashes {
            config,
            links,
            crashes: args.crashes,
            warm_up: args.warm_up,
            periods: args.periods,
        })
    }

    /// The members that crash: a partial Fisher–Yates shuffle driven by the seed.
    fn victims(&self, seed: u64) -> Vec<NodeId> {
        let mut ids: Vec<u32> = (0..self.config.nodes).collect();
        let mut state = seed;
        for i in 0..self.crashes as usize {
            state = super::draw(state);
            let j = i + (state % (ids.len() - i) as u64) as usize;
            ids.swap(i, j);
        }
        ids[..self.crashes as usize].iter().map(|&i| NodeId(i)).collect()
    }
}

static MEASURES: [Measure; 7] = [
    Measure { key: "first_detection_periods", title: "first detection (periods)", decimals: 2 },
    Measure { key: "everyone_knew_periods", title: "all knew (periods)", decimals: 2 },
    Measure { key: "undetected", title: "undetected", decimals: 0 },
    Measure { key: "false_suspicions", title: "false suspicions", decimals: 0 },
    Measure { key: "false_deaths", title: "false deaths", decimals: 0 },
    Measure { key: "messages_per_member_per_period", title: "messages/member/period", decimals: 2 },
    Measure { key: "violations", title: "violations", decimals: 0 },
];

impl Experiment for Crashes {
    fn title(&self) -> String {
        "SWIM, members crash".into()
    }

    fn settings(&self) -> String {
        format!(
            "{}; {}; {} member{} crash after {} periods, then {} periods",
            words::swim(&self.config),
            words::network(&self.links),
            self.crashes,
            if self.crashes == 1 { "" } else { "s" },
            self.warm_up,
            self.periods
        )
    }

    fn measures(&self) -> &'static [Measure] {
        &MEASURES
    }

    fn run(&self, seed: u64) -> Vec<Option<f64>> {
        let observe = Observe { invariants: true, notes: false };
        let mut world =
            World::<SwimNode>::observing(self.config.clone(), seed, self.links, observe);
        let period = self.config.period;
        world.run_until(u64::from(self.warm_up) * period);
        let crashed_at = world.now();
        for id in self.victims(seed) {
            world.apply(&Action::Crash(id)).expect("a live member crashes");
        }
        world.run_until(crashed_at + u64::from(self.periods) * period);
        let m = world.measures();
        let in_periods = |t: Time, from: Time| (t - from) as f64 / period as f64;
        // Means over the crashes that got there; the misses are counted.
        let mean = |times: Vec<f64>| -> Option<f64> {
            (!times.is_empty()).then(|| times.iter().sum::<f64>() / times.len() as f64)
        };
        let detected: Vec<f64> = m
            .failures
            .iter()
            .filter_map(|f| f.first_detected.map(|t| in_periods(t, f.crashed_at)))
            .collect();
        let known: Vec<f64> = m
            .failures
            .iter()
            .filter_map(|f| f.everyone_knew.map(|t| in_periods(t, f.crashed_at)))
            .collect();
        let undetected = m.failures.len() - detected.len();
        // Members' periods: the group before the crashes, the survivors after.
        let members = f64::from(self.config.initial);
        let member_periods = members * f64::from(self.warm_up)
            + (members - f64::from(self.crashes)) * f64::from(self.periods);
        vec![
            mean(detected),
            mean(known),
            Some(undetected as f64),
            Some(m.false_suspicions as f64),
            Some(m.false_deaths as f64),
            Some(m.messages as f64 / member_periods),
            Some(world.violation_count() as f64),
        ]
    }
}
