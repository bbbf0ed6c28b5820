//! SWIM's settings as flags (Das, Gupta and Motivala 2002).

use caucus_sim::Time;
use caucus_sim::gossip::swim::{Selection, SwimConfig, SwimMistake};

use super::gossip::{TimingFlag, timing};
use crate::fail::Fail;
use crate::parse;

#[derive(clap::Args)]
pub struct Settings {
    /// Members, 2 to 2,000. [default: 100 to sweep, 5 to explore]
    #[arg(long, value_name = "N")]
    members: Option<u32>,

    /// The protocol period T' (§3), in ms.
    #[arg(long, value_name = "MS", default_value = "1000", value_parser = parse::positive_millis)]
    period: Time,

    /// How long a member waits for a direct ack before it asks k others, in ms.
    #[arg(long, value_name = "MS", default_value = "200", value_parser = parse::positive_millis)]
    ping_timeout: Time,

    /// k: members asked to ping the target on the prober's behalf (§3), 0 to 10.
    #[arg(long, value_name = "K", default_value_t = 3)]
    k: u32,

    /// The suspicion timeout, in periods of ⌈ln(n + 1)⌉ (§4.2, §5), 1 to 20.
    #[arg(long, value_name = "N", default_value_t = 3)]
    suspicion_mult: u32,

    /// λ: each update is piggybacked λ⌈ln(n + 1)⌉ times (§4.1), 1 to 20.
    #[arg(long, value_name = "Λ", default_value_t = 3)]
    retransmit_mult: u32,

    /// The most updates one message carries, 1 to 50.
    #[arg(long, value_name = "N", default_value_t = 6)]
    max_piggyback: u32,

    /// How a member picks whom to ping: at random (§3) or round-robin (§4.3).
    #[arg(long, value_enum, default_value_t = SelectionFlag::Random)]
    selection: SelectionFlag,

    /// Synchronous periods, as §3's analysis assumes, or each member's own timer with jitter.
    #[arg(long, value_enum, default_value_t = TimingFlag::Free)]
    timing: TimingFlag,

    /// With --timing free: each period is the period plus or minus up to this, in ms. [default:
    /// a tenth of the period]
    #[arg(long, value_name = "MS", value_parser = parse::millis)]
    jitter: Option<Time>,

    /// Switch on a deliberate mistake (repeat the flag for both).
    #[arg(long, value_enum, value_name = "MISTAKE")]
    mistake: Vec<SwimFlagMistake>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum SelectionFlag {
    Random,
    RoundRobin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum SwimFlagMistake {
    /// A member's incarnation never grows, so it cannot refute a suspicion (§4.2).
    NoIncarnation,
    /// A probe without an ack declares the target dead at once (§3's basic SWIM).
    NoSuspicion,
}

impl Settings {
    /// The settings, with `members` members unless the flag says otherwise.
    pub fn config(&self, members: u32) -> Result<SwimConfig, Fail> {
        let mut config = SwimConfig::new(self.members.unwrap_or(members));
        config.period = self.period;
        config.ping_timeout = self.ping_timeout;
        config.indirect = self.k;
        config.suspicion_mult = self.suspicion_mult;
        config.retransmit_mult = self.retransmit_mult;
        config.max_piggyback = self.max_piggyback;
        config.selection = match self.selection {
            SelectionFlag::Random => Selection::Random,
            SelectionFlag::RoundRobin => Selection::RoundRobin,
        };
        config.timing = timing(self.timing, self.jitter.unwrap_or(self.period / 10));
        for m in &self.mistake {
            config.mistakes.insert(match m {
                SwimFlagMistake::NoIncarnation => SwimMistake::NoIncarnation,
                SwimFlagMistake::NoSuspicion => SwimMistake::NoSuspicion,
            });
        }
        super::checked(config, SwimConfig::problem)
    }
}
