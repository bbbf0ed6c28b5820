//! `caucus` run as a process, as a user or a script runs it: each
//! subcommand, each output format, the parallel result against the serial
//! one, released links played to their trace hashes, and bad input of each
//! kind answered in one sentence with exit code 2.

mod bad_input;
mod explore;
mod help;
mod run;
mod stop;
mod sweep;

#[path = "../../../sim/tests/common/released_links.rs"]
#[allow(dead_code)]
mod released_links;

use assert_cmd::Command;

/// The command, with nothing of the test's environment that changes what it prints.
pub fn caucus() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_caucus"));
    command.env_remove("CAUCUS_PAGE").env_remove("RUST_BACKTRACE");
    command
}

/// Runs `args`, expecting exit code `code`; returns (stdout, stderr).
pub fn output(args: &[&str], code: i32) -> (String, String) {
    let out = caucus().args(args).output().expect("the command runs");
    let (stdout, stderr) =
        (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap());
    assert_eq!(
        out.status.code(),
        Some(code),
        "caucus {args:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    (stdout, stderr)
}
