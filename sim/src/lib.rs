//! `caucus-sim`: everything of Caucus that runs without a browser.
//!
//! The deterministic, stepped simulator and the consensus engines live here.
//! Nothing in this crate reads a clock, draws from the operating system's
//! randomness or imports a browser crate, so a run is the same natively and in wasm.

pub mod action;
pub mod explore;
pub mod ids;
pub mod invariant;
pub mod kv;
pub mod network;
pub mod pbft;
pub mod pingpong;
pub mod probe;
pub mod protocol;
pub mod raft;
pub mod rng;
pub mod scenario;
pub mod signed;
pub mod timeline;
pub mod trace;
pub mod view;
pub mod world;

pub use action::{Action, ActionError};
pub use ids::{MILLIS, MessageId, NodeId, NodeKind, Time, TimerId};
pub use invariant::{Violation, WorldView};
pub use network::{LinkParams, Network};
pub use protocol::{Context, Protocol};
pub use timeline::Timeline;
pub use trace::{StepTrace, TraceEvent};
pub use world::{Observe, World};

/// The protocols Caucus can simulate, in the order the protocol picker lists them.
///
/// A protocol joins this list only when its engine exists: the UI never shows
/// an empty placeholder for an engine that has not landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProtocolKind {
    /// Raft (Ongaro and Ousterhout, 2014).
    Raft,
}

impl ProtocolKind {
    /// Every available protocol, in picker order.
    pub const ALL: &'static [ProtocolKind] = &[ProtocolKind::Raft];

    /// The protocol's name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            ProtocolKind::Raft => "Raft",
        }
    }

    /// A stable, lower-case identifier, for links and element ids.
    pub fn slug(self) -> &'static str {
        match self {
            ProtocolKind::Raft => "raft",
        }
    }

    /// One sentence saying what the protocol is for.
    pub fn summary(self) -> &'static str {
        match self {
            ProtocolKind::Raft => {
                "Crash-fault-tolerant consensus: a leader elected by majority vote \
                 replicates a log that every server applies in the same order."
            }
        }
    }

    /// The protocol with the given slug, if there is one.
    pub fn from_slug(slug: &str) -> Option<ProtocolKind> {
        Self::ALL.iter().copied().find(|p| p.slug() == slug)
    }
}

// The same tests run natively and, under wasm-bindgen-test, in headless Chromium.
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::ProtocolKind;

    #[test]
    fn slugs_round_trip_and_are_unique() {
        for &p in ProtocolKind::ALL {
            assert_eq!(ProtocolKind::from_slug(p.slug()), Some(p));
        }
        let mut slugs: Vec<_> = ProtocolKind::ALL.iter().map(|p| p.slug()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), ProtocolKind::ALL.len());
    }

    #[test]
    fn unknown_slug_is_none() {
        assert_eq!(ProtocolKind::from_slug("paxos"), None);
        assert_eq!(ProtocolKind::from_slug(""), None);
    }
}
