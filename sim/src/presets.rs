//! How a preset is written, for any engine: a run driven step by step until
//! the cluster reaches a state, with notes (and the claims that back them)
//! written on the steps that matter. Each engine keeps its own presets, its
//! own kind of claim and the test that checks them (`raft/presets/`,
//! `pbft/presets/`); the page opens the links they write.

use crate::sorted::SortedMap;

use crate::engine::Engine;
use crate::kv::Set;
use crate::scenario::{Narration, Scenario};
use crate::{Action, LinkParams, NodeId, Protocol, Timeline, World};

/// A preset as its script writes it: the scenario, and what the note on each
/// noted step claims about that step (`C`: the engine's kind of claim).
pub struct Written<C> {
    pub scenario: Scenario,
    pub claims: SortedMap<u64, Vec<C>>,
}

/// Writes a run of `P` as it goes, with notes on steps.
pub struct Script<P: Engine, C> {
    timeline: Timeline<P>,
    links: LinkParams,
    narration: Narration,
    claims: SortedMap<u64, Vec<C>>,
}

impl<P: Engine, C> Script<P, C> {
    pub fn new(config: P::Config, seed: u64, title: &str, description: &str) -> Self {
        Self::with_links(config, seed, LinkParams::default(), title, description)
    }

    /// As [`Script::new`], on a network of these links.
    pub fn with_links(
        config: P::Config,
        seed: u64,
        links: LinkParams,
        title: &str,
        description: &str,
    ) -> Self {
        let world = World::new(config, seed, links);
        let narration =
            Narration { title: title.into(), description: description.into(), notes: Vec::new() };
        Script { timeline: Timeline::new(world), links, narration, claims: SortedMap::new() }
    }

    pub fn world(&self) -> &World<P> {
        self.timeline.world()
    }

    /// A note on the step just taken (step 0: before anything happens), with
    /// what it claims about the state after that step. A second note on the
    /// same step is added to the first.
    pub fn note(&mut self, text: impl AsRef<str>, claims: impl IntoIterator<Item = C>) {
        let step = self.timeline.len();
        let text = match self.narration.note_at(step) {
            Some(earlier) => format!("{} {}", earlier.text, text.as_ref()),
            None => text.as_ref().to_string(),
        };
        self.narration.set_note(step, &text);
        self.claims.entry(step).or_default().extend(claims);
    }

    pub fn act(&mut self, action: Action<P>) -> Result<(), String> {
        self.timeline.apply(action).map(|_| ()).map_err(|e| e.to_string())
    }

    /// Steps until `done` holds, at most `limit` steps.
    pub fn until(
        &mut self,
        limit: u32,
        what: &str,
        done: impl Fn(&World<P>) -> bool,
    ) -> Result<(), String> {
        for _ in 0..limit {
            if done(self.world()) {
                return Ok(());
            }
            self.act(Action::Step)?;
        }
        if done(self.world()) { Ok(()) } else { Err(format!("the preset never reached {what}")) }
    }

    pub fn steps(&mut self, count: u32) -> Result<(), String> {
        (0..count).try_for_each(|_| self.act(Action::Step))
    }

    /// The scenario, opened at step 0 so the narration is read from the
    /// start, and the claims of its notes.
    pub fn finish(self) -> Written<C> {
        let world = self.timeline.world();
        let mut scenario = Scenario::new::<P>(world.config().clone(), world.seed(), self.links);
        let spec = P::spec_mut(&mut scenario.run).expect("a scenario of its own engine");
        spec.actions = self.timeline.log().to_vec();
        scenario.narration = self.narration;
        Written { scenario, claims: self.claims }
    }
}

impl<P: Engine + Protocol<Request = Set>, C> Script<P, C> {
    /// Hands a request, as the request box reads it (`x=1`), to `node`.
    pub fn request(&mut self, node: NodeId, text: &str) -> Result<(), String> {
        let request = Set::parse(text)?;
        self.act(Action::Request { node, request })
    }
}
