//! The timeline of a run: its action log, with snapshots of the world, so that
//! any earlier step can be restored exactly (step back, scrubbing) and acting
//! in the past forks a new future.
//!
//! A seek restores the nearest snapshot at or before the step and replays the
//! log from there. Snapshots are taken every `interval` steps; when there are
//! more than `max_snapshots`, or they hold more bytes than the budget
//! ([`World::footprint`]), the interval doubles and the snapshots off the
//! new spacing are dropped, the oldest first, until they fit. Memory stays
//! bounded on long runs of any cluster, snapshots are never more than one
//! interval apart, so a seek replays at most one interval, and a step drops
//! few snapshots (a fork drops those of the future it discards).

use crate::action::{Action, ActionError};
use crate::chunked::Chunked;
use crate::protocol::Protocol;
use crate::trace::StepTrace;
use crate::world::World;

/// Snapshot spacing to start with, in steps, for small clusters.
pub const DEFAULT_INTERVAL: u64 = 256;
/// Snapshots kept at most, for small clusters.
pub const DEFAULT_MAX_SNAPSHOTS: usize = 64;
/// Bytes of snapshots kept at most, by [`World::footprint`]: a 10,000-site
/// gossip world is about 2 MB, so it keeps a few dozen. Big clusters also
/// start with snapshots further apart (an interval of at least one step a
/// node), so the cost of copying them stays a constant per step.
pub const SNAPSHOT_BUDGET: usize = 64 << 20;
/// The most steps a timeline holds by default: as many as a link carries.
/// Each step's action is kept, and the page keeps each step's words beside
/// it (a few hundred bytes): unbounded, a run played at top speed would
/// fill the browser's memory within minutes.
pub const MAX_STEPS: u64 = crate::scenario::MAX_STEPS;

#[derive(Clone, Debug)]
pub struct Timeline<P: Protocol> {
    /// Chunked: a long run's log grows without being copied.
    log: Chunked<Action<P>>,
    /// (step, world at that step, its footprint), in step order; the first is step 0.
    snapshots: Vec<(u64, World<P>, usize)>,
    /// The snapshots' footprints, summed.
    held: usize,
    current: World<P>,
    interval: u64,
    max_snapshots: usize,
    budget: usize,
    max_steps: u64,
}

impl<P: Protocol> Timeline<P> {
    /// A timeline whose snapshot spacing and count suit the cluster's size.
    pub fn new(world: World<P>) -> Timeline<P> {
        let interval = DEFAULT_INTERVAL.max(u64::from(world.node_count()));
        Timeline::with_snapshots(world, interval, DEFAULT_MAX_SNAPSHOTS)
    }

    /// A timeline with its own snapshot spacing; `interval` 0 keeps only step 0.
    pub fn with_snapshots(world: World<P>, interval: u64, max_snapshots: usize) -> Timeline<P> {
        assert_eq!(world.step(), 0, "a timeline starts from a fresh world");
        let first = world.clone();
        let held = first.footprint();
        Timeline {
            log: Chunked::new(),
            snapshots: vec![(0, first, held)],
            held,
            current: world,
            interval,
            max_snapshots: max_snapshots.max(2),
            budget: SNAPSHOT_BUDGET,
            max_steps: MAX_STEPS,
        }
    }

    /// Keeps snapshots of at most `bytes` (by [`World::footprint`]), and
    /// never fewer than two, step 0 always among them.
    pub fn set_snapshot_budget(&mut self, bytes: usize) {
        self.budget = bytes;
        self.fit();
    }

    /// The bytes the snapshots hold, by [`World::footprint`].
    pub fn snapshot_bytes(&self) -> usize {
        self.held
    }

    /// The most steps the log may hold: `MAX_STEPS` unless set.
    pub fn max_steps(&self) -> u64 {
        self.max_steps
    }

    /// Lets the log hold at most `most` steps (a tool's own limit, or a
    /// test's small one); steps already held stay.
    pub fn set_max_steps(&mut self, most: u64) {
        self.max_steps = most;
    }

