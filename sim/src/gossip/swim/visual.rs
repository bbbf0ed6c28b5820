//! SWIM's side of the protocol-neutral view (`crate::view::Visual`), and
//! what a large drawing needs of each member in constant time: its state
//! as the world knows it, or as one member's view holds it (so the page can
//! show a view converging as news spreads, §4.1).

use super::config::SwimConfig;
use super::invariants::NO_FALSE_DEATH;
use super::membership::Status;
use super::messages::{News, Piggyback, SwimMessage};
use super::node::{SwimCommand, SwimNode, SwimRequest, SwimTimer};
use crate::ids::{NodeId, format_time};
use crate::view::{Field, KindStyle, NodeCommand, NodeView, Property, Shape, Tone, Visual};
use crate::world::World;

/// A member's state, for drawing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemberState {
    Alive,
    Suspect,
    Dead,
    /// Not in the group: it left, or never joined.
    Outside,
}

impl MemberState {
    pub fn name(self) -> &'static str {
        match self {
            MemberState::Alive => "alive",
            MemberState::Suspect => "suspect",
            MemberState::Dead => "dead",
            MemberState::Outside => "outside the group",
        }
    }
}

/// Member `id` as it is (crashed members are dead), or, with a `viewer`,
/// as the viewer's membership list holds it.
pub fn member_state(world: &World<SwimNode>, id: NodeId, viewer: Option<NodeId>) -> MemberState {
    let config = world.config();
    match viewer.and_then(|v| world.node(v)) {
        Some(v) => match v.entry(config, id).status {
            Status::Alive => MemberState::Alive,
            Status::Suspect => MemberState::Suspect,
            Status::Dead => MemberState::Dead,
            Status::Left | Status::Unknown => MemberState::Outside,
        },
        None => match (world.node(id), world.durable(id)) {
            (Some(n), _) if n.is_member() => MemberState::Alive,
            (None, Some(d)) if d.member => MemberState::Dead,
            _ => MemberState::Outside,
        },
    }
}

fn news(items: &[News]) -> String {
    if items.is_empty() {
        return "none".into();
    }
    let words: Vec<String> = items
        .iter()
        .map(|n| {
            format!("{} {} (incarnation {})", n.member, n.entry.status.word(), n.entry.incarnation)
        })
        .collect();
    words.join(", ")
}

fn piggyback(items: &Piggyback) -> Field {
    Field::new("news", news(items))
}

