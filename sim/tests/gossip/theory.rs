//! The engine against the published analyses, over many seeded runs. Each
//! expected value is derived here, with its source. Each tolerance is
//! statistical and stated: a sample mean must lie within four standard
//! errors of the expectation (a chance of about 1 in 16,000 that a correct
//! engine fails by bad luck, and the seeds are fixed, so it does not
//! flicker), plus a stated allowance for what the analysis leaves out
//! (finite n, discrete rounds, a constant it does not give).

use caucus_sim::gossip::workload::{self, Outcome};
use caucus_sim::gossip::{Direction, GossipConfig, Interest, Removal};
use caucus_sim::{LinkParams, Observe};

/// The engine alone: the checks and notes cost time and change nothing here.
const QUIET: Observe = Observe { invariants: false, notes: false };

/// Mean, standard deviation and standard error of a sample.
struct Sample {
    mean: f64,
    se: f64,
}

fn sample(values: &[f64]) -> Sample {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Sample { mean, se: (var / n).sqrt() }
}

/// `runs` standard runs (one update at site 0, played to the end), seeds 0, 1, ….
fn runs(config: &GossipConfig, runs: u64) -> Vec<Outcome> {
    (0..runs)
        .map(|seed| workload::run(config.clone(), seed, LinkParams::default(), QUIET))
        .collect()
}

fn rounds(outcomes: &[Outcome]) -> Sample {
    let rounds: Vec<f64> = outcomes
        .iter()
        .map(|o| o.full_spread.expect("anti-entropy reaches every site") as f64)
        .collect();
    sample(&rounds)
}

/// Pittel (1987), "On spreading a rumor", SIAM J. Appl. Math. 47: when
/// every informed site pushes to one random site a round, the rounds S_n
/// until all n know are log2 n + ln n + O(1) in probability. The O(1) is not
/// given, so the test compares two sizes, where it cancels: from n = 1,000 to
/// n = 8,000 the rounds grow by log2 8 + ln 8 = 5.08. Allowance: half a round
/// (the O(1) term need not be equal at both sizes). Each size's own mean must
/// also lie within three rounds above log2 n + ln n.
#[test]
fn push_spreads_in_log2_n_plus_ln_n_rounds() {
    let expected = |n: f64| n.log2() + n.ln();
    let (small, large) = (1_000.0, 8_000.0);
    let s = rounds(&runs(&GossipConfig::anti_entropy(1_000, Direction::Push), 60));
    let l = rounds(&runs(&GossipConfig::anti_entropy(8_000, Direction::Push), 60));
    let growth = l.mean - s.mean;
    let want = expected(large) - expected(small);
    let se = (s.se.powi(2) + l.se.powi(2)).sqrt();
    assert!(
        (growth - want).abs() <= 4.0 * se + 0.5,
        "push: {:.2} → {:.2} rounds, growth {growth:.2}, Pittel {want:.2} ± {:.2}",
        s.mean,
        l.mean,
        4.0 * se + 0.5
    );
    for (n, measured) in [(small, &s), (large, &l)] {
        let above = measured.mean - expected(n);
        assert!(
            (0.0..=3.0).contains(&above),
            "n = {n}: {:.2} rounds, {above:.2} above log2 n + ln n",
            measured.mean
        );
    }
}

/// Karp, Schindelhauer, Shenker and Vöcking (2000), "Randomized Rumor
/// Spreading", FOCS: push-pull informs all n sites in log3 n + O(ln ln n)
/// rounds. From n = 1,000 to 8,000 that is log3 8 = 1.89 rounds more, plus
/// c · (ln ln 8000 − ln ln 1000) = 0.27 c for the second term. With c
/// between 0 and 2 the growth lies in 1.89 to 2.42; allowance: a quarter
/// round either side. Each size's own mean must lie between log3 n and
/// log3 n + 2 ln ln n.
#[test]
fn push_pull_spreads_in_log3_n_plus_order_ln_ln_n_rounds() {
    let log3 = |n: f64| n.ln() / 3f64.ln();
    let (small, large) = (1_000.0f64, 8_000.0f64);
    let s = rounds(&runs(&GossipConfig::anti_entropy(1_000, Direction::PushPull), 60));
    let l = rounds(&runs(&GossipConfig::anti_entropy(8_000, Direction::PushPull), 60));
    let growth = l.mean - s.mean;
    let low = log3(large) - log3(small);
    let high = low + 2.0 * (large.ln().ln() - small.ln().ln());
    let slack = 4.0 * (s.se.powi(2) + l.se.powi(2)).sqrt() + 0.25;
    assert!(
        (low - slack..=high + slack).contains(&growth),
        "push-pull: {:.2} → {:.2} rounds, growth {growth:.2}, Karp et al. {low:.2} to {high:.2} ± {slack:.2}",
        s.mean,
        l.mean
    );
    for (n, measured) in [(small, &s), (large, &l)] {
        let band = log3(n)..=log3(n) + 2.0 * n.ln().ln();
        assert!(
            band.contains(&measured.mean),
            "n = {n}: {:.2} rounds, not in {band:?}",
            measured.mean
        );
    }
}

