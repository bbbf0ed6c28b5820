//! Refusing an action that cannot apply, before anything changes.

use super::World;
use crate::action::{Action, ActionError};
use crate::ids::NodeId;
use crate::network::partition_problem;
use crate::protocol::Protocol;

impl<P: Protocol> World<P> {
    /// Refuses an action that cannot apply, before anything changes.
    pub(super) fn check(&self, action: &Action<P>) -> Result<(), ActionError> {
        match action {
            Action::Step if self.queue.is_empty() => Err(ActionError::NothingPending),
            Action::Deliver(id) | Action::Drop(id) | Action::Duplicate(id)
                if !self.in_flight.contains(*id) =>
            {
                Err(ActionError::UnknownMessage(*id))
            }
            Action::Fire(id) if !self.timers.contains(*id) => Err(ActionError::UnknownTimer(*id)),
            // The sender rewrites its own message, so it must be running.
            Action::Substitute { message, .. } => match self.in_flight.get(*message) {
                None => Err(ActionError::UnknownMessage(*message)),
                Some(m) if self.node(m.from).is_none() => Err(ActionError::NodeDown(m.from)),
                Some(_) => Ok(()),
            },
            Action::Crash(node) | Action::Request { node, .. } | Action::Command { node, .. } => {
                self.node_exists(*node)?;
                match self.node(*node) {
                    Some(_) => Ok(()),
                    None => Err(ActionError::NodeDown(*node)),
                }
            }
            Action::Restart(node) => {
                self.node_exists(*node)?;
                match self.node(*node) {
                    Some(_) => Err(ActionError::NodeUp(*node)),
                    None => Ok(()),
                }
            }
            Action::Partition(groups) => match partition_problem(self.node_count(), groups) {
                Some(why) => Err(ActionError::BadPartition(why)),
                None => Ok(()),
            },
            Action::Cut { from, to } => self.link_exists(*from, *to),
            Action::Restore { from, to } => {
                self.link_exists(*from, *to)?;
                if self.network.is_cut(*from, *to) {
                    Ok(())
                } else {
                    Err(ActionError::LinkNotCut { from: *from, to: *to })
                }
            }
            Action::SetLink { link, params } => {
                if let Some((from, to)) = link {
                    self.link_exists(*from, *to)?;
                }
                match params.problem() {
                    Some(why) => Err(ActionError::BadLinkParams(why)),
                    None => Ok(()),
                }
            }
            Action::AdvanceTo(to) => {
                let next_event = self.next_event_time();
                if *to < self.now || next_event.is_some_and(|next| *to > next) {
                    Err(ActionError::BadTime { now: self.now, to: *to, next_event })
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    fn node_exists(&self, node: NodeId) -> Result<(), ActionError> {
        if node.0 < self.node_count() {
            Ok(())
        } else {
            Err(ActionError::NoSuchNode { node, node_count: self.node_count() })
        }
    }

    fn link_exists(&self, from: NodeId, to: NodeId) -> Result<(), ActionError> {
        self.node_exists(from)?;
        self.node_exists(to)?;
        if from == to { Err(ActionError::SelfLink(from)) } else { Ok(()) }
    }
}
