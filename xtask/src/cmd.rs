//! Running the commands each stage needs, and watching their output.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

/// The cargo that runs this xtask, so nested builds use the same toolchain.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The first line a program prints for `--version`, or `None` if it cannot run.
pub fn version_of(program: &str) -> Option<String> {
    let output = Command::new(program).arg("--version").output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines().next().map(|line| line.trim().to_owned())
}

/// Runs `command` to the end, passing its output through, and says whether it succeeded.
pub fn run(command: &mut Command) -> Result<bool> {
    let status = command.status().with_context(|| format!("could not start {command:?}"))?;
    Ok(status.success())
}

/// Like `run`, but also returns every line the command printed on standard output.
pub fn run_teed(command: &mut Command) -> Result<(bool, Vec<String>)> {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start {command:?}"))?;
    let mut lines = Vec::new();
    let stdout = child.stdout.take().expect("stdout was piped");
    for line in BufReader::new(stdout).lines() {
        let line = line.context("reading a command's output")?;
        println!("{line}");
        lines.push(line);
    }
    let status = child.wait()?;
    Ok((status.success(), lines))
}
