//! Each rule of Demers §1.3–1.4 one input at a time, through a probe: the
//! exact messages and timers a site produces.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use caucus_sim::MILLIS;
use caucus_sim::gossip::{
    Direction, GossipConfig, GossipNode, Interest, Message, Mistake, Removal, Request, Timer,
    Timing,
};
use caucus_sim::probe::Probe;
use caucus_sim::protocol::{Protocol, TimerOp};

use super::{n, update, updates};

const PERIOD: u64 = 100 * MILLIS;

fn site(config: &GossipConfig, id: u32) -> (Probe<GossipNode>, GossipNode) {
    let mut probe = Probe::<GossipNode>::new(config.clone(), 7, n(id));
    let (node, booted) = probe.boot(GossipNode::initial_durable(config, n(id)));
    assert!(booted.sends.is_empty(), "a booting site sends nothing");
    (probe, node)
}

fn small(config: GossipConfig) -> GossipConfig {
    GossipConfig { nodes: 5, ..config }
}

#[test]
fn rounds_start_every_period_on_the_dot_even_after_a_restart() {
    let config = small(GossipConfig::rumor_mongering(5, Direction::Push));
    let mut probe = Probe::<GossipNode>::new(config.clone(), 7, n(1));
    probe.now = 0;
    let (_, booted) = probe.boot(GossipNode::initial_durable(&config, n(1)));
    assert_eq!(booted.timers, [TimerOp::Set { timer: Timer::Gossip, after: PERIOD }]);
    probe.now = 2 * PERIOD + 37 * MILLIS;
    let (mut node, rebooted) = probe.boot(GossipNode::initial_durable(&config, n(1)));
    assert_eq!(rebooted.timers, [TimerOp::Set { timer: Timer::Gossip, after: 63 * MILLIS }]);
    probe.now = 3 * PERIOD;
    let produced = probe.timer(&mut node, Timer::Gossip);
    assert_eq!(produced.timers, [TimerOp::Set { timer: Timer::Gossip, after: PERIOD }]);
    assert!(produced.sends.is_empty(), "a push site with no rumor stays quiet");
}

#[test]
fn free_running_timers_start_at_a_random_phase_and_jitter() {
    let jitter = 20 * MILLIS;
    let config = GossipConfig {
        timing: Timing::Free { jitter },
        ..small(GossipConfig::rumor_mongering(5, Direction::Push))
    };
    let (mut probe, mut node) = site(&config, 0);
    let mut phases = Vec::new();
    for i in 0..50 {
        probe.now = i * PERIOD;
        let produced = probe.timer(&mut node, Timer::Gossip);
        let [TimerOp::Set { after, .. }] = produced.timers[..] else { panic!("{produced:?}") };
        assert!((PERIOD - jitter..=PERIOD + jitter).contains(&after), "{after}");
        phases.push(after);
    }
    phases.sort_unstable();
    phases.dedup();
    assert!(phases.len() > 40, "the jitter is drawn afresh every period");
}

/// Push with feedback and a counter (Demers §1.4): a hot site sends its
/// rumor to one partner a round; each "already knew" counts, and after k
/// of them it loses interest.
#[test]
fn push_with_feedback_loses_interest_after_k_useless_contacts() {
    let config = small(GossipConfig { k: 2, ..GossipConfig::rumor_mongering(5, Direction::Push) });
    let (mut probe, mut node) = site(&config, 0);
    probe.request(&mut node, Request::Update { key: 4 });
    let written = update(4, 1, 0);
    assert!(node.is_hot(&written));
    probe.now = PERIOD;
    let produced = probe.timer(&mut node, Timer::Gossip);
    let [(partner, Message::Rumor { ref rumors })] = produced.sends[..] else {
        panic!("{produced:?}")
    };
    assert_ne!(partner, n(0));
    assert_eq!(rumors[..], [written]);

    let useless = Message::Feedback { known: updates(&[written]) };
    probe.message(&mut node, partner, useless.clone());
    assert!(node.is_hot(&written), "one useless contact of k = 2");
    assert_eq!(node.rumors()[0].counter, 1);
    probe.message(&mut node, partner, useless);
    assert!(!node.is_hot(&written), "k useless contacts: removed");
    assert!(node.store().covers(&written), "a removed site still holds the update");
}

