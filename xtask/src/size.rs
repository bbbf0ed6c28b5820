//! The size of what a visitor downloads: every .wasm and .js in the built site,
//! raw and gzipped, as a static host would serve them.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use flate2::Compression;
use flate2::write::GzEncoder;

/// Prints a line per file and the total, and returns the gzipped total in bytes.
pub fn report(dist: &Path) -> Result<u64> {
    let mut files: Vec<_> = fs::read_dir(dist)
        .with_context(|| format!("reading {}", dist.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wasm" | "js")))
        .collect();
    files.sort();
    if !files.iter().any(|p| p.extension().is_some_and(|e| e == "wasm")) {
        bail!("no .wasm file in {}", dist.display());
    }
    let (mut raw_total, mut gz_total) = (0, 0);
    println!("xtask: bundle size (what a visitor downloads)");
    for path in &files {
        let bytes = fs::read(path)?;
        let gz = gzipped_len(&bytes)?;
        raw_total += bytes.len() as u64;
        gz_total += gz;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        println!("  {:<44} {:>9} raw {:>9} gzipped", name, kib(bytes.len() as u64), kib(gz));
    }
    println!("  {:<44} {:>9} raw {:>9} gzipped", "total wasm + js", kib(raw_total), kib(gz_total));
    Ok(gz_total)
}

/// What a visitor may download, gzipped: the wasm and JS of the page with
/// every engine it carries (issue 16 set it for Raft and PBFT together).
pub const BUDGET_BYTES: u64 = 420 * 1024;

pub fn within_budget(gzipped: u64) -> bool {
    gzipped <= BUDGET_BYTES
}

/// The one sentence `cargo xtask test` prints when the bundle is too big.
pub fn over_budget(gzipped: u64) -> String {
    format!(
        "xtask: the bundle is {} gzipped, over its budget of {} by {}: \
         make the page smaller, or raise BUDGET_BYTES in xtask/src/size.rs with the reason",
        kib(gzipped),
        kib(BUDGET_BYTES),
        kib(gzipped - BUDGET_BYTES)
    )
}

fn gzipped_len(bytes: &[u8]) -> Result<u64> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len() as u64)
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_shrinks_repetitive_input() {
        let input = vec![b'a'; 10_000];
        let len = gzipped_len(&input).unwrap();
        assert!(len > 0 && len < 100, "gzipped length {len}");
    }

    #[test]
    fn the_budget_holds_up_to_420_kib_and_says_by_how_much_it_is_missed() {
        assert!(within_budget(420 * 1024));
        assert!(!within_budget(420 * 1024 + 1));
        let said = over_budget(430 * 1024);
        assert!(said.contains("430.0 KiB") && said.contains("by 10.0 KiB"), "{said}");
    }

    #[test]
    fn kib_has_one_decimal() {
        assert_eq!(kib(1536), "1.5 KiB");
    }
}
