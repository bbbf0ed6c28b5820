//! How often the panels beside and below the drawing are drawn again while
//! playing fast. At top speed hundreds of steps pass in each frame: an event
//! log, a property list or a phase matrix redrawn sixty times a second
//! cannot be read, and redrawing them was most of a frame (frame benchmark,
//! `cargo xtask bench`). While play takes more than one step a frame, they
//! show the run as it was at most a quarter of a second ago (each lane waits
//! for the others' turns: `LANES` × `TURN_MS`); at a pace one can follow, and
//! whenever play stops or the user acts, they show it now.

use crate::run::revision::Revision;

/// How often, while playing fast, one lane of panels is drawn again: about
/// one frame in three. Each lane is then drawn about four times a second,
/// about as often as one can take in a changed panel.
const TURN_MS: f64 = 40.0;

/// The panels, by the turn each takes while playing fast. Each lane is drawn
/// again on a frame of its own, one lane every `TURN_MS`: drawn on the same
/// frame, the event log, the protocol's panel, the next events and the marks
/// made one frame in twelve take 20 ms or more (frame benchmark), where the
/// others took 6. The protocol's panel is two lanes: PBFT's, drawn whole in
/// one turn, made the heaviest frames of play (3 ms of layout alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    /// The event log below the drawing.
    Log,
    /// The protocol's own panel, where it reads this lane: PBFT's phase
    /// matrix. (Raft's log grid, a few dozen cells, is drawn every frame.)
    Protocol,
    /// The rest of the protocol's own panel: PBFT's clients, checkpoints
    /// and view changes.
    ProtocolStatus,
    /// The next events beside the drawing.
    Events,
    /// The notes and the safety properties.
    Notes,
    /// What the drawing and the scrubber show in words and marks: each
    /// node's badge and caption, the summary for screen readers, the marks.
    Drawing,
}

const LANES: usize = 6;
const TURNS: [Lane; LANES] =
    [Lane::Log, Lane::Events, Lane::Protocol, Lane::Drawing, Lane::ProtocolStatus, Lane::Notes];

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PanelPace {
    /// Each lane's revision of the run and the step at it, by `Lane as usize`.
    shown: [(Revision, u64); LANES],
    /// Wall time since the last lane took its turn while the run moved on.
    behind_ms: f64,
    /// The index in `TURNS` of the lane whose turn is next.
    next: usize,
}

impl PanelPace {
    /// The revision of the run the panels of `lane` draw.
    pub fn shown(&self, lane: Lane) -> Revision {
        self.shown[lane as usize].0
    }

    /// The step of the run the panels of `lane` draw.
    pub fn step(&self, lane: Lane) -> u64 {
        self.shown[lane as usize].1
    }

    /// Every lane shows the run as it is now, at `step`.
    pub fn catch_up(&mut self, now: Revision, step: u64) {
        self.shown = [(now, step); LANES];
        self.behind_ms = 0.0;
    }

    /// After a frame of play that took `steps` steps in `wall_ms`, with the
    /// run now at `now`, showing `step`.
    pub fn after_frame(&mut self, now: Revision, step: u64, wall_ms: f64, steps: u64) {
        if self.shown.iter().all(|&(shown, _)| shown == now) {
            return;
        }
        if steps <= 1 {
            self.catch_up(now, step);
            return;
        }
        self.behind_ms += wall_ms;
        if self.behind_ms >= TURN_MS {
            self.shown[TURNS[self.next] as usize] = (now, step);
            self.next = (self.next + 1) % LANES;
            self.behind_ms = 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn one_step_a_frame_is_shown_at_once_and_many_lane_by_lane_about_four_times_a_second() {
        let mut pace = PanelPace::default();
        let first = Revision::next();
        pace.catch_up(first, 0);
        // One step a frame: every frame's run is shown in every lane.
        let slow = Revision::next();
        pace.after_frame(slow, 1, 16.7, 1);
        assert!(TURNS.iter().all(|&lane| (pace.shown(lane), pace.step(lane)) == (slow, 1)));
        // Hundreds a frame: one lane a turn, a turn every 40 ms (three
        // frames), so each lane waits 240 ms and no frame redraws two lanes.
        let mut turns = Vec::new();
        for frame in 1..=36 {
            let now = Revision::next();
            pace.after_frame(now, 1 + frame * 500, 16.7, 500);
            let drawn: Vec<Lane> =
                TURNS.iter().copied().filter(|&lane| pace.shown(lane) == now).collect();
            assert!(drawn.len() <= 1, "frame {frame} redraws {drawn:?}");
            if let [lane] = drawn[..] {
                turns.push((frame, lane, pace.step(lane)));
            }
        }
        use Lane::*;
        assert_eq!(
            turns,
            [
                (3, Log, 1501),
                (6, Events, 3001),
                (9, Protocol, 4501),
                (12, Drawing, 6001),
                (15, ProtocolStatus, 7501),
                (18, Notes, 9001),
                (21, Log, 10501),
                (24, Events, 12001),
                (27, Protocol, 13501),
                (30, Drawing, 15001),
                (33, ProtocolStatus, 16501),
                (36, Notes, 18001),
            ]
        );
        // Play stops or the user acts: every lane shows it at once.
        let paused = Revision::next();
        pace.catch_up(paused, 18_001);
        assert!(TURNS.iter().all(|&lane| (pace.shown(lane), pace.step(lane)) == (paused, 18_001)));
        // A frame in which nothing changed does not count as waiting.
        for _ in 0..20 {
            pace.after_frame(paused, 18_001, 16.7, 0);
        }
        let next = Revision::next();
        pace.after_frame(next, 18_501, 16.7, 500);
        assert!(TURNS.iter().all(|&lane| pace.step(lane) == 18_001));
    }

    #[test]
    fn every_lane_takes_a_turn() {
        for lane in [
            Lane::Log,
            Lane::Protocol,
            Lane::ProtocolStatus,
            Lane::Events,
            Lane::Notes,
            Lane::Drawing,
        ] {
            assert_eq!(TURNS.iter().filter(|&&l| l == lane).count(), 1, "{lane:?}");
        }
    }
}
