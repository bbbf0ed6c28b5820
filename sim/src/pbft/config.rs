//! PBFT's settings: how many faults to tolerate, how many clients, the
//! checkpoint period and log size (Castro and Liskov, OSDI 1999, §4.3),
//! timeouts (§4.4, §4.5), and the mistakes a teacher can switch on.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{MILLIS, NodeId, NodeKind, Time};
use crate::sorted::SortedSet;

/// The kind of a replica (`Protocol::node_kind`).
pub const REPLICA: NodeKind = NodeKind(0);
/// The kind of a client.
pub const CLIENT: NodeKind = NodeKind(1);

/// The most faults a cluster is drawn for: n = 3f + 1 = 10 replicas.
pub const MAX_F: u32 = 3;
/// The most clients a cluster has.
pub const MAX_CLIENTS: u32 = 3;

/// A sequence number (§4.2: the primary assigns one to every request).
pub type Seq = u64;
/// A view number; the primary of view v is replica v mod n (§4).
pub type View = u64;

/// A deliberate bug, off by default, for the invariants to catch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Mistake {
    /// committed-local with 2f matching COMMITs instead of 2f + 1.
    CommitWith2f,
    /// prepared with 2f − 1 matching PREPAREs instead of 2f.
    PreparedWithFewer,
    /// The new primary re-issues null requests where the VIEW-CHANGEs carry prepared ones.
    NewPrimaryIgnoresPrepared,
    /// A backup accepts a second PRE-PREPARE for a view and sequence number it already has.
    AcceptSecondPrePrepare,
    /// A client accepts the first REPLY instead of f + 1 matching ones.
    ClientAcceptsFirstReply,
}

impl Mistake {
    pub const ALL: [Mistake; 5] = [
        Mistake::CommitWith2f,
        Mistake::PreparedWithFewer,
        Mistake::NewPrimaryIgnoresPrepared,
        Mistake::AcceptSecondPrePrepare,
        Mistake::ClientAcceptsFirstReply,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mistake::CommitWith2f => "Commit with 2f commits",
            Mistake::PreparedWithFewer => "Prepared with fewer than 2f prepares",
            Mistake::NewPrimaryIgnoresPrepared => "New primary ignores prepared requests",
            Mistake::AcceptSecondPrePrepare => "Accept a second pre-prepare",
            Mistake::ClientAcceptsFirstReply => "Client accepts the first reply",
        }
    }

    /// What goes wrong, in one sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            Mistake::CommitWith2f => {
                "A replica executes a request once 2f replicas committed it, so f of them may be \
                 faulty and the f correct ones may be left out of the next view change, which then \
                 gives the sequence number to another request (PBFT §4.2, committed-local)."
            }
            Mistake::PreparedWithFewer => {
                "A replica counts a request prepared with 2f − 1 matching prepares, so two sets \
                 that prepared different requests need not share a correct replica (PBFT §4.2, \
                 prepared)."
            }
            Mistake::NewPrimaryIgnoresPrepared => {
                "A new view fills every sequence number with a null request instead of the request \
                 prepared in the highest view (the new primary computes it so, and the backups \
                 check it against the same wrong rule), so a request some replica executed is \
                 replaced (PBFT §4.4, NEW-VIEW)."
            }
            Mistake::AcceptSecondPrePrepare => {
                "A backup accepts a conflicting pre-prepare for a view and sequence number it \
                 already accepted one for, so an equivocating primary gets two requests prepared \
                 at one sequence number (PBFT §4.2)."
            }
            Mistake::ClientAcceptsFirstReply => {
                "The client trusts the first reply, which a faulty replica can make up; f + 1 \
                 matching replies include one from a correct replica (PBFT §4.1)."
            }
        }
    }
}

impl fmt::Display for Mistake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Saved in scenario links and files. A field missing from one takes its
/// default, so adding a setting never breaks an old link.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct PbftConfig {
    /// Faults tolerated: n = 3f + 1 replicas (§3), f from 1 to 3.
    pub f: u32,
    /// Clients, 1 to 3. They are nodes after the replicas.
    pub clients: u32,
    /// A checkpoint every this many sequence numbers (§4.3, "k").
    pub checkpoint_period: u64,
    /// The log's size: the high watermark H is the low watermark h plus this (§4.3, "L").
    pub log_size: u64,
    /// How long a backup waits for a request it knows of to execute before
    /// it asks for a view change (§4.4); doubled across successive view changes (§4.5.2).
    pub view_change_timeout: Time,
    /// How long a client waits for f + 1 matching replies before it sends
    /// its request to every replica (§4.1).
    pub client_timeout: Time,
    /// How long a replica that delays its messages to chosen peers holds them.
    pub byzantine_delay: Time,
    pub mistakes: SortedSet<Mistake>,
}

