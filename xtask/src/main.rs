//! `cargo xtask`: Caucus's project chores as one small Rust binary.
//!
//! Each command first installs whatever the machine lacks (see `tools.rs`),
//! so the README's two commands work on a brand-new machine.

mod cmd;
mod size;
mod tally;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve          install what is missing, then build and serve the app at
                 http://127.0.0.1:8080 with live reload
  test           install what is missing, then run every check and test
  test --long    the same, with the longer randomized runs
  bench          run the criterion benchmarks natively, then the wasm
                 benchmarks and the page's frame times in headless Chromium";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        ["serve"] => serve(),
        ["test"] => test::all(test::Length::Normal),
        ["test", "--long"] => test::all(test::Length::Long),
        ["bench"] => bench(),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("xtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the folder above this crate's own.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one folder below the workspace root")
        .to_path_buf()
}

fn serve() -> anyhow::Result<bool> {
    let tools = tools::Tools::bootstrap(tools::Need::Build)?;
    println!("xtask: serving at http://127.0.0.1:8080 (live reload; Ctrl-C stops)");
    let status = tools.trunk().arg("serve").status()?;
    Ok(status.success())
}

/// The simulator's wasm benchmarks: every `sim/tests/*_wasm_bench.rs`, one
/// a protocol, found by name so that a new protocol's benchmark runs
/// without a line here.
fn wasm_benches() -> anyhow::Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("sim").join("tests"))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|file| file.strip_suffix(".rs").map(str::to_owned))
        .filter(|name| name.ends_with("_wasm_bench"))
        .collect();
    names.sort();
    anyhow::ensure!(!names.is_empty(), "no sim/tests/*_wasm_bench.rs to run");
    Ok(names)
}

/// Criterion benchmarks natively, then the wasm benchmarks in headless
/// Chromium (release build, as the page ships it), then the page's frame
/// times while playing and stepping (e2e/bench/frames.mjs).
fn bench() -> anyhow::Result<bool> {
    let tools = tools::Tools::bootstrap(tools::Need::Test)?;
    let native = cmd::run(
        cmd::cargo()
            .args(["bench", "--workspace", "--exclude", "xtask", "--benches"])
            .current_dir(root()),
    )?;
    println!("\n==> wasm benchmarks in headless Chromium (release build)");
    let (wasm, lines) = cmd::run_teed(
        cmd::cargo()
            .args(["test", "--release", "-p", "caucus-sim", "--target", "wasm32-unknown-unknown"])
            .args(wasm_benches()?.iter().flat_map(|name| ["--test", name.as_str()]))
            .args(["--", "--include-ignored", "--nocapture"])
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", root().join("webdriver.json"))
            .current_dir(root()),
    )?;
    println!("\n==> frame times of the page in headless Chromium (release build)");
    let built = cmd::run(tools.trunk().args(["build", "--release"]))?;
    let (frames, frame_lines) = if built {
        cmd::run_teed(
            std::process::Command::new("node")
                .arg(Path::new("bench").join("frames.mjs"))
                .env("CAUCUS_DIST", root().join("dist"))
                .env("CAUCUS_BENCH_OUT", root().join("target").join("bench"))
                .env("CHROMIUM", tools::CHROMIUM)
                .current_dir(root().join("e2e")),
        )?
    } else {
        (false, Vec::new())
    };
    println!("\nxtask: wasm and page results");
    let results = lines.iter().chain(&frame_lines);
    for line in results.filter(|l| l.starts_with("wasm bench:") || l.starts_with("frame bench:")) {
        println!("  {line}");
    }
    Ok(native && wasm && frames)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_wasm_benchmarks_are_found_by_name() {
        assert_eq!(
            super::wasm_benches().unwrap(),
            ["gossip_wasm_bench", "pbft_wasm_bench", "raft_wasm_bench"]
        );
    }
}
