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
    fn kib_has_one_decimal() {
        assert_eq!(kib(1536), "1.5 KiB");
    }
}
