//! What the analyses expect of a run in synchronous rounds: the informed
//! fraction after each round, the curve the page draws beside the measured
//! one, and a band around it that a single run stays inside. Mean-field
//! recurrences with the run's own n and fanout, round by round as the
//! engine plays them (the update is made before round 1; what a site learns
//! in a round it passes on from the next). Plots only: nothing here feeds a
//! run, so the platform's `powf` is allowed.

use super::config::{Direction, GossipConfig, Interest, Removal, Style, Timing};

/// The expected spread of one update, and where it comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Expected {
    /// The informed fraction after round r, from r = 0 (one site) until all
    /// but half a site know or the rumor has died out.
    pub informed: Vec<f64>,
    /// The analysis, in words, for the plot's legend.
    pub source: &'static str,
}

/// The most rounds a curve is followed.
const MAX_ROUNDS: usize = 10_000;

/// The expected spread for `config`, or why the analyses give none.
pub fn expected(config: &GossipConfig) -> Result<Expected, &'static str> {
    if config.timing != Timing::Rounds {
        return Err("the analyses assume synchronous rounds");
    }
    if config.backup.is_some() {
        return Err("no analysis covers anti-entropy behind rumor mongering");
    }
    let n = f64::from(config.nodes);
    let f = f64::from(config.fanout);
    match config.style {
        Style::AntiEntropy => Ok(anti_entropy(n, f, config.direction)),
        Style::RumorMongering if config.direction == Direction::Push => {
            Ok(push_rumor(n, f, config.k, config.interest, config.removal))
        }
        Style::RumorMongering => Err("the analyses of rumor mongering cover push only"),
    }
}

/// Demers §1.3: a susceptible site stays so through a round if none of the
/// informed sites pushes to it, chance (1 − f/(n − 1))^{n(1−s)}, and (pull)
/// if every partner it asks is susceptible, ∏ (ns − 1 − j)/(n − 1 − j).
fn anti_entropy(n: f64, f: f64, direction: Direction) -> Expected {
    let missed_by_pushes = |s: f64| (1.0 - f / (n - 1.0)).max(0.0).powf(n * (1.0 - s));
    let pulls_find_nothing = |s: f64| {
        (0..f as u32)
            .map(|j| ((n * s - 1.0 - f64::from(j)) / (n - 1.0 - f64::from(j))).max(0.0))
            .product::<f64>()
    };
    let mut s = 1.0 - 1.0 / n;
    let mut informed = vec![1.0 - s];
    while s * n >= 0.5 && informed.len() < MAX_ROUNDS {
        s *= match direction {
            Direction::Push => missed_by_pushes(s),
            Direction::Pull => pulls_find_nothing(s),
            Direction::PushPull => missed_by_pushes(s) * pulls_find_nothing(s),
        };
        informed.push(1.0 - s);
    }
    let source = match direction {
        Direction::Push => "Demers §1.3, push: s' = s(1 − f/(n − 1))^{n(1 − s)}",
        Direction::Pull => "Demers §1.3, pull: s' = s((ns − 1)/(n − 1))^f",
        Direction::PushPull => "Demers §1.3, push-pull: both factors",
    };
    Expected { informed, source }
}

