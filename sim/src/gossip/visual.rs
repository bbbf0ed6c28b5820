//! The epidemic engine's side of the protocol-neutral view
//! (`crate::view::Visual`), and the one number a large drawing needs of each
//! site: its state for one key in Demers' terms (§1.4: susceptible,
//! infective, removed), read in constant time so a canvas of 10,000 sites
//! can ask for just the sites a step touched.

use super::invariants::LOSS_OF_INTEREST;
use super::messages::Message;
use super::node::{GossipNode, Request};
use super::store::{Key, Updates};
use crate::ids::{NodeId, format_time};
use crate::view::{Field, KindStyle, NodeCommand, NodeView, Property, Shape, Tone, Visual};
use crate::world::World;

/// A site's state for one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SiteState {
    /// It holds no version of the key.
    Susceptible,
    /// It holds one and spreads it: a hot rumor, or under anti-entropy,
    /// where every site that knows spreads, always.
    Infective,
    /// It holds one and has lost interest (rumor mongering).
    Removed,
    /// Crashed.
    Down,
}

impl SiteState {
    pub fn name(self) -> &'static str {
        match self {
            SiteState::Susceptible => "susceptible",
            SiteState::Infective => "infective",
            SiteState::Removed => "removed",
            SiteState::Down => "crashed",
        }
    }
}

/// Site `id`'s state for `key`.
pub fn site_state(world: &World<GossipNode>, id: NodeId, key: Key) -> SiteState {
    let Some(node) = world.node(id) else { return SiteState::Down };
    match node.store().get(key) {
        None => SiteState::Susceptible,
        Some(known) => {
            let rumors = world.config().style == super::config::Style::RumorMongering;
            if !rumors || node.is_hot(&known.update) {
                SiteState::Infective
            } else {
                SiteState::Removed
            }
        }
    }
}

/// Keys a request may name.
pub const MAX_KEY: Key = 99;