#[test]
fn a_receiver_learns_news_and_says_which_rumors_it_knew() {
    let config = small(GossipConfig::rumor_mongering(5, Direction::Push));
    let (mut probe, mut node) = site(&config, 3);
    probe.now = 150 * MILLIS;
    let (old, new) = (update(1, 1, 0), update(2, 1, 4));
    probe.message(&mut node, n(0), Message::Rumor { rumors: updates(&[old]) });
    let produced = probe.message(&mut node, n(4), Message::Rumor { rumors: updates(&[old, new]) });
    assert_eq!(produced.sends, [(n(4), Message::Feedback { known: updates(&[old]) })]);
    assert!(node.is_hot(&old) && node.is_hot(&new), "news becomes a hot rumor");
    // A newer version replaces the older one's rumor, counter and all.
    probe.message(&mut node, n(1), Message::Rumor { rumors: updates(&[update(1, 2, 1)]) });
    assert!(!node.is_hot(&old) && node.is_hot(&update(1, 2, 1)));
    assert_eq!(node.rumors().len(), 2);
}

/// Under synchronous rounds a site passes on only what it knew when the
/// round began: news travels one hop a round, as in the analyses.
#[test]
fn in_rounds_news_waits_for_the_next_round() {
    let config = small(GossipConfig::anti_entropy(5, Direction::Pull));
    let (mut probe, mut node) = site(&config, 2);
    let u = update(0, 1, 0);
    probe.now = PERIOD + 12 * MILLIS;
    probe.message(&mut node, n(0), Message::Store { updates: updates(&[u]) });
    probe.now = PERIOD + 30 * MILLIS;
    let same_round = probe.message(&mut node, n(3), Message::Pull);
    assert!(same_round.sends.is_empty(), "nothing known before the round: no answer");
    probe.now = 2 * PERIOD + 1;
    let next_round = probe.message(&mut node, n(3), Message::Pull);
    assert_eq!(next_round.sends, [(n(3), Message::Store { updates: updates(&[u]) })]);
}

#[test]
fn free_running_sites_pass_on_at_once() {
    let config = GossipConfig {
        timing: Timing::Free { jitter: 0 },
        ..small(GossipConfig::anti_entropy(5, Direction::Pull))
    };
    let (mut probe, mut node) = site(&config, 2);
    let u = update(0, 1, 0);
    probe.now = PERIOD + 12 * MILLIS;
    probe.message(&mut node, n(0), Message::Store { updates: updates(&[u]) });
    let produced = probe.message(&mut node, n(3), Message::Pull);
    assert_eq!(produced.sends, [(n(3), Message::Store { updates: updates(&[u]) })]);
}

/// Anti-entropy push-pull (Demers §1.3): the partner answers with what it
/// has newer than the caller, and keeps what the caller has newer.
#[test]
fn an_exchange_is_answered_with_what_is_newer_on_each_side() {
    let config = small(GossipConfig::anti_entropy(5, Direction::PushPull));
    let (mut probe, mut node) = site(&config, 1);
    probe.now = 10 * MILLIS;
    probe.request(&mut node, Request::Update { key: 0 });
    probe.request(&mut node, Request::Update { key: 1 });
    probe.request(&mut node, Request::Update { key: 1 });
    probe.now = PERIOD + 11 * MILLIS;
    let theirs = updates(&[update(0, 1, 0), update(1, 3, 4), update(2, 1, 4)]);
    let produced = probe.message(&mut node, n(4), Message::Exchange { updates: theirs });
    // Key 0: version 1 from n2 beats version 1 from n1 (origin breaks the tie).
    assert_eq!(produced.sends, [(n(4), Message::Store { updates: updates(&[update(0, 1, 1)]) })]);
    let held: Vec<_> = node.store().entries().iter().map(|k| k.update).collect();
    assert_eq!(held, [update(0, 1, 1), update(1, 3, 4), update(2, 1, 4)]);
    probe.now = 2 * PERIOD;
    let produced = probe.timer(&mut node, Timer::Gossip);
    let [(_, Message::Exchange { ref updates })] = produced.sends[..] else {
        panic!("{produced:?}")
    };
    assert_eq!(updates.len(), 3, "the caller sends its whole store");
}

