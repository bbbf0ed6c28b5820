//! PBFT (Castro and Liskov, "Practical Byzantine Fault Tolerance", OSDI
//! 1999, the version with signatures; the TOCS 2002 paper where the OSDI
//! text is silent), as a sans-IO engine for `caucus-sim`. n = 3f + 1
//! replicas and 1 to 3 clients are nodes of two kinds. Every rule cites
//! the section it comes from.
//!
//! - `messages.rs`: the messages, signed where the paper signs them;
//! - `replica.rs`: a replica's state, on disk and in memory;
//! - `normal.rs`: requests and the three phases (§4.1, §4.2);
//! - `checkpoint.rs`: checkpoints, watermarks and state transfer (§4.3);
//! - `view_change.rs`: view changes (§4.4, §4.5);
//! - `retransmit.rs`: sending again what was lost;
//! - `client.rs`: the client (§4.1);
//! - `byzantine.rs`: the named ways a replica can lie;
//! - `invariants/`: the safety properties, one module each;
//! - `config.rs`: settings and the mistakes a teacher can switch on.

mod byzantine;
mod checkpoint;
mod client;
pub mod config;
pub mod invariants;
pub mod journal;
mod lies;
pub mod messages;
pub mod moves;
pub mod node;
mod normal;
pub mod preset_links;
pub mod presets;
pub mod replica;
mod retransmit;
mod view_change;
mod visual;

pub use byzantine::Behaviour;
pub use client::{ClientDurable, ClientVolatile, Outstanding};
pub use config::{Mistake, PbftConfig};
pub use invariants::PbftGhost;
pub use lies::Lie;
pub use node::{PbftCommand, PbftDurable, PbftNode, Timer};
