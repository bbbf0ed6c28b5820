//! Raft's side of the protocol-neutral view (`crate::view::Visual`): how a
//! server and each message kind are drawn, the properties the checks enforce,
//! and the actions a user can take on a server.

use super::config::RaftConfig;
use super::kv::Set;
use super::messages::{Message, kinds};
use super::node::{RaftCommand, RaftNode, Role, Timer};
use super::view;
use crate::ids::NodeId;
use crate::view::{Field, KindStyle, NodeCommand, NodeView, Property, Shape, Tone, Visual};
use crate::world::World;

impl Visual for RaftNode {
    const KINDS: &'static [KindStyle] = &[
        KindStyle {
            kind: kinds::REQUEST_VOTE.as_str(),
            shape: Shape::Circle,
            reply: false,
            meaning: "a candidate asks for a vote (§5.2)",
        },
        KindStyle {
            kind: kinds::REQUEST_VOTE_REPLY.as_str(),
            shape: Shape::Circle,
            reply: true,
            meaning: "a vote granted or refused",
        },
        KindStyle {
            kind: kinds::PRE_VOTE.as_str(),
            shape: Shape::Diamond,
            reply: false,
            meaning: "would you vote for me? (thesis §9.6)",
        },
        KindStyle {
            kind: kinds::PRE_VOTE_REPLY.as_str(),
            shape: Shape::Diamond,
            reply: true,
            meaning: "a pre-vote granted or refused",
        },
        KindStyle {
            kind: kinds::APPEND_ENTRIES.as_str(),
            shape: Shape::Square,
            reply: false,
            meaning: "the leader sends log entries (§5.3)",
        },
        KindStyle {
            kind: kinds::HEARTBEAT.as_str(),
            shape: Shape::Square,
            reply: false,
            meaning: "an AppendEntries with no entries",
        },
        KindStyle {
            kind: kinds::APPEND_ENTRIES_REPLY.as_str(),
            shape: Shape::Square,
            reply: true,
            meaning: "success, or where the logs disagree",
        },
        KindStyle {
            kind: kinds::TIMEOUT_NOW.as_str(),
            shape: Shape::Triangle,
            reply: false,
            meaning: "start an election now (thesis §3.10)",
        },
    ];

    const PRESET_LINKS: &'static [(&'static str, &'static str, &'static str)] =
        super::preset_links::PRESET_LINKS;

    const PROPERTIES: &'static [Property] = &[
        Property {
            name: "Election Safety",
            source: "Raft §5.2, Figure 3",
            statement: "At most one leader can be elected in a given term.",
        },
        Property {
            name: "Leader Append-Only",
            source: "Raft §5.3, Figure 3",
            statement: "A leader never overwrites or deletes entries in its log; it only appends.",
        },
        Property {
            name: "Log Matching",
            source: "Raft §5.3, Figure 3",
            statement: "If two logs contain an entry with the same index and term, the logs are \
                        identical in all entries up through that index.",
        },
        Property {
            name: "Leader Completeness",
            source: "Raft §5.4, Figure 3",
            statement: "If an entry is committed in a term, it is in the logs of the leaders of \
                        all higher terms.",
        },
        Property {
            name: "State Machine Safety",
            source: "Raft §5.4.3, Figure 3",
            statement: "If a server has applied an entry at an index, no other server ever \
                        applies a different entry at that index.",
        },
    ];

    const NODE_NOUN: &'static str = "server";
    const COMMAND_KEY_HELP: &'static str =
        "force an election on the selected server (a leader: transfer leadership)";
    const NODE_KINDS: &'static [&'static str] = &["server"];

    fn node_view(world: &World<Self>, id: NodeId) -> NodeView {
        // Read straight from the server's state: drawn for every server every
        // frame, so nothing here copies the log.
        let durable = world.durable(id).expect("the server exists");
        let node = world.node(id);
        let role = node.map(RaftNode::role);
        let tone = match role {
            None => Tone::Down,
            Some(Role::Leader) => Tone::Leader,
            Some(Role::Candidate | Role::PreCandidate) => Tone::Candidate,
            Some(Role::Follower) => Tone::Member,
        };
        let caption = match (role, durable.voted_for) {
            (None, _) => "crashed".to_string(),
            (Some(Role::Leader), _) => match durable.log.entries().len() {
                1 => "leader · 1 entry".to_string(),
                n => format!("leader · {n} entries"),
            },
            (Some(_), Some(v)) => format!("voted {v}"),
            (Some(_), None) => "no vote".to_string(),
        };
        // The arc shows the election timer; a leader's shows its next heartbeat.
        let timer_of = |which: Timer| {
            world
                .pending_timers()
                .find(|t| t.node == id && t.timer == which)
                .map(|t| (t.set_at, t.fires_at))
        };
        let timer = timer_of(Timer::Election).or_else(|| timer_of(Timer::Heartbeat));
        NodeView {
            id,
            kind: world.node_kind(id),
            label: Self::node_label(world.config(), id),
            tone,
            role: role.map_or("crashed", Role::name).to_string(),
            badge: durable.current_term.to_string(),
            badge_name: "term",
            caption,
            timer,
        }
    }

    fn node_fields(world: &World<Self>, id: NodeId) -> Vec<Field> {
        let len = world.durable(id).map_or(0, |d| d.log.entries().len() as u64);
        let s = view::server_from(world, id, len.saturating_sub(LOG_TEXT_ENTRIES) + 1);
        let none = || "none".to_string();
        let mut fields = vec![
            Field::new("role", s.role.map_or("crashed", Role::name)),
            Field::new("currentTerm", s.current_term),
            Field::new("votedFor", s.voted_for.map_or_else(none, |v| v.to_string())),
            Field::new("log", log_text(&s.log, s.log_len)),
            Field::new("commitIndex", s.commit_index),
            Field::new("lastApplied", s.last_applied),
            Field::new("leader hint", s.leader_hint.map_or_else(none, |v| v.to_string())),
        ];
        if let Some(node) = world.node(id)
            && matches!(s.role, Some(Role::Candidate | Role::PreCandidate))
        {
            let votes: Vec<String> = node.votes().iter().map(NodeId::to_string).collect();
            fields.push(Field::new("votes received", votes.join(" ")));
        }
        if !s.peers.is_empty() {
            let list = |f: fn(&view::PeerView) -> u64| {
                s.peers.iter().map(|p| format!("{}:{}", p.peer, f(p))).collect::<Vec<_>>().join(" ")
            };
            fields.push(Field::new("nextIndex", list(|p| p.next_index)));
            fields.push(Field::new("matchIndex", list(|p| p.match_index)));
        }
        if let Some((set_at, fires_at)) = s.election_timer {
            fields.push(Field::new(
                "election timer",
                format!(
                    "set at {}, fires at {}",
                    crate::ids::format_time(set_at),
                    crate::ids::format_time(fires_at)
                ),
            ));
        }
        let sm: Vec<String> = s.state_machine.iter().map(|(k, v)| format!("{k}={v}")).collect();
        fields.push(Field::new(
            "state machine",
            if sm.is_empty() { "empty".into() } else { sm.join(" ") },
        ));
        fields
    }

    fn message_fields(_: &RaftConfig, message: &Message) -> Vec<Field> {
        match message {
            Message::RequestVote { term, last_log_index, last_log_term, pre_vote } => vec![
                Field::new("term", term),
                Field::new("lastLogIndex", last_log_index),
                Field::new("lastLogTerm", last_log_term),
                Field::new("preVote", pre_vote),
            ],
            Message::RequestVoteReply { term, vote_granted, pre_vote } => vec![
                Field::new("term", term),
                Field::new("voteGranted", vote_granted),
                Field::new("preVote", pre_vote),
            ],
            Message::AppendEntries {
                term,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
            } => {
                let entries: Vec<String> =
                    entries.iter().map(|e| format!("{} (term {})", e.command, e.term)).collect();
                vec![
                    Field::new("term", term),
                    Field::new("prevLogIndex", prev_log_index),
                    Field::new("prevLogTerm", prev_log_term),
                    Field::new(
                        "entries",
                        if entries.is_empty() { "none".into() } else { entries.join(", ") },
                    ),
                    Field::new("leaderCommit", leader_commit),
                ]
            }
            Message::AppendEntriesReply {
                term,
                success,
                prev_log_index,
                match_index,
                conflict,
            } => {
                let mut fields = vec![
                    Field::new("term", term),
                    Field::new("success", success),
                    Field::new("prevLogIndex", prev_log_index),
                    Field::new("matchIndex", match_index),
                ];
                if let Some(c) = conflict {
                    let term = c.term.map_or_else(|| "none".into(), |t| t.to_string());
                    fields.push(Field::new("conflictTerm", term));
                    fields.push(Field::new("conflictIndex", c.first_index));
                }
                fields
            }
            Message::TimeoutNow { term } => vec![Field::new("term", term)],
        }
    }

    fn node_commands(world: &World<Self>, id: NodeId) -> Vec<NodeCommand<RaftCommand>> {
        let Some(node) = world.node(id) else { return Vec::new() };
        if node.role() != Role::Leader {
            return vec![NodeCommand {
                label: "Force election".into(),
                command: RaftCommand::ForceElection,
            }];
        }
        (0..world.node_count())
            .map(NodeId)
            .filter(|&to| to != id)
            .map(|to| NodeCommand {
                label: format!("Transfer leadership to {to}"),
                command: RaftCommand::TransferLeadership { to },
            })
            .collect()
    }

    fn parse_request(text: &str) -> Result<Set, String> {
        Set::parse(text)
    }

    fn example_request(n: u64) -> String {
        format!("x={n}")
    }

    fn leader(world: &World<Self>) -> Option<NodeId> {
        view::leader(world)
    }
}

