//! What the page and the tools need of every engine besides the simulator's
//! `Protocol` and the view's `Visual`: which protocol of the one list it
//! is, and how its runs sit in a scenario. The list ([`crate::protocols!`])
//! implements the first part for every engine; each engine writes the rest.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::ProtocolKind;
use crate::scenario::{RunSpec, ScenarioRun};
use crate::view::Visual;

pub trait Engine: Visual<Config: Serialize + DeserializeOwned + PartialEq + Default> {
    /// Its entry in the one list.
    const KIND: ProtocolKind;

    /// The scenario's run, if it is of this protocol.
    fn spec(run: &ScenarioRun) -> Option<&RunSpec<Self>>;

    fn spec_mut(run: &mut ScenarioRun) -> Option<&mut RunSpec<Self>>;

    fn into_run(spec: RunSpec<Self>) -> ScenarioRun;

    /// Why a configuration cannot run, in one sentence, if it cannot (the
    /// config's own `problem`).
    fn problem(config: &Self::Config) -> Option<String>;
}
