//! What each step did: the raw material of the event log, the space-time
//! diagram and exported traces, and of the trace hash that proves two runs
//! (native and wasm, straight and replayed) were the same.

use serde::{Deserialize, Serialize};

use crate::ids::{MessageId, NodeId, Time, TimerId};
use crate::invariant::Violation;
use crate::network::{Blocked, LinkParams};

mod hash;
mod name;

pub use hash::{StableHasher, chain};
pub use name::Name;

/// Why a message was lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DropReason {
    /// The network's loss draw.
    Lost,
    /// The user dropped it.
    ByUser,
    /// A partition or a cut link was in the way.
    Blocked(Blocked),
    /// The receiver was crashed when it arrived.
    ReceiverDown,
}

/// One thing that happened during a step. Traces are exported, never read
/// back (a run is rebuilt from its actions), so they only serialize.
pub type TraceEvent = Event<String, Vec<Vec<NodeId>>, Violation>;

/// How a step keeps its events while it is recorded: the texts, partitions
/// and violations stand beside them in the [`StepTrace`], by their place
/// there. A record owns nothing, so clearing a step's records frees nothing
/// (the trace of every step of every run is recorded, and most steps have
/// no text at all).
pub(crate) type Record = Event<Text, Beside, Beside>;

/// A text's place among a step's texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Text(u32);

/// A partition's or a violation's place among the step's partitions or
/// violations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Beside(u32);

/// An event, with its texts (`T`), a partition's groups (`G`) and a
/// violation (`V`) either held ([`TraceEvent`]) or kept beside it
/// (`Record`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Event<T, G, V> {
    /// A message left `from`. `arrives_at` is when it is due.
    Sent {
        id: MessageId,
        from: NodeId,
        to: NodeId,
        kind: &'static Name,
        sent_at: Time,
        arrives_at: Time,
        /// The original, when this is a duplicate.
        copy_of: Option<MessageId>,
    },
    Delivered {
        id: MessageId,
        from: NodeId,
        to: NodeId,
        kind: &'static Name,
        sent_at: Time,
    },
    Dropped {
        id: MessageId,
        from: NodeId,
        to: NodeId,
        kind: &'static Name,
        reason: DropReason,
    },
    TimerSet {
        id: TimerId,
        node: NodeId,
        timer: &'static Name,
        fires_at: Time,
    },
    TimerCancelled {
        id: TimerId,
        node: NodeId,
        timer: &'static Name,
    },
    TimerFired {
        id: TimerId,
        node: NodeId,
        timer: &'static Name,
    },
    Crashed {
        node: NodeId,
    },
    Restarted {
        node: NodeId,
    },
    Partitioned {
        groups: G,
    },
    Healed,
    LinkCut {
        from: NodeId,
        to: NodeId,
    },
    LinkRestored {
        from: NodeId,
        to: NodeId,
    },
    LinkChanged {
        link: Option<(NodeId, NodeId)>,
        params: LinkParams,
    },
    Request {
        node: NodeId,
        request: T,
    },
    Command {
        node: NodeId,
        command: T,
    },
    TimeAdvanced {
        to: Time,
    },
    /// The sender of message `id`, still in flight, put other contents in
    /// its place (`Action::Substitute`); the new contents' digest is folded
    /// in beside, as for a message sent.
    Substituted {
        id: MessageId,
        from: NodeId,
        to: NodeId,
        kind: &'static Name,
    },
    /// The engine's one line of words on what changed and why.
    Note {
        node: NodeId,
        text: T,
    },
    /// A node's answer to a client outside the cluster.
    ClientReply {
        node: NodeId,
        text: T,
    },
    Violation(V),
}

impl<T, G, V> Event<T, G, V> {
    /// The same event with its texts, groups and violation turned into
    /// other forms; every other field is copied.
    fn map<T2, G2, V2>(
        self,
        text: impl FnOnce(T) -> T2,
        groups: impl FnOnce(G) -> G2,
        violation: impl FnOnce(V) -> V2,
    ) -> Event<T2, G2, V2> {
        use Event::*;
        match self {
            Sent { id, from, to, kind, sent_at, arrives_at, copy_of } => {
                Sent { id, from, to, kind, sent_at, arrives_at, copy_of }
            }
            Delivered { id, from, to, kind, sent_at } => Delivered { id, from, to, kind, sent_at },
            Dropped { id, from, to, kind, reason } => Dropped { id, from, to, kind, reason },
            TimerSet { id, node, timer, fires_at } => TimerSet { id, node, timer, fires_at },
            TimerCancelled { id, node, timer } => TimerCancelled { id, node, timer },
            TimerFired { id, node, timer } => TimerFired { id, node, timer },
            Crashed { node } => Crashed { node },
            Restarted { node } => Restarted { node },
            Partitioned { groups: g } => Partitioned { groups: groups(g) },
            Healed => Healed,
            LinkCut { from, to } => LinkCut { from, to },
            LinkRestored { from, to } => LinkRestored { from, to },
            LinkChanged { link, params } => LinkChanged { link, params },
            Request { node, request } => Request { node, request: text(request) },
            Command { node, command } => Command { node, command: text(command) },
            TimeAdvanced { to } => TimeAdvanced { to },
            Substituted { id, from, to, kind } => Substituted { id, from, to, kind },
            Note { node, text: t } => Note { node, text: text(t) },
            ClientReply { node, text: t } => ClientReply { node, text: text(t) },
            Violation(v) => Violation(violation(v)),
        }
    }
}

