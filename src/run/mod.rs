//! One run as the page plays it: the simulator's timeline, the time shown on
//! screen (which moves smoothly between events while playing), the step
//! history in words, and the world one step back (what the inspector compares
//! against). No Yew here: the session drives it, and native tests can too.
//!
//! Stepping and playing walk the recorded log while the cursor is in the past,
//! like a video; a user's intervention in the past forks the run there.

pub mod history;

use caucus_sim::scenario::ReplayError;
use caucus_sim::view::Visual;
use caucus_sim::{Action, ActionError, LinkParams, NodeId, Time, Timeline, World};

use history::{History, StepRecord};

/// Steps one animation frame may apply at most, so a frame stays short even
/// at top speed on a busy run.
pub const MAX_STEPS_PER_TICK: u32 = 500;

pub struct Run<P: Visual> {
    timeline: Timeline<P>,
    links: LinkParams,
    /// The virtual time on screen: the world's time, or later while playing
    /// between two events. Never past the next event.
    shown: Time,
    history: History,
    /// The world at the step before the cursor, if the cursor is past 0.
    previous: Option<World<P>>,
    leader: Option<NodeId>,
}

/// How a tick of play ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TickEnd {
    /// Time moved on; play continues.
    Playing,
    /// A step found a property broken: play stops there.
    Violation,
    /// Nothing is left to happen.
    Idle,
}

impl<P: Visual> Run<P> {
    pub fn new(config: P::Config, seed: u64, links: LinkParams) -> Run<P> {
        let world = World::new(config, seed, links);
        let leader = P::leader(&world);
        let mut history = History::default();
        let name = |id: NodeId| P::node_label(world.config(), id);
        history.record(StepRecord::of(world.last_step(), false, leader, &name));
        Run { timeline: Timeline::new(world), links, shown: 0, history, previous: None, leader }
    }

    /// Rebuilds a recorded run: its actions replayed in order (the
    /// non-step ones marked as the user's, as they were when taken), then
    /// the cursor on `step` and the time on screen on `time` when that is a
    /// time the screen could have shown there.
    pub fn replay(
        config: P::Config,
        seed: u64,
        links: LinkParams,
        actions: &[Action<P>],
        step: u64,
        time: Option<Time>,
    ) -> Result<Run<P>, ReplayError> {
        let mut run = Run::new(config, seed, links);
        for (index, action) in actions.iter().enumerate() {
            let by_user = !matches!(action, Action::Step);
            run.apply(action.clone(), by_user).map_err(|error| ReplayError { index, error })?;
        }
        run.seek(step);
        if run.cursor() > 0 && run.previous.is_none() {
            run.refresh_previous();
        }
        if let Some(t) = time {
            let now = run.world().now();
            if t >= now && run.world().next_event_time().is_none_or(|next| t <= next) {
                run.shown = t;
            }
        }
        Ok(run)
    }

    pub fn world(&self) -> &World<P> {
        self.timeline.world()
    }

    pub fn previous(&self) -> Option<&World<P>> {
        self.previous.as_ref()
    }

    pub fn config(&self) -> &P::Config {
        self.world().config()
    }

    pub fn seed(&self) -> u64 {
        self.world().seed()
    }

    pub fn links(&self) -> LinkParams {
        self.links
    }

    pub fn cursor(&self) -> u64 {
        self.timeline.cursor()
    }

    /// Steps recorded: the cursor can go anywhere from 0 to this.
    pub fn len(&self) -> u64 {
        self.timeline.len()
    }

    pub fn is_empty(&self) -> bool {
        self.timeline.is_empty()
    }

