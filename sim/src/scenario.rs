//! A scenario: everything needed to bring back one moment of a run — the
//! protocol and its settings, the seed, the network, every action, the step
//! on screen — and the narration around it (a title, a description, notes on
//! steps). The same JSON is a file and, deflated and base64url-encoded after
//! a version tag, a link's fragment: `#v1.eJy…`.
//!
//! Decoding never trusts its input: every limit is checked before work is
//! done, and each way a link can be wrong has its own sentence
//! ([`LinkError`]). Released versions keep decoding (tests hold fixed links).

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::engine::Engine;
use crate::ids::{MessageId, NodeId, Time};
use crate::network::LinkParams;
use crate::protocol::Protocol;
use crate::raft::{RaftConfig, RaftNode};
use crate::{Action, Timeline, World};

mod error;
mod fields;

pub use error::{LinkError, ReplayError};

/// The format this code writes. Every version up to it is read.
pub const FORMAT_VERSION: u32 = 1;

/// A link's fragment longer than this is refused unread.
pub const MAX_LINK_CHARS: usize = 100_000;
/// A scenario's JSON larger than this is refused (a link inflates to at most this).
pub const MAX_JSON_BYTES: usize = 4 << 20;
/// Steps a scenario may hold: replaying them must stay quick.
pub const MAX_STEPS: u64 = 1_000_000;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_NOTE_CHARS: usize = 4_000;
pub const MAX_NOTES: usize = 1_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub version: u32,
    /// The protocol, its settings and the actions taken.
    pub run: ScenarioRun,
    pub seed: u64,
    pub links: LinkParams,
    /// The step on screen.
    pub step: u64,
    /// The virtual time on screen, when play stopped between two events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Time>,
    /// What the inspector shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<Selected>,
    #[serde(default, skip_serializing_if = "Narration::is_empty")]
    pub narration: Narration,
}

macro_rules! define_scenario_run {
    ($($variant:ident($node:ty, $slug:literal, $name:literal, $summary:literal),)*) => {
        /// One variant per protocol of the one list (its slug names it in
        /// the JSON); the settings type is the engine's own.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub enum ScenarioRun {
            $(#[serde(rename = $slug)] $variant(RunSpec<$node>),)*
        }

        impl ScenarioRun {
            /// Which protocol the run is of.
            pub fn kind(&self) -> crate::ProtocolKind {
                match self {
                    $(ScenarioRun::$variant(_) => crate::ProtocolKind::$variant,)*
                }
            }

            /// Actions in the log.
            pub fn len(&self) -> u64 {
                match self {
                    $(ScenarioRun::$variant(spec) => spec.actions.len() as u64,)*
                }
            }

            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// Why the run's settings cannot run, if they cannot.
            fn problem(&self) -> Option<String> {
                match self {
                    $(ScenarioRun::$variant(spec) => <$node as Engine>::problem(&spec.config),)*
                }
            }
        }
    };
}

crate::protocols!(define_scenario_run);

/// A protocol's settings and the action log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "P::Config: Serialize", deserialize = "P::Config: DeserializeOwned"))]
pub struct RunSpec<P: Protocol> {
    pub config: P::Config,
    /// Every action in order; runs of plain steps are written as a count.
    #[serde(serialize_with = "step_runs::serialize", deserialize_with = "step_runs::deserialize")]
    pub actions: Vec<Action<P>>,
}

/// What the inspector shows: a server, a message in flight, or the link
/// between two servers (the smaller id first; both directions are shown).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Selected {
    Node(NodeId),
    Message(MessageId),
    Link(NodeId, NodeId),
}

/// Words around a run: shown as plain text, never as markup.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narration {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// At most one note a step, in step order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub step: u64,
    pub text: String,
}

impl Narration {
    pub fn is_empty(&self) -> bool {
        self.title.is_empty() && self.description.is_empty() && self.notes.is_empty()
    }

    /// The note written on `step`, if any.
    pub fn note_at(&self, step: u64) -> Option<&Note> {
        self.notes.iter().find(|n| n.step == step)
    }

