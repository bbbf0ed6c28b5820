//! Random schedule search: run many random schedules with crashes, restarts,
//! partitions, loss, duplication and reordering, stop at the first invariant
//! violation, and shrink the schedule to a short one that still breaks the
//! same property. Each schedule draws from its own stream, keyed by the
//! search's seed and its number, so a search split across cores finds the
//! same first schedule as one run in order. The engines' tests use it to show that every mistake is
//! caught and that, with all mistakes off, nothing is. Partitions split
//! nodes of every kind (PBFT's replicas and clients alike), and an engine
//! with Byzantine nodes adds its named behaviours as one more fault kind.

pub use chacha20::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

use crate::action::Action;
use crate::ids::{MILLIS, NodeId};
use crate::invariant::Violation;
use crate::network::{LinkParams, PPM};
use crate::protocol::Protocol;
use crate::world::World;

/// How often each kind of fault is chosen instead of a plain step, in parts
/// per million of actions.
#[derive(Clone, Copy, Debug)]
pub struct Faults {
    pub crash: u32,
    pub restart: u32,
    pub partition: u32,
    pub heal: u32,
    pub deliver_early: u32,
    pub drop: u32,
    pub duplicate: u32,
    /// A protocol action (a client request, say), from the caller's generator.
    pub protocol: u32,
    /// A Byzantine fault (a command that makes a node lie), from the
    /// caller's generator; none unless a search asks for them.
    pub byzantine: u32,
    /// Largest loss and duplication rates a schedule's network may get.
    pub max_loss: u32,
    pub max_duplication: u32,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            crash: 15_000,
            restart: 30_000,
            partition: 8_000,
            heal: 15_000,
            deliver_early: 20_000,
            drop: 10_000,
            duplicate: 10_000,
            protocol: 40_000,
            byzantine: 0,
            max_loss: PPM / 10,
            max_duplication: PPM / 20,
        }
    }
}

impl Faults {
    /// Why these rates cannot be used, if they cannot: each action is at
    /// most one fault, so the rates may add up to 100% at most.
    pub fn problem(&self) -> Option<String> {
        let total: u64 = [
            self.crash,
            self.restart,
            self.partition,
            self.heal,
            self.deliver_early,
            self.drop,
            self.duplicate,
            self.protocol,
            self.byzantine,
        ]
        .iter()
        .map(|&r| u64::from(r))
        .sum();
        (total > u64::from(PPM)).then(|| {
            format!(
                "the fault rates add up to {:.1}% of actions; each action is at most one fault, \
                 so they may add up to 100% at most",
                total as f64 / f64::from(PPM) * 100.0
            )
        })
    }

    /// Reordering, early delivery and duplicates only: no message lost, no
    /// node crashed, no partition, no request. SWIM's accuracy property
    /// holds only in such runs.
    pub fn lossless() -> Faults {
        Faults {
            crash: 0,
            restart: 0,
            partition: 0,
            heal: 0,
            drop: 0,
            protocol: 0,
            max_loss: 0,
            ..Faults::default()
        }
    }
}

/// A schedule that broke a property: enough to replay it exactly.
#[derive(Clone, Debug)]
pub struct Counterexample<P: Protocol> {
    /// The world's seed.
    pub seed: u64,
    pub links: LinkParams,
    pub actions: Vec<Action<P>>,
    pub violation: Violation,
}

impl<P: Protocol> Counterexample<P> {
    /// The seed, the network and every action, one per line (runs of plain
    /// steps folded into one line), for a test log.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "{}\nseed {}, links {:?}, {} actions:\n",
            self.violation,
            self.seed,
            self.links,
            self.actions.len()
        );
        let mut i = 0;
        while i < self.actions.len() {
            let run = self.actions[i..].iter().take_while(|a| matches!(a, Action::Step)).count();
            if run > 1 {
                text.push_str(&format!("  {:>4}. Step × {run}\n", i + 1));
                i += run;
            } else {
                text.push_str(&format!("  {:>4}. {:?}\n", i + 1, self.actions[i]));
                i += 1;
            }
        }
        text
    }
}

