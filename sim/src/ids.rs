//! The numbers that name things in a run: nodes, messages, timers, steps, time.
//!
//! All are fixed-width integers, never `usize`, so they hash and serialize the
//! same on 64-bit natives and 32-bit wasm (ARCHITECTURE.md, "Determinism").

use std::fmt;

use serde::{Deserialize, Serialize};

/// Virtual time in microseconds since the run began. Nothing here reads a clock.
pub type Time = u64;

/// Microseconds in one millisecond, for writing times readably.
pub const MILLIS: Time = 1_000;

/// A node of the simulated cluster, numbered from 0. Shown to people as `n1`, `n2`, …
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The node's index into per-node tables.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The distinct nodes among `ids`, in the order first seen. Signers of a
/// certificate and members of a partition are a dozen nodes at most: a scan
/// is as quick as a set, and keeps a B-tree and a sort for node ids out of
/// the wasm.
pub fn distinct_nodes(ids: impl IntoIterator<Item = NodeId>) -> Vec<NodeId> {
    let mut distinct = Vec::new();
    for id in ids {
        if !distinct.contains(&id) {
            distinct.push(id);
        }
    }
    distinct
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Two plain writes rather than `write!`: a server's name is in nearly
        // every note, and notes are written on every step of a run.
        f.write_str("n")?;
        f.write_str(itoa::Buffer::new().format(self.0 + 1))
    }
}

/// Which kind of node a node is, for engines with more than one (PBFT's
/// replicas and clients); an index into the engine's own list of kinds.
/// Engines with one kind of node leave every node at kind 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct NodeKind(pub u8);

/// One message in flight. Ids come from a counter shared with timers, in the
/// order things are scheduled, so they are the same on every replay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MessageId(pub u64);

/// One pending timer; ids share the message counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TimerId(pub u64);

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m{}", self.0)
    }
}

impl fmt::Display for TimerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t{}", self.0)
    }
}

/// Formats a time as milliseconds with three decimals, e.g. `12.500 ms`.
pub fn format_time(t: Time) -> String {
    format!("{}.{:03} ms", t / MILLIS, t % MILLIS)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn nodes_are_shown_counting_from_one() {
        assert_eq!(NodeId(0).to_string(), "n1");
        assert_eq!(NodeId(9).to_string(), "n10");
    }

    #[test]
    fn times_read_as_milliseconds() {
        assert_eq!(format_time(12_500), "12.500 ms");
        assert_eq!(format_time(7), "0.007 ms");
    }
}
