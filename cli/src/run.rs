//! `caucus run`: plays a scenario file or a link, as the page would, and
//! prints how it ended in words, its trace as JSON lines, or the link that
//! opens its last moment on the page.

use std::io::Write;
use std::process::ExitCode;

use caucus_sim::engine::Engine;
use caucus_sim::scenario::{RunSpec, Scenario, ScenarioRun};
use caucus_sim::{Action, ActionError, NodeId, Violation, World};

use crate::fail::Fail;
use crate::progress::Stop;
use crate::{input, words};

#[derive(clap::Args)]
pub struct Args {
    /// A scenario file as the page saves it, a file holding a link, a link as the page shares it
    /// (the whole address, or only its `#v1.…` part), or `-` to read either from standard input.
    #[arg(value_name = "FILE|LINK")]
    scenario: String,

    /// Play this many actions: the scenario's own first, then plain steps in time order past its
    /// end (until nothing is left to happen). [default: every action of the scenario]
    #[arg(long, value_name = "N")]
    steps: Option<u64>,

    /// Print what every step did as JSON lines, from step 0, as the page's "Export trace" does.
    #[arg(long, conflicts_with = "link")]
    trace: bool,

    /// Print the link that opens the run's last moment on the page, and nothing else.
    #[arg(long)]
    link: bool,

    #[command(flatten)]
    page: Page,
}

/// Where the page is served, for the links the command prints.
#[derive(clap::Args)]
pub struct Page {
    /// The page's address, put before a printed link's `#v1.…` part.
    #[arg(long, value_name = "URL", env = "CAUCUS_PAGE", default_value = "")]
    pub page: String,
}

pub fn run(args: Args, stop: &Stop) -> Result<ExitCode, Fail> {
    let scenario = input::scenario(&args.scenario)?;
    match &scenario.run {
        ScenarioRun::Raft(spec) => play(&args, &scenario, spec, stop),
        ScenarioRun::Pbft(spec) => play(&args, &scenario, spec, stop),
    }
}

fn play<P: Engine>(
    args: &Args,
    scenario: &Scenario,
    spec: &RunSpec<P>,
    stop: &Stop,
) -> Result<ExitCode, Fail> {
    let played = Played::of(scenario, spec, args.steps, stop)?;
    if stop.requested() && args.trace {
        let n = played.actions.len();
        eprintln!("Stopped by Ctrl-C while playing, after {n} actions: no trace was written.");
        return Ok(ExitCode::from(crate::fail::STOPPED));
    }
    let mut out = std::io::stdout().lock();
    let mut lines = 0u64;
    let written = if args.trace {
        let spec = RunSpec::<P> { config: spec.config.clone(), actions: played.actions.clone() };
        let mut result = Ok(());
        spec.each_trace_line(scenario.seed, scenario.links, |line| {
            if result.is_ok() && !stop.requested() {
                lines += 1;
                result = writeln!(out, "{line}");
            }
        })
        .map_err(|e| Fail::new(format!("{e}.")))?;
        result
    } else if args.link {
        writeln!(out, "{}", link(&args.page.page, &played.scenario(scenario, spec)))
    } else {
        out.write_all(played.summary(scenario).as_bytes())
    };
    crate::output::finish(written)?;
    if stop.requested() {
        if args.trace {
            eprintln!(
                "Stopped by Ctrl-C: the trace above ends at step {}.",
                lines.saturating_sub(1)
            );
        } else {
            let n = played.actions.len();
            eprintln!("Stopped by Ctrl-C after {n} actions; what is above is of them.");
        }
        return Ok(ExitCode::from(crate::fail::STOPPED));
    }
    Ok(ExitCode::SUCCESS)
}

/// The page's address and a scenario's fragment.
pub fn link(page: &str, scenario: &Scenario) -> String {
    format!("{page}#{}", scenario.to_link())
}

/// A run played to where the user asked.
struct Played<P: Engine> {
    world: World<P>,
    actions: Vec<Action<P>>,
    /// Actions past the scenario's log: plain steps.
    extra: u64,
    violations: Vec<Violation>,
    violation_count: u64,
}

/// Violations kept to print; the rest are counted.
const VIOLATIONS_SHOWN: usize = 5;