/// The susceptible sites at the end of each round, as a fraction of `n`,
/// until every site holds the update.
fn susceptible_by_round(world: &caucus_sim::World<caucus_sim::gossip::GossipNode>) -> Vec<f64> {
    let (n, period) = (world.node_count(), world.config().period);
    let spread = &world.measures().updates[0];
    let end = spread.full_at(n).expect("anti-entropy reaches every site");
    let by_round = spread.informed_by_round(period, end);
    by_round.iter().map(|&informed| 1.0 - f64::from(informed) / f64::from(n)).collect()
}

/// Demers §1.3: with a fraction p of sites still susceptible, a round of
/// anti-entropy leaves p · p' of them so, where a susceptible site stays so
/// if its pull finds a susceptible partner, p' = (np − 1)/(n − 1) (large n:
/// p_{i+1} = p_i^2), or if none of the n(1 − p) informed sites pushes to it,
/// p' = (1 − 1/(n − 1))^{n(1−p)} (large n: p_{i+1} = p_i e^{−1} near the
/// end). Summed over every round that starts with at least 5% susceptible,
/// in 8 runs of 4,000 sites, the susceptible sites left must match the sum
/// of these expectations within four standard deviations (a binomial count:
/// √expected) plus 2%.
#[test]
fn anti_entropy_rounds_shrink_the_susceptible_as_demers_derives() {
    let n: f64 = 4_000.0;
    let push = |p: f64| p * (1.0 - 1.0 / (n - 1.0)).powf(n * (1.0 - p));
    let pull = |p: f64| p * (n * p - 1.0) / (n - 1.0);
    for (direction, next) in
        [(Direction::Push, &push as &dyn Fn(f64) -> f64), (Direction::Pull, &pull)]
    {
        let (mut seen, mut expected) = (0.0, 0.0);
        for seed in 0..8 {
            let config = GossipConfig::anti_entropy(4_000, direction);
            let mut world = workload::start(config, seed, LinkParams::default(), QUIET);
            workload::play(&mut world);
            let p = susceptible_by_round(&world);
            for pair in p.windows(2).filter(|w| w[0] >= 0.05) {
                seen += pair[1] * n;
                expected += next(pair[0]) * n;
            }
        }
        let slack = 4.0 * expected.sqrt() + 0.02 * expected;
        assert!(
            (seen - expected).abs() <= slack,
            "{direction:?}: {seen} sites stayed susceptible, Demers §1.3 expects {expected:.0} ± {slack:.0}"
        );
    }
}

fn rumor(interest: Interest, removal: Removal, k: u32) -> GossipConfig {
    GossipConfig { interest, removal, k, ..GossipConfig::rumor_mongering(1_000, Direction::Push) }
}

/// Residue and traffic (rumor messages per site) of `runs` runs.
fn residue_and_traffic(config: &GossipConfig, count: u64) -> (Sample, Sample) {
    let outcomes = runs(config, count);
    let residue: Vec<f64> = outcomes.iter().map(|o| o.residue).collect();
    let traffic: Vec<f64> = outcomes.iter().map(|o| o.rumor_messages_per_site).collect();
    (sample(&residue), sample(&traffic))
}

/// Demers §1.4: with feedback and a coin of 1/k, the residue s solves
/// s = e^{−(k+1)(1−s)}, from the epidemic's differential equations. The
/// equations are a continuous-time, infinite-population model; allowance:
/// 10% of s for rounds and n = 1,000 sites.
#[test]
fn the_residue_of_rumor_mongering_solves_demers_equation() {
    for k in 1..=4 {
        let mut s = 0.0;
        for _ in 0..200 {
            s = (-f64::from(k + 1) * (1.0 - s)).exp();
        }
        let (residue, _) = residue_and_traffic(&rumor(Interest::Feedback, Removal::Coin, k), 40);
        let slack = 4.0 * residue.se + 0.1 * s;
        assert!(
            (residue.mean - s).abs() <= slack,
            "k = {k}: residue {:.4}, Demers' equation {s:.4} ± {slack:.4}",
            residue.mean
        );
    }
}

