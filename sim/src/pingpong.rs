//! Ping-pong: the simulator's own small protocol, for its tests and benchmarks.
//!
//! Every node pings a random peer once per period and answers pings with pongs.
//! It exercises every part of the world (messages, timers, random draws,
//! durable and volatile state, commands that can be refused, invariants)
//! without the weight of a real engine.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{MILLIS, NodeId, Time};
use crate::invariant::{Violation, WorldView};
use crate::protocol::{Context, Protocol};
use crate::trace::Name;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub nodes: u32,
    /// How often each node pings.
    pub period: Time,
}

impl Config {
    pub fn new(nodes: u32) -> Config {
        Config { nodes, period: 50 * MILLIS }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Message {
    Ping { round: u64 },
    Pong { round: u64 },
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer {
    Tick,
}

/// A client request: add to the node's durable total.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Add(pub u64);

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Command {
    /// Stop pinging until the next restart.
    Pause,
    /// Always refused, after scribbling on the node: the world must undo it.
    Refuse,
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// What survives a crash.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Durable {
    pub pings_sent: u64,
    pub pongs_received: u64,
    pub total: u64,
}

/// One ping-pong node: durable counters, and a volatile round and pause flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PingPong {
    durable: Durable,
    round: u64,
    paused: bool,
    period: Time,
}

impl PingPong {
    pub fn round(&self) -> u64 {
        self.round
    }

    pub fn paused(&self) -> bool {
        self.paused
    }
}

impl Protocol for PingPong {
    type Config = Config;
    type Message = Message;
    type Timer = Timer;
    type Request = Add;
    type Command = Command;
    type Durable = Durable;
    type Ghost = ();
    type Measures = ();

    fn node_count(config: &Config) -> u32 {
        config.nodes
    }

    fn initial_durable(_: &Config, _: NodeId) -> Durable {
        Durable::default()
    }

    fn boot(config: &Config, durable: Durable, ctx: &mut Context<'_, Self>) -> Self {
        let first = ctx.rng().range(1, config.period);
        ctx.set_timer(Timer::Tick, first);
        PingPong { durable, round: 0, paused: false, period: config.period }
    }

    fn durable(&self) -> &Durable {
        &self.durable
    }

    fn on_message(&mut self, from: NodeId, message: Message, ctx: &mut Context<'_, Self>) {
        match message {
            Message::Ping { round } => ctx.send(from, Message::Pong { round }),
            Message::Pong { .. } => self.durable.pongs_received += 1,
        }
    }

    fn on_timer(&mut self, Timer::Tick: Timer, ctx: &mut Context<'_, Self>) {
        let n = ctx.node_count();
        if n > 1 && !self.paused {
            // A uniform peer other than this node.
            let pick = ctx.rng().below(n - 1);
            let peer = if pick >= ctx.id().0 { pick + 1 } else { pick };
            self.round += 1;
            self.durable.pings_sent += 1;
            ctx.send(NodeId(peer), Message::Ping { round: self.round });
        }
        ctx.set_timer(Timer::Tick, self.period);
    }

    fn on_request(&mut self, Add(amount): Add, ctx: &mut Context<'_, Self>) {
        self.durable.total += amount;
        ctx.note(format!("{} adds {amount}: total {}", ctx.id(), self.durable.total));
    }

    fn on_command(&mut self, command: Command, ctx: &mut Context<'_, Self>) -> Result<(), String> {
        match command {
            Command::Pause => {
                self.paused = true;
                ctx.cancel_timer(Timer::Tick);
                Ok(())
            }
            Command::Refuse => {
                self.round += 1_000;
                self.durable.total += 1_000;
                let _ = ctx.rng().range(0, 9);
                ctx.send(ctx.id(), Message::Ping { round: 0 });
                Err("ping-pong nodes refuse this command".into())
            }
        }
    }

    fn message_kind(message: &Message) -> &'static Name {
        const PING: &Name = &Name::new("Ping");
        const PONG: &Name = &Name::new("Pong");
        match message {
            Message::Ping { .. } => PING,
            Message::Pong { .. } => PONG,
        }
    }

    fn timer_kind(Timer::Tick: &Timer) -> &'static Name {
        const TICK: &Name = &Name::new("Tick");
        TICK
    }

    /// "No more pongs than pings": true on a network that never duplicates.
    fn check(
        view: &WorldView<'_, Self>,
        _: &crate::trace::StepTrace,
        _: &mut (),
    ) -> Vec<Violation> {
        view.touched
            .iter()
            .filter_map(|&id| {
                let d = view.durable(id)?;
                (d.pongs_received > d.pings_sent).then(|| {
                    Violation::new(
                        view,
                        "No more pongs than pings",
                        "caucus-sim ping-pong",
                        vec![id],
                        format!("{id} has {} pongs for {} pings", d.pongs_received, d.pings_sent),
                    )
                })
            })
            .collect()
    }
}
