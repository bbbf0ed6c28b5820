//! Standard epidemic runs, shared by the benchmarks, the theory tests and
//! the command line: one update made at site 0 at time 0, then the run
//! played a period at a time until the update has reached every site
//! (anti-entropy) or its rumor has died out (rumor mongering).

use crate::action::Action;
use crate::ids::{NodeId, Time};
use crate::network::LinkParams;
use crate::world::{Observe, World};

use super::config::{GossipConfig, Style};
use super::node::{GossipNode, Request};

/// The first update of a run: key 0 at site 0.
pub const FIRST_UPDATE: Request = Request::Update { key: 0 };

/// How a standard run ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Sites that never heard, over all sites (Demers' residue s).
    pub residue: f64,
    /// The round in which the last site learned the update, when every
    /// site holds it: under `Timing::Rounds`, with the update made before
    /// round 1, the number of rounds it took (Pittel's S_n).
    pub full_spread: Option<u64>,
    /// The average and the last delay to learn it, in periods (t_ave, t_last).
    pub average_delay: f64,
    pub last_delay: f64,
    /// Messages per site, of every kind.
    pub messages_per_site: f64,
    /// Rumor mongering's pushes per site (Demers §1.4's traffic m).
    pub rumor_messages_per_site: f64,
    pub steps: u64,
    pub trace_hash: u64,
}

/// The longest a standard run plays, in periods: far past any spread or
/// rumor's death at 10,000 sites, so only a broken run reaches it.
pub const MAX_PERIODS: u64 = 2_000;

/// A world with the first update made at site 0.
pub fn start(
    config: GossipConfig,
    seed: u64,
    links: LinkParams,
    observe: Observe,
) -> World<GossipNode> {
    let mut world = World::observing(config, seed, links, observe);
    world
        .apply(&Action::Request { node: NodeId(0), request: FIRST_UPDATE })
        .expect("site 0 is up at the start");
    world
}

/// Whether a standard run is over: the update is everywhere (anti-entropy),
/// or no site spreads it any more (rumor mongering), and then, with
/// anti-entropy behind it, the backup has repaired the residue (§1.5).
pub fn finished(world: &World<GossipNode>) -> bool {
    let spread = &world.measures().updates[0];
    let everywhere = spread.informed == world.node_count();
    match world.config().style {
        Style::AntiEntropy => everywhere,
        Style::RumorMongering => {
            spread.died_at.is_some() && (everywhere || world.config().backup.is_none())
        }
    }
}

/// Plays `world` event by event until [`finished`], or `MAX_PERIODS`.
pub fn play(world: &mut World<GossipNode>) {
    let limit: Time = world.config().period.saturating_mul(MAX_PERIODS);
    while !finished(world) && world.now() < limit {
        if world.apply(&Action::Step).is_err() {
            break;
        }
    }
}

/// A standard run from start to finish.
pub fn run(config: GossipConfig, seed: u64, links: LinkParams, observe: Observe) -> Outcome {
    let mut world = start(config, seed, links, observe);
    play(&mut world);
    outcome(&world)
}

pub fn outcome(world: &World<GossipNode>) -> Outcome {
    let (n, period) = (world.node_count(), world.config().period as f64);
    let measures = world.measures();
    let spread = &measures.updates[0];
    Outcome {
        residue: spread.residue(n),
        full_spread: spread.full_at(n).map(|t| t / world.config().period),
        average_delay: spread.average_delay().unwrap_or(0.0) / period,
        last_delay: spread.last_delay() as f64 / period,
        messages_per_site: measures.messages_per_site(n, None),
        rumor_messages_per_site: measures.messages_per_site(n, Some("Rumor")),
        steps: world.step(),
        trace_hash: world.trace_hash(),
    }
}
