//! `caucus`: the simulator on the command line. It plays the page's
//! scenarios and links, sweeps one setting over many seeds on every core, and
//! searches random schedules for a broken property, printing what it found
//! as a link that opens it on the page.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod explore;
mod fail;
mod input;
mod output;
mod parse;
mod progress;
mod report;
mod run;
mod settings;
mod stats;
mod sweep;
mod words;
mod workers;

use fail::Fail;

/// Exit codes, for scripts (also in `--help`).
const EXIT_CODES: &str = "Exit codes: 0 done (for explore: nothing broken); 1 explore found a \
broken property; 2 bad input (a flag, a file, a link or an impossible setting); 130 stopped by \
Ctrl-C, after printing what was done.";

#[derive(Parser)]
#[command(
    name = "caucus",
    version,
    about = "See consensus happen, natively: play, sweep and explore Raft, PBFT and gossip runs.",
    after_help = EXIT_CODES,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Play a scenario file or a link from the page and say how the run ended.
    Run(run::Args),
    /// Run one setting over many seeds, in parallel, and summarise a measure per seed.
    Sweep(sweep::Args),
    /// Search random schedules with faults for one that breaks a safety property.
    Explore(explore::Args),
}

fn main() -> ExitCode {
    output::plain_panics();
    let cli = Cli::parse();
    let stop = progress::Stop::on_ctrl_c();
    let outcome = match cli.command {
        Command::Run(args) => run::run(args, &stop),
        Command::Sweep(args) => sweep::sweep(args, &stop),
        Command::Explore(args) => explore::explore(args, &stop),
    };
    match outcome {
        Ok(code) => code,
        Err(Fail(sentence)) => {
            eprintln!("caucus: {sentence}");
            ExitCode::from(2)
        }
    }
}
