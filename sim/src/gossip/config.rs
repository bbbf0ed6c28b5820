//! The settings of an epidemic run (Demers et al., PODC 1987): anti-entropy
//! or rumor mongering, push, pull or push-pull, how a site loses interest in
//! a rumor, the fanout and the period, the timing model, anti-entropy behind
//! rumor mongering, and the mistakes a teacher can switch on.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{MILLIS, Time};
use crate::sorted::SortedSet;

/// The most nodes an epidemic run has.
pub const MAX_NODES: u32 = 10_000;
/// The largest k (counter limit, or one over the coin's chance).
pub const MAX_K: u32 = 50;
/// The most partners a node contacts each period.
pub const MAX_FANOUT: u32 = 20;
/// The longest gossip period: one hour.
pub const MAX_PERIOD: Time = 3_600 * 1_000 * MILLIS;

/// How updates spread (Demers §1.3, §1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Style {
    /// Every period each site resolves the difference between its whole
    /// store and a random partner's (§1.3): slow, and certain to converge.
    AntiEntropy,
    /// Sites keep new updates as hot rumors and spread them until they lose
    /// interest (§1.4): fast and cheap, and some sites may never hear.
    RumorMongering,
}

/// Who sends what in a contact (§1.3, §1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// The caller sends what it has.
    Push,
    /// The caller asks for what its partner has.
    Pull,
    /// Both.
    PushPull,
}

/// When a site counts a contact against a rumor (§1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Interest {
    /// Only when the partner already knew it, as the partner says.
    Feedback,
    /// On every contact, whatever the partner knew.
    Blind,
}

/// How a site loses interest once a contact counts (§1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Removal {
    /// After k counted contacts.
    Counter,
    /// With chance 1/k at each counted contact.
    Coin,
}

/// When sites gossip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Timing {
    /// Every site gossips at the start of each round (round r starts at r ×
    /// the period), and what a site learns during a round it passes on from
    /// the next: the synchronous model the analyses assume. Links must
    /// deliver within a period for every message to arrive in its round.
    Rounds,
    /// Each site's own timer, a random phase and then the period plus or
    /// minus up to `jitter`: what real systems do.
    Free { jitter: Time },
}

/// Anti-entropy run now and then behind rumor mongering, to repair its residue (§1.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Backup {
    pub direction: Direction,
    /// One anti-entropy exchange every this many periods.
    pub every: u32,
}

/// A deliberate bug, off by default, for the checks to catch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Mistake {
    /// A useless contact sets the counter back to zero instead of adding one.
    CounterResetOnUselessContact,
}

impl Mistake {
    pub const ALL: [Mistake; 1] = [Mistake::CounterResetOnUselessContact];

    pub fn name(self) -> &'static str {
        match self {
            Mistake::CounterResetOnUselessContact => "Counter reset on a useless contact",
        }
    }

    /// What goes wrong, in one sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            Mistake::CounterResetOnUselessContact => {
                "A site that finds its partner already knew the rumor starts counting again from \
                 zero instead of counting one more, so it never reaches k, never loses interest, \
                 and the rumor is sent around forever (Demers §1.4, counter)."
            }
        }
    }
}

impl fmt::Display for Mistake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Saved in scenario links and files. A field missing from one takes its
/// default, so adding a setting never breaks an old link. One copy serves
/// every node: nodes read it through their context, never keep their own.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct GossipConfig {
    /// Sites, 2 to 10,000.
    pub nodes: u32,
    pub style: Style,
    pub direction: Direction,
    /// Rumor mongering only.
    pub interest: Interest,
    /// Rumor mongering only.
    pub removal: Removal,
    /// The counter's limit, or one over the coin's chance (§1.4's k).
    pub k: u32,
    /// Partners contacted each period.
    pub fanout: u32,
    /// The gossip period (a round, under `Timing::Rounds`).
    pub period: Time,
    pub timing: Timing,
    /// Anti-entropy behind rumor mongering, if any.
    pub backup: Option<Backup>,
    pub mistakes: SortedSet<Mistake>,
}

