//! Epidemic runs at 10,000 sites timed in wasm, in headless Chromium, as
//! the page runs them (the release profile that ships). Ignored by the test
//! suite: `cargo xtask bench` runs it with `--include-ignored` in release
//! mode and prints the medians.

#![cfg(target_arch = "wasm32")]

use caucus_sim::gossip::workload;
use caucus_sim::gossip::{Direction, GossipConfig, GossipNode};
use caucus_sim::{Action, LinkParams, NodeId, Observe, Timeline, World};
use wasm_bindgen::JsCast;
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
        let mut world = workload::start(config, 1, LinkParams::default(), observe);
        workload::play(&mut world);
        let outcome = workload::outcome(&world);
        console_log!(
            "wasm bench: gossip 10,000 sites/{name}: median {ms:.1} ms a run ({} steps, residue {:.4}); the world at the end {:.1} MB",
            outcome.steps,
            outcome.residue,
            world.footprint() as f64 / 1e6
        );
    }
    page_timeline();
    swim();
}

/// SWIM with 1,000 members for 100 protocol periods, a crash at the tenth.
fn swim() {
    use caucus_sim::gossip::swim::{SwimConfig, SwimNode};
    let config = SwimConfig::new(1_000);
    let observe = Observe { invariants: true, notes: false };
    let run = || {
        let mut w = World::<SwimNode>::observing(config.clone(), 1, LinkParams::default(), observe);
        w.run_until(10 * config.period);
        w.apply(&Action::Crash(NodeId(500))).unwrap();
        w.run_until(100 * config.period);
        w
    };
    let ms = median_ms(7, || {
        std::hint::black_box(run());
    });
    let w = run();
    let failure = &w.measures().failures[0];
    console_log!(
        "wasm bench: swim 1,000 members/100 periods, one crash: median {ms:.1} ms a run ({} steps, {:.2} messages a member a period, detected after {:.1} periods, known to all after {:.1}); the world {:.1} MB",
        w.step(),
        w.measures().messages_per_member_per_period(1_000, 100.0),
        (failure.first_detected.unwrap() - failure.crashed_at) as f64 / config.period as f64,
        (failure.everyone_knew.unwrap() - failure.crashed_at) as f64 / config.period as f64,
        w.footprint() as f64 / 1e6
    );
}

/// The wasm memory's size in bytes: it only grows, so after a run it is
/// the most the run needed at once (with what the benchmark held before).
fn memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let buffer: js_sys::ArrayBuffer = memory.buffer().unchecked_into();
    buffer.byte_length() as f64
}

/// The page's run: push-pull anti-entropy at 10,000 sites played into a
/// timeline, notes and checks on; then seeks to steps spread over it.
fn page_timeline() {
    let before = memory_bytes();
    let config = GossipConfig::anti_entropy(10_000, Direction::PushPull);
    let world =
        World::<GossipNode>::observing(config, 1, LinkParams::default(), Observe::default());
    let start = now_ms();
    let mut timeline = Timeline::new(world);
    timeline.apply(Action::Request { node: NodeId(0), request: workload::FIRST_UPDATE }).unwrap();
    while !workload::finished(timeline.world()) {
        timeline.apply(Action::Step).unwrap();
    }
    let played = now_ms() - start;
    let end = timeline.len();
    let mut at = 0;
    let mut seeks: Vec<f64> = (0..31)
        .map(|_| {
            at = (at + end * 7 / 17) % end;
            let start = now_ms();
            timeline.seek(at).unwrap();
            now_ms() - start
        })
        .collect();
    seeks.sort_by(f64::total_cmp);
    console_log!(
        "wasm bench: gossip 10,000 sites/push-pull timeline as the page plays it: {played:.0} ms for {end} steps; seek anywhere median {:.1} ms, slowest {:.1} ms; snapshots {:.1} MB; wasm memory {:.0} MB (was {:.0} MB before the run)",
        seeks[seeks.len() / 2],
        seeks[seeks.len() - 1],
        timeline.snapshot_bytes() as f64 / 1e6,
        memory_bytes() / 1e6,
        before / 1e6
    );
}
