//! What every step of the run did (its trace, put in words when shown), with
//! the marks the timeline scrubber shows: user actions, leader changes and
//! invariant violations.
//! Filled as steps are applied; a fork drops the discarded future.

use caucus_sim::chunked::Chunked;
use caucus_sim::{NodeId, StepTrace, Time, TraceEvent, Violation};

use super::revision::Revision;

/// What kind of thing a line of the event log says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// A message sent, delivered or dropped.
    Message,
    Timer,
    /// The engine's "why" of a state change.
    Note,
    /// Something the user did: a crash, a partition, a request.
    User,
    /// A node's answer to a client.
    Reply,
    Violation,
    Time,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub kind: LineKind,
    pub text: String,
}

/// One step's record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRecord {
    /// What the step did, as the world traced it. Its words are written
    /// only when shown (`lines`): writing every step's lines as it was
    /// recorded was about two thirds of recording a step (a profile of
    /// PBFT f = 3 playing at top speed, 500 steps a frame). The trace takes
    /// about as much memory as the words did.
    trace: StepTrace,
    /// The step was a user's intervention, not the next event in time order.
    pub by_user: bool,
    /// The leader after this step, when it changed to a new one.
    pub new_leader: Option<NodeId>,
}

impl StepRecord {
    pub fn of(trace: &StepTrace, by_user: bool, new_leader: Option<NodeId>) -> StepRecord {
        StepRecord { trace: trace.clone(), by_user, new_leader }
    }

    pub fn step(&self) -> u64 {
        self.trace.step
    }

    /// Virtual time when the step happened.
    pub fn time(&self) -> Time {
        self.trace.time
    }

    /// The properties the step found broken.
    pub fn violations(&self) -> &[Violation] {
        self.trace.violations()
    }

    /// The step's lines for the event log, each node named by `name` (see
    /// `Visual::node_label`).
    pub fn lines(&self, name: &dyn Fn(NodeId) -> String) -> Vec<Line> {
        // Timers set and cancelled are bookkeeping the log leaves out; firing is news.
        self.trace
            .events()
            .filter_map(|e| {
                let kind = match e {
                    TraceEvent::TimerSet { .. } | TraceEvent::TimerCancelled { .. } => return None,
                    TraceEvent::Sent { .. }
                    | TraceEvent::Delivered { .. }
                    | TraceEvent::Dropped { .. } => LineKind::Message,
                    TraceEvent::TimerFired { .. } => LineKind::Timer,
                    TraceEvent::Note { .. } => LineKind::Note,
                    TraceEvent::ClientReply { .. } => LineKind::Reply,
                    TraceEvent::TimeAdvanced { .. } => LineKind::Time,
                    TraceEvent::Violation(_) => LineKind::Violation,
                    _ => LineKind::User,
                };
                Some(Line { kind, text: e.summary_with(name) })
            })
            .collect()
    }

    pub fn is_marked(&self) -> bool {
        self.by_user || self.new_leader.is_some() || !self.violations().is_empty()
    }
}

/// The records of steps 0 to the end of the run's log.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// Chunked: a long run's records grow without being copied.
    records: Chunked<StepRecord>,
    /// The marked steps in order: the scrubber and the property panel read
    /// these every frame, so they do not walk every record.
    marked: Vec<u64>,
    /// Changes whenever `marked` does: the scrubber's marks are drawn again
    /// only then, not on every frame of play.
    marks_revision: Revision,
}

/// The records alone: two histories of the same steps are equal however
/// they were built.
impl PartialEq for History {
    fn eq(&self, other: &Self) -> bool {
        self.records == other.records && self.marked == other.marked
    }
}

impl History {
    /// Records `record` as step `record.step()`, dropping any later records
    /// (the future a fork discards).
    pub fn record(&mut self, record: StepRecord) {
        let step = record.step();
        self.records.truncate(step as usize);
        debug_assert_eq!(self.records.len() as u64, step, "steps are recorded in order");
        let kept = self.marked.partition_point(|&s| s < step);
        if kept < self.marked.len() || record.is_marked() {
            self.marks_revision = Revision::next();
        }
        self.marked.truncate(kept);
        if record.is_marked() {
            self.marked.push(step);
        }
        self.records.push(record);
    }

    pub fn get(&self, step: u64) -> Option<&StepRecord> {
        self.records.get(step as usize)
    }

    /// Records of steps in `range`, clamped to what is recorded.
    pub fn range(&self, from: u64, to: u64) -> impl DoubleEndedIterator<Item = &StepRecord> {
        let end = (to as usize).min(self.records.len());
        let start = (from as usize).min(end);
        self.records.range(start..end)
    }

    pub fn len(&self) -> u64 {
        self.records.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Changes whenever the marks do.
    pub fn marks_revision(&self) -> Revision {
        self.marks_revision
    }

    /// Every marked step, for the scrubber.
    pub fn marks(&self) -> impl Iterator<Item = &StepRecord> {
        self.marked.iter().map(|&s| &self.records[s as usize])
    }

    /// The first violation of `property` at or before `step`.
    pub fn first_violation(&self, property: &str, step: u64) -> Option<&Violation> {
        self.marks()
            .take_while(|r| r.step() <= step)
            .flat_map(|r| r.violations())
            .find(|v| v.property == property)
    }
}
