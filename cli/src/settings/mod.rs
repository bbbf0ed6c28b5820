//! Each engine's settings as flags, shared by `sweep` and `explore`: every
//! setting the page offers, with its unit and default, checked by the
//! engine's own `problem` so that an impossible one gets the page's sentence.

use caucus_sim::{LinkParams, Time};

use crate::parse;

pub mod gossip;
pub mod pbft;
pub mod raft;
pub mod swim;

/// The network every link of a run has.
#[derive(clap::Args)]
pub struct Network {
    /// One-way message latency, drawn uniformly from this range, in ms.
    #[arg(long, value_name = "MS-MS", default_value = "10-15", value_parser = parse::millis_range)]
    latency: (Time, Time),

    /// Chance that a message is lost, in percent.
    #[arg(long, value_name = "%", default_value = "0", value_parser = parse::percent)]
    loss: u32,

    /// Chance that a message arrives twice, in percent.
    #[arg(long, value_name = "%", default_value = "0", value_parser = parse::percent)]
    duplication: u32,
}

impl Network {
    pub fn links(&self) -> Result<LinkParams, crate::fail::Fail> {
        let links = LinkParams {
            latency_min: self.latency.0,
            latency_max: self.latency.1,
            loss_ppm: self.loss,
            duplicate_ppm: self.duplication,
        };
        match links.problem() {
            Some(why) => Err(crate::fail::Fail::new(format!("{why}."))),
            None => Ok(links),
        }
    }
}

/// A configuration the engine accepts, or its sentence on why not.
pub fn checked<C>(
    config: C,
    problem: impl Fn(&C) -> Option<String>,
) -> Result<C, crate::fail::Fail> {
    match problem(&config) {
        Some(why) => Err(crate::fail::Fail::new(format!("{why}."))),
        None => Ok(config),
    }
}
