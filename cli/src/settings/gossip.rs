//! The epidemic engine's settings as flags (Demers et al. 1987).

use caucus_sim::Time;
use caucus_sim::gossip::{
    Backup, Direction, GossipConfig, Interest, Mistake, Removal, Style, Timing,
};

use crate::fail::Fail;
use crate::parse;

#[derive(clap::Args)]
pub struct Settings {
    /// Sites, 2 to 10,000. [default: 1,000 to sweep, 8 to explore]
    #[arg(long, value_name = "N")]
    sites: Option<u32>,

    /// How updates spread: whole stores compared (anti-entropy, §1.3) or hot rumors (§1.4).
    #[arg(long, value_enum, default_value_t = StyleFlag::Rumor)]
    style: StyleFlag,

    /// Who sends what in a contact.
    #[arg(long, value_enum, default_value_t = DirectionFlag::Push)]
    direction: DirectionFlag,

    /// Rumor mongering: count a contact against a rumor only when the partner already knew it
    /// (feedback), or every contact (blind) (§1.4).
    #[arg(long, value_enum, default_value_t = InterestFlag::Feedback)]
    interest: InterestFlag,

    /// Rumor mongering: lose interest after k counted contacts (counter), or with chance 1/k at
    /// each (coin) (§1.4).
    #[arg(long, value_enum, default_value_t = RemovalFlag::Counter)]
    removal: RemovalFlag,

    /// The counter's limit, or one over the coin's chance, 1 to 50.
    #[arg(long, value_name = "K", default_value_t = 2)]
    k: u32,

    /// Partners contacted each period, 1 to 20.
    #[arg(long, value_name = "N", default_value_t = 1)]
    fanout: u32,

    /// The gossip period (a round, with --timing rounds), in ms.
    #[arg(long, value_name = "MS", default_value = "100", value_parser = parse::positive_millis)]
    period: Time,

    /// Synchronous rounds, as the analyses assume, or each site's own timer with jitter.
    #[arg(long, value_enum, default_value_t = TimingFlag::Rounds)]
    timing: TimingFlag,

    /// With --timing free: each period is the period plus or minus up to this, in ms. [default:
    /// a tenth of the period]
    #[arg(long, value_name = "MS", value_parser = parse::millis)]
    jitter: Option<Time>,

    /// Run anti-entropy in this direction behind rumor mongering, to repair its residue (§1.5).
    #[arg(long, value_enum, value_name = "DIRECTION")]
    backup: Option<DirectionFlag>,

    /// With --backup: one anti-entropy exchange every this many periods.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    backup_every: u32,

    /// Switch on a deliberate mistake.
    #[arg(long, value_enum, value_name = "MISTAKE")]
    mistake: Vec<GossipMistake>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum StyleFlag {
    AntiEntropy,
    Rumor,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum DirectionFlag {
    Push,
    Pull,
    PushPull,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum InterestFlag {
    Feedback,
    Blind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum RemovalFlag {
    Counter,
    Coin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TimingFlag {
    Rounds,
    Free,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum GossipMistake {
    /// A useless contact sets the counter back to zero instead of adding one (§1.4).
    CounterResetOnUselessContact,
}

fn direction(d: DirectionFlag) -> Direction {
    match d {
        DirectionFlag::Push => Direction::Push,
        DirectionFlag::Pull => Direction::Pull,
        DirectionFlag::PushPull => Direction::PushPull,
    }
}

/// The timing the flags name.
pub fn timing(flag: TimingFlag, jitter: Time) -> Timing {
    match flag {
        TimingFlag::Rounds => Timing::Rounds,
        TimingFlag::Free => Timing::Free { jitter },
    }
}

impl Settings {
    /// The settings, with `sites` sites unless the flag says otherwise.
    pub fn config(&self, sites: u32) -> Result<GossipConfig, Fail> {
        let config = GossipConfig {
            nodes: self.sites.unwrap_or(sites),
            style: match self.style {
                StyleFlag::AntiEntropy => Style::AntiEntropy,
                StyleFlag::Rumor => Style::RumorMongering,
            },
            direction: direction(self.direction),
            interest: match self.interest {
                InterestFlag::Feedback => Interest::Feedback,
                InterestFlag::Blind => Interest::Blind,
            },
            removal: match self.removal {
                RemovalFlag::Counter => Removal::Counter,
                RemovalFlag::Coin => Removal::Coin,
            },
            k: self.k,
            fanout: self.fanout,
            period: self.period,
            timing: timing(self.timing, self.jitter.unwrap_or(self.period / 10)),
            backup: self
                .backup
                .map(|d| Backup { direction: direction(d), every: self.backup_every }),
            mistakes: self
                .mistake
                .iter()
                .map(|m| match m {
                    GossipMistake::CounterResetOnUselessContact => {
                        Mistake::CounterResetOnUselessContact
                    }
                })
                .collect(),
        };
        super::checked(config, GossipConfig::problem)
    }
}