/// Makes one of the engine's own actions for a schedule, or none. Shared
/// between threads: a search's schedules may run on several cores.
pub type Generator<'a, P> = &'a (dyn Fn(&World<P>, &mut ChaCha8Rng) -> Option<Action<P>> + Sync);

/// The engine's actions a schedule may take besides the world's faults,
/// each chosen at its rate in [`Faults`].
pub struct Moves<'a, P: Protocol> {
    /// At `Faults::protocol`: a client request, say.
    pub protocol: Generator<'a, P>,
    /// At `Faults::byzantine`: a command that makes a node lie.
    pub byzantine: Generator<'a, P>,
}

// By hand: a derive would ask `P: Copy`.
impl<P: Protocol> Clone for Moves<'_, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P: Protocol> Copy for Moves<'_, P> {}

/// Searches `schedules` random schedules of `steps` actions each, derived
/// from `search_seed`. Returns the first violation found, shrunk.
pub fn search<P: Protocol>(
    config: &P::Config,
    search_seed: u64,
    schedules: u32,
    steps: u32,
    faults: &Faults,
    protocol_action: &(impl Fn(&World<P>, &mut ChaCha8Rng) -> Option<Action<P>> + Sync),
) -> Option<Counterexample<P>> {
    let moves = Moves { protocol: protocol_action, byzantine: &|_, _| None };
    search_with(config, search_seed, schedules, steps, faults, moves)
}

/// [`search`] with Byzantine faults, or any other generated moves.
pub fn search_with<P: Protocol>(
    config: &P::Config,
    search_seed: u64,
    schedules: u32,
    steps: u32,
    faults: &Faults,
    moves: Moves<'_, P>,
) -> Option<Counterexample<P>> {
    search_for(config, search_seed, schedules, steps, faults, moves, &|_| true)
}

/// [`search_with`], counting only the violations `wanted` picks: a search
/// for a given property goes on past others that break first.
pub fn search_for<P: Protocol>(
    config: &P::Config,
    search_seed: u64,
    schedules: u32,
    steps: u32,
    faults: &Faults,
    moves: Moves<'_, P>,
    wanted: &dyn Fn(&Violation) -> bool,
) -> Option<Counterexample<P>> {
    (0..u64::from(schedules))
        .find_map(|index| schedule(config, search_seed, index, steps, faults, moves, wanted))
        .map(|found| found.shrink(config))
}

/// A schedule that broke a property, before shrinking.
#[derive(Clone, Debug)]
pub struct Found<P: Protocol> {
    seed: u64,
    links: LinkParams,
    moves: Vec<Move<P>>,
    violation: Violation,
}

impl<P: Protocol> Found<P> {
    /// What broke, as the schedule found it.
    pub fn violation(&self) -> &Violation {
        &self.violation
    }

    /// Actions the schedule took before the property broke.
    pub fn len(&self) -> usize {
        self.moves.len()
    }

    pub fn is_empty(&self) -> bool {
        self.moves.is_empty()
    }

    /// The shortest schedule found that still breaks the same property.
    pub fn shrink(self, config: &P::Config) -> Counterexample<P> {
        self.shrink_until(config, &|| false)
    }

    /// [`Found::shrink`], giving up when `stop` says so (a user's Ctrl-C)
    /// with the shortest schedule found so far, which still breaks it.
    pub fn shrink_until(self, config: &P::Config, stop: &dyn Fn() -> bool) -> Counterexample<P> {
        shrink(config, self.seed, self.links, self.moves, &self.violation.property, stop)
    }
}

