//! The simulated network: per-link latency, loss and duplication, partitions
//! into groups, and single directed links cut by hand. All of it can change
//! mid-run; a message is checked against the network both when it is sent and
//! when it would arrive, so a partition takes effect at once.

use serde::{Deserialize, Serialize};

use crate::ids::{MILLIS, NodeId, Time};
use crate::sorted::{SortedMap, SortedSet};

/// One million: probabilities are given in parts per million, never as floats.
pub const PPM: u32 = 1_000_000;

/// The longest one-way latency a link may have: one hour, in microseconds.
pub const MAX_LATENCY: Time = 3_600 * 1_000 * MILLIS;

/// How one directed link behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LinkParams {
    /// Smallest one-way latency, in microseconds.
    pub latency_min: Time,
    /// Largest one-way latency, in microseconds (inclusive).
    pub latency_max: Time,
    /// Chance that a message is lost, in parts per million.
    pub loss_ppm: u32,
    /// Chance that a message arrives twice, in parts per million.
    pub duplicate_ppm: u32,
}

impl Default for LinkParams {
    /// A clean network with 10–15 ms latency, RaftScope's.
    fn default() -> Self {
        LinkParams {
            latency_min: 10 * MILLIS,
            latency_max: 15 * MILLIS,
            loss_ppm: 0,
            duplicate_ppm: 0,
        }
    }
}

impl LinkParams {
    /// Why these parameters cannot be used, if they cannot.
    pub fn problem(&self) -> Option<String> {
        if self.latency_min > self.latency_max {
            return Some(format!(
                "the smallest latency ({} µs) is above the largest ({} µs)",
                self.latency_min, self.latency_max
            ));
        }
        if self.latency_max > MAX_LATENCY {
            return Some("latency above one hour is not supported".into());
        }
        if self.loss_ppm > PPM {
            return Some("the chance of loss is above one million parts per million".into());
        }
        if self.duplicate_ppm > PPM {
            return Some("the chance of a duplicate is above one million parts per million".into());
        }
        None
    }
}

/// Why a message did not get through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Blocked {
    /// Sender and receiver are in different partition groups.
    Partitioned,
    /// The directed link was cut by hand.
    LinkCut,
}

/// The network's current shape.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Network {
    default: LinkParams,
    /// Links with settings of their own. This and `cut` hold a few links.
    overrides: SortedMap<(NodeId, NodeId), LinkParams>,
    /// Each node's partition group; empty when there is no partition.
    group_of: Vec<u32>,
    /// Directed links cut by hand.
    cut: SortedSet<(NodeId, NodeId)>,
}

impl Network {
    pub fn new(default: LinkParams) -> Network {
        Network { default, ..Network::default() }
    }

    /// The parameters of the directed link `from → to`.
    pub fn link(&self, from: NodeId, to: NodeId) -> LinkParams {
        self.overrides.get(&(from, to)).copied().unwrap_or(self.default)
    }

    /// The parameters of every link that has no setting of its own.
    pub fn defaults(&self) -> LinkParams {
        self.default
    }

    /// Whether `from → to` can carry a message now, and if not, why.
    pub fn blocked(&self, from: NodeId, to: NodeId) -> Option<Blocked> {
        if self.is_cut(from, to) {
            return Some(Blocked::LinkCut);
        }
        if !self.group_of.is_empty() && self.group_of[from.index()] != self.group_of[to.index()] {
            return Some(Blocked::Partitioned);
        }
        None
    }

    /// Sets the parameters of every link, dropping per-link settings.
    pub fn set_all(&mut self, params: LinkParams) {
        self.default = params;
        self.overrides.clear();
    }

    /// Sets the parameters of one directed link.
    pub fn set_link(&mut self, from: NodeId, to: NodeId, params: LinkParams) {
        self.overrides.insert((from, to), params);
    }

    /// Splits the nodes into `groups`; nodes in no group together form one more.
    /// The caller has checked the groups (see [`partition_problem`]).
    pub fn partition(&mut self, node_count: u32, groups: &[Vec<NodeId>]) {
        let rest = groups.len() as u32;
        self.group_of = vec![rest; node_count as usize];
        for (g, group) in groups.iter().enumerate() {
            for node in group {
                self.group_of[node.index()] = g as u32;
            }
        }
    }

    /// The partition groups, each sorted, or empty when there is none.
    pub fn groups(&self) -> Vec<Vec<NodeId>> {
        let mut groups: Vec<Vec<NodeId>> = Vec::new();
        for (n, &g) in self.group_of.iter().enumerate() {
            if groups.len() <= g as usize {
                groups.resize(g as usize + 1, Vec::new());
            }
            groups[g as usize].push(NodeId(n as u32));
        }
        groups.retain(|group| !group.is_empty());
        groups
    }