/// Demers §1.4's epidemic, a round at a time: each infective site pushes to
/// f sites; a susceptible site hit becomes infective. A site loses interest
/// with chance 1/k on each contact that counts (feedback: a partner that
/// already knew; blind: every contact). A counter of k is taken as a coin
/// of 1/k with feedback (the residues agree, §1.4), and exactly: after k
/// contacts, ⌈k/f⌉ rounds, when blind. With feedback, a contact finds its
/// partner informed as the round has left it so far: messages arrive
/// through the round, so on average halfway between its start and its end.
fn push_rumor(n: f64, f: f64, k: u32, interest: Interest, removal: Removal) -> Expected {
    let k_f = f64::from(k);
    // Infective fractions by the round they were infected, for the blind counter.
    let lifetime = (k as usize).div_ceil(f as usize).max(1);
    let mut cohorts: Vec<f64> = vec![1.0 / n];
    let (mut s, mut i) = (1.0 - 1.0 / n, 1.0 / n);
    let mut informed = vec![1.0 - s];
    while i * n >= 0.5 && s * n >= 0.5 && informed.len() < MAX_ROUNDS {
        let s_next = s * (1.0 - 1.0 / (n - 1.0)).powf(f * n * i);
        let newly = s - s_next;
        let removed = match (interest, removal) {
            (Interest::Blind, Removal::Counter) => {
                let age = cohorts.len();
                if age >= lifetime { cohorts[age - lifetime] } else { 0.0 }
            }
            (Interest::Blind, Removal::Coin) => i * (1.0 - (1.0 - 1.0 / k_f).powf(f)),
            (Interest::Feedback, _) => {
                let knew = 1.0 - (s + s_next) / 2.0;
                i * (1.0 - (1.0 - knew / k_f).powf(f))
            }
        };
        cohorts.push(newly);
        i = (i + newly - removed).max(0.0);
        s = s_next;
        informed.push(1.0 - s);
    }
    Expected {
        informed,
        source: "Demers §1.4: ds = −s·i, di = s·i − (1/k)·(counted contacts)·i, a round at a time",
    }
}

/// Around the expected curve, where one run of n sites stays: the curve a
/// round early and a round late (the first rounds' luck shifts a whole run
/// in time), widened by four binomial standard errors, √(x(1 − x)/n).
pub fn band(expected: &Expected, n: u32) -> Vec<(f64, f64)> {
    let x = &expected.informed;
    let at = |r: isize| x[r.clamp(0, x.len() as isize - 1) as usize];
    (0..x.len() as isize + 1)
        .map(|r| {
            let (late, early) = (at(r - 1), at(r + 1));
            let (low, high) = (late.min(at(r)), early.max(at(r)));
            let spread = |v: f64| 4.0 * (v * (1.0 - v) / f64::from(n.max(1))).sqrt();
            ((low - spread(low)).max(0.0), (high + spread(high)).min(1.0))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn push_pull_beats_push_and_both_reach_everyone() {
        let push = expected(&GossipConfig::anti_entropy(1_000, Direction::Push)).unwrap();
        let both = expected(&GossipConfig::anti_entropy(1_000, Direction::PushPull)).unwrap();
        assert!(both.informed.len() < push.informed.len());
        assert!(push.informed.windows(2).all(|w| w[1] >= w[0]));
        assert!(*push.informed.last().unwrap() > 1.0 - 0.5 / 1_000.0);
        // Pittel: push takes about log2 n + ln n = 16.9 rounds at n = 1,000.
        assert!((15..=20).contains(&push.informed.len()), "{}", push.informed.len());
    }

    #[test]
    fn the_rumor_leaves_demers_residue() {
        // s = e^{−(k+1)(1−s)}: 0.203 at k = 1, 0.060 at k = 2 (feedback, coin).
        for (k, residue) in [(1, 0.203), (2, 0.0595)] {
            let config = GossipConfig {
                k,
                removal: Removal::Coin,
                ..GossipConfig::rumor_mongering(10_000, Direction::Push)
            };
            let end = 1.0 - expected(&config).unwrap().informed.last().unwrap();
            assert!((end - residue).abs() < 0.1 * residue, "k = {k}: {end}");
        }
    }

    #[test]
    fn no_curve_where_no_analysis_applies() {
        let free = GossipConfig {
            timing: Timing::Free { jitter: 0 },
            ..GossipConfig::anti_entropy(100, Direction::Push)
        };
        assert!(expected(&free).is_err());
        assert!(expected(&GossipConfig::rumor_mongering(100, Direction::Pull)).is_err());
    }

    #[test]
    fn the_band_holds_the_curve() {
        let e = expected(&GossipConfig::anti_entropy(1_000, Direction::PushPull)).unwrap();
        let band = band(&e, 1_000);
        assert_eq!(band.len(), e.informed.len() + 1);
        assert!(e.informed.iter().zip(&band).all(|(x, (lo, hi))| lo <= x && x <= hi));
    }
}
