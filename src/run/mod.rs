//! One run as the page plays it: the simulator's timeline, the time shown on
//! screen (which moves smoothly between events while playing), the step
//! history in words, and what the inspector compares against one step back.
//! No Yew here: the session drives it, and native tests can too.
//!
//! One step back is not a copy of the world: a step changes at most one
//! node ([`World::target`]), so before each step the run keeps that node's
//! inspector fields, when it is the node the user is watching, and the times
//! of the message the step takes out of flight. A frame costs the same on a
//! long run as on a short one.
//!
//! Stepping and playing walk the recorded log while the cursor is in the past,
//! like a video; a user's intervention in the past forks the run there.

pub mod history;
pub mod revision;

use caucus_sim::chunked::Chunked;
use caucus_sim::scenario::ReplayError;
use caucus_sim::view::{Field, Visual};
use caucus_sim::{Action, ActionError, LinkParams, MessageId, NodeId, Time, Timeline, World};

use history::{History, StepRecord};
use revision::Revision;

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
    /// What the step at the cursor changed, kept from before it.
    last: LastStep,
    /// The node the inspector shows, whose fields before a step are kept.
    watched: Option<NodeId>,
    leader: Option<NodeId>,
    /// Changes whenever the world at the cursor does (not the shown time).
    revision: Revision,
}

/// What the step at the cursor acted on, as it was before the step.
#[derive(Clone, Debug, Default)]
struct LastStep {
    /// The cursor right after that step (0: there was none).
    step: u64,
    /// The one node it changed, if any.
    node: Option<NodeId>,
    /// That node's inspector fields before the step, if it was watched.
    fields: Option<Vec<Field>>,
    /// The message it took out of flight: (id, sent at, arrives at).
    message: Option<(MessageId, Time, Time)>,
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
    /// The next step cannot be taken, for this reason (the run holds as
    /// many steps as it may).
    Refused(ActionError),
}

