//! Raft's settings as flags.

use caucus_sim::Time;
use caucus_sim::raft::{Mistake, RaftConfig};

use crate::fail::Fail;
use crate::parse;

#[derive(clap::Args)]
pub struct Settings {
    /// Servers in the cluster, 1 to 9.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub nodes: u32,

    /// Election timeouts are drawn uniformly from this range, in ms (Raft §5.2); "150" alone is
    /// 150–150.
    #[arg(long, value_name = "MS-MS", default_value = "100-200", value_parser = parse::millis_range)]
    election_timeout: (Time, Time),

    /// How often an idle leader sends AppendEntries, in ms.
    #[arg(long, value_name = "MS", default_value = "50", value_parser = parse::positive_millis)]
    heartbeat: Time,

    /// Entries one AppendEntries carries at most.
    #[arg(long, value_name = "N", default_value_t = 1)]
    max_entries: u32,

    /// Followers answer a failed AppendEntries with the conflicting term, so the leader skips a
    /// term at a time (Raft §5.3).
    #[arg(long)]
    conflict_hint: bool,

    /// Candidates ask for pre-votes before raising their term (thesis §9.6).
    #[arg(long)]
    pre_vote: bool,

    /// A leader that has not heard from a majority within an election timeout steps down
    /// (thesis §6.2).
    #[arg(long)]
    check_quorum: bool,

    /// Switch on a deliberate mistake (repeat the flag for several).
    #[arg(long, value_enum, value_name = "MISTAKE")]
    mistake: Vec<RaftMistake>,
}

/// Raft's mistakes by the names the command line takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum RaftMistake {
    /// Count replicas to commit an entry of an older term (Figure 8).
    CommitOlderTermByCounting,
    /// Forget votedFor on restart, so a server can vote twice in a term (§5.2).
    ForgetVotedForOnRestart,
    /// Grant votes without the up-to-date check (§5.4.1).
    VoteWithoutUpToDateCheck,
    /// Accept AppendEntries without the consistency check (§5.3).
    AppendWithoutConsistencyCheck,
}

impl Settings {
    pub fn config(&self) -> Result<RaftConfig, Fail> {
        let mut config = RaftConfig::raftscope(self.nodes);
        (config.election_timeout_min, config.election_timeout_max) = self.election_timeout;
        config.heartbeat_interval = self.heartbeat;
        config.max_entries_per_append = self.max_entries;
        config.conflict_hint = self.conflict_hint;
        config.pre_vote = self.pre_vote;
        config.check_quorum = self.check_quorum;
        for m in &self.mistake {
            config.mistakes.insert(match m {
                RaftMistake::CommitOlderTermByCounting => Mistake::CommitOlderTermByCounting,
                RaftMistake::ForgetVotedForOnRestart => Mistake::ForgetVotedForOnRestart,
                RaftMistake::VoteWithoutUpToDateCheck => Mistake::VoteWithoutUpToDateCheck,
                RaftMistake::AppendWithoutConsistencyCheck => {
                    Mistake::AppendWithoutConsistencyCheck
                }
            });
        }
        super::checked(config, RaftConfig::problem)
    }
}
