//! Bad input of each kind: one sentence naming what is wrong, exit code 2,
//! never a panic or a debug dump.

use super::output;

fn refused(args: &[&str], says: &str) {
    let (stdout, stderr) = output(args, 2);
    assert_eq!(stdout, "", "{args:?}");
    assert!(stderr.contains(says), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
    let first = stderr.lines().next().unwrap();
    assert!(first.starts_with("caucus: ") || first.starts_with("error: "), "{stderr}");
}

#[test]
fn bad_flags() {
    refused(&["sweep", "raft", "--seeds", "0"], "--seeds");
    refused(&["sweep", "raft", "--election-timeout", "300-150"], "runs backwards");
    refused(&["sweep", "raft", "--heartbeat", "fast"], "not a time in milliseconds");
    refused(&["sweep", "gossip", "--loss", "120"], "not a percentage from 0 to 100");
    refused(&["sweep", "raft", "--format", "xml"], "xml");
    refused(&["sweep", "raft", "--mistake", "be-wrong"], "be-wrong");
    refused(&["sweep", "paxos"], "paxos");
    refused(&["explore", "raft", "--schedules", "10", "--seconds", "5"], "--seconds");
    refused(&["sweep", "pbft", "--byzantine", "r1"], "not REPLICA=BEHAVIOUR");
    refused(&["sweep", "pbft", "--byzantine", "x1=silent"], "not a replica's name");
}

#[test]
fn impossible_settings() {
    refused(&["sweep", "raft", "--nodes", "12"], "a Raft cluster has 1 to 9 servers, not 12.");
    refused(&["sweep", "raft", "--nodes", "1"], "at least 2 servers");
    refused(&["sweep", "pbft", "--f", "4"], "f");
    refused(
        &["sweep", "pbft", "--byzantine", "r7=silent"],
        "there is no replica r7: f = 1 has replicas r0 to r3.",
    );
    refused(&["sweep", "gossip", "--sites", "20000"], "2 to 10000 sites, not 20000.");
    refused(&["sweep", "swim", "--members", "3000"], "2 to 2000 members");
    refused(&["sweep", "swim", "--members", "4", "--crashes", "4"], "crash fewer than all");
    refused(&["sweep", "swim", "--ping-timeout", "1000"], "ping timeout");
    refused(&["explore", "pbft", "--byzantine-replicas", "9"], "more than the 4 replicas");
    refused(&["explore", "raft", "--property", "liveness"], "not a property of this protocol");
    refused(
        &["explore", "raft", "--crash", "60", "--drop", "50"],
        "the fault rates add up to 122.3% of actions",
    );
    refused(&["explore", "pbft", "--byzantine", "r2=silent"], "--byzantine");
    refused(&["sweep", "pbft", "--log-size", "99999999999"], "--log-size");
    refused(
        &["sweep", "raft", "--first-seed", "18446744073709551615", "--seeds", "2"],
        "past the largest seed",
    );
}

#[test]
fn bad_files_and_links() {
    refused(
        &["run", "no-such-file.json"],
        "no-such-file.json could not be opened: no such file or directory.",
    );
    refused(&["run", "v1.not-a-link"], "the link");
    refused(&["run", "v9.abc"], "made by a newer Caucus (format 9); this Caucus reads format 1.");
    let dir = std::env::temp_dir().join(format!("caucus-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"version": 1, "seed": 1}"#).unwrap();
    refused(&["run", bad.to_str().unwrap()], "the scenario cannot be read");
    std::fs::write(&bad, [0xff, 0xfe, 0x00]).unwrap();
    refused(&["run", bad.to_str().unwrap()], "could not be read as text");
    refused(&["run", dir.to_str().unwrap()], "could not");
    refused(
        &["run", super::released_links::V1_INTERVENTIONS, "--steps", "2000000"],
        "more than a run may hold",
    );
    refused(
        &[
            "sweep",
            "raft",
            "--seeds",
            "2",
            "--output",
            dir.join("no/such/dir.csv").to_str().unwrap(),
        ],
        "could not be created",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