/// A log as `1:x=1@1 2:x=2@1`, index:command@term.
/// Entries the inspector writes out at most: the latest.
const LOG_TEXT_ENTRIES: u64 = 20;

/// The latest entries of a log, as index:command@term, with how many earlier.
fn log_text(log: &[view::EntryView], log_len: u64) -> String {
    if log.is_empty() {
        return "empty".into();
    }
    let entries =
        log.iter().map(|e| format!("{}:{}@{}", e.index, e.command, e.term)).collect::<Vec<_>>();
    match log_len - log.len() as u64 {
        0 => entries.join(" "),
        1 => format!("… 1 earlier; {}", entries.join(" ")),
        earlier => format!("… {earlier} earlier; {}", entries.join(" ")),
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::Observe;
    use crate::network::LinkParams;
    use crate::view::style_of;

    #[test]
    fn every_message_kind_the_engine_names_has_a_style() {
        let kinds = [
            "RequestVote",
            "RequestVoteReply",
            "PreVote",
            "PreVoteReply",
            "AppendEntries",
            "Heartbeat",
            "AppendEntriesReply",
            "TimeoutNow",
        ];
        for kind in kinds {
            assert_eq!(style_of::<RaftNode>(kind).kind, kind);
        }
        assert_eq!(style_of::<RaftNode>("Gossip").kind, "message", "unknown kinds fall back");
    }

    #[test]
    fn every_property_the_checks_report_is_listed() {
        // The names are what violations carry: the invariant panel matches on them.
        let names: Vec<&str> = RaftNode::PROPERTIES.iter().map(|p| p.name).collect();
        for name in crate::raft::invariants::PROPERTY_NAMES {
            assert!(names.contains(&name), "{name} is checked but not listed");
        }
        assert_eq!(names.len(), crate::raft::invariants::PROPERTY_NAMES.len());
    }

    /// Three servers on RaftScope's timing, two seconds in: a leader is elected.
    fn three_with_a_leader() -> (World<RaftNode>, NodeId) {
        let mut w = World::<RaftNode>::observing(
            RaftConfig::raftscope(3),
            7,
            LinkParams::default(),
            Observe::default(),
        );
        w.run_until(2_000 * crate::MILLIS);
        let leader = RaftNode::leader(&w).expect("a leader after two seconds");
        (w, leader)
    }

    #[test]
    fn a_leader_is_drawn_as_leader_and_offers_transfers_a_follower_an_election() {
        let (mut w, leader) = three_with_a_leader();
        let v = RaftNode::node_view(&w, leader);
        assert_eq!((v.tone, v.role.as_str()), (Tone::Leader, "leader"));
        assert_eq!((v.kind, v.label), (crate::NodeKind(0), leader.to_string()));
        assert_eq!(crate::view::kind_name::<RaftNode>(v.kind), "server");
        assert_eq!(v.badge, w.node(leader).unwrap().current_term().to_string());
        let fields = RaftNode::node_fields(&w, leader);
        assert!(fields.iter().any(|f| f.name == "nextIndex"), "{fields:?}");
        let commands = RaftNode::node_commands(&w, leader);
        assert_eq!(commands.len(), 2);
        assert!(commands[0].label.starts_with("Transfer leadership to"));

        let follower = NodeId((leader.0 + 1) % 3);
        let f = RaftNode::node_view(&w, follower);
        assert_eq!(f.tone, Tone::Member);
        assert_eq!(f.caption, format!("voted {leader}"));
        assert!(f.timer.is_some(), "a follower's election timer is drawn");
        assert_eq!(RaftNode::node_commands(&w, follower)[0].command, RaftCommand::ForceElection);

        w.apply(&crate::Action::Crash(follower)).unwrap();
        let down = RaftNode::node_view(&w, follower);
        assert_eq!((down.tone, down.caption.as_str()), (Tone::Down, "crashed"));
        assert!(RaftNode::node_commands(&w, follower).is_empty());
    }

    #[test]
    fn requests_parse_with_a_reason_when_they_do_not() {
        assert_eq!(RaftNode::parse_request("y = 4").unwrap().to_string(), "y=4");
        assert!(RaftNode::parse_request("y").unwrap_err().contains("key=value"));
    }

    #[test]
    fn the_page_reads_only_the_latest_entries_of_a_long_log() {
        let (mut w, leader) = three_with_a_leader();
        for i in 0..30 {
            let request = RaftNode::parse_request(&format!("x={i}")).unwrap();
            w.apply(&crate::Action::Request { node: leader, request }).unwrap();
        }
        let whole = view::server(&w, leader);
        assert_eq!((whole.log.len(), whole.log_len), (30, 30));
        let tail = view::server_from(&w, leader, 25);
        assert_eq!((tail.log.len(), tail.log_len), (6, 30));
        assert_eq!(tail.log, whole.log[24..]);
        assert_eq!(view::longest_log(&w), 30);
        let log = RaftNode::node_fields(&w, leader).into_iter().find(|f| f.name == "log").unwrap();
        assert!(log.value.starts_with("… 10 earlier; 11:x=10@"), "{}", log.value);
        assert!(log.value.ends_with(&format!("30:x=29@{}", whole.current_term)), "{}", log.value);
    }
}
