//! Ctrl-C and the progress bar. The first Ctrl-C asks the work to stop:
//! runs under way finish, none starts, and the command prints what was done
//! (a second Ctrl-C ends the process at once). The bar appears only on a
//! terminal, only for work that has lasted a second, and never with `--quiet`.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::fail::STOPPED;

/// Set when the user pressed Ctrl-C.
#[derive(Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    pub fn on_ctrl_c() -> Stop {
        let stop = Stop::default();
        let flag = stop.0.clone();
        // Without a handler (it can fail only if one is already set), Ctrl-C
        // ends the process the usual way: nothing is lost but the summary.
        let _ = ctrlc::set_handler(move || {
            if flag.swap(true, Ordering::SeqCst) {
                std::process::exit(i32::from(STOPPED));
            }
        });
        stop
    }

    pub fn requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Work shown after a second has passed; below that a bar only flickers.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Counts finished units of work from any thread.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    may_show: bool,
    shown: AtomicBool,
}

impl Progress {
    /// A bar over `total` units (seeds, schedules), or a counter when the
    /// total is not known (a search with a time budget).
    pub fn new(total: Option<u64>, unit: &str, quiet: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
        let template = if total.is_some() {
            format!("{{bar:40}} {{pos}}/{{len}} {unit}, {{elapsed}} so far, about {{eta}} left")
        } else {
            format!("{{spinner}} {{pos}} {unit} in {{elapsed}}{{msg}}")
        };
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
        }
        Progress {
            bar,
            started: Instant::now(),
            may_show: !quiet && std::io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
        }
    }

    /// One more unit done.
    pub fn tick(&self) {
        self.bar.inc(1);
        if self.may_show
            && self.started.elapsed() >= SHOW_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(200));
        }
    }

    /// How long the work has taken.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Removes the bar before the results are printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
