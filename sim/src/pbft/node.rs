//! A PBFT node, replica or client, and the `Protocol` glue: each input goes
//! to the replica's or the client's rules with both parts of its state.

use serde::{Deserialize, Serialize};

use super::byzantine::Behaviour;
use super::client::{Client, ClientDurable, ClientVolatile};
use super::config::PbftConfig;
use super::lies::Lie;
use super::messages::Message;
use super::replica::{Replica, ReplicaDurable, ReplicaVolatile};
use crate::ids::{NodeId, NodeKind};
use crate::kv::Set;
use crate::protocol::{Context, Protocol};
use crate::trace::Name;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer {
    /// Replica: a request waits too long, or a NEW-VIEW does (§4.4, §4.5.2).
    ViewChange,
    /// Client: no f + 1 matching replies yet (§4.1).
    Retransmit,
    /// Replica: send again what has not been answered, a VIEW-CHANGE or a
    /// FETCH-STATE (the paper leaves retransmission to the implementation).
    Resend,
    /// Byzantine replica: let held-back messages go.
    Release,
}

/// What a user does to one replica.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PbftCommand {
    /// Make the replica Byzantine, in one named way.
    Byzantine(Behaviour),
    /// Make it follow the protocol again (the checks still count it faulty).
    Honest,
    /// Expire its view-change timer now.
    StartViewChange,
    /// Put this lie in place of one of its messages in flight: carried by
    /// `Action::Substitute`, which names the message.
    Lie(Lie),
}

/// What a node keeps on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PbftDurable {
    Replica(Box<ReplicaDurable>),
    Client(ClientDurable),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Volatile {
    Replica(ReplicaVolatile),
    Client(ClientVolatile),
}

/// One PBFT node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PbftNode {
    id: NodeId,
    durable: PbftDurable,
    volatile: Volatile,
}

impl PbftNode {
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The replica's state, if this node is a replica.
    pub fn replica(&self) -> Option<(&ReplicaDurable, &ReplicaVolatile)> {
        match (&self.durable, &self.volatile) {
            (PbftDurable::Replica(d), Volatile::Replica(v)) => Some((d, v)),
            _ => None,
        }
    }

    /// The client's state, if this node is a client.
    pub fn client(&self) -> Option<(&ClientDurable, &ClientVolatile)> {
        match (&self.durable, &self.volatile) {
            (PbftDurable::Client(d), Volatile::Client(v)) => Some((d, v)),
            _ => None,
        }
    }

    /// The replica's or the client's rules, with both parts of the state.
    fn parts<'a>(&'a mut self, config: &'a PbftConfig) -> Parts<'a> {
        match (&mut self.durable, &mut self.volatile) {
            (PbftDurable::Replica(durable), Volatile::Replica(volatile)) => {
                Parts::Replica(Replica { id: self.id, config, durable, volatile })
            }
            (PbftDurable::Client(durable), Volatile::Client(volatile)) => {
                Parts::Client(Client { id: self.id, config, durable, volatile })
            }
            _ => unreachable!("a node's two parts are of one kind"),
        }
    }
}

