//! The session as a scenario and back: what a link, a file or a preset
//! carries, and opening one. A scenario that cannot be opened is refused in
//! words and changes nothing, so a bad link pasted into an open page loses
//! none of the work on it.

use caucus_sim::scenario::{FORMAT_VERSION, Scenario};

use super::{Selection, Session};

impl Session {
    /// The moment on screen, with the whole run and its narration.
    pub fn scenario(&self) -> Scenario {
        let run = self.run();
        let now = run.now();
        Scenario {
            version: FORMAT_VERSION,
            run: run.scenario_run(),
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
        let (selected, narration) = (scenario.selected, scenario.narration.clone());
        let protocol = self.runs.open(scenario)?;
        if protocol != self.protocol {
            self.pick(protocol);
        }
        // A selection of something the moment does not have is dropped.
        let run = self.run();
        let selection = selected.filter(|s| match s {
            Selection::Node(n) => run.node_count() > n.0,
            Selection::Message(m) => run.has_message(*m),
            Selection::Link(a, b) => a < b && run.node_count() > b.0,
        });
        drop(run);
        self.selection = selection;
        self.narration = narration;
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
        session.watch_selection();
        let (now, step) = (session.run().revision(), session.run().cursor());
        session.panels.catch_up(now, step);
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