impl TraceEvent {
    /// One line of words, for the event log.
    pub fn summary(&self) -> String {
        self.summary_with(&|n| n.to_string())
    }

    /// One line of words, each node named by `name` (PBFT's `r0`, `c1`).
    pub fn summary_with(&self, name: &dyn Fn(NodeId) -> String) -> String {
        use Event::*;
        match self {
            Sent { id, from, to, kind, copy_of: None, .. } => {
                format!("{} sends {kind} {id} to {}", name(*from), name(*to))
            }
            Sent { id, from, to, kind, copy_of: Some(of), .. } => {
                format!("{kind} {of} from {} to {} is duplicated as {id}", name(*from), name(*to))
            }
            Delivered { id, from, to, kind, .. } => {
                format!("{} receives {kind} {id} from {}", name(*to), name(*from))
            }
            Dropped { id, from, to, kind, reason } => {
                let why = match reason {
                    DropReason::Lost => "lost by the network",
                    DropReason::ByUser => "dropped by hand",
                    DropReason::Blocked(Blocked::Partitioned) => "blocked by the partition",
                    DropReason::Blocked(Blocked::LinkCut) => "blocked: the link is cut",
                    DropReason::ReceiverDown => "lost: the receiver is crashed",
                };
                format!("{kind} {id} from {} to {} is {why}", name(*from), name(*to))
            }
            TimerSet { node, timer, .. } => format!("{} sets its {timer} timer", name(*node)),
            TimerCancelled { node, timer, .. } => {
                format!("{} cancels its {timer} timer", name(*node))
            }
            TimerFired { node, timer, .. } => format!("{}'s {timer} timer fires", name(*node)),
            Crashed { node } => format!("{} crashes", name(*node)),
            Restarted { node } => format!("{} restarts from its durable state", name(*node)),
            Partitioned { groups } => {
                let groups: Vec<String> = groups
                    .iter()
                    .map(|g| g.iter().map(|&n| name(n)).collect::<Vec<_>>().join(" "))
                    .collect();
                format!("the network splits into {{{}}}", groups.join("} | {"))
            }
            Healed => "the network heals".into(),
            LinkCut { from, to } => format!("the link {} → {} is cut", name(*from), name(*to)),
            LinkRestored { from, to } => {
                format!("the link {} → {} is restored", name(*from), name(*to))
            }
            LinkChanged { link: Some((from, to)), .. } => {
                format!("the link {} → {} changes", name(*from), name(*to))
            }
            LinkChanged { link: None, .. } => "every link changes".into(),
            Request { node, request } => format!("a client sends {request} to {}", name(*node)),
            Command { node, command } => format!("{command} on {}", name(*node)),
            TimeAdvanced { to } => format!("time passes to {}", crate::ids::format_time(*to)),
            Substituted { id, from, to, kind } => {
                format!("{} puts another {kind} in place of {id} to {}", name(*from), name(*to))
            }
            Note { text, .. } => text.clone(),
            ClientReply { node, text } => format!("{} answers the client: {text}", name(*node)),
            Violation(v) => format!("VIOLATION: {v}"),
        }
    }
}

/// Everything one step did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepTrace {
    /// The step number, counting from 1.
    pub step: u64,
    /// Virtual time when the step happened.
    pub time: Time,
    records: Vec<Record>,
    texts: Vec<String>,
    partitions: Vec<Vec<Vec<NodeId>>>,
    violations: Vec<Violation>,
    /// What the messages sent in this step say, folded in the order they
    /// were sent (`Protocol::message_digest`), so the trace hash tells apart
    /// two runs that differ only in a message's contents (what a Byzantine
    /// replica wrote). Kept beside the events, not in them: the events stay
    /// small and the exported trace stays words and numbers a person reads.
    contents: u64,
}

