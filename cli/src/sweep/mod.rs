//! `caucus sweep`: one setting over many seeds, every seed an independent
//! run on its own core, then one row per seed and a summary. Rows are put in
//! seed order before anything is printed, so the output is the same on one
//! core or sixty-four.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use rayon::prelude::*;

use crate::fail::{Fail, STOPPED};
use crate::progress::{Progress, Stop};
use crate::report::{Format, Measure, Only, Report};
use crate::workers::Workers;

mod gossip;
mod pbft;
mod raft;
mod swim;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    protocol: Protocol,
}

#[derive(Subcommand)]
enum Protocol {
    /// A leader crashes after replicating a few entries, at a random moment in its heartbeat
    /// interval: the time until the next leader (Raft §9.3, Figure 16), commits per second and
    /// messages per commit. n1 starts the first election at boot, so every trial has a leader.
    Raft(raft::Args),
    /// Clients send requests through faulty replicas and primaries: requests completed, latency
    /// per request, messages per request and view changes.
    Pbft(pbft::Args),
    /// One update spreads by anti-entropy or rumor mongering: rounds to full spread, residue,
    /// traffic and delays (Demers et al. 1987).
    Gossip(gossip::Args),
    /// Members crash in a SWIM group: time to first detection and until every member knew, false
    /// suspicions and messages per member per period (Das et al. 2002).
    Swim(swim::Args),
}

/// What every sweep takes besides its protocol's settings.
#[derive(clap::Args)]
pub struct Common {
    /// How many seeds to run, one run each.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    seeds: u64,

    /// The first seed; the others follow it.
    #[arg(long, value_name = "SEED", default_value_t = 1)]
    first_seed: u64,

    /// How to print the results.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,

    /// Print only the rows or only the summary. [default: both]
    #[arg(long, value_enum)]
    only: Option<Only>,

    /// Write the results to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,

    #[command(flatten)]
    workers: Workers,
}

/// A sweep's experiment: one run per seed, a value per measure.
pub trait Experiment: Sync {
    /// "Raft, a leader crash".
    fn title(&self) -> String;
    /// The settings in words.
    fn settings(&self) -> String;
    fn measures(&self) -> &'static [Measure];
    /// One run; a `None` where the run had no value for a measure.
    fn run(&self, seed: u64) -> Vec<Option<f64>>;
}

pub fn sweep(args: Args, stop: &Stop) -> Result<ExitCode, Fail> {
    match args.protocol {
        Protocol::Raft(a) => {
            let common = &a.common;
            drive(&raft::LeaderCrash::new(&a)?, common, stop)
        }
        Protocol::Pbft(a) => drive(&pbft::Requests::new(&a)?, &a.common, stop),
        Protocol::Gossip(a) => drive(&gossip::Spread::new(&a)?, &a.common, stop),
        Protocol::Swim(a) => drive(&swim::Crashes::new(&a)?, &a.common, stop),
    }
}

/// Runs `experiment` on every seed, in parallel, and prints the report.
fn drive(experiment: &dyn Experiment, common: &Common, stop: &Stop) -> Result<ExitCode, Fail> {
    let last = common.first_seed.checked_add(common.seeds - 1).ok_or_else(|| {
        Fail::new(format!(
            "--first-seed {} with --seeds {} runs past the largest seed",
            common.first_seed, common.seeds
        ))
    })?;
    // The file first: a wrong path fails before the work, not after it.
    let mut out: Box<dyn Write> = match &common.output {
        Some(path) => Box::new(BufWriter::new(File::create(path).map_err(|e| {
            Fail::new(format!(
                "{} could not be created: {}.",
                path.display(),
                crate::input::plain(&e)
            ))
        })?)),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let pool = common.workers.pool()?;
    let progress = Progress::new(Some(common.seeds), "seeds", common.workers.quiet);
    let results: Vec<Option<(u64, Vec<Option<f64>>)>> = pool.install(|| {
        (common.first_seed..=last)
            .into_par_iter()
            .map(|seed| {
                if stop.requested() {
                    return None;
                }
                let values = experiment.run(seed);
                progress.tick();
                Some((seed, values))
            })
            .collect()
    });
    progress.finish();
    let rows: Vec<_> = results.into_iter().flatten().collect();
    let done = rows.len() as u64;
    let report = Report {
        title: experiment.title(),
        settings: experiment.settings(),
        measures: experiment.measures(),
        rows,
    };
    crate::output::finish(
        report.write(common.format, common.only, &mut out).and_then(|()| out.flush()),
    )?;
    if done < common.seeds {
        eprintln!(
            "Stopped by Ctrl-C: {done} of {} seeds were run; the results above are theirs.",
            common.seeds
        );
        return Ok(ExitCode::from(STOPPED));
    }
    if !common.workers.quiet {
        eprintln!("{done} seeds in {:.1} s.", progress.elapsed().as_secs_f64());
    }
    Ok(ExitCode::SUCCESS)
}

/// One well-mixed number from a seed (SplitMix64), for an experiment's own
/// choices (when to crash, whom), apart from every draw of the run itself.
pub fn draw(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