    /// Writes, replaces or (with empty text) deletes the note on `step`.
    pub fn set_note(&mut self, step: u64, text: &str) {
        let text = text.trim();
        self.notes.retain(|n| n.step != step);
        if !text.is_empty() {
            let at = self.notes.partition_point(|n| n.step < step);
            self.notes.insert(at, Note { step, text: text.to_string() });
        }
    }

    /// The nearest noted step after `step`, and before it.
    pub fn next_note(&self, step: u64) -> Option<u64> {
        self.notes.iter().map(|n| n.step).find(|&s| s > step)
    }

    pub fn previous_note(&self, step: u64) -> Option<u64> {
        self.notes.iter().rev().map(|n| n.step).find(|&s| s < step)
    }

    /// Notes on steps past `len` (after a fork) are dropped.
    pub fn truncate(&mut self, len: u64) {
        self.notes.retain(|n| n.step <= len);
    }
}

impl Scenario {
    /// A scenario of a Raft run.
    pub fn raft(config: RaftConfig, seed: u64, links: LinkParams) -> Scenario {
        Scenario::new::<RaftNode>(config, seed, links)
    }

    /// A scenario of a run of `P`, at its start.
    pub fn new<P: Engine>(config: P::Config, seed: u64, links: LinkParams) -> Scenario {
        Scenario {
            version: FORMAT_VERSION,
            run: P::into_run(RunSpec { config, actions: Vec::new() }),
            seed,
            links,
            step: 0,
            time: None,
            selected: None,
            narration: Narration::default(),
        }
    }

    /// Actions in the log.
    pub fn len(&self) -> u64 {
        self.run.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The link fragment (without `#`): `v1.` and the deflated JSON in base64url.
    // `#[inline]` on the four link and file codecs: the page opens and writes
    // scenarios rarely, so they and the serde code they instantiate are
    // compiled in the crate that calls them (the page's, tuned for size), not
    // here at the simulator's speed-tuned opt-level. About 8 KB of gzipped wasm.
    #[inline]
    pub fn to_link(&self) -> String {
        // The file's JSON: its indentation deflates to almost nothing, and
        // one JSON writer in the page is smaller than two.
        let json = self.to_json();
        let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
        format!("v{FORMAT_VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
    }

    /// Reads a link's fragment (with or without the `#`), checking it all.
    #[inline]
    pub fn from_link(fragment: &str) -> Result<Scenario, LinkError> {
        let fragment = fragment.trim();
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        if fragment.is_empty() {
            return Err(LinkError::Empty);
        }
        if fragment.len() > MAX_LINK_CHARS {
            return Err(LinkError::TooLong { chars: fragment.chars().count() });
        }
        let (version, data) = split_version(fragment)?;
        if version == 0 || version > FORMAT_VERSION {
            return Err(LinkError::UnknownVersion(version));
        }
        // A character no link has is a changed link; a wrong length is a cut one.
        let packed = URL_SAFE_NO_PAD.decode(data.trim_end_matches('=')).map_err(|e| match e {
            base64::DecodeError::InvalidByte(..) => LinkError::BadEncoding,
            _ => LinkError::Damaged,
        })?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_JSON_BYTES)
            .map_err(|e| match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
                _ => LinkError::Damaged,
            })?;
        let json = std::str::from_utf8(&json).map_err(|_| LinkError::Damaged)?;
        Scenario::from_json(json)
    }

