//! The session as a scenario and back: what a link, a file or a preset
//! carries, and opening one. A scenario that cannot be opened is refused in
//! words and changes nothing, so a bad link pasted into an open page loses
//! none of the work on it.

use std::cell::RefCell;
use std::rc::Rc;

use caucus_sim::scenario::{FORMAT_VERSION, RunSpec, Scenario, ScenarioRun};

use super::{RaftRun, Selection, Session};
use crate::run::Run;

impl Session {
    /// The moment on screen, with the whole run and its narration.
    pub fn scenario(&self) -> Scenario {
        let run = self.raft.borrow();
        let now = run.world().now();
        Scenario {
            version: FORMAT_VERSION,
            run: ScenarioRun::Raft(RunSpec {
                config: run.config().clone(),
                actions: run.actions().to_vec(),
            }),
            seed: run.seed(),
            links: run.links(),
            step: run.cursor(),
            time: (run.shown_time() != now).then_some(run.shown_time()),
            selected: self.selection,
            narration: self.narration.clone(),
        }
    }

    /// A session showing `scenario`, or why it cannot be shown.
    pub(super) fn open(&mut self, scenario: Scenario) -> Result<(), String> {
        scenario.check()?;
        let ScenarioRun::Raft(spec) = scenario.run;
        let run = Run::replay(
            spec.config,
            scenario.seed,
            scenario.links,
            &spec.actions,
            scenario.step,
            scenario.time,
        )
        .map_err(|e| e.to_string())?;
        // A selection of something the moment does not have is dropped.
        self.selection = scenario.selected.filter(|s| match s {
            Selection::Node(n) => run.world().node_count() > n.0,
            Selection::Message(m) => run.world().message(*m).is_some(),
            Selection::Link(a, b) => a < b && run.world().node_count() > b.0,
        });
        self.raft = RaftRun(Rc::new(RefCell::new(run)));
        self.narration = scenario.narration;
        self.playing = false;
        self.choosing = false;
        self.partition_draft = None;
        self.menu = None;
        Ok(())
    }

    /// The page opened with `fragment` after its `#`: that scenario, or the
    /// default run with a sentence on what is wrong with the link.
    pub fn from_fragment(fragment: &str) -> Session {
        let mut session = Session::default();
        if fragment.trim().trim_start_matches('#').is_empty() {
            return session;
        }
        let opened = Scenario::from_link(fragment)
            .map_err(|e| e.to_string())
            .and_then(|scenario| session.open(scenario));
        if let Err(why) = opened {
            session.refused_links += 1;
            session.error(format!("{} This is a fresh run instead.", sentence(&why)));
        }
        session
    }
}

/// "the link is damaged" → "The link is damaged."
pub(super) fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    let rest: String = chars.collect();
    let end = if rest.ends_with('.') { "" } else { "." };
    format!("{first}{rest}{end}")
}
