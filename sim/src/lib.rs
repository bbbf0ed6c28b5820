//! `caucus-sim`: everything of Caucus that runs without a browser.
//!
//! The deterministic, stepped simulator and the consensus engines live here.
//! Nothing in this crate reads a clock, draws from the operating system's
//! randomness or imports a browser crate, so a run is the same natively and in wasm.

pub mod action;
pub mod chunked;
pub mod engine;
pub mod explore;
pub mod gossip;
pub mod ids;
pub mod invariant;
pub mod kv;
pub mod network;
pub mod pbft;
pub mod pingpong;
pub mod presets;
pub mod probe;
pub mod protocol;
pub mod raft;
pub mod rng;
pub mod scenario;
pub mod signed;
pub mod sorted;
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
pub use world::{Observe, Target, World};

/// The one list of protocols Caucus can simulate, in the order the picker
/// lists them: for each, its variant, its engine's node type, a slug for
/// links, its name as people write it, and one sentence. It hands the list
/// to the macro `$then`, which builds what needs one entry per protocol:
/// [`ProtocolKind`] and [`scenario::ScenarioRun`] here, the session's runs
/// in the page. Adding a protocol is its engine folder, its panel and one
/// line here. A protocol joins only when its engine exists: the page never
/// shows an empty placeholder.
#[macro_export]
macro_rules! protocols {
    ($then:path) => {
        $then! {
            Raft($crate::raft::RaftNode, "raft", "Raft",
                "Crash-fault-tolerant consensus: a leader elected by majority vote replicates a \
log that every server applies in the same order."),
            Pbft($crate::pbft::PbftNode, "pbft", "PBFT",
                "Byzantine-fault-tolerant consensus: 3f + 1 replicas agree on the order of \
requests in three phases, even when f of them lie."),
        }
    };
}

macro_rules! define_protocol_kind {
    ($($variant:ident($node:ty, $slug:literal, $name:literal, $summary:literal),)*) => {
        /// One of the protocols of [`protocols!`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ProtocolKind {
            $($variant,)*
        }

        impl ProtocolKind {
            /// Every available protocol, in picker order.
            pub const ALL: &'static [ProtocolKind] = &[$(ProtocolKind::$variant,)*];

            /// The protocol's name as people write it.
            pub fn name(self) -> &'static str {
                match self {
                    $(ProtocolKind::$variant => $name,)*
                }
            }

            /// A stable, lower-case identifier, for links and element ids.
            pub fn slug(self) -> &'static str {
                match self {
                    $(ProtocolKind::$variant => $slug,)*
                }
            }

            /// One sentence saying what the protocol is for.
            pub fn summary(self) -> &'static str {
                match self {
                    $(ProtocolKind::$variant => $summary,)*
                }
            }
        }

        $(
            impl $crate::engine::Engine for $node {
                const KIND: ProtocolKind = ProtocolKind::$variant;

                fn spec(run: &$crate::scenario::ScenarioRun) -> Option<&$crate::scenario::RunSpec<Self>> {
                    #[allow(unreachable_patterns)]
                    match run {
                        $crate::scenario::ScenarioRun::$variant(spec) => Some(spec),
                        _ => None,
                    }
                }

                fn spec_mut(run: &mut $crate::scenario::ScenarioRun) -> Option<&mut $crate::scenario::RunSpec<Self>> {
                    #[allow(unreachable_patterns)]
                    match run {
                        $crate::scenario::ScenarioRun::$variant(spec) => Some(spec),
                        _ => None,
                    }
                }

                fn into_run(spec: $crate::scenario::RunSpec<Self>) -> $crate::scenario::ScenarioRun {
                    $crate::scenario::ScenarioRun::$variant(spec)
                }

                fn problem(config: &Self::Config) -> Option<String> {
                    config.problem()
                }
            }
        )*
    };
}

protocols!(define_protocol_kind);

impl ProtocolKind {
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
        assert_eq!(ProtocolKind::from_slug("pbft"), Some(ProtocolKind::Pbft));
        assert_eq!(ProtocolKind::from_slug(""), None);
    }
}