    /// The scenario as a JSON file, indented for people.
    #[inline]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scenario always serializes")
    }

    /// Reads a scenario file (or a link's unpacked JSON), checking it all.
    #[inline]
    pub fn from_json(json: &str) -> Result<Scenario, LinkError> {
        if json.len() > MAX_JSON_BYTES {
            return Err(LinkError::TooLarge);
        }
        // The version first, so a newer format says so instead of failing on
        // a field. JSON this cannot read fails below as well, in words.
        #[derive(Deserialize)]
        struct Version {
            version: Option<u32>,
        }
        if let Ok(Version { version }) = serde_json::from_str::<Version>(json) {
            match version {
                None => return Err(LinkError::BadScenario("it has no format version".into())),
                Some(v) if v == 0 || v > FORMAT_VERSION => {
                    return Err(LinkError::UnknownVersion(v));
                }
                Some(_) => {}
            }
        }
        let scenario: Scenario = serde_json::from_str(json).map_err(|e| {
            LinkError::BadScenario(error::unreadable(json, &e, step_runs::reached()))
        })?;
        if scenario.version == 0 || scenario.version > FORMAT_VERSION {
            return Err(LinkError::UnknownVersion(scenario.version));
        }
        scenario.check().map_err(LinkError::Impossible)?;
        Ok(scenario)
    }

    /// Why the scenario cannot run as it stands (before replaying it).
    pub fn check(&self) -> Result<(), String> {
        if let Some(why) = self.run.problem() {
            return Err(why);
        }
        if let Some(why) = self.links.problem() {
            return Err(why);
        }
        if self.step > self.len() {
            return Err(format!("it shows step {} of a run of {} steps", self.step, self.len()));
        }
        let n = &self.narration;
        if n.title.chars().count() > MAX_TITLE_CHARS {
            return Err(format!("its title is longer than {MAX_TITLE_CHARS} characters"));
        }
        if n.description.chars().count() > MAX_NOTE_CHARS {
            return Err(format!("its description is longer than {MAX_NOTE_CHARS} characters"));
        }
        if n.notes.len() > MAX_NOTES {
            return Err(format!("it has more than {MAX_NOTES} notes"));
        }
        if n.notes.iter().any(|note| note.text.chars().count() > MAX_NOTE_CHARS) {
            return Err(format!("a note is longer than {MAX_NOTE_CHARS} characters"));
        }
        if n.notes.windows(2).any(|w| w[0].step >= w[1].step) {
            return Err("its notes are not one a step, in step order".into());
        }
        if let Some(note) = n.notes.iter().find(|note| note.step > self.len()) {
            return Err(format!("a note is on step {}, past the end of the run", note.step));
        }
        Ok(())
    }
}

impl<P: Protocol> RunSpec<P> {
    /// Replays the log into a timeline at its end, stopping at the first
    /// action that does not apply.
    pub fn replay(&self, seed: u64, links: LinkParams) -> Result<Timeline<P>, ReplayError> {
        let mut timeline = Timeline::new(World::new(self.config.clone(), seed, links));
        for (index, action) in self.actions.iter().enumerate() {
            timeline.apply(action.clone()).map_err(|error| ReplayError { index, error })?;
        }
        Ok(timeline)
    }
}

impl<P: Protocol> RunSpec<P> {
    /// What every step of the run did, as JSON lines: one line a step, from
    /// step 0 (the cluster starting), for people's own tools.
    pub fn trace_lines(&self, seed: u64, links: LinkParams) -> Result<String, ReplayError> {
        let mut out = String::new();
        self.each_trace_line(seed, links, |line| {
            out.push_str(line);
            out.push('\n');
        })?;
        Ok(out)
    }

    /// [`RunSpec::trace_lines`] one line at a time (without its newline),
    /// for a trace too long to hold as one string.
    pub fn each_trace_line(
        &self,
        seed: u64,
        links: LinkParams,
        mut line: impl FnMut(&str),
    ) -> Result<(), ReplayError> {
        let mut world = World::new(self.config.clone(), seed, links);
        let mut write = |world: &World<P>| {
            line(&serde_json::to_string(world.last_step()).expect("a trace serializes"));
        };
        write(&world);
        for (index, action) in self.actions.iter().enumerate() {
            world.apply(action).map_err(|error| ReplayError { index, error })?;
            write(&world);
        }
        Ok(())
    }
}

