//! What sweeps and searches share: how many runs go at once, whether to
//! show progress, and counting the messages a step sent.

use caucus_sim::{StepTrace, TraceEvent};
use rayon::ThreadPool;

use crate::fail::Fail;

#[derive(clap::Args)]
pub struct Workers {
    /// Runs at once. [default: one per core]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,

    /// Print nothing but the results: no progress bar, no closing line.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl Workers {
    /// The threads the runs share.
    pub fn pool(&self) -> Result<ThreadPool, Fail> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(self.jobs.map_or(0, usize::from))
            .build()
            .map_err(|e| Fail::new(format!("the worker threads could not be started: {e}.")))
    }
}

/// Messages the step sent (copies a network made included).
pub fn sent(step: &StepTrace) -> u64 {
    step.events().filter(|e| matches!(e, TraceEvent::Sent { .. })).count() as u64
}
