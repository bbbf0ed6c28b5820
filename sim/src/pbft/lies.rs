//! Lies a user picks message by message: a Byzantine replica's message
//! still in flight is replaced by another it signs (`Action::Substitute`),
//! so a link carries exactly which backup was told what. Each behaviour
//! allows the lies it stands for; `Behaviour::YouChoose` allows them all
//! and tells none by itself. This is where a student sees why each quorum
//! is as large as it is: one conflicting PRE-PREPARE or vote at a time.

use serde::{Deserialize, Serialize};

use super::byzantine::{Behaviour, made_up, wrong};
use super::messages::{Digest, Message, PrePrepare, Vote};
use super::replica::{Replica, ReplicaDurable};
use super::view_change::stale;
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

impl Lie {
    /// What this lie says in place of `message`, if it can stand in for it:
    /// the words of its button ("PREPARE the null request instead").
    fn words(self, message: &Message) -> Option<String> {
        let kind = message.kind();
        match (self, message) {
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

    /// The vote this lie puts in place of `vote`.
    fn vote(self, vote: Vote) -> Vote {
        if self == Lie::VoteNull { Vote { digest: Digest::NULL, ..vote } } else { wrong(vote) }
    }
}

impl ReplicaDurable {
    /// The lies this replica may tell in place of `message`, each with the
    /// words of its button.
    pub fn lies_for(&self, message: &Message) -> Vec<(Lie, String)> {
        let Some(behaviour) = &self.byzantine else {
            return Vec::new();
        };
        Lie::ALL
            .into_iter()
            .filter(|&lie| behaviour.allows(lie))
            .filter_map(|lie| Some((lie, lie.words(message)?)))
            .collect()
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
        let Some(behaviour) = &self.durable.byzantine else {
            return Err(format!("{me} follows the protocol: make it Byzantine first"));
        };
        if !behaviour.allows(lie) {
            return Err(format!("{me} ({}) does not tell that lie", behaviour.name()));
        }
        let Some(words) = lie.words(message) else {
            return Err(format!("that lie cannot stand in for a {}", message.kind()));
        };
        let to_name = self.config.name(to);
        ctx.note_with(|| format!("{me} lies to {to_name}: {words}"));
        Ok(match (lie, message) {
            (Lie::NullPrePrepare, Message::PrePrepare(pp, _)) => {
                let null = PrePrepare { digest: Digest::NULL, ..*pp.payload() };
                Message::PrePrepare(ctx.sign(null), None)
            }
            (_, Message::Prepare(v)) => Message::Prepare(ctx.sign(lie.vote(*v.payload()))),
            (_, Message::Commit(v)) => Message::Commit(ctx.sign(lie.vote(*v.payload()))),
            (_, Message::Reply(r)) => Message::Reply(ctx.sign(made_up(*r.payload()))),
            (Lie::StaleViewChange, Message::ViewChange(vc)) => {
                Message::ViewChange(ctx.sign(stale(vc.payload().new_view)))
            }
            (Lie::FabricatedViewChange, Message::ViewChange(vc)) => {
                let mut body = vc.payload().clone();
                self.fabricate(&mut body, ctx);
                Message::ViewChange(ctx.sign(body))
            }
            _ => unreachable!("`Lie::words` said the lie stands in for the message"),
        })
    }
}

#[cfg(test)]
mod tests;
