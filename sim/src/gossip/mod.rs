//! Gossip: epidemic dissemination of updates to a replicated database
//! (Demers et al., "Epidemic Algorithms for Replicated Database
//! Maintenance", PODC 1987): anti-entropy and rumor mongering, push, pull
//! and push-pull, with the analyses' synchronous rounds or free-running
//! timers, at up to 10,000 sites. What a run measures is plain data
//! ([`GossipMeasures`]) for the page's plots and the command line.

mod anti_entropy;
pub mod config;
pub mod invariants;
pub mod measures;
pub mod messages;
pub mod moves;
pub mod node;
mod rumor;
pub mod store;
pub mod swim;
pub mod theory;
pub mod visual;
pub mod workload;

pub use config::{Backup, Direction, GossipConfig, Interest, Mistake, Removal, Style, Timing};
pub use measures::{GossipMeasures, Spread};
pub use messages::Message;
pub use node::{Command, GossipNode, Request, Rumor, Timer};
pub use store::{Key, Known, Store, Update, Updates};