/// Schedule number `index` of the search `search_seed`: its own random
/// stream, so that schedules can run in any order, on any number of cores,
/// and a search finds the same first schedule. Returns what it broke, if
/// it broke a property `wanted` picks.
pub fn schedule<P: Protocol>(
    config: &P::Config,
    search_seed: u64,
    index: u64,
    steps: u32,
    faults: &Faults,
    moves: Moves<'_, P>,
    wanted: &dyn Fn(&Violation) -> bool,
) -> Option<Found<P>> {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&search_seed.to_le_bytes());
    key[8..16].copy_from_slice(&index.to_le_bytes());
    let mut rng = ChaCha8Rng::from_seed(key);
    let seed = rng.next_u64();
    let links = LinkParams {
        loss_ppm: below(&mut rng, faults.max_loss + 1),
        duplicate_ppm: below(&mut rng, faults.max_duplication + 1),
        latency_min: 5 * MILLIS,
        latency_max: 5 * MILLIS + u64::from(below(&mut rng, 20_000)),
    };
    let mut world = World::<P>::new(config.clone(), seed, links);
    let mut taken = Vec::new();
    for _ in 0..steps {
        let action = random_action(&world, &mut rng, faults, moves);
        let mv = Move::of(&world, action.clone());
        let applied =
            world.apply(&action).map(|s| s.violations().iter().find(|v| wanted(v)).cloned());
        let Ok(violation) = applied else { continue };
        taken.push(mv);
        if let Some(violation) = violation {
            return Some(Found { seed, links, moves: taken, violation });
        }
    }
    None
}

/// An action as the shrinker keeps it. A hand-picked message is named by
/// its link, kind and rank among the messages in flight on that link, not by
/// its id: removing an earlier action renumbers ids, and a name by id would
/// then point at another message or none.
#[derive(Clone, Debug)]
enum Move<P: Protocol> {
    Plain(Action<P>),
    OnMessage {
        op: MessageOp<P::Command>,
        from: NodeId,
        to: NodeId,
        kind: &'static str,
        rank: usize,
    },
}

#[derive(Clone, Debug)]
enum MessageOp<C> {
    Deliver,
    Drop,
    Duplicate,
    /// Its sender puts what the command makes of it in its place (a lie).
    Substitute(C),
}

impl<P: Protocol> Move<P> {
    fn of(world: &World<P>, action: Action<P>) -> Move<P> {
        let (op, id) = match action {
            Action::Deliver(id) => (MessageOp::Deliver, id),
            Action::Drop(id) => (MessageOp::Drop, id),
            Action::Duplicate(id) => (MessageOp::Duplicate, id),
            Action::Substitute { message, ref command } => {
                (MessageOp::Substitute(command.clone()), message)
            }
            other => return Move::Plain(other),
        };
        let Some(m) = world.message(id) else { return Move::Plain(action) };
        let kind = P::message_kind(&m.message);
        let (from, to) = (m.from, m.to);
        let rank = world
            .in_flight()
            .filter(|o| o.from == from && o.to == to && P::message_kind(&o.message) == kind)
            .take_while(|o| o.id != id)
            .count();
        Move::OnMessage { op, from, to, kind, rank }
    }

    /// The concrete action in `world`, if the move still names something.
    fn resolve(&self, world: &World<P>) -> Option<Action<P>> {
        let Move::OnMessage { op, from, to, kind, rank } = self else {
            return match self {
                Move::Plain(action) => Some(action.clone()),
                Move::OnMessage { .. } => None,
            };
        };
        let id = world
            .in_flight()
            .filter(|o| o.from == *from && o.to == *to && P::message_kind(&o.message) == *kind)
            .nth(*rank)?
            .id;
        Some(match op {
            MessageOp::Deliver => Action::Deliver(id),
            MessageOp::Drop => Action::Drop(id),
            MessageOp::Duplicate => Action::Duplicate(id),
            MessageOp::Substitute(command) => {
                Action::Substitute { message: id, command: command.clone() }
            }
        })
    }
}

/// Replays `moves` until `property` breaks; returns how many moves that took,
/// the concrete actions applied, and the violation.
fn replay_moves<P: Protocol>(
    config: &P::Config,
    seed: u64,
    links: LinkParams,
    moves: &[Move<P>],
    property: &str,
) -> Option<(usize, Vec<Action<P>>, Violation)> {
    let mut world = World::<P>::new(config.clone(), seed, links);
    let mut applied = Vec::new();
    for (i, mv) in moves.iter().enumerate() {
        let Some(action) = mv.resolve(&world) else { continue };
        let Ok(step) = world.apply(&action) else { continue };
        let found = step.violations().iter().find(|v| v.property == property).cloned();
        applied.push(action);
        if let Some(v) = found {
            return Some((i + 1, applied, v));
        }
    }
    None
}