    pub fn cut(&mut self, from: NodeId, to: NodeId) {
        self.cut.insert((from, to));
    }

    /// Whether the directed link `from → to` is cut by hand.
    pub fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        self.cut.contains(&(from, to))
    }

    /// Restores a cut link; returns whether it was cut.
    pub fn restore(&mut self, from: NodeId, to: NodeId) -> bool {
        self.cut.remove(&(from, to))
    }

    /// The links cut by hand.
    pub fn cut_links(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        self.cut.iter().copied()
    }

    /// Ends every partition and restores every cut link. Latency, loss and
    /// duplication settings stay as they are.
    pub fn heal(&mut self) {
        self.group_of.clear();
        self.cut.clear();
    }
}

/// Why `groups` is not a partition of `node_count` nodes, if it is not.
pub fn partition_problem(node_count: u32, groups: &[Vec<NodeId>]) -> Option<String> {
    let mut seen = Vec::new();
    if groups.iter().all(Vec::is_empty) {
        return Some("a partition needs at least one non-empty group".into());
    }
    for node in groups.iter().flatten() {
        if node.0 >= node_count {
            return Some(format!("{node} is not in this {node_count}-node cluster"));
        }
        if seen.contains(node) {
            return Some(format!("{node} is in two groups"));
        }
        seen.push(*node);
    }
    None
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn n(i: u32) -> NodeId {
        NodeId(i)
    }

    #[test]
    fn a_partition_blocks_across_groups_only() {
        let mut net = Network::default();
        net.partition(5, &[vec![n(0), n(1)]]);
        assert_eq!(net.blocked(n(0), n(1)), None);
        assert_eq!(net.blocked(n(2), n(4)), None, "the unlisted nodes form one group");
        assert_eq!(net.blocked(n(0), n(2)), Some(Blocked::Partitioned));
        assert_eq!(net.blocked(n(3), n(1)), Some(Blocked::Partitioned));
        assert_eq!(net.groups(), vec![vec![n(0), n(1)], vec![n(2), n(3), n(4)]]);
    }

    #[test]
    fn a_cut_link_blocks_one_direction() {
        let mut net = Network::default();
        net.cut(n(0), n(1));
        assert_eq!(net.blocked(n(0), n(1)), Some(Blocked::LinkCut));
        assert_eq!(net.blocked(n(1), n(0)), None);
        assert!(net.restore(n(0), n(1)));
        assert!(!net.restore(n(0), n(1)));
        assert_eq!(net.blocked(n(0), n(1)), None);
    }

    #[test]
    fn heal_ends_partitions_and_cuts_but_keeps_link_settings() {
        let mut net = Network::default();
        let slow = LinkParams { latency_min: 100, latency_max: 200, ..LinkParams::default() };
        net.set_link(n(0), n(1), slow);
        net.partition(3, &[vec![n(0)]]);
        net.cut(n(1), n(2));
        net.heal();
        assert_eq!(net.blocked(n(0), n(1)), None);
        assert_eq!(net.blocked(n(1), n(2)), None);
        assert_eq!(net.link(n(0), n(1)), slow);
        assert_eq!(net.link(n(1), n(0)), LinkParams::default());
    }

    #[test]
    fn set_all_replaces_per_link_settings() {
        let mut net = Network::default();
        let lossy = LinkParams { loss_ppm: 500_000, ..LinkParams::default() };
        net.set_link(n(0), n(1), LinkParams { latency_min: 1, latency_max: 1, ..lossy });
        net.set_all(lossy);
        assert_eq!(net.link(n(0), n(1)), lossy);
    }

    #[test]
    fn bad_partitions_and_parameters_are_explained() {
        assert!(partition_problem(3, &[vec![n(3)]]).unwrap().contains("n4"));
        assert!(partition_problem(3, &[vec![n(0)], vec![n(0)]]).unwrap().contains("two groups"));
        assert!(partition_problem(3, &[vec![]]).is_some());
        assert_eq!(partition_problem(3, &[vec![n(0)], vec![n(2)]]), None);
        let backwards = LinkParams { latency_min: 5, latency_max: 4, ..LinkParams::default() };
        assert!(backwards.problem().is_some());
        let certain = LinkParams { loss_ppm: PPM, ..LinkParams::default() };
        assert_eq!(certain.problem(), None);
        assert!(LinkParams { loss_ppm: PPM + 1, ..certain }.problem().is_some());
    }
}
