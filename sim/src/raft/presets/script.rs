//! Raft's side of the preset script (`crate::presets::Script`): the states a
//! Raft preset waits for and asks about.

use super::Claim;
use crate::raft::view::leader;
use crate::raft::{RaftNode, Role};
use crate::{NodeId, World};

/// A Raft preset as its script writes it.
pub type Written = crate::presets::Written<Claim>;

/// Writes a Raft run as it goes, with notes on steps.
pub(super) type Script = crate::presets::Script<RaftNode, Claim>;

impl Script {
    /// Steps until a live server is a candidate of term `min_term` or later; returns it.
    pub fn until_candidate(&mut self, limit: u32, min_term: u64) -> Result<NodeId, String> {
        let candidate = |w: &World<RaftNode>| {
            (0..w.node_count()).map(NodeId).find(|&i| {
                w.node(i)
                    .is_some_and(|n| n.role() == Role::Candidate && n.current_term() >= min_term)
            })
        };
        self.until(limit, "a candidate", |w| candidate(w).is_some())?;
        candidate(self.world()).ok_or_else(|| "the preset expected a candidate".into())
    }

    pub fn leader(&self) -> Result<NodeId, String> {
        leader(self.world()).ok_or_else(|| "the preset expected a leader".to_string())
    }

    pub fn term(&self, node: NodeId) -> u64 {
        self.world().node(node).map_or(0, |n| n.current_term())
    }
}
