//! SWIM: scalable weakly-consistent infection-style process group
//! membership (Das, Gupta and Motivala, DSN 2002). Each member pings one
//! member a protocol period and asks k others to ping it when no ack comes
//! (§3); a member with no ack is suspected, and dead if it does not refute
//! with a higher incarnation in time (§4.2); membership news rides on the
//! protocol's own messages (§4.1); targets may be chosen round-robin
//! (§4.3). Up to 2,000 members; each member's view is inspectable.

pub mod config;
pub mod dissemination;
pub mod invariants;
pub mod measures;
pub mod membership;
pub mod messages;
mod news;
pub mod node;
mod probe;
pub mod visual;

pub use config::{MAX_MEMBERS, Selection, SwimConfig, SwimMistake};
pub use measures::{Failure, SwimMeasures};
pub use membership::{Entry, Status};
pub use messages::{News, SwimMessage};
pub use node::{Change, SwimCommand, SwimNode, SwimRequest, SwimTimer};
