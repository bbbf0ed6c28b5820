//! A PBFT run's trace hash, pinned: natively and in Chromium alike, a run
//! with a Byzantine replica, a crash, loss and duplication reaches the same
//! hash, or PBFT links made in one would not reproduce in the other.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use caucus_sim::network::PPM;

use super::*;

/// Moves only with a change to the hash function or to the engine's
/// behaviour; a released PBFT link format would pin it for good.
const PINNED: u64 = 0x432b_ca9d_71ef_7af0;

/// Steps `count` times, or until nothing is left to happen.
fn steps(w: &mut World<PbftNode>, count: u32) {
    for _ in 0..count {
        if w.apply(&Action::Step).is_err() {
            return;
        }
    }
}

fn fixed_run() -> World<PbftNode> {
    let links = LinkParams { loss_ppm: PPM / 20, duplicate_ppm: PPM / 20, ..LinkParams::default() };
    let mut w = World::<PbftNode>::new(PbftConfig::new(1, 2), 2026, links);
    byzantine(&mut w, 0, Behaviour::Equivocate);
    request(&mut w, 0, "x=1");
    request(&mut w, 1, "y=1");
    steps(&mut w, 300);
    w.apply(&Action::Crash(NodeId(2))).unwrap();
    byzantine(&mut w, 3, Behaviour::LieToClients);
    request(&mut w, 0, "x=2");
    request(&mut w, 1, "y=2");
    steps(&mut w, 300);
    w.apply(&Action::Restart(NodeId(2))).unwrap();
    request(&mut w, 0, "x=3");
    request(&mut w, 1, "y=3");
    steps(&mut w, 600);
    w
}

#[test]
fn a_fixed_pbft_run_has_the_pinned_trace_hash() {
    let w = fixed_run();
    // Every request completes despite the liars, and then nothing is left to happen.
    assert_eq!((accepted(&w, 0), accepted(&w, 1)), (3, 3));
    assert_eq!(w.step(), 461);
    assert_eq!(w.trace_hash(), PINNED, "trace hash {:#x}", w.trace_hash());
}