impl Visual for SwimNode {
    // Circles probe (§3), triangles join; hollow marks answer.
    const KINDS: &'static [KindStyle] = &[
        KindStyle {
            kind: "Ping",
            shape: Shape::Circle,
            reply: false,
            meaning: "\"are you there?\", with membership news piggybacked (§3, §4.1)",
        },
        KindStyle {
            kind: "PingReq",
            shape: Shape::Square,
            reply: false,
            meaning: "\"ping this member for me\", to k members after a missed ack (§3)",
        },
        KindStyle {
            kind: "Ack",
            shape: Shape::Circle,
            reply: true,
            meaning: "the answer to a ping, or one passed back for another (§3)",
        },
        KindStyle {
            kind: "Join",
            shape: Shape::Triangle,
            reply: false,
            meaning: "a node asks a member to let it into the group",
        },
        KindStyle {
            kind: "JoinAck",
            shape: Shape::Triangle,
            reply: true,
            meaning: "the member's answer: its view beyond the founders",
        },
    ];
    const PROPERTIES: &'static [Property] = &[Property {
        name: NO_FALSE_DEATH,
        source: "SWIM §4.2",
        statement: "While no message is lost and no node crashes, no member declares a live \
                    member dead: a suspected member refutes with a higher incarnation.",
    }];
    const NODE_NOUN: &'static str = "member";
    const COMMAND_KEY_HELP: &'static str = "join the group, or leave it";
    const NODE_KINDS: &'static [&'static str] = &["member"];

    fn node_view(world: &World<Self>, id: NodeId) -> NodeView {
        let durable = world.durable(id).expect("the node exists");
        let node = world.node(id);
        let (tone, role) = match node {
            None => (Tone::Down, "crashed"),
            Some(n) if !n.is_member() => (Tone::Member, "outside the group"),
            Some(n) if !n.suspicions().is_empty() => (Tone::Candidate, "suspecting"),
            Some(_) => (Tone::Member, "member"),
        };
        let caption = match node.and_then(SwimNode::probe) {
            Some(p) => format!("pinging {}", p.target),
            None => match node.map_or(0, |n| n.suspicions().len()) {
                0 => String::new(),
                1 => "suspects 1".into(),
                s => format!("suspects {s}"),
            },
        };
        NodeView {
            id,
            kind: world.node_kind(id),
            label: id.to_string(),
            tone,
            role: role.to_string(),
            badge: durable.incarnation.to_string(),
            badge_name: "incarnation",
            caption,
            timer: None,
        }
    }

    fn node_fields(world: &World<Self>, id: NodeId) -> Vec<Field> {
        let Some(durable) = world.durable(id) else { return Vec::new() };
        let mut fields = vec![
            Field::new("state", if world.node(id).is_some() { "up" } else { "crashed" }),
            Field::new("in the group", if durable.member { "yes" } else { "no" }),
            Field::new("incarnation", durable.incarnation),
        ];
        let Some(node) = world.node(id) else { return fields };
        if let Some(p) = node.probe() {
            let answered = if p.acked { "acked" } else { "no ack yet" };
            fields.push(Field::new("probe", format!("{} (ping {}): {answered}", p.target, p.seq)));
        }
        for &(suspect, since) in node.suspicions() {
            let deadline = world
                .pending_timers()
                .find(|t| t.node == id && t.timer == SwimTimer::Suspicion(suspect))
                .map_or(String::new(), |t| {
                    format!(", declared dead at {}", format_time(t.fires_at))
                });
            fields.push(Field::new(
                "suspects",
                format!("{suspect} since {}{deadline}", format_time(since)),
            ));
        }
        for (member, entry) in node.view_changes() {
            fields.push(Field::new(
                "holds",
                format!("{member} {} (incarnation {})", entry.status.word(), entry.incarnation),
            ));
        }
        for (item, sent) in node.queue().items() {
            fields.push(Field::new("passes on", format!("{}, sent {sent} times", news(&[*item]))));
        }
        fields
    }

    fn message_fields(_config: &SwimConfig, message: &SwimMessage) -> Vec<Field> {
        match message {
            SwimMessage::Ping { seq, news } | SwimMessage::Ack { seq, news } => {
                vec![Field::new("ping", seq), piggyback(news)]
            }
            SwimMessage::PingReq { seq, target, news } => {
                vec![Field::new("ping", seq), Field::new("target", target), piggyback(news)]
            }
            SwimMessage::Join { incarnation } => vec![Field::new("incarnation", incarnation)],
            SwimMessage::JoinAck { view } => vec![Field::new("view", news(view))],
        }
    }

    /// Leave, for a member; join through the first live member, for a node outside.
    fn node_commands(world: &World<Self>, id: NodeId) -> Vec<NodeCommand<SwimCommand>> {
        let Some(node) = world.node(id) else { return Vec::new() };
        if node.is_member() {
            return vec![NodeCommand {
                label: "Leave the group".into(),
                command: SwimCommand::Leave,
            }];
        }
        let via = (0..world.node_count())
            .map(NodeId)
            .find(|&v| v != id && world.node(v).is_some_and(SwimNode::is_member));
        via.map(|via| NodeCommand {
            label: format!("Join through {via}"),
            command: SwimCommand::Join { via },
        })
        .into_iter()
        .collect()
    }

    fn parse_request(_text: &str) -> Result<SwimRequest, String> {
        Err("SWIM members take no client requests: act on a member from its menu".into())
    }

    fn example_request(_n: u64) -> String {
        String::new()
    }

    fn leader(_world: &World<Self>) -> Option<NodeId> {
        None
    }

    fn takes_requests(_world: &World<Self>, _id: NodeId) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::action::Action;
    use crate::network::LinkParams;
    use crate::world::Observe;

    #[test]
    fn a_crash_reaches_a_members_view_and_its_menu_offers_leave_and_join() {
        let config = SwimConfig { initial: 9, ..SwimConfig::new(10) };
        let period = config.period;
        let mut w =
            World::<SwimNode>::observing(config, 5, LinkParams::default(), Observe::default());
        w.run_until(3 * period);
        assert_eq!(member_state(&w, NodeId(9), None), MemberState::Outside);
        assert_eq!(member_state(&w, NodeId(4), Some(NodeId(0))), MemberState::Alive);
        w.apply(&Action::Crash(NodeId(4))).unwrap();
        assert_eq!(member_state(&w, NodeId(4), None), MemberState::Dead);
        w.run_until(w.now() + 40 * period);
        assert_eq!(member_state(&w, NodeId(4), Some(NodeId(0))), MemberState::Dead);
        let leave = SwimNode::node_commands(&w, NodeId(1));
        assert_eq!(
            leave.iter().map(|c| c.command.clone()).collect::<Vec<_>>(),
            [SwimCommand::Leave]
        );
        let join = SwimNode::node_commands(&w, NodeId(9));
        assert_eq!(join[0].command, SwimCommand::Join { via: NodeId(0) });
        w.apply(&Action::Command { node: NodeId(9), command: join[0].command.clone() }).unwrap();
        w.run_until(w.now() + 20 * period);
        assert_eq!(member_state(&w, NodeId(9), Some(NodeId(3))), MemberState::Alive);
        assert!(SwimNode::node_fields(&w, NodeId(0)).iter().any(|f| f.name == "holds"));
    }

    #[test]
    fn every_message_kind_is_drawn_and_requests_are_refused_in_words() {
        let all = [
            SwimMessage::Ping { seq: 1, news: Piggyback::new() },
            SwimMessage::PingReq { seq: 1, target: NodeId(2), news: Piggyback::new() },
            SwimMessage::Ack { seq: 1, news: Piggyback::new() },
            SwimMessage::Join { incarnation: 1 },
            SwimMessage::JoinAck { view: Vec::new() },
        ];
        for m in all {
            let kind = m.kind().as_str();
            assert!(SwimNode::KINDS.iter().any(|k| k.kind == kind), "{kind}");
        }
        assert!(SwimNode::parse_request("x").unwrap_err().contains("no client requests"));
    }
}