/// Pull rumor mongering: the partner answers only with rumors the caller
/// lacks; a rumor the caller already had counts against it (feedback).
#[test]
fn a_pull_is_answered_with_news_only_and_counts_useless_rumors() {
    let config = small(GossipConfig { k: 3, ..GossipConfig::rumor_mongering(5, Direction::Pull) });
    let (mut probe, mut node) = site(&config, 0);
    probe.request(&mut node, Request::Update { key: 0 });
    probe.request(&mut node, Request::Update { key: 1 });
    probe.now = PERIOD + 20 * MILLIS;
    let digest = updates(&[update(0, 1, 0)]);
    let produced = probe.message(&mut node, n(2), Message::RumorRequest { digest });
    let reply = Message::RumorReply { rumors: updates(&[update(1, 1, 0)]), known: updates(&[]) };
    assert_eq!(produced.sends, [(n(2), reply)]);
    let counters: Vec<_> = node.rumors().iter().map(|r| (r.update.key, r.counter)).collect();
    assert_eq!(counters, [(0, 1), (1, 0)]);
    // A caller that knows everything gets no answer at all.
    let digest = updates(&[update(0, 1, 0), update(1, 1, 0)]);
    let produced = probe.message(&mut node, n(3), Message::RumorRequest { digest });
    assert!(produced.sends.is_empty());
    // Every site asks each round, whether or not it has a rumor.
    let (mut quiet_probe, mut quiet) = site(&config, 4);
    quiet_probe.now = PERIOD;
    let produced = quiet_probe.timer(&mut quiet, Timer::Gossip);
    assert!(matches!(produced.sends[..], [(_, Message::RumorRequest { .. })]));
}

#[test]
fn push_pull_rumors_answer_with_news_and_feedback_in_one_reply() {
    let config = small(GossipConfig::rumor_mongering(5, Direction::PushPull));
    let (mut probe, mut node) = site(&config, 0);
    probe.request(&mut node, Request::Update { key: 0 });
    probe.now = PERIOD + 20 * MILLIS;
    let theirs = update(5, 1, 3);
    let produced = probe.message(
        &mut node,
        n(3),
        Message::RumorExchange { rumors: updates(&[theirs]), digest: updates(&[theirs]) },
    );
    let reply = Message::RumorReply { rumors: updates(&[update(0, 1, 0)]), known: updates(&[]) };
    assert_eq!(produced.sends, [(n(3), reply)]);
    assert!(node.is_hot(&theirs));
    let again = probe.message(
        &mut node,
        n(4),
        Message::RumorExchange {
            rumors: updates(&[theirs]),
            digest: updates(&[theirs, update(0, 1, 0)]),
        },
    );
    let reply = Message::RumorReply { rumors: updates(&[]), known: updates(&[theirs]) };
    assert_eq!(again.sends, [(n(4), reply)]);
}

/// Blind (Demers §1.4): every contact counts, whatever the partner knew;
/// with a coin of k = 1 the site loses interest after its first push.
#[test]
fn blind_sites_count_every_contact() {
    let blind = |removal| GossipConfig {
        interest: Interest::Blind,
        removal,
        k: 1,
        fanout: 2,
        ..small(GossipConfig::rumor_mongering(5, Direction::Push))
    };
    for removal in [Removal::Counter, Removal::Coin] {
        let (mut probe, mut node) = site(&blind(removal), 0);
        probe.request(&mut node, Request::Update { key: 0 });
        probe.now = PERIOD;
        let produced = probe.timer(&mut node, Timer::Gossip);
        assert_eq!(produced.sends.len(), 2, "fanout 2: two partners, {removal:?}");
        assert!(produced.sends[0].0 != produced.sends[1].0, "two different partners");
        assert!(node.rumors().is_empty(), "{removal:?}: k = 1 blind loses interest at once");
        // A receiver under blind rules gives no feedback.
        let (mut other, mut receiver) = site(&blind(removal), 1);
        other.now = PERIOD + 10 * MILLIS;
        let rumor = Message::Rumor { rumors: updates(&[update(0, 1, 0)]) };
        other.message(&mut receiver, n(0), rumor.clone());
        assert!(other.message(&mut receiver, n(0), rumor).sends.is_empty());
    }
}

