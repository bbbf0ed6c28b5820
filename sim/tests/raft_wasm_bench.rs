//! The RaftScope workload timed in wasm, in headless Chromium, as the page
//! runs it (the release profile that ships). Ignored by the test suite:
//! `cargo xtask bench` runs it with `--include-ignored` in release mode and
//! prints the medians.

#![cfg(target_arch = "wasm32")]

use caucus_sim::Observe;
use caucus_sim::raft::workload::{BENCH_SEEDS, raftscope};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// `performance.now()` in milliseconds, read through js-sys alone.
fn now_ms() -> f64 {
    let global = js_sys::global();
    let performance = js_sys::Reflect::get(&global, &"performance".into()).expect("performance");
    let now: js_sys::Function =
        js_sys::Reflect::get(&performance, &"now".into()).expect("performance.now").into();
    now.call0(&performance).expect("a time").as_f64().expect("a number")
}

/// Median wall time of one run, over `samples` samples of `batch` runs each
/// (batches beat the browser's coarse timer).
fn median_ms(samples: usize, batch: u32, run: impl Fn()) -> f64 {
    for _ in 0..batch {
        run();
    }
    let mut times: Vec<f64> = (0..samples)
        .map(|_| {
            let start = now_ms();
            for _ in 0..batch {
                run();
            }
            (now_ms() - start) / f64::from(batch)
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

#[wasm_bindgen_test]
#[ignore]
fn raftscope_workload_in_wasm() {
    let engine = Observe { invariants: false, notes: false };
    let full = Observe::default();
    let delivered: u64 =
        BENCH_SEEDS.iter().map(|&seed| raftscope(seed, false, full).messages_delivered).sum();
    // Let the engine's wasm tier up before anything is timed.
    for observe in [engine, full] {
        for _ in 0..100 {
            std::hint::black_box(raftscope(1, false, observe));
        }
    }
    for (name, timeline, observe) in [
        ("engine only, world", false, engine),
        ("engine only, timeline with snapshots", true, engine),
        ("invariants and notes, world", false, full),
        ("invariants and notes, timeline with snapshots", true, full),
    ] {
        // One sample runs every seed once; the median is per run of one seed.
        let ms = median_ms(15, 2, || {
            for seed in BENCH_SEEDS {
                std::hint::black_box(raftscope(seed, timeline, observe));
            }
        }) / BENCH_SEEDS.len() as f64;
        let per_second = delivered as f64 / (ms * BENCH_SEEDS.len() as f64 / 1000.0);
        console_log!(
            "wasm bench: raftscope workload/{name}: median {ms:.3} ms a run (8 seeds), {:.2} M messages delivered/s",
            per_second / 1e6
        );
    }
}