impl<P: Visual> Run<P> {
    pub fn new(config: P::Config, seed: u64, links: LinkParams) -> Run<P> {
        let world = World::new(config, seed, links);
        let leader = P::leader(&world);
        let mut history = History::default();
        history.record(StepRecord::of(world.last_step(), false, leader));
        Run {
            timeline: Timeline::new(world),
            links,
            shown: 0,
            history,
            last: LastStep::default(),
            watched: None,
            leader,
            revision: Revision::next(),
        }
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

    /// Changes whenever the world at the cursor or the watched node does:
    /// panels drawn from these alone render again only when it changes.
    pub fn revision(&self) -> Revision {
        self.revision
    }

    /// Watches `node` (the inspector's), so its fields before each step
    /// are kept. If the last step changed it, its fields before that step
    /// are found now, once, by replaying to one step back.
    pub fn watch(&mut self, node: Option<NodeId>) {
        if self.watched == node {
            return;
        }
        self.watched = node;
        self.revision = Revision::next();
        let cursor = self.cursor();
        if let Some(n) = node
            && cursor > 0
            && self.last.step == cursor
            && self.last.node == Some(n)
            && self.last.fields.is_none()
        {
            self.timeline.seek(cursor - 1).expect("before the cursor");
            self.last.fields = Some(P::node_fields(self.world(), n));
            self.timeline.seek(cursor).expect("where the cursor was");
        }
    }

    /// Node `id`'s inspector fields one step back, when the step at the
    /// cursor changed it and it was watched; `None` when that step left it
    /// as it was (or it was not watched).
    pub fn fields_before(&self, id: NodeId) -> Option<&[Field]> {
        if self.last.step != self.cursor() || self.last.node != Some(id) || self.watched != Some(id)
        {
            return None;
        }
        self.last.fields.as_deref()
    }

    /// The times (sent at, arrives at) of a message the step at the cursor
    /// took out of flight, to draw it fading where it was.
    pub fn taken_message(&self, id: MessageId) -> Option<(Time, Time)> {
        match self.last.message {
            Some((m, sent, arrives)) if m == id && self.last.step == self.cursor() => {
                Some((sent, arrives))
            }
            _ => None,
        }
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

    pub fn actions(&self) -> &Chunked<Action<P>> {
        self.timeline.log()
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// The virtual time on screen.
    pub fn shown_time(&self) -> Time {
        self.shown
    }

    /// Lets the run hold at most `most` steps: tests reach the limit
    /// without a million steps.
    #[cfg(test)]
    pub(crate) fn set_max_steps(&mut self, most: u64) {
        self.timeline.set_max_steps(most);
    }

    /// Performs the next event: the recorded next step while the cursor is
    /// in the past, else the next event in time order.
    pub fn step(&mut self) -> Result<(), ActionError> {
        self.forward()
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
        // Seek to one step before, then take that step from the log, so what
        // it changed is kept as a step played forward keeps it.
        match step.checked_sub(1) {
            None => {
                self.timeline.seek(0).expect("step 0 is always held");
                self.last = LastStep::default();
            }
            Some(before) => {
                self.timeline.seek(before).expect("clamped to the log");
                self.last = self.remember(&self.actions()[before as usize]);
                self.timeline.seek(step).expect("clamped to the log");
            }
        }
        self.shown = self.world().now();
        self.leader = P::leader(self.world());
        self.revision = Revision::next();
    }

    /// What `action`, about to be applied at the cursor, acts on, as it is now.
    fn remember(&self, action: &Action<P>) -> LastStep {
        let world = self.world();
        let target = world.target(action);
        let fields = match (self.watched, target.node) {
            (Some(w), Some(n)) if w == n => Some(P::node_fields(world, n)),
            _ => None,
        };
        let message = target
            .message
            .and_then(|id| world.message(id))
            .map(|m| (m.id, m.sent_at, m.arrives_at));
        LastStep { step: self.cursor() + 1, node: target.node, fields, message }
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
        self.apply(action, true)
    }

    /// Advances play by `wall_ms` of wall time at `speed` virtual
    /// microseconds per wall millisecond: performs every event that falls due
    /// (the recorded ones while in the past), then moves the shown time on.
    pub fn tick(&mut self, wall_ms: f64, speed: f64) -> TickEnd {
        let advance = (wall_ms.max(0.0) * speed).round().min(1e12) as Time;
        let target = self.shown.saturating_add(advance);
        self.play_to(target)
    }

    /// Performs the events due by `target`; returns how play ended.
    fn play_to(&mut self, target: Time) -> TickEnd {
        for _ in 0..MAX_STEPS_PER_TICK {
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
                    match self.forward() {
                        Ok(()) => {}
                        Err(ActionError::NothingPending) => return TickEnd::Idle,
                        Err(why) => return TickEnd::Refused(why),
                    }
                    if !self.world().last_step().violations().is_empty() {
                        return TickEnd::Violation;
                    }
                }
                Some(_) => {
                    self.shown = target;
                    return TickEnd::Playing;
                }
                None => {
                    self.shown = target;
                    return TickEnd::Idle;
                }
            }
        }
        // Too many events for one frame: show the time of the last one.
        TickEnd::Playing
    }

    /// One step on: the recorded next step while in the past, else the next
    /// event in time order.
    fn forward(&mut self) -> Result<(), ActionError> {
        if self.cursor() < self.len() {
            let step = self.cursor() + 1;
            self.last = self.remember(&self.actions()[self.cursor() as usize]);
            self.timeline.seek(step).expect("within the log");
            self.shown = self.world().now();
            self.leader = P::leader(self.world());
            self.revision = Revision::next();
            return Ok(());
        }
        self.apply(Action::Step, false)
    }

    /// Applies one action at the cursor and records it.
    fn apply(&mut self, action: Action<P>, by_user: bool) -> Result<(), ActionError> {
        let last = self.remember(&action);
        self.timeline.apply(action)?;
        self.revision = Revision::next();
        self.last = last;
        self.shown = self.world().now();
        let leader = P::leader(self.world());
        let new_leader = leader.filter(|_| leader != self.leader);
        self.leader = leader;
        let record = StepRecord::of(self.timeline.world().last_step(), by_user, new_leader);
        self.history.record(record);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
