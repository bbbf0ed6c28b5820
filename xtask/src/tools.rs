//! Installs what a fresh machine lacks, and finds it again quickly next time.
//!
//! Every tool is detected by its version first and installed only when missing
//! or different. The versions come from the project's own files, so there is one
//! place to change each: Trunk and wasm-opt from `Trunk.toml`, the wasm-bindgen
//! CLI from the crate version pinned exactly in the root `Cargo.toml`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::cmd::{self, run, version_of};
use crate::root;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// What the caller is about to do, and so which tools it needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Build and serve the app.
    Build,
    /// Build the app and run every test, in and out of the browser.
    Test,
}

/// The pinned versions, read from the project's files.
#[derive(Debug, PartialEq, Eq)]
pub struct Pins {
    pub trunk: String,
    pub wasm_bindgen: String,
    pub binaryen: String,
}

impl Pins {
    pub fn read(root: &Path) -> Result<Pins> {
        let trunk_toml =
            fs::read_to_string(root.join("Trunk.toml")).context("reading Trunk.toml")?;
        let manifest = fs::read_to_string(root.join("Cargo.toml")).context("reading Cargo.toml")?;
        Pins::parse(&trunk_toml, &manifest)
    }

    /// Reads the pins and checks that Trunk.toml and Cargo.toml agree.
    pub fn parse(trunk_toml: &str, cargo_toml: &str) -> Result<Pins> {
        let trunk = toml_string(trunk_toml, "trunk-version")
            .context("Trunk.toml has no trunk-version")?
            .trim_start_matches('=')
            .to_owned();
        let wasm_bindgen = toml_string(cargo_toml, "wasm-bindgen")
            .and_then(|v| v.strip_prefix('=').map(str::to_owned))
            .context("Cargo.toml must pin wasm-bindgen exactly, as wasm-bindgen = \"=X.Y.Z\"")?;
        let trunk_wasm_bindgen = toml_string(trunk_toml, "wasm_bindgen")
            .context("Trunk.toml has no [tools] wasm_bindgen")?;
        if trunk_wasm_bindgen != wasm_bindgen {
            bail!(
                "Trunk.toml pins wasm_bindgen = \"{trunk_wasm_bindgen}\" but Cargo.toml pins \
                 wasm-bindgen {wasm_bindgen}; make them equal or Trunk will try a download"
            );
        }
        let wasm_opt =
            toml_string(trunk_toml, "wasm_opt").context("Trunk.toml has no [tools] wasm_opt")?;
        let binaryen = wasm_opt
            .strip_prefix("version_")
            .with_context(|| format!("Trunk.toml's wasm_opt = \"{wasm_opt}\" is not version_N"))?
            .to_owned();
        Ok(Pins { trunk, wasm_bindgen, binaryen })
    }
}

/// The quoted value of `key = "value"` on a line of its own.
fn toml_string(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        if k.trim() != key {
            return None;
        }
        let v = v.trim();
        Some(v.strip_prefix('"')?.strip_suffix('"')?.to_owned())
    })
}

/// Proof that the tools are found or installed, and on this process's PATH
/// (which every child process inherits).
pub struct Tools(());

impl Tools {
    pub fn bootstrap(need: Need) -> Result<Tools> {
        let root = root();
        let pins = Pins::read(&root)?;
        let cargo_bin = cargo_home().join("bin");
        let npm_bin = tools_dir().join("node_modules").join(".bin");
        let mut dirs = vec![cargo_bin, npm_bin];
        dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
        let path = std::env::join_paths(dirs).context("building PATH")?;
        // SAFETY: set before any thread is started; every child process inherits it.
        unsafe { std::env::set_var("PATH", &path) };

        ensure_wasm_target()?;
        ensure_cargo_tool(
            "trunk",
            &format!("trunk {}", pins.trunk),
            "Trunk (about 8 minutes on 2 cores, once per machine)",
            &["install", "--locked", "trunk", "--version", &pins.trunk],
        )?;
        // wasm-bindgen-cli cannot install with --locked from this registry (TOOLCHAIN.md).
        for program in ["wasm-bindgen", "wasm-bindgen-test-runner"] {
            ensure_cargo_tool(
                program,
                &format!("{program} {}", pins.wasm_bindgen),
                "the wasm-bindgen CLI (about 3 minutes, once per machine)",
                &["install", "--force", "wasm-bindgen-cli", "--version", &pins.wasm_bindgen],
            )?;
        }
        ensure_wasm_opt(&pins.binaryen)?;
        if need == Need::Test {
            ensure_chromium()?;
            ensure_e2e_packages()?;
        }
        Ok(Tools(()))
    }

    /// A `trunk` command in the workspace root.
    pub fn trunk(&self) -> Command {
        let mut trunk = Command::new("trunk");
        trunk.current_dir(root());
        trunk
    }
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
}