impl StepTrace {
    /// The step's events, in the order they happened, each made whole (with
    /// a copy of its text) as it is read.
    pub fn events(&self) -> impl Iterator<Item = TraceEvent> + '_ {
        self.records.iter().map(|record| self.event(record))
    }

    /// How many events the step has.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The invariant violations the step's checks found.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    fn event(&self, record: &Record) -> TraceEvent {
        record.map(
            |text| self.text(text).to_owned(),
            |groups| self.partition(groups).to_vec(),
            |violation| self.violation(violation).clone(),
        )
    }

    pub(crate) fn records(&self) -> &[Record] {
        &self.records
    }

    pub(crate) fn text(&self, Text(i): Text) -> &str {
        &self.texts[i as usize]
    }

    pub(crate) fn partition(&self, Beside(i): Beside) -> &[Vec<NodeId>] {
        &self.partitions[i as usize]
    }

    pub(crate) fn violation(&self, Beside(i): Beside) -> &Violation {
        &self.violations[i as usize]
    }

    /// Empties the step for reuse, keeping its buffers.
    pub(crate) fn clear(&mut self) {
        (self.step, self.time, self.contents) = (0, 0, 0);
        self.records.clear();
        self.texts.clear();
        self.partitions.clear();
        self.violations.clear();
    }

    /// Folds in the digest of what a message sent in this step says.
    pub(crate) fn sent_content(&mut self, digest: u64) {
        self.contents = self.contents.rotate_left(23) ^ digest;
    }

    /// The folded digests of what this step's messages said.
    pub(crate) fn contents(&self) -> u64 {
        self.contents
    }

    /// Records an event that holds no text, partition or violation (only
    /// [`StepTrace::record`] can make a place for one).
    pub(crate) fn push(&mut self, record: Record) {
        self.records.push(record);
    }

    /// Records any event, moving its text, partition or violation beside it.
    pub(crate) fn record(&mut self, event: TraceEvent) {
        let (texts, partitions, violations) =
            (&mut self.texts, &mut self.partitions, &mut self.violations);
        let record = event.map(
            |text| {
                texts.push(text);
                Text(texts.len() as u32 - 1)
            },
            |groups| {
                partitions.push(groups);
                Beside(partitions.len() as u32 - 1)
            },
            |violation| {
                violations.push(violation);
                Beside(violations.len() as u32 - 1)
            },
        );
        self.records.push(record);
    }
}

/// Serialized as it reads: the step, its time and its events whole.
impl Serialize for StepTrace {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Events<'a>(&'a StepTrace);
        impl Serialize for Events<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.events())
            }
        }
        let mut step = serializer.serialize_struct("StepTrace", 3)?;
        step.serialize_field("step", &self.step)?;
        step.serialize_field("time", &self.time)?;
        step.serialize_field("events", &Events(self))?;
        step.end()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn summaries_read_as_sentences() {
        let sent = TraceEvent::Sent {
            id: MessageId(4),
            from: NodeId(0),
            to: NodeId(2),
            kind: &const { Name::new("Ping") },
            sent_at: 0,
            arrives_at: 10,
            copy_of: None,
        };
        assert_eq!(sent.summary(), "n1 sends Ping m4 to n3");
        let split =
            TraceEvent::Partitioned { groups: vec![vec![NodeId(0)], vec![NodeId(1), NodeId(2)]] };
        assert_eq!(split.summary(), "the network splits into {n1} | {n2 n3}");
    }

    #[test]
    fn a_step_gives_back_its_events_whole_and_serializes_them_in_place() {
        let violation = Violation {
            property: "Election Safety".into(),
            source: "Raft §5.2".into(),
            step: 3,
            nodes: vec![NodeId(0), NodeId(1)],
            detail: "two leaders in term 2".into(),
        };
        let events = vec![
            TraceEvent::Note { node: NodeId(1), text: "n2 votes for n1".into() },
            TraceEvent::Crashed { node: NodeId(2) },
            TraceEvent::Partitioned { groups: vec![vec![NodeId(0)], vec![NodeId(1)]] },
            TraceEvent::ClientReply { node: NodeId(0), text: "ok".into() },
            TraceEvent::Violation(violation.clone()),
        ];
        let mut step = StepTrace { step: 3, time: 40, ..StepTrace::default() };
        events.iter().cloned().for_each(|e| step.record(e));
        assert_eq!(step.events().collect::<Vec<_>>(), events);
        assert_eq!((step.len(), step.violations()), (5, &[violation][..]));

        // The same JSON a plain struct of the events would give.
        #[derive(Serialize)]
        struct Plain<'a> {
            step: u64,
            time: Time,
            events: &'a [TraceEvent],
        }
        let plain = Plain { step: 3, time: 40, events: &events };
        assert_eq!(serde_json::to_string(&step).unwrap(), serde_json::to_string(&plain).unwrap());

        step.clear();
        assert!(step.is_empty() && step.violations().is_empty());
        assert_eq!(step.events().count(), 0);
    }
}
