//! `cargo xtask test`: every check and test, in the order the README gives,
//! closing with one `N passed, N failed` line that counts them all.

use std::path::Path;
use std::process::Command;

use anyhow::Result;

use crate::cmd::{cargo, run, run_teed};
use crate::tally::Tally;
use crate::tools::{CHROMEDRIVER, CHROMIUM, Need, Tools};
use crate::{root, size};

/// How long the randomized tests run.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Length {
    Normal,
    /// `--long`: the engines' property tests read `CAUCUS_TEST_LENGTH=long`
    /// and search far more schedules.
    Long,
}

/// The sub-path the second build is served under, to check deployment off the root.
const SUB_PATH: &str = "/caucus/";

struct Stage {
    name: &'static str,
    tally: Tally,
}

pub fn all(length: Length) -> Result<bool> {
    let tools = Tools::bootstrap(Need::Test)?;
    let root = root();
    let mut stages = Vec::new();
    let mut stage = |name: &'static str, tally: Tally| {
        println!("xtask: {name}: {} passed, {} failed", tally.passed, tally.failed);
        stages.push(Stage { name, tally });
    };

    banner("cargo fmt --check");
    stage(
        "format",
        Tally::check(run(cargo().args(["fmt", "--all", "--check"]).current_dir(&root))?),
    );

    banner("clippy, native workspace");
    stage(
        "clippy native",
        Tally::check(run(cargo()
            .args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])
            .current_dir(&root))?),
    );

    banner("clippy, app and simulator on wasm32");
    stage(
        "clippy wasm32",
        Tally::check(run(cargo()
            .args(["clippy", "-p", "caucus", "-p", "caucus-sim", "--all-targets"])
            .args(["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"])
            .current_dir(&root))?),
    );

    banner("native tests");
    let mut native = cargo();
    native.args(["test", "--workspace"]).current_dir(&root);
    if length == Length::Long {
        native.env("CAUCUS_TEST_LENGTH", "long");
    }
    stage("native tests", libtest(&mut native)?);

    banner("wasm tests in headless Chromium (wasm-bindgen-test)");
    stage(
        "wasm tests",
        libtest(
            cargo()
                .args([
                    "test",
                    "-p",
                    "caucus",
                    "-p",
                    "caucus-sim",
                    "--target",
                    "wasm32-unknown-unknown",
                ])
                .env("CHROMEDRIVER", CHROMEDRIVER)
                // One browser configuration for every crate's tests (see webdriver.json).
                .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", root.join("webdriver.json"))
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
                .current_dir(&root),
        )?,
    );

    banner("trunk build --release");
    let built = run(tools.trunk().args(["build", "--release"]))?;
    stage("release build", Tally::check(built));
    if built {
        let gzipped = size::report(&root.join("dist"))?;
        let within = size::within_budget(gzipped);
        if !within {
            println!("{}", size::over_budget(gzipped));
        }
        stage("bundle size budget", Tally::check(within));
    }

    banner(&format!("trunk build --release --public-url {SUB_PATH}"));
    let sub_dist = root.join("target").join("dist-subpath");
    let sub_built = run(tools
        .trunk()
        .args(["build", "--release", "--public-url", SUB_PATH, "--dist"])
        .arg(&sub_dist))?;
    stage("sub-path build", Tally::check(sub_built));

    banner("browser end-to-end tests (playwright-core, Chromium)");
    if built && sub_built {
        stage("browser tests", end_to_end(&root, &sub_dist)?);
    } else {
        println!("xtask: skipped: the site did not build");
        stage("browser tests", Tally::check(false));
    }

    let mut total = Tally::default();
    println!("\nxtask: summary");
    for Stage { name, tally } in &stages {
        println!("  {name:<16} {:>5} passed {:>5} failed", tally.passed, tally.failed);
        total += *tally;
    }
    println!("total: {} passed, {} failed", total.passed, total.failed);
    Ok(total.failed == 0)
}

fn banner(title: &str) {
    println!("\n==> {title}");
}

fn libtest(command: &mut Command) -> Result<Tally> {
    let (ok, lines) = run_teed(command)?;
    Ok(Tally::from_libtest(&lines).with_exit(ok))
}

fn end_to_end(root: &Path, sub_dist: &Path) -> Result<Tally> {
    let e2e = root.join("e2e");
    let mut files: Vec<_> = std::fs::read_dir(&e2e)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    let (ok, lines) = run_teed(
        Command::new("node")
            .args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
            .args(&files)
            .env("CAUCUS_DIST", root.join("dist"))
            .env("CAUCUS_DIST_SUBPATH", sub_dist)
            .env("CAUCUS_SUBPATH", SUB_PATH)
            .env("CAUCUS_ARTIFACTS", root.join("target").join("e2e"))
            .env("CHROMIUM", CHROMIUM)
            .current_dir(&e2e),
    )?;
    Ok(Tally::from_node_tap(&lines).with_exit(ok))
}
