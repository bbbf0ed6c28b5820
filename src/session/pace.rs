//! How often the panels beside and below the drawing are drawn again while
//! playing fast. At top speed hundreds of steps pass in each frame: an event
//! log, a property list or a phase matrix redrawn sixty times a second
//! cannot be read, and redrawing them was most of a frame (frame benchmark,
//! `cargo xtask bench`). While play takes more than one step a frame, they
//! show the run as it was at most `FAST_PLAY_INTERVAL_MS` ago; at a pace one
//! can follow, and whenever play stops or the user acts, they show it now.

use crate::run::revision::Revision;

/// How long the panels may lag behind the drawing while playing fast: five
/// times a second, about as often as one can take in a changed panel.
pub const FAST_PLAY_INTERVAL_MS: f64 = 200.0;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PanelPace {
    shown: Revision,
    /// The step shown at `shown`.
    step: u64,
    /// Wall time since `shown` was taken while the run moved on.
    behind_ms: f64,
}

impl PanelPace {
    /// The revision of the run the panels draw.
    pub fn shown(&self) -> Revision {
        self.shown
    }

    /// The step of the run the panels draw.
    pub fn step(&self) -> u64 {
        self.step
    }

    /// Shows the run as it is now, at `step`.
    pub fn catch_up(&mut self, now: Revision, step: u64) {
        self.shown = now;
        self.step = step;
        self.behind_ms = 0.0;
    }

    /// After a frame of play that took `steps` steps in `wall_ms`, with the
    /// run now at `now`, showing `step`.
    pub fn after_frame(&mut self, now: Revision, step: u64, wall_ms: f64, steps: u64) {
        if now == self.shown {
            return;
        }
        self.behind_ms += wall_ms;
        if steps <= 1 || self.behind_ms >= FAST_PLAY_INTERVAL_MS {
            self.catch_up(now, step);
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn one_step_a_frame_is_shown_at_once_and_many_five_times_a_second() {
        let mut pace = PanelPace::default();
        let first = Revision::next();
        pace.catch_up(first, 0);
        // One step a frame: every frame's run is shown.
        let slow = Revision::next();
        pace.after_frame(slow, 1, 16.7, 1);
        assert_eq!((pace.shown(), pace.step()), (slow, 1));
        // Hundreds a frame: the panels wait until 200 ms have passed.
        let mut shown_at = Vec::new();
        for frame in 1..=30 {
            let now = Revision::next();
            pace.after_frame(now, 1 + frame * 500, 16.7, 500);
            if pace.shown() == now {
                shown_at.push((frame, pace.step()));
            }
        }
        assert_eq!(shown_at, [(12, 6001), (24, 12001)]);
        // Play stops or the user acts: shown at once.
        let paused = Revision::next();
        pace.catch_up(paused, 15_001);
        assert_eq!((pace.shown(), pace.step()), (paused, 15_001));
        // A frame in which nothing changed does not count as waiting.
        for _ in 0..20 {
            pace.after_frame(paused, 15_001, 16.7, 0);
        }
        let next = Revision::next();
        pace.after_frame(next, 15_501, 16.7, 500);
        assert_ne!(pace.shown(), next);
        assert_eq!(pace.step(), 15_001);
    }
}
