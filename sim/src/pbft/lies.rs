//! Lies a user picks message by message: a Byzantine replica's message
//! still in flight is replaced by another it signs (`Action::Substitute`),
//! so a link carries exactly which backup was told what. Each behaviour
//! allows the lies it stands for; `Behaviour::YouChoose` allows them all
//! and tells none by itself. This is where a student sees why each quorum
//! is as large as it is: one conflicting PRE-PREPARE or vote at a time.

use serde::{Deserialize, Serialize};

use super::byzantine::{Behaviour, wrong};
use super::messages::{Digest, Message, PrePrepare, Reply, ViewChange, Vote};
use super::replica::{Replica, ReplicaDurable};
use crate::ids::NodeId;
use crate::protocol::Context;

/// What a Byzantine replica sends in place of one of its messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lie {
    /// For a PRE-PREPARE of a request: one for the null request at the same
    /// view and sequence number, to this backup alone (equivocation, §4.2).
    NullPrePrepare,
    /// For a PREPARE or COMMIT: the same vote for the null request.
    VoteNull,
    /// For a PREPARE or COMMIT: the same vote for a digest no request has.
    VoteNoRequest,
    /// For a REPLY: a made-up result (§4.1).
    WrongResult,
    /// For a VIEW-CHANGE: one reporting no checkpoint and nothing prepared (§4.4).
    StaleViewChange,
    /// For a VIEW-CHANGE: one also claiming a made-up request prepared (§4.4).
    FabricatedViewChange,
}

impl Lie {
    const ALL: [Lie; 6] = [
        Lie::NullPrePrepare,
        Lie::VoteNull,
        Lie::VoteNoRequest,
        Lie::WrongResult,
        Lie::StaleViewChange,
        Lie::FabricatedViewChange,
    ];
}

impl Behaviour {
    /// Whether a replica of this behaviour may tell `lie` when the user picks it.
    pub fn allows(&self, lie: Lie) -> bool {
        match self {
            Behaviour::YouChoose => true,
            Behaviour::Equivocate => lie == Lie::NullPrePrepare,
            Behaviour::WrongDigest => lie == Lie::VoteNoRequest,
            Behaviour::DoubleVote => lie == Lie::VoteNull,
            Behaviour::LieToClients => lie == Lie::WrongResult,
            Behaviour::StaleViewChange => lie == Lie::StaleViewChange,
            Behaviour::FabricatedViewChange => lie == Lie::FabricatedViewChange,
            Behaviour::Silent
            | Behaviour::WithholdCommits
            | Behaviour::Stall
            | Behaviour::Replay
            | Behaviour::DelayTo { .. } => false,
        }
    }
}

impl ReplicaDurable {
    /// The lies this replica may tell in place of `message`, each with the
    /// words of a button ("PREPARE the null request instead").
    pub fn lies_for(&self, message: &Message) -> Vec<(Lie, String)> {
        let Some(behaviour) = &self.byzantine else {
            return Vec::new();
        };
        Lie::ALL
            .into_iter()
            .filter(|&lie| behaviour.allows(lie))
            .filter_map(|lie| Some((lie, self.words(lie, message)?)))
            .collect()
    }

    /// What `lie` says in place of `message`, if it can stand in for it.
    fn words(&self, lie: Lie, message: &Message) -> Option<String> {
        let kind = message.kind();
        match (lie, message) {
            (Lie::NullPrePrepare, Message::PrePrepare(pp, Some(_))) => {
                Some(format!("PRE-PREPARE the null request at {} instead", pp.payload().seq))
            }
            (Lie::VoteNull, Message::Prepare(v) | Message::Commit(v))
                if v.payload().digest != Digest::NULL =>
            {
                Some(format!("{kind} the null request instead"))
            }
            (Lie::VoteNoRequest, Message::Prepare(_) | Message::Commit(_)) => {
                Some(format!("{kind} a digest no request has"))
            }
            (Lie::WrongResult, Message::Reply(_)) => Some("REPLY with a made-up result".into()),
            (Lie::StaleViewChange, Message::ViewChange(_)) => {
                Some("VIEW-CHANGE reporting nothing prepared".into())
            }
            (Lie::FabricatedViewChange, Message::ViewChange(_)) => {
                Some("VIEW-CHANGE claiming a made-up prepared request".into())
            }
            _ => None,
        }
    }
}

impl Replica<'_> {
    /// The message this replica sends `to` in place of `message`, signed
    /// with its own key alone, or why it cannot.
    pub fn lie(
        &mut self,
        to: NodeId,
        message: &Message,
        lie: Lie,
        ctx: &mut Context<'_, super::PbftNode>,
    ) -> Result<Message, String> {
        let me = self.me();
        let Some(behaviour) = self.durable.byzantine.clone() else {
            return Err(format!("{me} follows the protocol: make it Byzantine first"));
        };
        if !behaviour.allows(lie) {
            return Err(format!("{me} ({}) does not tell that lie", behaviour.name()));
        }
        let Some(words) = self.durable.words(lie, message) else {
            return Err(format!("that lie cannot stand in for a {}", message.kind()));
        };
        let to_name = self.config.name(to);
        ctx.note_with(|| format!("{me} lies to {to_name}: {words}"));
        Ok(match (lie, message) {
            (Lie::NullPrePrepare, Message::PrePrepare(pp, _)) => {
                let null = PrePrepare { digest: Digest::NULL, ..*pp.payload() };
                Message::PrePrepare(ctx.sign(null), None)
            }
            (Lie::VoteNull | Lie::VoteNoRequest, vote_message) => {
                let (vote, commit) = match vote_message {
                    Message::Prepare(v) => (*v.payload(), false),
                    Message::Commit(v) => (*v.payload(), true),
                    _ => unreachable!("`words` matched a vote"),
                };
                let digest = if lie == Lie::VoteNull { Digest::NULL } else { wrong(vote).digest };
                let forged = ctx.sign(Vote { digest, ..vote });
                if commit { Message::Commit(forged) } else { Message::Prepare(forged) }
            }
            (Lie::WrongResult, Message::Reply(r)) => {
                let reply = *r.payload();
                let made_up = Some(reply.result.map_or(1, |v| v.wrapping_add(1)));
                Message::Reply(ctx.sign(Reply { result: made_up, ..reply }))
            }
            (Lie::StaleViewChange, Message::ViewChange(vc)) => {
                let new_view = vc.payload().new_view;
                let stale = ViewChange {
                    new_view,
                    stable: 0,
                    checkpoint_proof: Vec::new(),
                    prepared: Vec::new(),
                };
                Message::ViewChange(ctx.sign(stale))
            }
            (Lie::FabricatedViewChange, Message::ViewChange(vc)) => {
                let mut body = vc.payload().clone();
                self.fabricate(&mut body, ctx);
                Message::ViewChange(ctx.sign(body))
            }
            _ => unreachable!("`words` said the lie stands in for the message"),
        })
    }
}

#[cfg(test)]
mod tests;