impl Default for GossipConfig {
    fn default() -> Self {
        GossipConfig::rumor_mongering(1_000, Direction::Push)
    }
}

impl GossipConfig {
    /// Rumor mongering with feedback and a counter, k = 2, one partner a
    /// round of 100 ms: Demers' Table 1 variant, the best he measured.
    pub fn rumor_mongering(nodes: u32, direction: Direction) -> GossipConfig {
        GossipConfig {
            nodes,
            style: Style::RumorMongering,
            direction,
            interest: Interest::Feedback,
            removal: Removal::Counter,
            k: 2,
            fanout: 1,
            period: 100 * MILLIS,
            timing: Timing::Rounds,
            backup: None,
            mistakes: SortedSet::new(),
        }
    }

    /// Anti-entropy, one partner a round of 100 ms.
    pub fn anti_entropy(nodes: u32, direction: Direction) -> GossipConfig {
        GossipConfig {
            style: Style::AntiEntropy,
            ..GossipConfig::rumor_mongering(nodes, direction)
        }
    }

    pub fn with_mistake(mut self, mistake: Mistake) -> GossipConfig {
        self.mistakes.insert(mistake);
        self
    }

    pub fn has(&self, mistake: Mistake) -> bool {
        self.mistakes.contains(&mistake)
    }

    /// Why this configuration cannot run, if it cannot.
    pub fn problem(&self) -> Option<String> {
        if !(2..=MAX_NODES).contains(&self.nodes) {
            return Some(format!("an epidemic run has 2 to {MAX_NODES} sites, not {}", self.nodes));
        }
        if !(1..=MAX_K).contains(&self.k) {
            return Some(format!("k must be 1 to {MAX_K}, not {}", self.k));
        }
        if !(1..=MAX_FANOUT).contains(&self.fanout) || self.fanout >= self.nodes {
            return Some(format!(
                "the fanout must be 1 to {MAX_FANOUT} and below the number of sites ({}), not {}",
                self.nodes, self.fanout
            ));
        }
        if !(MILLIS..=MAX_PERIOD).contains(&self.period) {
            return Some("the gossip period must be 1 ms to one hour".into());
        }
        if let Timing::Free { jitter } = self.timing
            && jitter > self.period / 2
        {
            return Some(format!(
                "the jitter ({}) may be at most half the period ({})",
                crate::ids::format_time(jitter),
                crate::ids::format_time(self.period)
            ));
        }
        if let Some(backup) = self.backup {
            if self.style == Style::AntiEntropy {
                return Some("anti-entropy needs no anti-entropy behind it".into());
            }
            if backup.every == 0 {
                return Some("the anti-entropy backup must run every 1 or more periods".into());
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn bad_settings_say_what_is_wrong() {
        assert_eq!(GossipConfig::default().problem(), None);
        let too_many = GossipConfig::rumor_mongering(10_001, Direction::Push);
        assert!(too_many.problem().unwrap().contains("2 to 10000 sites, not 10001"));
        let zero_k = GossipConfig { k: 0, ..GossipConfig::default() };
        assert!(zero_k.problem().unwrap().contains("k must be 1"));
        let wide = GossipConfig { fanout: 3, ..GossipConfig::rumor_mongering(3, Direction::Push) };
        assert!(wide.problem().unwrap().contains("below the number of sites (3)"));
        let shaky = GossipConfig {
            timing: Timing::Free { jitter: 60 * MILLIS },
            ..GossipConfig::default()
        };
        assert!(shaky.problem().unwrap().contains("at most half the period"));
        let backed = GossipConfig {
            backup: Some(Backup { direction: Direction::PushPull, every: 0 }),
            ..GossipConfig::default()
        };
        assert!(backed.problem().unwrap().contains("every 1 or more"));
    }
}
