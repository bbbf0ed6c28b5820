//! Signed payloads. The network already stamps a message's true sender; a
//! signature goes further and travels with the payload, so a node can show a
//! third node what another one said (PBFT's certificates: 2f + 1 signed
//! PREPAREs, a VIEW-CHANGE's proofs; Castro and Liskov, OSDI 1999, §2 and
//! §4). Only [`Context::sign`](crate::Context::sign) makes a `Signed`, under
//! the id of the node whose handler is running: a Byzantine node can forward
//! a payload another node signed, but it can never forge one, because the
//! type has no public constructor and no way in from outside (it has no
//! `Deserialize`).
//!
//! ```
//! # use caucus_sim::signed::Signed;
//! fn signer_of(s: &Signed<u64>) -> caucus_sim::NodeId { s.signer() }
//! ```
//!
//! Forging one does not compile, by struct literal or by constructor:
//!
//! ```compile_fail
//! let forged = caucus_sim::signed::Signed { signer: caucus_sim::NodeId(1), payload: 7u64 };
//! ```
//!
//! ```compile_fail
//! let forged = caucus_sim::signed::Signed::new(caucus_sim::NodeId(1), 7u64);
//! ```

use serde::Serialize;

use crate::ids::NodeId;

/// `payload` as signed by `signer`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Signed<T> {
    signer: NodeId,
    payload: T,
}

impl<T> Signed<T> {
    /// Made by the context of the node that signs, and nowhere else.
    pub(crate) fn new(signer: NodeId, payload: T) -> Signed<T> {
        Signed { signer, payload }
    }

    /// The node that signed it.
    pub fn signer(&self) -> NodeId {
        self.signer
    }

    pub fn payload(&self) -> &T {
        &self.payload
    }

    pub fn into_payload(self) -> T {
        self.payload
    }
}