impl<P: Engine> Played<P> {
    /// Plays the first `steps` actions, or until the user presses Ctrl-C.
    fn of(
        scenario: &Scenario,
        spec: &RunSpec<P>,
        steps: Option<u64>,
        stop: &Stop,
    ) -> Result<Played<P>, Fail> {
        let len = spec.actions.len() as u64;
        let wanted = steps.unwrap_or(len);
        if wanted > caucus_sim::scenario::MAX_STEPS {
            return Err(Fail::new(format!(
                "--steps {wanted} is more than a run may hold ({} steps).",
                caucus_sim::scenario::MAX_STEPS
            )));
        }
        let mut played = Played {
            world: World::new(spec.config.clone(), scenario.seed, scenario.links),
            actions: Vec::new(),
            extra: 0,
            violations: Vec::new(),
            violation_count: 0,
        };
        for (index, action) in spec.actions.iter().take(wanted as usize).enumerate() {
            if stop.requested() {
                return Ok(played);
            }
            played.apply(action).map_err(|error| {
                Fail::new(format!("action {} of the scenario does not apply: {error}.", index + 1))
            })?;
        }
        while (played.actions.len() as u64) < wanted && !stop.requested() {
            match played.apply(&Action::Step) {
                Ok(()) => played.extra += 1,
                Err(ActionError::NothingPending) => break,
                Err(e) => return Err(Fail::new(format!("a step does not apply: {e}."))),
            }
        }
        Ok(played)
    }

    fn apply(&mut self, action: &Action<P>) -> Result<(), ActionError> {
        let step = self.world.apply(action)?;
        self.violation_count += step.violations().len() as u64;
        let room = VIOLATIONS_SHOWN.saturating_sub(self.violations.len());
        self.violations.extend(step.violations().iter().take(room).cloned());
        self.actions.push(action.clone());
        Ok(())
    }

    /// The scenario as played, shown at its last step (notes past it dropped).
    fn scenario(&self, original: &Scenario, spec: &RunSpec<P>) -> Scenario {
        let mut scenario = original.clone();
        let run = RunSpec::<P> { config: spec.config.clone(), actions: self.actions.clone() };
        scenario.run = P::into_run(run);
        scenario.step = self.actions.len() as u64;
        scenario.time = None;
        scenario.narration.truncate(scenario.step);
        scenario
    }

    fn summary(&self, scenario: &Scenario) -> String {
        let w = &self.world;
        let mut text = String::new();
        if !scenario.narration.title.is_empty() {
            text.push_str(&format!("“{}”\n", scenario.narration.title));
        }
        text.push_str(&format!("{}.\n", words::run(&scenario.run)));
        text.push_str(&format!(
            "Seed {}; network: {}.\n",
            scenario.seed,
            words::network(&scenario.links)
        ));
        let of_scenario = self.actions.len() as u64 - self.extra;
        let mut played =
            format!("Played {of_scenario} of the scenario's {} actions", scenario.len());
        if self.extra > 0 {
            played.push_str(&format!(" and {} more steps", self.extra));
        }
        text.push_str(&format!(
            "{played}: step {} at {} of virtual time, {} messages delivered.\n",
            w.step(),
            words::time(w.now()),
            w.messages_delivered()
        ));
        text.push_str("At the end:\n");
        let views: Vec<_> = (0..w.node_count()).map(|i| P::node_view(w, NodeId(i))).collect();
        let width = |f: &dyn Fn(&caucus_sim::view::NodeView) -> usize| {
            views.iter().map(f).max().unwrap_or(0)
        };
        let (label_w, role_w) = (width(&|v| v.label.len()), width(&|v| v.role.chars().count()));
        for v in &views {
            let mut line = format!("  {:label_w$}  {:role_w$}", v.label, v.role);
            if !v.badge.is_empty() {
                line.push_str(&format!("  {} {}", v.badge_name, v.badge));
            }
            if !v.caption.is_empty() {
                line.push_str(&format!("  {}", v.caption));
            }
            text.push_str(line.trim_end());
            text.push('\n');
        }
        if self.violation_count == 0 {
            text.push_str("Every property held at every step.\n");
        } else {
            text.push_str(&format!(
                "Properties broken {} times; the first:\n",
                self.violation_count
            ));
            for v in &self.violations {
                text.push_str(&format!("  {v}\n"));
            }
        }
        text.push_str(&format!("Trace hash {}.\n", w.trace_hash()));
        text
    }
}