/// Replays concrete `actions` and returns the first violation of `property`,
/// with the number of actions it took.
pub fn replay<P: Protocol>(
    config: &P::Config,
    seed: u64,
    links: LinkParams,
    actions: &[Action<P>],
    property: &str,
) -> Option<(usize, Violation)> {
    let moves: Vec<Move<P>> = actions.iter().cloned().map(Move::Plain).collect();
    replay_moves(config, seed, links, &moves, property).map(|(n, _, v)| (n, v))
}

/// Removes moves while the same property still breaks: first large chunks,
/// then smaller, down to single moves, until no removal keeps the failure.
fn shrink<P: Protocol>(
    config: &P::Config,
    seed: u64,
    links: LinkParams,
    mut moves: Vec<Move<P>>,
    property: &str,
    stop: &dyn Fn() -> bool,
) -> Counterexample<P> {
    let (len, mut actions, mut violation) = replay_moves(config, seed, links, &moves, property)
        .expect("the schedule breaks the property");
    moves.truncate(len);
    let mut chunk = (moves.len() / 2).max(1);
    loop {
        let mut removed_any = false;
        let mut end = moves.len();
        while end > 0 {
            if stop() {
                return Counterexample { seed, links, actions, violation };
            }
            let start = end.saturating_sub(chunk);
            let mut candidate = moves.clone();
            candidate.drain(start..end);
            if let Some((len, applied, v)) = replay_moves(config, seed, links, &candidate, property)
            {
                candidate.truncate(len);
                (moves, actions, violation) = (candidate, applied, v);
                removed_any = true;
                end = start.min(moves.len());
            } else {
                end = start;
            }
        }
        if !removed_any {
            if chunk == 1 {
                break;
            }
            chunk = (chunk / 2).max(1);
        }
    }
    Counterexample { seed, links, actions, violation }
}

fn below(rng: &mut ChaCha8Rng, n: u32) -> u32 {
    ((u64::from(rng.next_u32()) * u64::from(n)) >> 32) as u32
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> Option<T> {
    (!items.is_empty()).then(|| items[below(rng, items.len() as u32) as usize])
}

/// One random action: usually a plain step, sometimes a fault.
fn random_action<P: Protocol>(
    world: &World<P>,
    rng: &mut ChaCha8Rng,
    faults: &Faults,
    moves: Moves<'_, P>,
) -> Action<P> {
    // The candidates are listed only for the fault chosen: most actions are steps.
    let nodes = |up: bool| -> Vec<NodeId> {
        (0..world.node_count()).map(NodeId).filter(|&id| world.node(id).is_some() == up).collect()
    };
    let messages = || -> Vec<_> { world.in_flight().map(|m| m.id).collect() };
    let mut roll = below(rng, PPM);
    let mut chance = |ppm: u32| {
        let hit = roll < ppm;
        roll = roll.saturating_sub(ppm);
        hit
    };
    let choice = if chance(faults.crash) {
        pick(rng, &nodes(true)).map(Action::Crash)
    } else if chance(faults.restart) {
        pick(rng, &nodes(false)).map(Action::Restart)
    } else if chance(faults.partition) {
        let group: Vec<NodeId> = (0..world.node_count())
            .map(NodeId)
            .filter(|_| rng.next_u32().is_multiple_of(2))
            .collect();
        Some(Action::Partition(vec![group]))
    } else if chance(faults.heal) {
        Some(Action::Heal)
    } else if chance(faults.deliver_early) {
        pick(rng, &messages()).map(Action::Deliver)
    } else if chance(faults.drop) {
        pick(rng, &messages()).map(Action::Drop)
    } else if chance(faults.duplicate) {
        pick(rng, &messages()).map(Action::Duplicate)
    } else if chance(faults.protocol) {
        (moves.protocol)(world, rng)
    } else if chance(faults.byzantine) {
        (moves.byzantine)(world, rng)
    } else {
        None
    };
    choice.unwrap_or(Action::Step)
}