/// Demers §1.4: whatever the variant, residue and traffic are tied by
/// s = e^{−m}. Derived: each of the n·m rumor messages goes to one of the
/// n − 1 other sites at random, so a site escapes them all with chance
/// (1 − 1/(n − 1))^{nm} ≈ e^{−m}. Allowance: 10% of e^{−m}.
#[test]
fn residue_and_traffic_are_tied_by_s_equals_e_to_the_minus_m() {
    for (interest, removal, k) in [
        (Interest::Feedback, Removal::Counter, 2),
        (Interest::Feedback, Removal::Counter, 3),
        (Interest::Blind, Removal::Counter, 3),
        (Interest::Blind, Removal::Coin, 3),
    ] {
        let (residue, traffic) = residue_and_traffic(&rumor(interest, removal, k), 30);
        let want = (-traffic.mean).exp();
        let slack = 4.0 * residue.se + 0.1 * want;
        assert!(
            (residue.mean - want).abs() <= slack,
            "{interest:?}, {removal:?}, k = {k}: residue {:.4}, e^-m = {want:.4} (m = {:.2}) ± {slack:.4}",
            residue.mean,
            traffic.mean
        );
    }
}

/// Demers Table 2: rumor mongering, blind and with a coin, on 1,000 sites:
/// residue s and traffic m for k = 1 to 4. (The rows as quoted in
/// secondary sources; the paper's own scan was not at hand to check them.)
/// Allowance: 10% of each value, plus 0.01 for the table's two digits.
#[test]
fn blind_coin_rumor_mongering_reproduces_demers_table_2() {
    let table = [(1, 0.96, 0.04), (2, 0.20, 1.6), (3, 0.060, 2.8), (4, 0.021, 3.9)];
    for (k, s, m) in table {
        let (residue, traffic) = residue_and_traffic(&rumor(Interest::Blind, Removal::Coin, k), 40);
        for (what, got, want) in [("residue", &residue, s), ("traffic", &traffic, m)] {
            let slack = 4.0 * got.se + 0.1 * want + 0.01;
            assert!(
                (got.mean - want).abs() <= slack,
                "k = {k}: {what} {:.4}, Table 2 {want} ± {slack:.4}",
                got.mean
            );
        }
    }
}

mod swim {
    use caucus_sim::gossip::Timing;
    use caucus_sim::gossip::swim::{SwimConfig, SwimMistake, SwimNode};
    use caucus_sim::{Action, LinkParams, NodeId, Observe, World};

    use super::{QUIET, sample};

    fn rounds(nodes: u32) -> SwimConfig {
        SwimConfig { timing: Timing::Rounds, ..SwimConfig::new(nodes) }
    }

    /// SWIM §3: each of the n − 1 live members pings one other at random
    /// each period, so a failed member goes unpinged for a period with
    /// chance (1 − 1/(n − 1))^{n−1} (→ e^{−1}, the paper's e^{−q_f} with
    /// q_f = 1) and is first pinged after a geometric number of periods of
    /// mean 1/(1 − (1 − 1/(n − 1))^{n−1}): 1.58 periods for large n. The
    /// probe that finds it ends a period later with the first suspicion.
    /// Here n = 100, the crash just before a period starts, 200 runs.
    #[test]
    fn a_failure_is_first_detected_after_the_expected_periods() {
        let n = 100.0f64;
        let expected = 1.0 / (1.0 - (1.0 - 1.0 / (n - 1.0)).powf(n - 1.0));
        let config = rounds(100);
        let periods: Vec<f64> = (0..200)
            .map(|seed| {
                let mut w = World::<SwimNode>::observing(
                    config.clone(),
                    seed,
                    LinkParams::default(),
                    QUIET,
                );
                let crash = 5 * config.period - 1;
                w.run_until(crash);
                w.apply(&Action::Crash(NodeId(50))).unwrap();
                while w.measures().failures[0].first_detected.is_none() {
                    w.apply(&Action::Step).unwrap();
                }
                let detected = w.measures().failures[0].first_detected.unwrap();
                ((detected - crash) as f64 / config.period as f64).round()
            })
            .collect();
        let s = sample(&periods);
        assert!(
            (s.mean - expected).abs() <= 4.0 * s.se,
            "first detection after {:.3} periods on average, SWIM §3 expects {expected:.3} ± {:.3}",
            s.mean,
            4.0 * s.se
        );
    }

    /// Probes of live members over `seeds` runs of `periods` periods.
    fn probes(config: &SwimConfig, loss: f64, seeds: u64, periods: u64) -> (f64, f64, f64) {
        let links = LinkParams { loss_ppm: (loss * 1e6) as u32, ..LinkParams::default() };
        let (mut probes, mut failed, mut confirmed) = (0, 0, 0);
        for seed in 0..seeds {
            let mut w = World::<SwimNode>::observing(
                config.clone(),
                seed,
                links,
                Observe { invariants: false, notes: false },
            );
            w.run_until(periods * config.period);
            let m = w.measures();
            (probes, failed, confirmed) = (
                probes + m.probes,
                failed + m.failed_probes_of_live,
                confirmed + m.false_confirmations,
            );
        }
        (probes as f64, failed as f64, confirmed as f64)
    }