#[test]
fn the_counter_reset_mistake_hides_useless_contacts_from_the_counter() {
    let config = small(GossipConfig { k: 2, ..GossipConfig::rumor_mongering(5, Direction::Push) })
        .with_mistake(Mistake::CounterResetOnUselessContact);
    let (mut probe, mut node) = site(&config, 0);
    probe.request(&mut node, Request::Update { key: 0 });
    let written = update(0, 1, 0);
    for _ in 0..5 {
        probe.message(&mut node, n(1), Message::Feedback { known: updates(&[written]) });
    }
    let rumor = node.rumors()[0];
    assert_eq!((rumor.counter, rumor.counted), (0, 5), "still hot after five useless contacts");
}

/// The anti-entropy backup (Demers §1.5) runs every `every` rounds behind rumor mongering.
#[test]
fn the_anti_entropy_backup_runs_on_its_rounds() {
    let config = GossipConfig {
        backup: Some(caucus_sim::gossip::Backup { direction: Direction::Pull, every: 3 }),
        ..small(GossipConfig::rumor_mongering(5, Direction::Push))
    };
    let (mut probe, mut node) = site(&config, 0);
    let mut pulls = Vec::new();
    for round in 1..=9 {
        probe.now = round * PERIOD;
        let produced = probe.timer(&mut node, Timer::Gossip);
        if produced.sends.iter().any(|(_, m)| *m == Message::Pull) {
            pulls.push(round);
        }
    }
    assert_eq!(pulls, [3, 6, 9]);
}

/// Anti-entropy sends nothing that could change nothing: no push of an
/// empty store, no answer with nothing newer. A pull or an exchange is
/// still sent by a site that knows nothing: it asks.
#[test]
fn anti_entropy_sends_nothing_that_changes_nothing() {
    let push = small(GossipConfig::anti_entropy(5, Direction::Push));
    let (mut probe, mut empty) = site(&push, 0);
    probe.now = PERIOD;
    assert!(probe.timer(&mut empty, Timer::Gossip).sends.is_empty());
    let exchange = small(GossipConfig::anti_entropy(5, Direction::PushPull));
    let (mut probe, mut node) = site(&exchange, 1);
    probe.now = PERIOD;
    let asked = probe.timer(&mut node, Timer::Gossip);
    assert!(
        matches!(asked.sends[..], [(_, Message::Exchange { ref updates })] if updates.is_empty())
    );
    probe.now = PERIOD + 10 * MILLIS;
    let theirs = updates(&[update(0, 1, 3)]);
    let answered = probe.message(&mut node, n(3), Message::Exchange { updates: theirs.clone() });
    assert!(answered.sends.is_empty(), "nothing newer here: no answer");
    assert!(node.store().covers(&update(0, 1, 3)), "but the caller's news is kept");
}

/// A rumor that died out stays dead in the measures while a later one spreads.
#[test]
fn a_dead_rumor_stays_dead_while_another_spreads() {
    use caucus_sim::gossip::workload;
    use caucus_sim::{Action, LinkParams, Observe};
    let config = GossipConfig::rumor_mongering(200, Direction::Push);
    let quiet = Observe { invariants: true, notes: false };
    let mut w = workload::start(config, 3, LinkParams::default(), quiet);
    workload::play(&mut w);
    let died = w.measures().updates[0].died_at.expect("the first rumor died out");
    w.apply(&Action::Request { node: n(7), request: Request::Update { key: 1 } }).unwrap();
    for _ in 0..2_000 {
        w.apply(&Action::Step).unwrap();
        assert_eq!(w.measures().updates[0].died_at, Some(died));
    }
    assert!(w.measures().updates[1].informed > 1, "the second rumor spread meanwhile");
}