enum Parts<'a> {
    Replica(Replica<'a>),
    Client(Client<'a>),
}

impl Protocol for PbftNode {
    type Config = PbftConfig;
    type Message = Message;
    type Timer = Timer;
    type Request = Set;
    type Command = PbftCommand;
    type Durable = PbftDurable;
    type Ghost = super::invariants::PbftGhost;
    type Measures = ();

    fn node_count(config: &PbftConfig) -> u32 {
        config.replicas() + config.clients
    }

    fn node_kind(config: &PbftConfig, id: NodeId) -> NodeKind {
        super::client::kind(config, id)
    }

    fn initial_durable(config: &PbftConfig, id: NodeId) -> PbftDurable {
        if config.is_replica(id) {
            PbftDurable::Replica(Box::new(ReplicaDurable::new(config)))
        } else {
            PbftDurable::Client(ClientDurable::default())
        }
    }

    /// A replica restarts from its disk; its timer runs again if it was
    /// waiting for a request or for a NEW-VIEW. A client forgets the
    /// request it had outstanding.
    fn boot(config: &PbftConfig, durable: PbftDurable, ctx: &mut Context<'_, Self>) -> Self {
        let volatile = match &durable {
            PbftDurable::Replica(_) => Volatile::Replica(ReplicaVolatile::default()),
            PbftDurable::Client(_) => Volatile::Client(ClientVolatile::default()),
        };
        let mut node = PbftNode { id: ctx.id(), durable, volatile };
        if let Parts::Replica(mut r) = node.parts(config) {
            let d = &r.durable;
            let gathered = d.view_changes.get(&d.view).is_some_and(|s| s.len() >= config.quorum());
            if d.view_changing && gathered {
                ctx.set_timer(Timer::ViewChange, d.timeout);
                r.volatile.timer_on = true;
            } else {
                r.restart_request_timer(ctx);
            }
            r.arm_resend(ctx);
        }
        node
    }

    fn durable(&self) -> &PbftDurable {
        &self.durable
    }

    fn on_message(&mut self, from: NodeId, message: Message, ctx: &mut Context<'_, Self>) {
        match self.parts(ctx.config()) {
            Parts::Replica(mut r) => {
                r.remember_for_replay(&message);
                match message {
                    Message::Request(request) => r.on_request(from, request, ctx),
                    Message::PrePrepare(pp, request) => r.on_pre_prepare(pp, request, ctx),
                    Message::Prepare(vote) => r.on_prepare(vote, ctx),
                    Message::Commit(vote) => r.on_commit(vote, ctx),
                    Message::Checkpoint(c) => r.on_checkpoint(c, ctx),
                    Message::ViewChange(vc) => r.on_view_change(vc, true, ctx),
                    Message::PassedViewChange(vc) => r.on_view_change(vc, false, ctx),
                    Message::NewView(nv) => r.on_new_view(nv, ctx),
                    Message::FetchState { seq } => r.on_fetch_state(from, seq, ctx),
                    Message::State { proof, snapshot } => r.on_state(proof, *snapshot, ctx),
                    Message::Status { view, executed } => r.on_status(from, view, executed, ctx),
                    Message::Reply(_) => {}
                }
            }
            Parts::Client(mut c) => {
                if let Message::Reply(reply) = message {
                    c.on_reply(reply, ctx);
                }
            }
        }
    }

    fn on_timer(&mut self, timer: Timer, ctx: &mut Context<'_, Self>) {
        match (self.parts(ctx.config()), timer) {
            (Parts::Replica(mut r), Timer::ViewChange) => r.on_view_change_timer(ctx),
            (Parts::Replica(mut r), Timer::Release) => r.release(ctx),
            (Parts::Replica(mut r), Timer::Resend) => r.on_resend(ctx),
            (Parts::Client(mut c), Timer::Retransmit) => c.on_retransmit(ctx),
            _ => {}
        }
    }

    fn on_request(&mut self, request: Set, ctx: &mut Context<'_, Self>) {
        match self.parts(ctx.config()) {
            Parts::Replica(r) => ctx.reply_to_client(format!(
                "{} is a replica: requests come from clients, so send {request} from a client",
                r.me()
            )),
            Parts::Client(mut c) => c.on_request(request, ctx),
        }
    }

    fn on_command(
        &mut self,
        command: PbftCommand,
        ctx: &mut Context<'_, Self>,
    ) -> Result<(), String> {
        let mut r = match self.parts(ctx.config()) {
            Parts::Replica(r) => r,
            Parts::Client(c) => {
                return Err(format!(
                    "{} is a client: only replicas change view or turn Byzantine",
                    c.config.name(c.id)
                ));
            }
        };
        match command {
            PbftCommand::Byzantine(behaviour) => {
                ctx.note_with(|| {
                    format!(
                        "{} turns Byzantine ({}): {}",
                        r.me(),
                        behaviour.name(),
                        behaviour.explanation()
                    )
                });
                r.durable.byzantine = Some(behaviour);
                r.durable.ever_byzantine = true;
                Ok(())
            }
            PbftCommand::Honest => {
                if r.durable.byzantine.take().is_none() {
                    return Err(format!("{} already follows the protocol", r.me()));
                }
                ctx.note_with(|| {
                        format!(
                            "{} follows the protocol again; the checks still count it faulty for what it did",
                            r.me()
                        )
                    });
                Ok(())
            }
            PbftCommand::StartViewChange => {
                if r.durable.view_changing {
                    return Err(format!(
                        "{} is already changing to view {}",
                        r.me(),
                        r.durable.view
                    ));
                }
                r.on_view_change_timer(ctx);
                Ok(())
            }
            PbftCommand::Lie(_) => Err(format!(
                "a lie replaces a message in flight: pick it on one of {}'s messages",
                r.me()
            )),
        }
    }

    fn substitute(
        &mut self,
        to: NodeId,
        message: &Message,
        command: PbftCommand,
        ctx: &mut Context<'_, Self>,
    ) -> Result<Message, String> {
        let mut r = match self.parts(ctx.config()) {
            Parts::Replica(r) => r,
            Parts::Client(c) => {
                return Err(format!("{} is a client: only replicas lie", c.config.name(c.id)));
            }
        };
        match command {
            PbftCommand::Lie(lie) => r.lie(to, message, lie, ctx),
            _ => Err(format!("only a lie can stand in for one of {}'s messages", r.me())),
        }
    }

    fn message_kind(message: &Message) -> &'static Name {
        message.kind()
    }

    fn request_text(request: &Set) -> String {
        request.text()
    }

    fn timer_kind(timer: &Timer) -> &'static Name {
        const VIEW_CHANGE: &Name = &Name::new("view change");
        const RETRANSMIT: &Name = &Name::new("retransmit");
        const RELEASE: &Name = &Name::new("release");
        const RESEND: &Name = &Name::new("resend");
        match timer {
            Timer::ViewChange => VIEW_CHANGE,
            Timer::Retransmit => RETRANSMIT,
            Timer::Resend => RESEND,
            Timer::Release => RELEASE,
        }
    }

    fn check(
        view: &crate::invariant::WorldView<'_, Self>,
        _: &crate::trace::StepTrace,
        ghost: &mut Self::Ghost,
    ) -> Vec<crate::invariant::Violation> {
        super::invariants::check(view, ghost)
    }
}
