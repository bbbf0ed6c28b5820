//! What SWIM members send each other: ping, ping-req and ack (§3), each
//! carrying membership news piggybacked (§4.1), and a join's request and
//! the state its contact hands over.

use smallvec::SmallVec;

use crate::ids::NodeId;
use crate::trace::Name;

use super::membership::Entry;

/// One piece of membership news: what is now believed of `member`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct News {
    pub member: NodeId,
    pub entry: Entry,
}

/// The news a message carries.
pub type Piggyback = SmallVec<[News; 3]>;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SwimMessage {
    /// "Are you there?" (§3).
    Ping { seq: u32, news: Piggyback },
    /// "Ping `target` for me" (§3), to each of k members.
    PingReq { seq: u32, target: NodeId, news: Piggyback },
    /// The answer to a ping, or one passed back by a member that pinged for another.
    Ack { seq: u32, news: Piggyback },
    /// A node asks a member to let it into the group.
    Join { incarnation: u32 },
    /// The member's answer: what its view holds beyond the founders.
    JoinAck { view: Vec<News> },
}

impl SwimMessage {
    pub fn kind(&self) -> &'static Name {
        const PING: &Name = &Name::new("Ping");
        const PING_REQ: &Name = &Name::new("PingReq");
        const ACK: &Name = &Name::new("Ack");
        const JOIN: &Name = &Name::new("Join");
        const JOIN_ACK: &Name = &Name::new("JoinAck");
        match self {
            SwimMessage::Ping { .. } => PING,
            SwimMessage::PingReq { .. } => PING_REQ,
            SwimMessage::Ack { .. } => ACK,
            SwimMessage::Join { .. } => JOIN,
            SwimMessage::JoinAck { .. } => JOIN_ACK,
        }
    }
}