    /// SWIM §3: a probe of a live member fails when the ping or its ack is
    /// lost, chance 1 − Δ², and each of the k indirect paths (ping-req,
    /// ping, ack and the ack passed back: four messages) loses one, chance
    /// 1 − Δ⁴: (1 − Δ²)(1 − Δ⁴)^k, Δ being 1 − the loss rate (the paper's
    /// formula with no member faulty, q_f = 1). Failures are a binomial
    /// count: within four standard deviations (√expected) plus 5%.
    #[test]
    fn probes_of_live_members_fail_as_section_3_derives() {
        for (loss, k) in [(0.1, 1), (0.1, 3), (0.2, 3)] {
            let config = SwimConfig { indirect: k, ..rounds(40) };
            let (probes, failed, _) = probes(&config, loss, 8, 60);
            let delta: f64 = 1.0 - loss;
            let chance = (1.0 - delta.powi(2)) * (1.0 - delta.powi(4)).powi(k as i32);
            let expected = probes * chance;
            let slack = 4.0 * expected.sqrt() + 0.05 * expected;
            assert!(
                (failed - expected).abs() <= slack,
                "loss {loss}, k = {k}: {failed} of {probes} probes failed, §3 expects {expected:.0} ± {slack:.0}"
            );
        }
    }

    /// SWIM §4.2: suspicion turns a failed probe of a live member into a
    /// suspicion the member refutes. At 10% loss basic SWIM (§3) declares
    /// nearly every such member dead; with suspicion, fewer than one in ten.
    #[test]
    fn suspicion_spares_most_members_whose_probe_failed() {
        let config = rounds(40);
        let (_, failed, confirmed) =
            probes(&config.clone().with_mistake(SwimMistake::NoSuspicion), 0.1, 4, 60);
        assert!(
            failed > 50.0 && confirmed >= 0.9 * failed,
            "basic SWIM: {confirmed} deaths for {failed} failed probes"
        );
        let (_, failed, confirmed) = probes(&config, 0.1, 4, 60);
        assert!(
            failed > 50.0 && confirmed <= 0.1 * failed,
            "with suspicion: {confirmed} deaths for {failed} failed probes"
        );
    }
}

/// The curve the page draws beside a run (`gossip::theory`): every one of
/// 20 runs of 1,000 sites stays inside its band, round by round, for
/// push-pull and push anti-entropy and push rumor mongering (feedback
/// counter, k = 2); and the runs' mean lies within a tenth of a round's
/// spread of the curve, checked as the mean rounds to reach half the sites.
#[test]
fn runs_stay_inside_the_analytic_band() {
    use caucus_sim::gossip::theory::{band, expected};
    for config in [
        GossipConfig::anti_entropy(1_000, Direction::PushPull),
        GossipConfig::anti_entropy(1_000, Direction::Push),
        GossipConfig::rumor_mongering(1_000, Direction::Push),
    ] {
        let curve = expected(&config).unwrap();
        let band = band(&curve, 1_000);
        let half = |xs: &[f64]| xs.iter().position(|&x| x >= 0.5).unwrap() as f64;
        let mut halves = Vec::new();
        for seed in 0..20 {
            let mut world = workload::start(config.clone(), seed, LinkParams::default(), QUIET);
            workload::play(&mut world);
            let measured: Vec<f64> =
                std::iter::once(1.0 / 1_000.0).chain(informed_by_round(&world)).collect();
            for (r, x) in measured.iter().enumerate() {
                let (low, high) = band.get(r).copied().unwrap_or((band.last().unwrap().0, 1.0));
                assert!(
                    (low..=high).contains(x),
                    "{:?} {:?}, seed {seed}, round {r}: {x:.4} outside {low:.4}–{high:.4}",
                    config.style,
                    config.direction
                );
            }
            halves.push(half(&measured));
        }
        let mean = halves.iter().sum::<f64>() / halves.len() as f64;
        let expected_half = half(&curve.informed);
        assert!(
            (mean - expected_half).abs() <= 1.0,
            "{:?} {:?}: half the sites after {mean} rounds on average, the curve says {expected_half}",
            config.style,
            config.direction
        );
    }
}

/// The informed fraction at the end of each round from round 1 until the
/// run ends (every site, or the rumor's death).
fn informed_by_round(world: &caucus_sim::World<caucus_sim::gossip::GossipNode>) -> Vec<f64> {
    let (n, period) = (world.node_count(), world.config().period);
    let spread = &world.measures().updates[0];
    let end = spread.full_at(n).or(spread.died_at).expect("the run ended");
    let by_round = spread.informed_by_round(period, end);
    by_round.iter().map(|&informed| f64::from(informed) / f64::from(n)).collect()
}