/// Project-local tools (wasm-opt); ignored by git.
pub fn tools_dir() -> PathBuf {
    root().join(".tools")
}

fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output();
    if let Ok(out) = &installed
        && String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    println!("xtask: installing the {WASM_TARGET} target");
    if !run(Command::new("rustup").args(["target", "add", WASM_TARGET]))? {
        bail!("`rustup target add {WASM_TARGET}` failed");
    }
    Ok(())
}

/// Runs `cargo <install>` unless `program --version` already prints `wanted`.
fn ensure_cargo_tool(program: &str, wanted: &str, what: &str, install: &[&str]) -> Result<()> {
    let found = version_of(program);
    if found.as_deref() == Some(wanted) {
        return Ok(());
    }
    let mut command = cmd::cargo();
    command.args(install);
    match found {
        Some(other) => println!("xtask: found {other}, need {wanted}: installing {what}"),
        None => println!("xtask: installing {what}"),
    }
    if !run(&mut command)? {
        bail!("installing {wanted} failed: {command:?}");
    }
    Ok(())
}

fn ensure_wasm_opt(binaryen: &str) -> Result<()> {
    let wanted = format!("version {binaryen}");
    if version_of("wasm-opt").is_some_and(|v| v.contains(&wanted)) {
        return Ok(());
    }
    println!("xtask: installing wasm-opt from the npm package binaryen@{binaryen} into .tools/");
    let dir = tools_dir();
    fs::create_dir_all(&dir)?;
    let ok = run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--no-save", "--prefix"])
        .arg(&dir)
        .arg(format!("binaryen@{binaryen}")))?;
    if !ok || !version_of("wasm-opt").is_some_and(|v| v.contains(&wanted)) {
        bail!("could not install wasm-opt {wanted} with npm");
    }
    Ok(())
}

fn ensure_chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !is_root {
        bail!(
            "the browser tests need Debian's Chromium: run \
             `sudo apt-get install -y chromium chromium-driver`, then try again"
        );
    }
    println!("xtask: installing Chromium and ChromeDriver with apt-get (about a minute)");
    let apt = |args: &[&str]| {
        run(Command::new("apt-get").args(args).env("DEBIAN_FRONTEND", "noninteractive"))
    };
    if !apt(&["update"])? || !apt(&["install", "-y", "chromium", "chromium-driver"])? {
        bail!("apt-get could not install chromium and chromium-driver");
    }
    Ok(())
}

/// playwright-core for the browser tests, installed from `e2e/package-lock.json`.
fn ensure_e2e_packages() -> Result<()> {
    let e2e = root().join("e2e");
    let lock = e2e.join("package-lock.json");
    let installed = e2e.join("node_modules").join(".package-lock.json");
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(lock_time), Some(installed_time)) = (modified(&lock), modified(&installed))
        && installed_time >= lock_time
    {
        return Ok(());
    }
    println!("xtask: installing the browser tests' npm packages (playwright-core)");
    if !run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&e2e))? {
        bail!("`npm ci` in e2e/ failed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK: &str = "trunk-version = \"=0.21.14\"\n[tools]\nwasm_bindgen = \"0.2.130\"\nwasm_opt = \"version_132\"\n";
    const MANIFEST: &str = "[dependencies]\nwasm-bindgen = \"=0.2.130\"\nweb-sys = \"0.3\"\n";

    #[test]
    fn reads_every_pin() {
        let pins = Pins::parse(TRUNK, MANIFEST).unwrap();
        assert_eq!(
            pins,
            Pins {
                trunk: "0.21.14".into(),
                wasm_bindgen: "0.2.130".into(),
                binaryen: "132".into()
            }
        );
    }

    #[test]
    fn a_wasm_bindgen_mismatch_is_refused_with_both_versions_named() {
        let manifest = MANIFEST.replacen("0.2.130", "0.2.131", 1);
        let error = Pins::parse(TRUNK, &manifest).unwrap_err().to_string();
        assert!(error.contains("0.2.130") && error.contains("0.2.131"), "{error}");
    }

    #[test]
    fn the_projects_own_files_agree() {
        Pins::read(&root()).expect("Trunk.toml and Cargo.toml must agree");
    }

    #[test]
    fn an_unpinned_wasm_bindgen_is_refused() {
        let manifest = MANIFEST.replace("=0.2.130", "0.2.130");
        assert!(Pins::parse(TRUNK, &manifest).is_err());
    }

    #[test]
    fn a_key_must_stand_alone_not_as_a_suffix() {
        assert_eq!(
            toml_string("my_wasm_opt = \"x\"\nwasm_opt = \"y\"", "wasm_opt").as_deref(),
            Some("y")
        );
    }
}