impl Default for PbftConfig {
    fn default() -> Self {
        PbftConfig::new(1, 1)
    }
}

impl PbftConfig {
    /// n = 3f + 1 replicas and `clients` clients, with timing for links of
    /// 10–15 ms (`LinkParams::default()`): a request takes five hops.
    pub fn new(f: u32, clients: u32) -> PbftConfig {
        PbftConfig {
            f,
            clients,
            checkpoint_period: 4,
            log_size: 8,
            view_change_timeout: 300 * MILLIS,
            client_timeout: 200 * MILLIS,
            byzantine_delay: 150 * MILLIS,
            mistakes: SortedSet::new(),
        }
    }

    pub fn with_mistake(mut self, mistake: Mistake) -> PbftConfig {
        self.mistakes.insert(mistake);
        self
    }

    pub fn has(&self, mistake: Mistake) -> bool {
        self.mistakes.contains(&mistake)
    }

    /// n = 3f + 1 (§3).
    pub fn replicas(&self) -> u32 {
        3 * self.f + 1
    }

    /// Every replica's id, in order.
    pub fn replica_ids(&self) -> impl Iterator<Item = NodeId> + use<> {
        (0..self.replicas()).map(NodeId)
    }

    /// Every client's id, in order.
    pub fn client_ids(&self) -> impl Iterator<Item = NodeId> + use<> {
        let n = self.replicas();
        (n..n + self.clients).map(NodeId)
    }

    pub fn is_replica(&self, id: NodeId) -> bool {
        id.0 < self.replicas()
    }

    pub fn is_client(&self, id: NodeId) -> bool {
        (self.replicas()..self.replicas() + self.clients).contains(&id.0)
    }

    /// The primary of view v: replica v mod n (§4).
    pub fn primary(&self, view: View) -> NodeId {
        NodeId((view % u64::from(self.replicas())) as u32)
    }

    /// 2f + 1: a quorum, any two of which share a correct replica (§4.2).
    pub fn quorum(&self) -> usize {
        2 * self.f as usize + 1
    }

    /// The name people read: replicas `r0`, `r1`, … as the paper numbers
    /// them (so the primary of view v is r(v mod n)); clients `c0`, `c1`, ….
    pub fn name(&self, id: NodeId) -> String {
        if self.is_replica(id) {
            format!("r{}", id.0)
        } else {
            format!("c{}", id.0 - self.replicas())
        }
    }

    /// Why this configuration cannot run, if it cannot.
    pub fn problem(&self) -> Option<String> {
        if !(1..=MAX_F).contains(&self.f) {
            return Some(format!(
                "PBFT here tolerates f = 1 to {MAX_F} faults (n = 3f + 1 = 4 to {} replicas), not f = {}",
                3 * MAX_F + 1,
                self.f
            ));
        }
        if !(1..=MAX_CLIENTS).contains(&self.clients) {
            return Some(format!(
                "a PBFT run has 1 to {MAX_CLIENTS} clients, not {}",
                self.clients
            ));
        }
        if self.checkpoint_period == 0 {
            return Some("the checkpoint period must be at least one request".into());
        }
        if self.log_size < self.checkpoint_period {
            return Some(format!(
                "the log size L ({}) must be at least the checkpoint period ({}), or the primary \
                 stalls before the first checkpoint",
                self.log_size, self.checkpoint_period
            ));
        }
        if self.view_change_timeout == 0 || self.client_timeout == 0 || self.byzantine_delay == 0 {
            return Some("every timeout must be positive".into());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn replicas_come_first_then_clients() {
        let config = PbftConfig::new(2, 3);
        assert_eq!(config.replicas(), 7);
        assert_eq!(config.quorum(), 5);
        assert!(config.is_replica(NodeId(6)) && config.is_client(NodeId(7)));
        assert!(!config.is_client(NodeId(10)));
        assert_eq!(config.name(NodeId(0)), "r0");
        assert_eq!(config.name(NodeId(8)), "c1");
        assert_eq!(config.primary(9), NodeId(2));
    }

    #[test]
    fn bad_settings_say_what_is_wrong() {
        assert!(PbftConfig::new(4, 1).problem().unwrap().contains("f = 1 to 3"));
        assert!(PbftConfig::new(1, 0).problem().unwrap().contains("1 to 3 clients"));
        let mut config = PbftConfig::new(1, 1);
        config.log_size = 2;
        assert!(config.problem().unwrap().contains("log size"));
        assert_eq!(PbftConfig::default().problem(), None);
    }
}
