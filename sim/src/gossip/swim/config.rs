//! SWIM's settings (Das, Gupta and Motivala, DSN 2002): the protocol period,
//! the ping timeout, k members for ping-req (§3), the suspicion timeout
//! (§4.2), how many times an update is piggybacked (§4.1), how ping targets
//! are chosen (§4.3), and the mistakes a teacher can switch on.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::gossip::config::Timing;
use crate::ids::{MILLIS, Time};
use crate::sorted::SortedSet;

/// The most members a SWIM run has.
pub const MAX_MEMBERS: u32 = 2_000;

/// How a member picks whom to ping each period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Selection {
    /// Uniformly among the members it knows (§3).
    Random,
    /// Each member once per cycle, in an order drawn afresh each cycle
    /// (§4.3): a failed member is pinged within 2n − 1 periods.
    RoundRobin,
}

/// A deliberate bug, off by default, for the checks to catch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SwimMistake {
    /// A member's incarnation never grows, so it cannot refute a suspicion.
    NoIncarnation,
    /// A probe without an ack declares the target dead at once (§3's basic SWIM).
    NoSuspicion,
}

impl SwimMistake {
    pub const ALL: [SwimMistake; 2] = [SwimMistake::NoIncarnation, SwimMistake::NoSuspicion];

    pub fn name(self) -> &'static str {
        match self {
            SwimMistake::NoIncarnation => "SWIM without incarnation numbers",
            SwimMistake::NoSuspicion => "Suspicion switched off",
        }
    }

    /// What goes wrong, in one sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            SwimMistake::NoIncarnation => {
                "A suspected member that is alive answers with the same incarnation number as the \
                 suspicion, which does not override it, so it cannot refute and is declared dead \
                 when the suspicion times out (SWIM §4.2)."
            }
            SwimMistake::NoSuspicion => {
                "A member that gets no ack, direct or through ping-req, within a protocol period \
                 declares the target dead at once, as basic SWIM does (§3): one lost or late ack \
                 kills a live member, which suspicion exists to prevent (§4.2)."
            }
        }
    }
}

impl fmt::Display for SwimMistake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Saved in scenario links and files; a missing field takes its default.
/// One copy serves every member.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct SwimConfig {
    /// Nodes in the world, 2 to 2,000.
    pub nodes: u32,
    /// Members at the start: nodes 0 to `initial - 1`. The others are
    /// outside the group until they join.
    pub initial: u32,
    /// The protocol period T' (§3).
    pub period: Time,
    /// How long a member waits for a direct ack before it asks k others.
    pub ping_timeout: Time,
    /// k: members asked to ping the target on the prober's behalf (§3).
    pub indirect: u32,
    /// The suspicion timeout, in periods of ⌈ln(n + 1)⌉: SWIM's own
    /// prototype waited 3⌈log(n + 1)⌉ periods (§5).
    pub suspicion_mult: u32,
    /// λ: each update is piggybacked λ⌈ln(n + 1)⌉ times by each member
    /// that learns it (§4.1; the prototype used λ = 3, §5).
    pub retransmit_mult: u32,
    /// The most updates one message carries.
    pub max_piggyback: u32,
    pub selection: Selection,
    /// Synchronous periods (every member's period starts together, as the
    /// analysis of §3 assumes) or each member's own, with jitter.
    pub timing: Timing,
    pub mistakes: SortedSet<SwimMistake>,
}

impl Default for SwimConfig {
    fn default() -> Self {
        SwimConfig::new(16)
    }
}

impl SwimConfig {
    /// `nodes` members from the start, a period of 1 s, a ping timeout of
    /// 200 ms, k = 3, λ = 3, a suspicion timeout of 3⌈ln(n + 1)⌉ periods,
    /// random targets and free-running periods (10% jitter).
    pub fn new(nodes: u32) -> SwimConfig {
        SwimConfig {
            nodes,
            initial: nodes,
            period: 1_000 * MILLIS,
            ping_timeout: 200 * MILLIS,
            indirect: 3,
            suspicion_mult: 3,
            retransmit_mult: 3,
            max_piggyback: 6,
            selection: Selection::Random,
            timing: Timing::Free { jitter: 100 * MILLIS },
            mistakes: SortedSet::new(),
        }
    }