    pub fn actions(&self) -> &[Action<P>] {
        self.timeline.log()
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// The virtual time on screen.
    pub fn shown_time(&self) -> Time {
        self.shown
    }

    /// Performs the next event: the recorded next step while the cursor is
    /// in the past, else the next event in time order.
    pub fn step(&mut self) -> Result<(), ActionError> {
        let before = self.world().clone();
        self.forward()?;
        self.previous = Some(before);
        Ok(())
    }

    /// Goes back one step, showing exactly the state before it.
    pub fn step_back(&mut self) {
        if let Some(step) = self.cursor().checked_sub(1) {
            self.seek(step);
        }
    }

    /// Moves the cursor to `step` (clamped to the run), restoring its state.
    pub fn seek(&mut self, step: u64) {
        let step = step.min(self.len());
        if step == self.cursor() {
            self.shown = self.world().now();
            return;
        }
        self.timeline.seek(step).expect("clamped to the log");
        self.shown = self.world().now();
        self.leader = P::leader(self.world());
        self.refresh_previous();
    }

    /// Sets `previous` to the world one step before the cursor, by seeking
    /// there and back (a replay from the nearest snapshot).
    fn refresh_previous(&mut self) {
        let step = self.cursor();
        self.previous = step.checked_sub(1).map(|before| {
            self.timeline.seek(before).expect("before the cursor");
            self.world().clone()
        });
        self.timeline.seek(step).expect("where the cursor was");
    }

    /// A user's intervention, at the time on screen: if that is past the
    /// world's time (paused between two events), time first passes to it.
    /// In the past, it forks the run. Refused actions change nothing.
    pub fn act(&mut self, action: Action<P>) -> Result<(), ActionError> {
        if self.shown > self.world().now() {
            // Checked first, so a refusal does not leave time moved.
            let mut trial = self.world().clone();
            trial.apply(&Action::AdvanceTo(self.shown))?;
            trial.apply(&action)?;
            self.apply(Action::AdvanceTo(self.shown), true)?;
        }
        let before = self.world().clone();
        self.apply(action, true)?;
        self.previous = Some(before);
        Ok(())
    }

    /// Advances play by `wall_ms` of wall time at `speed` virtual
    /// microseconds per wall millisecond: performs every event that falls due
    /// (the recorded ones while in the past), then moves the shown time on.
    pub fn tick(&mut self, wall_ms: f64, speed: f64) -> TickEnd {
        let advance = (wall_ms.max(0.0) * speed).round().min(1e12) as Time;
        let target = self.shown.saturating_add(advance);
        let (end, steps) = self.play_to(target);
        // Only the last step's previous world is ever shown: a frame that
        // performed several finds it once, instead of copying the world
        // before every step.
        if steps > 1 {
            self.refresh_previous();
        }
        end
    }

    /// Performs the events due by `target`; returns how play ended and how
    /// many steps it took.
    fn play_to(&mut self, target: Time) -> (TickEnd, u32) {
        for steps in 0..MAX_STEPS_PER_TICK {
            let due = if self.cursor() < self.len() {
                match &self.actions()[self.cursor() as usize] {
                    Action::Step => self.world().next_event_time(),
                    Action::AdvanceTo(t) => Some(*t),
                    // A recorded intervention happens as soon as play reaches it.
                    _ => Some(self.world().now()),
                }
            } else {
                self.world().next_event_time()
            };
            match due {
                Some(t) if t <= target => {
                    let done = if steps == 0 { self.step() } else { self.forward() };
                    if done.is_err() {
                        return (TickEnd::Idle, steps);
                    }
                    if !self.world().last_step().violations().is_empty() {
                        return (TickEnd::Violation, steps + 1);
                    }
                }
                Some(_) => {
                    self.shown = target;
                    return (TickEnd::Playing, steps);
                }
                None => {
                    self.shown = target;
                    return (TickEnd::Idle, steps);
                }
            }
        }
        // Too many events for one frame: show the time of the last one.
        (TickEnd::Playing, MAX_STEPS_PER_TICK)
    }

    /// One step on, leaving `previous` to the caller: the recorded next step
    /// while in the past, else the next event in time order.
    fn forward(&mut self) -> Result<(), ActionError> {
        if self.cursor() < self.len() {
            let step = self.cursor() + 1;
            self.timeline.seek(step).expect("within the log");
            self.shown = self.world().now();
            self.leader = P::leader(self.world());
            return Ok(());
        }
        self.apply(Action::Step, false)
    }

    /// Applies one action at the cursor and records it.
    fn apply(&mut self, action: Action<P>, by_user: bool) -> Result<(), ActionError> {
        self.timeline.apply(action)?;
        self.shown = self.world().now();
        let leader = P::leader(self.world());
        let new_leader = leader.filter(|_| leader != self.leader);
        self.leader = leader;
        let world = self.timeline.world();
        let name = |id: NodeId| P::node_label(world.config(), id);
        let record = StepRecord::of(world.last_step(), by_user, new_leader, &name);
        self.history.record(record);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
