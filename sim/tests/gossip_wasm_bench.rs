//! Epidemic runs at 10,000 sites timed in wasm, in headless Chromium, as
//! the page runs them (the release profile that ships). Ignored by the test
//! suite: `cargo xtask bench` runs it with `--include-ignored` in release
//! mode and prints the medians.

#![cfg(target_arch = "wasm32")]

use caucus_sim::gossip::workload;
use caucus_sim::gossip::{Direction, GossipConfig};
use caucus_sim::{LinkParams, Observe};
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

fn median_ms(samples: usize, run: impl Fn()) -> f64 {
    run();
    let mut times: Vec<f64> = (0..samples)
        .map(|_| {
            let start = now_ms();
            run();
            now_ms() - start
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

#[wasm_bindgen_test]
#[ignore]
fn ten_thousand_sites_in_wasm() {
    let observe = Observe { invariants: true, notes: false };
    for (name, config) in [
        (
            "push-pull anti-entropy to full spread",
            GossipConfig::anti_entropy(10_000, Direction::PushPull),
        ),
        (
            "push rumor mongering k = 2 until it dies out",
            GossipConfig::rumor_mongering(10_000, Direction::Push),
        ),
    ] {
        let ms = median_ms(7, || {
            std::hint::black_box(workload::run(config.clone(), 1, LinkParams::default(), observe));
        });
        let outcome = workload::run(config, 1, LinkParams::default(), observe);
        console_log!(
            "wasm bench: gossip 10,000 sites/{name}: median {ms:.1} ms a run ({} steps, residue {:.4})",
            outcome.steps,
            outcome.residue
        );
    }
}