    pub fn with_mistake(mut self, mistake: SwimMistake) -> SwimConfig {
        self.mistakes.insert(mistake);
        self
    }

    pub fn has(&self, mistake: SwimMistake) -> bool {
        self.mistakes.contains(&mistake)
    }

    /// ⌈ln(n + 1)⌉, the log of the infection-style analysis (§4.1), in
    /// integers: the smallest d with e^d ≥ n + 1, from the floors of e^d
    /// (e^d is never a whole number), so no platform logarithm is involved.
    pub fn log_n(&self) -> u32 {
        const FLOOR_E_POW: [u64; 9] = [2, 7, 20, 54, 148, 403, 1_096, 2_980, 8_103];
        let above = u64::from(self.nodes) + 1;
        FLOOR_E_POW.iter().position(|&floor| above <= floor).map_or(10, |d| d as u32 + 1)
    }

    /// How long a suspicion lasts before the suspect is declared dead.
    pub fn suspicion_timeout(&self) -> Time {
        u64::from(self.suspicion_mult * self.log_n()) * self.period
    }

    /// How many times each member piggybacks an update it learned.
    pub fn retransmits(&self) -> u32 {
        self.retransmit_mult * self.log_n()
    }

    /// Why this configuration cannot run, if it cannot.
    pub fn problem(&self) -> Option<String> {
        if !(2..=MAX_MEMBERS).contains(&self.nodes) {
            return Some(format!("a SWIM run has 2 to {MAX_MEMBERS} members, not {}", self.nodes));
        }
        if !(1..=self.nodes).contains(&self.initial) {
            return Some(format!(
                "1 to {} members may be in the group at the start, not {}",
                self.nodes, self.initial
            ));
        }
        if self.period < MILLIS || self.period > 3_600 * 1_000 * MILLIS {
            return Some("the protocol period must be 1 ms to one hour".into());
        }
        if self.ping_timeout == 0 || self.ping_timeout >= self.period {
            return Some("the ping timeout must be positive and shorter than the period".into());
        }
        if self.indirect > 10 || self.suspicion_mult == 0 || self.suspicion_mult > 20 {
            return Some("k must be 0 to 10, and the suspicion multiplier 1 to 20".into());
        }
        if !(1..=20).contains(&self.retransmit_mult) || !(1..=50).contains(&self.max_piggyback) {
            return Some("λ must be 1 to 20, and a message carries 1 to 50 updates".into());
        }
        if let Timing::Free { jitter } = self.timing {
            if jitter > self.period / 2 {
                return Some("the jitter may be at most half the period".into());
            }
            // The shortest period must leave time to ask k members after the timeout (§3).
            if self.ping_timeout >= self.period - jitter {
                return Some(format!(
                    "the ping timeout ({}) must be shorter than the shortest period, the period \
                     less its jitter ({})",
                    crate::ids::format_time(self.ping_timeout),
                    crate::ids::format_time(self.period - jitter)
                ));
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
    fn log_n_is_the_ceiling_of_ln_n_plus_one() {
        for n in [2, 3, 6, 7, 19, 20, 53, 54, 100, 147, 148, 1_000, 1_095, 1_096, 2_000] {
            let want = (f64::from(n) + 1.0).ln().ceil() as u32;
            assert_eq!(SwimConfig::new(n).log_n(), want, "n = {n}");
        }
        let config = SwimConfig::new(1_000);
        assert_eq!(config.retransmits(), 21);
        assert_eq!(config.suspicion_timeout(), 21 * config.period);
    }

    #[test]
    fn bad_settings_say_what_is_wrong() {
        assert_eq!(SwimConfig::default().problem(), None);
        assert!(SwimConfig::new(2_001).problem().unwrap().contains("2 to 2000 members"));
        let slow = SwimConfig { ping_timeout: 2_000 * MILLIS, ..SwimConfig::default() };
        assert!(slow.problem().unwrap().contains("shorter than the period"));
        let none = SwimConfig { initial: 0, ..SwimConfig::default() };
        assert!(none.problem().unwrap().contains("at the start"));
    }
}
