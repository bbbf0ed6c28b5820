//! Raft (Ongaro and Ousterhout, "In Search of an Understandable Consensus
//! Algorithm", extended version, 2014; and Ongaro's thesis, 2014), as a
//! sans-IO engine for `caucus-sim`. Every rule cites the section it comes from.
//!
//! - `node.rs`: state (Figure 2) and the `Protocol` glue;
//! - `election.rs`: leader election, PreVote, CheckQuorum, TimeoutNow;
//! - `replication.rs`: AppendEntries and the commit rule;
//! - `client.rs`: client requests and leadership transfer;
//! - `invariants/`: the five safety properties of Figure 3;
//! - `config.rs`: options, presets and the mistakes a teacher can switch on.

mod client;
pub mod config;
mod election;
pub mod invariants;
pub use crate::kv;
pub mod log;
pub mod messages;
pub mod moves;
pub mod node;
pub mod preset_links;
pub mod presets;
mod replication;
pub mod view;
mod visual;
pub mod workload;

pub use config::{Mistake, RaftConfig};
pub use invariants::RaftGhost;
pub use kv::Set;
pub use node::{RaftCommand, RaftNode, Role, Timer};
