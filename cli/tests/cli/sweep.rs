//! `caucus sweep`: every protocol, every format, the same output on one
//! core and on several, and what the measures say about the protocols.

use serde_json::Value;

use super::output;

/// A sweep's JSON report.
fn json(args: &[&str]) -> Value {
    let mut all = vec!["sweep"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json", "--quiet"]);
    let (text, _) = output(&all, 0);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}:\n{text}"))
}

/// One measure of every row.
fn column(report: &Value, key: &str) -> Vec<Option<f64>> {
    report["rows"].as_array().unwrap().iter().map(|row| row[key].as_f64()).collect()
}

const SMALL: [&[&str]; 4] = [
    &["raft", "--seeds", "12"],
    &["pbft", "--seeds", "6", "--requests", "5", "--faulty-primaries", "1"],
    &["gossip", "--seeds", "12", "--sites", "300"],
    &["swim", "--seeds", "6", "--members", "30", "--periods", "20"],
];

#[test]
fn one_core_and_several_print_the_same() {
    for args in SMALL {
        for format in ["table", "csv", "json"] {
            let run = |jobs: &str| {
                let mut all = vec!["sweep"];
                all.extend_from_slice(args);
                all.extend_from_slice(&["--format", format, "--jobs", jobs, "--quiet"]);
                output(&all, 0).0
            };
            assert_eq!(run("1"), run("3"), "{args:?} as {format}");
        }
    }
}

#[test]
fn each_format_holds_a_row_per_seed_and_the_summary() {
    let (table, closing) = output(&["sweep", "raft", "--seeds", "5", "--first-seed", "10"], 0);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("Raft, a leader crash: 5 servers, election timeout 100–200 ms"));
    assert!(lines[2].trim_start().starts_with("seed  first leader (ms)  downtime (ms)"), "{table}");
    let seeds: Vec<&str> =
        lines[3..8].iter().map(|l| l.split_whitespace().next().unwrap()).collect();
    assert_eq!(seeds, ["10", "11", "12", "13", "14"]);
    assert!(table.contains("count    mean  median"), "{table}");
    assert!(closing.contains("5 seeds in"), "a closing line on stderr: {closing}");

    let (csv, _) =
        output(&["sweep", "gossip", "--sites", "100", "--seeds", "4", "--format", "csv"], 0);
    let (rows, summary) = csv.split_once("\n\n").expect("rows, an empty line, the summary");
    let rows: Vec<&str> = rows.lines().collect();
    assert_eq!(
        rows[0],
        "seed,full_spread_rounds,residue,average_delay_periods,last_delay_periods,messages_per_site,violations"
    );
    assert_eq!(rows.len(), 5);
    assert!(rows[1..].iter().all(|r| r.split(',').count() == 7), "{csv}");
    assert!(summary.starts_with("measure,count,missing,mean,median,p90,p99,max\n"), "{summary}");
    assert_eq!(summary.lines().count(), 7);

    let report = json(&["swim", "--members", "20", "--seeds", "3", "--periods", "10"]);
    assert_eq!(report["experiment"], "SWIM, members crash");
    assert_eq!(report["rows"].as_array().unwrap().len(), 3);
    assert_eq!(report["summary"]["false_deaths"]["count"], 3);
}

#[test]
fn only_one_part_and_into_a_file() {
    let (summary, _) =
        output(&["sweep", "raft", "--seeds", "3", "--only", "summary", "--format", "csv"], 0);
    assert!(summary.starts_with("measure,"), "{summary}");
    let (rows, _) =
        output(&["sweep", "raft", "--seeds", "3", "--only", "rows", "--format", "csv"], 0);
    assert_eq!(rows.lines().count(), 4);
    let file = std::env::temp_dir().join(format!("caucus-cli-sweep-{}.json", std::process::id()));
    let (stdout, _) = output(
        &[
            "sweep",
            "pbft",
            "--seeds",
            "2",
            "--requests",
            "3",
            "--format",
            "json",
            "--output",
            file.to_str().unwrap(),
            "-q",
        ],
        0,
    );
    assert_eq!(stdout, "");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["rows"][1]["seed"], 2);
    assert_eq!(written["rows"][1]["completed"], 3.0);
    std::fs::remove_file(&file).unwrap();
}