fn list(updates: &Updates) -> String {
    if updates.is_empty() {
        return "nothing".into();
    }
    updates.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

impl Visual for GossipNode {
    // Circles carry whole stores (anti-entropy, §1.3), squares hot rumors
    // (§1.4); hollow marks answer.
    const KINDS: &'static [KindStyle] = &[
        KindStyle {
            kind: "Push",
            shape: Shape::Circle,
            reply: false,
            meaning: "anti-entropy, push: the caller's whole store (§1.3)",
        },
        KindStyle {
            kind: "Pull",
            shape: Shape::Circle,
            reply: false,
            meaning: "anti-entropy, pull: \"send me your store\" (§1.3)",
        },
        KindStyle {
            kind: "Exchange",
            shape: Shape::Circle,
            reply: false,
            meaning: "anti-entropy, push-pull: the caller's store, to be answered (§1.3)",
        },
        KindStyle {
            kind: "Store",
            shape: Shape::Circle,
            reply: true,
            meaning: "anti-entropy's answer: what the partner has that is newer (§1.3)",
        },
        KindStyle {
            kind: "Rumor",
            shape: Shape::Square,
            reply: false,
            meaning: "rumor mongering, push: the caller's hot rumors (§1.4)",
        },
        KindStyle {
            kind: "RumorRequest",
            shape: Shape::Square,
            reply: false,
            meaning: "rumor mongering, pull: what the caller knows, to be sent news (§1.4)",
        },
        KindStyle {
            kind: "RumorExchange",
            shape: Shape::Square,
            reply: false,
            meaning: "rumor mongering, push-pull: hot rumors and what the caller knows (§1.4)",
        },
        KindStyle {
            kind: "RumorReply",
            shape: Shape::Square,
            reply: true,
            meaning: "the partner's hot rumors that are news, and which rumors it knew (§1.4)",
        },
        KindStyle {
            kind: "Feedback",
            shape: Shape::Diamond,
            reply: true,
            meaning: "push with feedback: which rumors the receiver already knew (§1.4)",
        },
    ];
    const PROPERTIES: &'static [Property] = &[Property {
        name: LOSS_OF_INTEREST,
        source: "Demers et al. 1987, §1.4",
        statement: "With a counter, a site stops spreading a rumor after k contacts that count \
                    against it, so every rumor dies out.",
    }];
    const NODE_NOUN: &'static str = "site";
    const COMMAND_KEY_HELP: &'static str = "nothing: sites take no commands";
    const NODE_KINDS: &'static [&'static str] = &["site"];

    fn node_view(world: &World<Self>, id: NodeId) -> NodeView {
        let node = world.node(id);
        let held = world.durable(id).map_or(0, |d| d.store.entries().len());
        let caption = match node {
            None => "crashed".to_string(),
            Some(n) if n.rumors().is_empty() => "no hot rumor".to_string(),
            Some(n) => {
                let keys: Vec<String> =
                    n.rumors().iter().map(|r| format!("k{}", r.update.key)).collect();
                format!("hot: {}", keys.join(" "))
            }
        };
        let role = match node {
            None => "crashed",
            Some(n) if !n.rumors().is_empty() => "infective",
            Some(_) if held > 0 => "informed",
            Some(_) => "susceptible",
        };
        NodeView {
            id,
            kind: world.node_kind(id),
            label: id.to_string(),
            tone: if node.is_some() { Tone::Member } else { Tone::Down },
            role: role.to_string(),
            badge: held.to_string(),
            badge_name: "keys held",
            caption,
            timer: None,
        }
    }

    fn node_fields(world: &World<Self>, id: NodeId) -> Vec<Field> {
        let mut fields = Vec::new();
        let Some(durable) = world.durable(id) else { return fields };
        fields.push(Field::new("state", if world.node(id).is_some() { "up" } else { "crashed" }));
        if durable.store.entries().is_empty() {
            fields.push(Field::new("store", "empty"));
        }
        for known in durable.store.entries() {
            fields.push(Field::new(
                "holds",
                format!("{}, learned at {}", known.update, format_time(known.learned)),
            ));
        }
        if let Some(node) = world.node(id) {
            for rumor in node.rumors() {
                fields.push(Field::new(
                    "hot rumor",
                    format!("{}: {} contacts counted against it", rumor.update, rumor.counted),
                ));
            }
        }
        let timer = world.pending_timers().find(|t| t.node == id).map(|t| t.fires_at);
        if let Some(at) = timer {
            fields.push(Field::new("gossips next at", format_time(at)));
        }
        fields
    }

    fn message_fields(_config: &Self::Config, message: &Message) -> Vec<Field> {
        match message {
            Message::Push { updates } | Message::Exchange { updates } => {
                vec![Field::new("store", list(updates))]
            }
            Message::Store { updates } => vec![Field::new("newer", list(updates))],
            Message::Pull => vec![Field::new("asks for", "the partner's store")],
            Message::Rumor { rumors } => vec![Field::new("rumors", list(rumors))],
            Message::RumorRequest { digest } => vec![Field::new("knows", list(digest))],
            Message::RumorExchange { rumors, digest } => {
                vec![Field::new("rumors", list(rumors)), Field::new("knows", list(digest))]
            }
            Message::RumorReply { rumors, known } => {
                vec![Field::new("rumors", list(rumors)), Field::new("already knew", list(known))]
            }
            Message::Feedback { known } => vec![Field::new("already knew", list(known))],
        }
    }

    fn node_commands(_world: &World<Self>, _id: NodeId) -> Vec<NodeCommand<Self::Command>> {
        Vec::new()
    }

    /// "update k2", "k2" or "2": a new version of key 2.
    fn parse_request(text: &str) -> Result<Request, String> {
        let text = text.trim();
        let key = text.strip_prefix("update").map_or(text, str::trim);
        let key = key.strip_prefix('k').unwrap_or(key);
        match key.parse::<Key>() {
            Ok(key) if key <= MAX_KEY => Ok(Request::Update { key }),
            _ => Err(format!(
                "“{text}” is not an update: write a key from k0 to k{MAX_KEY}, as in “update k1”"
            )),
        }
    }

    fn example_request(n: u64) -> String {
        format!("update k{}", n % 3)
    }

    fn leader(_world: &World<Self>) -> Option<NodeId> {
        None
    }

    /// Site 0, the origin of the standard runs, or the first site that is up.
    fn request_target(world: &World<Self>) -> Option<NodeId> {
        (0..world.node_count()).map(NodeId).find(|&id| world.node(id).is_some())
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::action::Action;
    use crate::gossip::config::{Direction, GossipConfig};
    use crate::gossip::workload;
    use crate::network::LinkParams;
    use crate::protocol::Protocol;
    use crate::world::Observe;

    #[test]
    fn sites_go_from_susceptible_to_infective_to_removed() {
        let config = GossipConfig::rumor_mongering(50, Direction::Push);
        let mut w = workload::start(config, 3, LinkParams::default(), Observe::default());
        assert_eq!(site_state(&w, NodeId(0), 0), SiteState::Infective);
        assert_eq!(site_state(&w, NodeId(1), 0), SiteState::Susceptible);
        workload::play(&mut w);
        let states: Vec<SiteState> = (0..50).map(|i| site_state(&w, NodeId(i), 0)).collect();
        assert!(!states.contains(&SiteState::Infective), "the rumor died out");
        let informed = w.measures().updates[0].informed as usize;
        assert_eq!(states.iter().filter(|s| **s == SiteState::Removed).count(), informed);
        w.apply(&Action::Crash(NodeId(4))).unwrap();
        assert_eq!(site_state(&w, NodeId(4), 0), SiteState::Down);
        assert_eq!(GossipNode::node_view(&w, NodeId(4)).tone, Tone::Down);
    }

    #[test]
    fn requests_read_as_people_write_them() {
        let update = |key| Ok(Request::Update { key });
        assert_eq!(GossipNode::parse_request("update k2"), update(2));
        assert_eq!(GossipNode::parse_request(" k7 "), update(7));
        assert_eq!(GossipNode::parse_request("3"), update(3));
        assert!(GossipNode::parse_request("k100").unwrap_err().contains("k0 to k99"));
        assert!(GossipNode::parse_request("x=1").is_err());
        let example = GossipNode::example_request(4);
        assert_eq!(GossipNode::parse_request(&example), update(1));
        assert_eq!(GossipNode::request_text(&Request::Update { key: 1 }), example);
    }

    #[test]
    fn every_message_kind_is_drawn() {
        let none = Updates::new;
        let all = [
            Message::Push { updates: none() },
            Message::Pull,
            Message::Exchange { updates: none() },
            Message::Store { updates: none() },
            Message::Rumor { rumors: none() },
            Message::RumorRequest { digest: none() },
            Message::RumorExchange { rumors: none(), digest: none() },
            Message::RumorReply { rumors: none(), known: none() },
            Message::Feedback { known: none() },
        ];
        for m in all {
            let kind = m.kind().as_str();
            assert!(GossipNode::KINDS.iter().any(|k| k.kind == kind), "{kind}");
            assert!(!GossipNode::message_fields(&GossipConfig::default(), &m).is_empty());
        }
        assert_eq!(GossipNode::KINDS.len(), 9);
    }
}
