//! How often the panels beside and below the drawing are drawn again while
//! playing fast. At top speed hundreds of steps pass in each frame: an event
//! log, a property list or a phase matrix redrawn sixty times a second
//! cannot be read, and redrawing them was most of a frame (frame benchmark,
//! `cargo xtask bench`). While play takes more than one step a frame, the
//! panels take turns: each shows the run as it was at most a quarter of a
//! second ago; at a pace one can follow, and whenever play stops or the user
//! acts, they show it now.

use crate::run::revision::Revision;

/// The least time between two turns while playing fast. A turn comes on the
/// first frame at least this long after the last one: at sixty frames a
/// second, every third frame (50 ms), so each of the `TURNS` comes round
/// every 250 ms, four times a second, about as often as one can take in a
/// changed panel.
const TURN_MS: f64 = 40.0;

/// The panels, by the turn they are drawn again in while playing fast. Each
/// turn has a frame of its own: drawn on the same frame, the event log, the
/// protocol's panel, the next events and the marks made one frame in twelve
/// take 20 ms or more (frame benchmark), where the others took 6.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    /// The event log below the drawing.
    Log,
    /// The protocol's own panel, where it reads this lane: PBFT's phase
    /// matrix. (Raft's log grid, a few dozen cells, is drawn every frame.)
    Protocol,
    /// The rest of the protocol's own panel, where it has one: PBFT's
    /// clients, checkpoints and view changes. Drawn in the same turn as the
    /// matrix, PBFT's panel made the heaviest frames of play (about 310
    /// layout objects, 3 ms of layout alone); it shares the notes' turn,
    /// the lightest, so a protocol without it waits no longer.
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

/// The turns, in order, and the lanes each draws.
const TURNS: [&[Lane]; 5] = [
    &[Lane::Log],
    &[Lane::Events],
    &[Lane::Protocol],
    &[Lane::Drawing],
    &[Lane::Notes, Lane::ProtocolStatus],
];

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PanelPace {
    /// Each lane's revision of the run and the step at it, by `Lane as usize`.
    shown: [(Revision, u64); LANES],
    /// Wall time since the last turn while the run moved on.
    behind_ms: f64,
    /// The index in `TURNS` of the next turn.
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
            for &lane in TURNS[self.next] {
                self.shown[lane as usize] = (now, step);
            }
            self.next = (self.next + 1) % TURNS.len();
            self.behind_ms = 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use Lane::*;

    const ALL: [Lane; LANES] = [Log, Protocol, ProtocolStatus, Events, Notes, Drawing];

    #[test]
    fn one_step_a_frame_is_shown_at_once_and_many_turn_by_turn_four_times_a_second() {
        let mut pace = PanelPace::default();
        let first = Revision::next();
        pace.catch_up(first, 0);
        // One step a frame: every frame's run is shown in every lane.
        let slow = Revision::next();
        pace.after_frame(slow, 1, 16.7, 1);
        assert!(ALL.iter().all(|&lane| (pace.shown(lane), pace.step(lane)) == (slow, 1)));
        // Hundreds a frame at sixty frames a second: a turn every third
        // frame, so each lane is drawn every fifteen (250 ms), and no frame
        // draws two turns.
        let sorted = |lanes: &[Lane]| {
            let mut lanes = lanes.to_vec();
            lanes.sort_by_key(|&l| l as usize);
            lanes
        };
        let mut turns = Vec::new();
        for frame in 1..=30 {
            let now = Revision::next();
            pace.after_frame(now, 1 + frame * 500, 16.7, 500);
            let drawn: Vec<Lane> =
                ALL.iter().copied().filter(|&lane| pace.shown(lane) == now).collect();
            if !drawn.is_empty() {
                turns.push((frame, drawn));
            }
        }
        let expected: Vec<(u64, Vec<Lane>)> = [
            (3, &[Log][..]),
            (6, &[Events]),
            (9, &[Protocol]),
            (12, &[Drawing]),
            (15, &[ProtocolStatus, Notes]),
            (18, &[Log]),
            (21, &[Events]),
            (24, &[Protocol]),
            (27, &[Drawing]),
            (30, &[ProtocolStatus, Notes]),
        ]
        .into_iter()
        .map(|(frame, lanes)| (frame, sorted(lanes)))
        .collect();
        assert_eq!(turns, expected);
        // A lane shows the step of its turn.
        assert_eq!((pace.step(Log), pace.step(Drawing), pace.step(Notes)), (9_001, 13_501, 15_001));
        // Play stops or the user acts: every lane shows it at once.
        let paused = Revision::next();
        pace.catch_up(paused, 15_001);
        assert!(ALL.iter().all(|&lane| (pace.shown(lane), pace.step(lane)) == (paused, 15_001)));
        // A frame in which nothing changed does not count as waiting.
        for _ in 0..20 {
            pace.after_frame(paused, 15_001, 16.7, 0);
        }
        let next = Revision::next();
        pace.after_frame(next, 15_501, 16.7, 500);
        assert!(ALL.iter().all(|&lane| pace.step(lane) == 15_001));
    }

    #[test]
    fn every_lane_takes_one_turn() {
        for lane in ALL {
            let turns = TURNS.iter().filter(|turn| turn.contains(&lane)).count();
            assert_eq!(turns, 1, "{lane:?}");
        }
    }
}
