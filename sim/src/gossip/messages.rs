//! What sites send each other: anti-entropy's stores (Demers §1.3) and
//! rumor mongering's hot rumors, requests and feedback (§1.4).

use crate::trace::Name;

use super::store::Updates;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Message {
    /// Anti-entropy, push: the caller's whole store.
    Push { updates: Updates },
    /// Anti-entropy, pull: "send me your store".
    Pull,
    /// Anti-entropy, push-pull: the caller's whole store, answered with
    /// what the partner has that is newer.
    Exchange { updates: Updates },
    /// Anti-entropy's answer to a pull or an exchange.
    Store { updates: Updates },
    /// Rumor mongering, push: the caller's hot rumors.
    Rumor { rumors: Updates },
    /// Rumor mongering, pull: what the caller knows, so that the partner
    /// sends only news and knows whether the contact was of use.
    RumorRequest { digest: Updates },
    /// Rumor mongering, push-pull: the caller's hot rumors and what it knows.
    RumorExchange { rumors: Updates, digest: Updates },
    /// The answer to a request or an exchange: the partner's hot rumors
    /// that are news to the caller, and (push-pull with feedback) which of
    /// the caller's rumors the partner already knew.
    RumorReply { rumors: Updates, known: Updates },
    /// Push with feedback: which of the rumors the receiver already knew.
    Feedback { known: Updates },
}

impl Message {
    pub fn kind(&self) -> &'static Name {
        const PUSH: &Name = &Name::new("Push");
        const PULL: &Name = &Name::new("Pull");
        const EXCHANGE: &Name = &Name::new("Exchange");
        const STORE: &Name = &Name::new("Store");
        const RUMOR: &Name = &Name::new("Rumor");
        const RUMOR_REQUEST: &Name = &Name::new("RumorRequest");
        const RUMOR_EXCHANGE: &Name = &Name::new("RumorExchange");
        const RUMOR_REPLY: &Name = &Name::new("RumorReply");
        const FEEDBACK: &Name = &Name::new("Feedback");
        match self {
            Message::Push { .. } => PUSH,
            Message::Pull => PULL,
            Message::Exchange { .. } => EXCHANGE,
            Message::Store { .. } => STORE,
            Message::Rumor { .. } => RUMOR,
            Message::RumorRequest { .. } => RUMOR_REQUEST,
            Message::RumorExchange { .. } => RUMOR_EXCHANGE,
            Message::RumorReply { .. } => RUMOR_REPLY,
            Message::Feedback { .. } => FEEDBACK,
        }
    }

    /// Whether messages of this kind (a name from [`Message::kind`]) can
    /// carry rumors: the measures count them in flight, to tell when a
    /// rumor has died out.
    pub fn carries_rumors(kind: &str) -> bool {
        matches!(kind, "Rumor" | "RumorExchange" | "RumorReply")
    }

    /// The updates the message hands on (not a digest or feedback, which
    /// only name them): Demers' "update traffic" counts these messages.
    pub fn carried(&self) -> &[crate::gossip::store::Update] {
        match self {
            Message::Push { updates }
            | Message::Exchange { updates }
            | Message::Store { updates } => updates,
            Message::Rumor { rumors }
            | Message::RumorExchange { rumors, .. }
            | Message::RumorReply { rumors, .. } => rumors,
            Message::Pull | Message::RumorRequest { .. } | Message::Feedback { .. } => &[],
        }
    }
}