/// `v1.data` → (1, "data").
fn split_version(fragment: &str) -> Result<(u32, &str), LinkError> {
    let rest = fragment.strip_prefix('v').ok_or(LinkError::NotAScenario)?;
    let (number, data) = rest.split_once('.').ok_or(LinkError::NotAScenario)?;
    if number.is_empty() || number.len() > 9 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LinkError::NotAScenario);
    }
    let version = number.parse().map_err(|_| LinkError::NotAScenario)?;
    Ok((version, data))
}

/// The action log written with runs of plain steps as counts:
/// `[120, {"Crash": 2}, 40]` for 120 steps, a crash, 40 steps.
mod step_runs {
    use std::cell::Cell;
    use std::marker::PhantomData;

    use serde::de::value::{MapAccessDeserializer, StrDeserializer};
    use serde::de::{Error, MapAccess, SeqAccess, Visitor};
    use serde::ser::SerializeSeq;

    use super::*;

    thread_local! {
        /// Actions read before the entry being read: an entry that fails
        /// starts at step `READ + 1`. Serde's errors carry only words, and
        /// the path to one counts entries, not steps.
        static READ: Cell<u64> = const { Cell::new(0) };
    }

    /// The step of the action log's entry being read when reading stopped.
    pub fn reached() -> u64 {
        READ.get() + 1
    }

    pub fn serialize<P: Protocol, S: Serializer>(
        actions: &[Action<P>],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        let mut steps: u64 = 0;
        for action in actions {
            if matches!(action, Action::Step) {
                steps += 1;
                continue;
            }
            if steps > 0 {
                seq.serialize_element(&steps)?;
                steps = 0;
            }
            seq.serialize_element(action)?;
        }
        if steps > 0 {
            seq.serialize_element(&steps)?;
        }
        seq.end()
    }

    /// Reads the entries one by one (a count, a unit action as a string, or
    /// an action as a map) without buffering them, and stops as soon as the
    /// log grows past `MAX_STEPS`.
    pub fn deserialize<'de, P: Protocol, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<Action<P>>, D::Error> {
        d.deserialize_seq(Log(PhantomData))
    }

    struct Log<P>(PhantomData<P>);

    impl<'de, P: Protocol> Visitor<'de> for Log<P> {
        type Value = Vec<Action<P>>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of actions and counts of steps")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut actions = Vec::new();
            loop {
                READ.set(actions.len() as u64);
                let Some(Entry(entry)) = seq.next_element::<Entry<P>>()? else { break };
                let more = match &entry {
                    Ok(n) => *n,
                    Err(_) => 1,
                };
                // Saturating: a count near 2^64 must not wrap round to a small total.
                let total = (actions.len() as u64).saturating_add(more);
                if total > MAX_STEPS {
                    let len = usize::try_from(total).unwrap_or(usize::MAX);
                    let most = format!("at most {MAX_STEPS} actions");
                    return Err(A::Error::invalid_length(len, &most.as_str()));
                }
                match entry {
                    Ok(n) => actions.extend((0..n).map(|_| Action::Step)),
                    Err(action) => actions.push(action),
                }
            }
            Ok(actions)
        }
    }

    /// One entry: `Ok(count)` of plain steps, or `Err(action)`.
    struct Entry<P: Protocol>(Result<u64, Action<P>>);

    impl<'de, P: Protocol> Deserialize<'de> for Entry<P> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(EntryVisitor(PhantomData))
        }
    }

    struct EntryVisitor<P>(PhantomData<P>);

    impl<'de, P: Protocol> Visitor<'de> for EntryVisitor<P> {
        type Value = Entry<P>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an action or a count of steps")
        }

        fn visit_u64<E: Error>(self, n: u64) -> Result<Self::Value, E> {
            Ok(Entry(Ok(n)))
        }

        fn visit_str<E: Error>(self, s: &str) -> Result<Self::Value, E> {
            Action::deserialize(StrDeserializer::<E>::new(s)).map(|a| Entry(Err(a)))
        }

        fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
            Action::deserialize(MapAccessDeserializer::new(map)).map(|a| Entry(Err(a)))
        }
    }
}

#[cfg(test)]
mod tests;
