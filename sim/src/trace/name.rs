//! `Name`: a name the trace repeats thousands of times in a run (a message
//! kind, a timer), with its digest for the trace hash computed once, when the
//! program is compiled, instead of every time an event is hashed.

use std::fmt;
use std::ops::Deref;

use serde::{Serialize, Serializer};

use super::hash::text;

/// A message kind or a timer, for the trace and the legend (`Heartbeat`,
/// `election`). Engines declare each as a constant:
/// `const HEARTBEAT: &Name = &Name::new("Heartbeat");`. It reads, prints,
/// compares and serializes as its text.
#[derive(Clone, Copy)]
pub struct Name {
    text: &'static str,
    /// `hash::text(text)`, computed at compile time for constants.
    digest: u64,
}

impl Name {
    pub const fn new(name: &'static str) -> Name {
        Name { text: name, digest: text(name) }
    }

    pub const fn as_str(&self) -> &'static str {
        self.text
    }

    pub(super) const fn digest(&self) -> u64 {
        self.digest
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.text
    }
}

/// By text alone: the digest follows from it.
impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.text == other.text
    }
}

impl Eq for Name {}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.text, f)
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.text)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    const HEARTBEAT: &Name = &Name::new("Heartbeat");

    #[test]
    fn a_constant_digests_at_compile_time_as_its_text_does_at_run_time() {
        const DIGEST: u64 = HEARTBEAT.digest();
        let at_run_time = String::from("Heart") + "beat";
        assert_eq!(DIGEST, text(&at_run_time));
        assert_eq!(HEARTBEAT.as_str(), "Heartbeat");
    }

    #[test]
    fn it_reads_prints_and_serializes_as_its_text() {
        assert_eq!(HEARTBEAT.to_string(), "Heartbeat");
        assert_eq!(format!("{HEARTBEAT:?}"), "\"Heartbeat\"");
        assert_eq!(serde_json::to_string(HEARTBEAT).unwrap(), "\"Heartbeat\"");
        assert!(HEARTBEAT.starts_with("Heart"), "derefs to str");
        assert_eq!(*HEARTBEAT, Name::new("Heartbeat"));
        assert!(*HEARTBEAT == "Heartbeat");
        assert_ne!(*HEARTBEAT, Name::new("heartbeat"));
    }
}
