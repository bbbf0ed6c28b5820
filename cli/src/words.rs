//! Settings, times and the network in words, for summaries and reports.

use caucus_sim::gossip::swim::Selection;
use caucus_sim::gossip::swim::SwimConfig;
use caucus_sim::gossip::{Direction, GossipConfig, Interest, Removal, Style, Timing};
use caucus_sim::network::PPM;
use caucus_sim::pbft::PbftConfig;
use caucus_sim::raft::RaftConfig;
use caucus_sim::scenario::ScenarioRun;
use caucus_sim::{LinkParams, MILLIS, Time};

/// A virtual time or span: "150 ms", "2.5 ms", "3.412 s", "40 µs".
pub fn time(t: Time) -> String {
    if t >= 1_000 * MILLIS {
        format!("{} s", decimal(t, 1_000_000))
    } else if t >= MILLIS {
        format!("{} ms", decimal(t, MILLIS))
    } else {
        format!("{t} µs")
    }
}

/// A range of times: "100–200 ms", or "150 ms" when both ends agree.
pub fn time_range(low: Time, high: Time) -> String {
    if low == high {
        return time(low);
    }
    let (a, b) = (time(low), time(high));
    match (a.rsplit_once(' '), b.rsplit_once(' ')) {
        (Some((x, ua)), Some((y, ub))) if ua == ub => format!("{x}–{y} {ub}"),
        _ => format!("{a}–{b}"),
    }
}

/// `n / unit` with up to three decimals and no trailing zeros.
fn decimal(n: u64, unit: u64) -> String {
    let whole = n / unit;
    let frac = (n % unit) * 1000 / unit;
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:03}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// Parts per million as a percentage: "1.5%".
pub fn percent(ppm: u32) -> String {
    format!("{}%", decimal(u64::from(ppm), u64::from(PPM) / 100))
}

/// "latency 10–15 ms, no loss, no duplication".
pub fn network(links: &LinkParams) -> String {
    let loss = match links.loss_ppm {
        0 => "no loss".to_string(),
        p => format!("{} of messages lost", percent(p)),
    };
    let duplication = match links.duplicate_ppm {
        0 => "no duplication".to_string(),
        p => format!("{} duplicated", percent(p)),
    };
    format!("latency {}, {loss}, {duplication}", time_range(links.latency_min, links.latency_max))
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

fn list<T>(items: impl IntoIterator<Item = T>, name: impl Fn(T) -> &'static str) -> String {
    let names: Vec<&str> = items.into_iter().map(name).collect();
    if names.is_empty() { "none".into() } else { names.join(", ") }
}

pub fn raft(c: &RaftConfig) -> String {
    let mut text = format!(
        "{} servers, election timeout {}, heartbeat every {}, at most {} entr{} per \
         AppendEntries, conflict hints {}, PreVote {}, CheckQuorum {}; mistakes: {}",
        c.nodes,
        time_range(c.election_timeout_min, c.election_timeout_max),
        time(c.heartbeat_interval),
        c.max_entries_per_append,
        if c.max_entries_per_append == 1 { "y" } else { "ies" },
        on_off(c.conflict_hint),
        on_off(c.pre_vote),
        on_off(c.check_quorum),
        list(c.mistakes.iter().copied(), |m| m.name()),
    );
    if !c.initial.is_empty() {
        text.push_str("; the servers start with logs of their own");
    }
    text
}

pub fn pbft(c: &PbftConfig) -> String {
    format!(
        "f = {}: {} replicas and {} client{}, a checkpoint every {} requests, log size {}, \
         view-change timeout {}, client timeout {}; mistakes: {}",
        c.f,
        c.replicas(),
        c.clients,
        if c.clients == 1 { "" } else { "s" },
        c.checkpoint_period,
        c.log_size,
        time(c.view_change_timeout),
        time(c.client_timeout),
        list(c.mistakes.iter().copied(), |m| m.name()),
    )
}

pub fn gossip(c: &GossipConfig) -> String {
    let style = match c.style {
        Style::AntiEntropy => format!("anti-entropy, {}", direction(c.direction)),
        Style::RumorMongering => format!(
            "rumor mongering, {}, {} {} with k = {}",
            direction(c.direction),
            match c.interest {
                Interest::Feedback => "feedback",
                Interest::Blind => "blind",
            },
            match c.removal {
                Removal::Counter => "counter",
                Removal::Coin => "coin",
            },
            c.k
        ),
    };
    let backup = match &c.backup {
        Some(b) => format!(
            ", anti-entropy ({}) every {} periods behind it",
            direction(b.direction),
            b.every
        ),
        None => String::new(),
    };
    format!(
        "{} sites, {style}, fanout {}, period {}, {}{backup}; mistakes: {}",
        c.nodes,
        c.fanout,
        time(c.period),
        timing(c.timing),
        list(c.mistakes.iter().copied(), |m| m.name()),
    )
}

pub fn direction(d: Direction) -> &'static str {
    match d {
        Direction::Push => "push",
        Direction::Pull => "pull",
        Direction::PushPull => "push-pull",
    }
}

pub fn timing(t: Timing) -> String {
    match t {
        Timing::Rounds => "synchronous rounds".into(),
        Timing::Free { jitter } => format!("free-running timers (jitter {})", time(jitter)),
    }
}

pub fn swim(c: &SwimConfig) -> String {
    format!(
        "{} members, period {}, ping timeout {}, ping-req through {}, suspicion timeout {} \
         ({} × log n periods), {} retransmissions of each update, {} targets, {}; mistakes: {}",
        c.nodes,
        time(c.period),
        time(c.ping_timeout),
        c.indirect,
        time(c.suspicion_timeout()),
        c.suspicion_mult,
        c.retransmits(),
        match c.selection {
            Selection::Random => "random",
            Selection::RoundRobin => "round-robin",
        },
        timing(c.timing),
        list(c.mistakes.iter().copied(), |m| m.name()),
    )
}

/// A scenario's protocol and settings.
pub fn run(run: &ScenarioRun) -> String {
    match run {
        ScenarioRun::Raft(spec) => format!("Raft: {}", raft(&spec.config)),
        ScenarioRun::Pbft(spec) => format!("PBFT: {}", pbft(&spec.config)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_people_write_them() {
        assert_eq!(time(150 * MILLIS), "150 ms");
        assert_eq!(time(2_500), "2.5 ms");
        assert_eq!(time(3_412_000), "3.412 s");
        assert_eq!(time(40), "40 µs");
        assert_eq!(time_range(100 * MILLIS, 200 * MILLIS), "100–200 ms");
        assert_eq!(time_range(150 * MILLIS, 150 * MILLIS), "150 ms");
        assert_eq!(time_range(500 * MILLIS, 2_000 * MILLIS), "500 ms–2 s");
        assert_eq!(percent(15_000), "1.5%");
        assert_eq!(network(&LinkParams::default()), "latency 10–15 ms, no loss, no duplication");
    }
}
