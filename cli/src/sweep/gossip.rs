//! The epidemic sweep: one update made at site 0, played until it has
//! reached every site (anti-entropy) or its rumor has died out (rumor
//! mongering), the engine's standard run (`gossip::workload`). It measures
//! what Demers et al. tabulate and Pittel and Karp et al. predict: rounds to
//! full spread, residue, the average and last delay, and traffic.

use caucus_sim::gossip::workload;
use caucus_sim::gossip::{GossipConfig, Style};
use caucus_sim::{LinkParams, Observe};

use super::{Common, Experiment};
use crate::fail::Fail;
use crate::report::Measure;
use crate::settings;
use crate::words;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    settings: settings::gossip::Settings,

    #[command(flatten)]
    network: settings::Network,

    #[command(flatten)]
    pub common: Common,
}

pub struct Spread {
    config: GossipConfig,
    links: LinkParams,
}

impl Spread {
    pub fn new(args: &Args) -> Result<Spread, Fail> {
        Ok(Spread { config: args.settings.config(1_000)?, links: args.network.links()? })
    }
}

static MEASURES: [Measure; 6] = [
    Measure { key: "full_spread_rounds", title: "rounds to all", decimals: 0 },
    Measure { key: "residue", title: "residue", decimals: 4 },
    Measure { key: "average_delay_periods", title: "t_ave (periods)", decimals: 2 },
    Measure { key: "last_delay_periods", title: "t_last (periods)", decimals: 2 },
    Measure { key: "messages_per_site", title: "messages/site", decimals: 2 },
    Measure { key: "violations", title: "violations", decimals: 0 },
];

impl Experiment for Spread {
    fn title(&self) -> String {
        match self.config.style {
            Style::AntiEntropy => "Gossip, anti-entropy".into(),
            Style::RumorMongering => "Gossip, rumor mongering".into(),
        }
    }

    fn settings(&self) -> String {
        format!("{}; {}", words::gossip(&self.config), words::network(&self.links))
    }

    fn measures(&self) -> &'static [Measure] {
        &MEASURES
    }

    fn run(&self, seed: u64) -> Vec<Option<f64>> {
        // Invariants on: a sweep also checks the run it measures.
        let observe = Observe { invariants: true, notes: false };
        let mut world = workload::start(self.config.clone(), seed, self.links, observe);
        workload::play(&mut world);
        let o = workload::outcome(&world);
        vec![
            o.full_spread.map(|r| r as f64),
            Some(o.residue),
            Some(o.average_delay),
            Some(o.last_delay),
            Some(o.messages_per_site),
            Some(world.violation_count() as f64),
        ]
    }
}