    /// The world at the cursor.
    pub fn world(&self) -> &World<P> {
        &self.current
    }

    /// The step the cursor is at.
    pub fn cursor(&self) -> u64 {
        self.current.step()
    }

    /// How many steps the log holds; the cursor may be before the end.
    pub fn len(&self) -> u64 {
        self.log.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.log.is_empty()
    }

    /// Every applied action, in order.
    pub fn log(&self) -> &Chunked<Action<P>> {
        &self.log
    }

    /// How many snapshots are held now.
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// Applies `action` at the cursor. If the cursor is in the past, the old
    /// future is discarded first: the timeline forks.
    pub fn apply(&mut self, action: Action<P>) -> Result<&StepTrace, ActionError> {
        let cursor = self.cursor();
        if cursor >= self.max_steps {
            return Err(ActionError::RunFull { most: self.max_steps });
        }
        self.current.apply(&action)?;
        if cursor < self.len() {
            self.log.truncate(cursor as usize);
            self.snapshots.retain(|(step, _, _)| *step <= cursor);
            self.held = self.snapshots.iter().map(|(_, _, bytes)| bytes).sum();
        }
        self.log.push(action);
        self.maybe_snapshot();
        Ok(self.current.last_step())
    }

    /// Moves the cursor to `step` (0 to `len()`), restoring the world exactly.
    pub fn seek(&mut self, step: u64) -> Result<(), SeekError> {
        if step > self.len() {
            return Err(SeekError { step, len: self.len() });
        }
        if step == self.cursor() {
            return Ok(());
        }
        // Moving forward from the cursor needs no snapshot if none is closer.
        let (from, base, _) = self
            .snapshots
            .iter()
            .rev()
            .find(|(s, _, _)| *s <= step)
            .expect("step 0 is always held");
        if !(self.cursor() < step && self.cursor() >= *from) {
            self.current = base.clone();
        }
        let start = self.cursor();
        for action in self.log.range(start as usize..step as usize) {
            self.current
                .apply(action)
                .expect("a logged action applied once and the run is deterministic");
        }
        Ok(())
    }

    /// Takes a snapshot at the cursor when it lands on the interval, thinning
    /// old ones when there are too many.
    fn maybe_snapshot(&mut self) {
        let step = self.cursor();
        if self.interval == 0 || !step.is_multiple_of(self.interval) {
            return;
        }
        if self.snapshots.last().is_some_and(|(s, _, _)| *s >= step) {
            return;
        }
        let copy = self.current.clone();
        let bytes = copy.footprint();
        self.snapshots.push((step, copy, bytes));
        self.held += bytes;
        self.fit();
    }

    /// Thins the snapshots until they are few and small enough.
    fn fit(&mut self) {
        while self.snapshots.len() > 2
            && (self.snapshots.len() > self.max_snapshots || self.held > self.budget)
        {
            self.thin_one();
        }
    }

    /// Drops the oldest snapshot off the interval's spacing, doubling the
    /// interval first when every snapshot is on it. One at a time: dropping
    /// half of them at once (a world each, about a megabyte for PBFT f = 3
    /// after a thousand requests) was one long frame of the page's play,
    /// from Chrome's profiler.
    fn thin_one(&mut self) {
        loop {
            let interval = self.interval;
            if let Some(at) =
                self.snapshots.iter().position(|(s, _, _)| !s.is_multiple_of(interval))
            {
                self.held -= self.snapshots.remove(at).2;
                return;
            }
            self.interval *= 2;
        }
    }

    /// The steps snapshots are held at, in order, from step 0 (for tests and
    /// for tools that measure a timeline's memory).
    pub fn snapshot_steps(&self) -> Vec<u64> {
        self.snapshots.iter().map(|(s, _, _)| *s).collect()
    }
}

/// A seek past the end of the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeekError {
    pub step: u64,
    pub len: u64,
}

impl std::fmt::Display for SeekError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "step {} is past the end of the run ({} steps)", self.step, self.len)
    }
}

impl std::error::Error for SeekError {}