/// Raft §9.3 (Figure 16): without randomness the elections after the
/// crash keep splitting (the paper: "consistently took longer than 10
/// seconds"); 5 ms of it
/// already elects a leader in every trial; more lowers the worst case; a
/// lower timeout lowers the downtime. And no trial can be faster than its
/// followers can notice: the last heartbeat left at most one interval
/// before the crash, so the downtime exceeds the least timeout less one
/// heartbeat interval.
#[test]
fn raft_downtime_after_a_leader_crash_follows_figure_16() {
    let downtime = |timeout: &str, heartbeat: &str| {
        let report = json(&[
            "raft",
            "--seeds",
            "300",
            "--latency",
            "1-2",
            "--election-timeout",
            timeout,
            "--heartbeat",
            heartbeat,
            "--give-up",
            "10000",
        ]);
        // Every trial had a leader to crash: n1 starts the first election at boot.
        assert!(column(&report, "first_leader_ms").iter().all(Option::is_some), "{report}");
        column(&report, "downtime_ms")
    };
    let none = downtime("150-150", "75");
    assert!(none.iter().all(Option::is_none), "no leader within 10 s without randomness: {none:?}");
    let max = |v: &[Option<f64>]| v.iter().map(|d| d.expect("a leader")).fold(0.0, f64::max);
    let mean =
        |v: &[Option<f64>]| v.iter().map(|d| d.expect("a leader")).sum::<f64>() / v.len() as f64;
    let five = downtime("150-155", "75");
    let fifty = downtime("150-200", "75");
    assert!(
        max(&fifty) < max(&five),
        "more randomness, a lower worst case: {} vs {}",
        max(&fifty),
        max(&five)
    );
    let low = downtime("12-24", "6");
    assert!(mean(&low) < mean(&fifty) / 4.0, "{} vs {}", mean(&low), mean(&fifty));
    for (d, least) in [(&five, 150.0 - 75.0), (&fifty, 150.0 - 75.0), (&low, 12.0 - 6.0)] {
        assert!(d.iter().all(|d| d.unwrap() > least), "a trial faster than a follower can notice");
    }
}

/// A stalling primary in view 0 costs one view change, a second in view 1
/// another (PBFT §4.4); every request still completes, and nothing breaks.
#[test]
fn pbft_faulty_primaries_cost_a_view_change_each() {
    for (faulty, views) in [("0", 0.0), ("1", 1.0), ("2", 2.0)] {
        let report = json(&[
            "pbft",
            "--f",
            "2",
            "--seeds",
            "3",
            "--requests",
            "4",
            "--faulty-primaries",
            faulty,
        ]);
        assert!(column(&report, "view_changes").iter().all(|v| *v == Some(views)), "{report}");
        assert!(column(&report, "completed").iter().all(|v| *v == Some(4.0)), "{report}");
        assert!(column(&report, "violations").iter().all(|v| *v == Some(0.0)), "{report}");
    }
}

/// Demers §1.4: the residue of push rumor mongering with a feedback counter
/// falls as k grows, and anti-entropy behind it repairs it all (§1.5).
#[test]
fn gossip_residue_falls_with_k_and_the_backup_repairs_it() {
    let residue = |k: &str| {
        let report = json(&["gossip", "--sites", "500", "--seeds", "10", "--k", k]);
        column(&report, "residue").iter().map(|r| r.unwrap()).sum::<f64>() / 10.0
    };
    let (one, two, three) = (residue("1"), residue("2"), residue("3"));
    assert!(one > two && two > three && three > 0.0, "{one} {two} {three}");
    let backed = json(&[
        "gossip",
        "--sites",
        "500",
        "--seeds",
        "5",
        "--k",
        "1",
        "--backup",
        "pull",
        "--backup-every",
        "5",
    ]);
    assert!(column(&backed, "residue").iter().all(|r| *r == Some(0.0)), "{backed}");
    assert!(column(&backed, "full_spread_rounds").iter().all(Option::is_some), "{backed}");
}

/// SWIM: a crash is detected by some member and then known to all; with
/// no loss no live member is suspected.
#[test]
fn swim_detects_each_crash_and_suspects_no_live_member() {
    let report =
        json(&["swim", "--members", "50", "--seeds", "6", "--crashes", "2", "--periods", "40"]);
    assert!(
        column(&report, "first_detection_periods")
            .iter()
            .all(|d| d.is_some_and(|d| d > 0.0 && d < 10.0)),
        "{report}"
    );
    assert!(column(&report, "everyone_knew_periods").iter().all(Option::is_some), "{report}");
    assert!(column(&report, "false_suspicions").iter().all(|d| *d == Some(0.0)), "{report}");
}

/// The jitter follows the period unless given: a short period is no error.
#[test]
fn a_short_swim_period_takes_a_jitter_to_match() {
    let report = json(&[
        "swim",
        "--members",
        "10",
        "--seeds",
        "2",
        "--period",
        "150",
        "--ping-timeout",
        "50",
        "--periods",
        "10",
    ]);
    assert!(
        report["settings"].as_str().unwrap().contains("free-running timers (jitter 15 ms)"),
        "{report}"
    );
}
