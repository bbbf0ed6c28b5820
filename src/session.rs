//! The one session state of the app, changed only through `SessionAction`s.
//!
//! Components read it through a context and dispatch actions; none of them
//! mutates it directly (ARCHITECTURE.md, "The UI").

use std::rc::Rc;

use caucus_sim::ProtocolKind;
use yew::Reducible;

/// Everything the page shows that is not local to one widget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The protocol being shown.
    pub protocol: ProtocolKind,
}

impl Default for Session {
    fn default() -> Self {
        Session { protocol: ProtocolKind::ALL[0] }
    }
}

/// Every change a component can ask of the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionAction {
    /// Show another protocol.
    PickProtocol(ProtocolKind),
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        match action {
            SessionAction::PickProtocol(protocol) if protocol == self.protocol => self,
            SessionAction::PickProtocol(protocol) => Rc::new(Session { protocol }),
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn starts_on_the_first_protocol_of_the_picker() {
        assert_eq!(Session::default().protocol, ProtocolKind::Raft);
    }

    #[test]
    fn picking_the_shown_protocol_keeps_the_same_state() {
        let session = Rc::new(Session::default());
        let next = session.clone().reduce(SessionAction::PickProtocol(ProtocolKind::Raft));
        assert!(Rc::ptr_eq(&session, &next), "no change should mean no re-render");
    }
}
