//! PBFT's settings as flags.

use caucus_sim::Time;
use caucus_sim::pbft::{Mistake, PbftConfig};

use crate::fail::Fail;
use crate::parse;

#[derive(clap::Args)]
pub struct Settings {
    /// Faults tolerated: n = 3f + 1 replicas, f from 1 to 3 (§3).
    #[arg(long, value_name = "F", default_value_t = 1)]
    f: u32,

    /// Clients, 1 to 3.
    #[arg(long, value_name = "N", default_value_t = 1)]
    clients: u32,

    /// A checkpoint every this many sequence numbers (§4.3, "k").
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    checkpoint_period: u64,

    /// The log's size: the high watermark is the low one plus this (§4.3, "L").
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    log_size: u64,

    /// How long a backup waits for a request it knows of before asking for a view change, in
    /// ms (§4.4); doubled across successive view changes (§4.5.2).
    #[arg(long, value_name = "MS", default_value = "300", value_parser = parse::positive_millis)]
    view_change_timeout: Time,

    /// How long a client waits for f + 1 matching replies before sending to every replica,
    /// in ms (§4.1).
    #[arg(long, value_name = "MS", default_value = "200", value_parser = parse::positive_millis)]
    client_timeout: Time,

    /// How long a replica that delays its messages holds them, in ms.
    #[arg(long, value_name = "MS", default_value = "150", value_parser = parse::millis)]
    byzantine_delay: Time,

    /// Switch on a deliberate mistake (repeat the flag for several).
    #[arg(long, value_enum, value_name = "MISTAKE")]
    mistake: Vec<PbftMistake>,
}

/// PBFT's mistakes by the names the command line takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum PbftMistake {
    /// Committed-local with 2f matching COMMITs instead of 2f + 1 (§4.2).
    #[value(name = "commit-with-2f")]
    CommitWith2f,
    /// Prepared with 2f − 1 matching PREPAREs instead of 2f (§4.2).
    PreparedWithFewer,
    /// The new primary re-issues null requests where the VIEW-CHANGEs carry prepared ones (§4.4).
    NewPrimaryIgnoresPrepared,
    /// A backup accepts a second PRE-PREPARE for a view and sequence number it already has (§4.2).
    AcceptSecondPrePrepare,
    /// A client accepts the first REPLY instead of f + 1 matching ones (§4.1).
    ClientAcceptsFirstReply,
}

impl Settings {
    pub fn config(&self) -> Result<PbftConfig, Fail> {
        let mut config = PbftConfig::new(self.f, self.clients);
        config.checkpoint_period = self.checkpoint_period;
        config.log_size = self.log_size;
        config.view_change_timeout = self.view_change_timeout;
        config.client_timeout = self.client_timeout;
        config.byzantine_delay = self.byzantine_delay;
        for m in &self.mistake {
            config.mistakes.insert(match m {
                PbftMistake::CommitWith2f => Mistake::CommitWith2f,
                PbftMistake::PreparedWithFewer => Mistake::PreparedWithFewer,
                PbftMistake::NewPrimaryIgnoresPrepared => Mistake::NewPrimaryIgnoresPrepared,
                PbftMistake::AcceptSecondPrePrepare => Mistake::AcceptSecondPrePrepare,
                PbftMistake::ClientAcceptsFirstReply => Mistake::ClientAcceptsFirstReply,
            });
        }
        super::checked(config, PbftConfig::problem)
    }
}
