//! Ctrl-C: the work stops, what was done is printed, and the exit code is 130.

#![cfg(unix)]

use std::time::Duration;

/// Starts `args`, sends SIGINT once it has been working a while, and
/// returns (exit code, stdout, stderr).
fn interrupted(args: &[&str]) -> (Option<i32>, String, String) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_caucus"))
        .args(args)
        .env_remove("CAUCUS_PAGE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the command starts");
    std::thread::sleep(Duration::from_millis(1_500));
    let sent = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    assert!(sent.is_ok_and(|s| s.success()), "SIGINT sent");
    let out = child.wait_with_output().expect("the command ends");
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_stopped_sweep_prints_the_seeds_it_ran() {
    let (code, stdout, stderr) = interrupted(&[
        "sweep", "gossip", "--sites", "2000", "--seeds", "100000", "--only", "summary",
    ]);
    assert_eq!(code, Some(130), "{stdout}\n{stderr}");
    let line = stderr.lines().find(|l| l.starts_with("Stopped by Ctrl-C: ")).expect(&stderr);
    let done: u64 = line["Stopped by Ctrl-C: ".len()..].split(' ').next().unwrap().parse().unwrap();
    assert!(done > 0 && done < 100_000, "{line}");
    let residue = stdout.lines().find(|l| l.starts_with("residue")).expect(&stdout);
    let count: u64 = residue.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert_eq!(count, done, "the summary counts the seeds run: {residue}");
}

#[test]
fn a_stopped_search_says_how_many_schedules_it_tried() {
    let (code, stdout, stderr) = interrupted(&["explore", "raft", "--seconds", "600"]);
    assert_eq!(code, Some(130), "{stdout}\n{stderr}");
    assert!(stdout.contains("No property broke in "), "{stdout}");
    assert!(stderr.contains("Stopped by Ctrl-C after "), "{stderr}");
}

#[test]
fn a_stopped_trace_ends_where_it_says() {
    let link = super::released_links::V1_INTERVENTIONS;
    let (code, stdout, stderr) = interrupted(&["run", link, "--steps", "300000", "--trace"]);
    assert_eq!(code, Some(130), "{stderr}");
    if stdout.is_empty() {
        // Stopped before the trace began: the run was still being played.
        assert!(
            stderr.contains("while playing, after ") && stderr.contains("no trace was written")
        );
        return;
    }
    let last = stderr.trim().strip_prefix("Stopped by Ctrl-C: the trace above ends at step ");
    let last: u64 = last.and_then(|s| s.strip_suffix('.')).expect(&stderr).parse().unwrap();
    assert_eq!(stdout.lines().count() as u64, last + 1, "step 0 to step {last}");
    assert!(last < 300_000);
}
