//! The PBFT workload (one client, 1,000 requests, f = 1 and f = 3) timed in
//! wasm, in headless Chromium, as the page runs it (the release profile that
//! ships), beside the RaftScope workload timed the same way. The benchmark is
//! ignored by the test suite: `cargo xtask bench` runs it with
//! `--include-ignored` in release mode and prints the medians. The fast test
//! below runs the workload once, natively and in wasm, and checks it finishes.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod pbft_workload;

use caucus_sim::Observe;
use pbft_workload::{REQUESTS, SEED, pbft_requests};

#[test]
fn one_client_gets_every_request_accepted_without_a_violation() {
    let full = pbft_requests(1, REQUESTS, SEED, Observe::default());
    assert_eq!(full.accepted, REQUESTS, "{full:?}");
    assert_eq!(full.violations, 0, "{full:?}");
    assert!(full.messages_delivered > 20 * u64::from(REQUESTS), "{full:?}");
    let engine = Observe { invariants: false, notes: false };
    let quiet = pbft_requests(1, REQUESTS, SEED, engine);
    assert_eq!(
        (quiet.steps, quiet.messages_delivered),
        (full.steps, full.messages_delivered),
        "observing less changes what is recorded, not what happens"
    );
}

#[cfg(target_arch = "wasm32")]
mod bench {
    use caucus_sim::Observe;
    use caucus_sim::raft::workload::{BENCH_SEEDS, raftscope};
    use wasm_bindgen_test::{console_log, wasm_bindgen_test};

    use super::pbft_workload::{REQUESTS, SEED, pbft_requests};

    /// `performance.now()` in milliseconds, read through js-sys alone.
    fn now_ms() -> f64 {
        let global = js_sys::global();
        let performance =
            js_sys::Reflect::get(&global, &"performance".into()).expect("performance");
        let now: js_sys::Function =
            js_sys::Reflect::get(&performance, &"now".into()).expect("performance.now").into();
        now.call0(&performance).expect("a time").as_f64().expect("a number")
    }

    /// Wall time of one call of `run`, in milliseconds.
    fn time_ms(run: impl Fn()) -> f64 {
        let start = now_ms();
        run();
        now_ms() - start
    }

    fn median(mut times: Vec<f64>) -> f64 {
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    }

    /// Samples of each case, taken in turns.
    const SAMPLES: usize = 11;

    #[wasm_bindgen_test]
    #[ignore]
    fn pbft_workload_in_wasm() {
        let modes = [
            ("engine only", Observe { invariants: false, notes: false }),
            ("invariants and notes", Observe::default()),
        ];
        let raft_delivered: u64 = BENCH_SEEDS
            .iter()
            .map(|&seed| raftscope(seed, false, Observe::default()).messages_delivered)
            .sum();
        let delivered = [1, 3].map(|f| {
            let run = pbft_requests(f, REQUESTS, SEED, Observe::default());
            assert_eq!(run.accepted, REQUESTS, "{run:?}");
            run.messages_delivered
        });
        // One round times every case once: the RaftScope workload on a bare
        // world (the reference, as raft_wasm_bench times it), then PBFT at
        // f = 1 and f = 3, each engine alone and with invariants and notes.
        // Rounds take turns, so a busy machine and the wasm tiering up slow
        // every case alike and the ratios hold.
        let round = || {
            modes.map(|(_, observe)| {
                let raft = time_ms(|| {
                    for seed in BENCH_SEEDS {
                        std::hint::black_box(raftscope(seed, false, observe));
                    }
                });
                let pbft = [1, 3].map(|f| {
                    time_ms(|| {
                        std::hint::black_box(pbft_requests(f, REQUESTS, SEED, observe));
                    })
                });
                (raft, pbft)
            })
        };
        // Let both engines' wasm tier up before anything is timed.
        round();
        round();
        let rounds: Vec<_> = (0..SAMPLES).map(|_| round()).collect();
        for (m, (name, _)) in modes.iter().enumerate() {
            let raft_ms = median(rounds.iter().map(|r| r[m].0).collect());
            let raft_per_second = raft_delivered as f64 / (raft_ms / 1000.0);
            for (i, f) in [1, 3].into_iter().enumerate() {
                let ms = median(rounds.iter().map(|r| r[m].1[i]).collect());
                let per_second = delivered[i] as f64 / (ms / 1000.0);
                console_log!(
                    "wasm bench: pbft f={f}, 1 client, {REQUESTS} requests/{name}, world: median {ms:.3} ms a run ({} messages), {:.2} M messages delivered/s, {:.2}x raftscope's {:.2} M/s",
                    delivered[i],
                    per_second / 1e6,
                    per_second / raft_per_second,
                    raft_per_second / 1e6
                );
            }
        }
    }
}
