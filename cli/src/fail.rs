//! What the command says when it cannot do what was asked: one sentence,
//! printed after `caucus: `, and exit code 2. Never a panic or a debug dump.

use std::fmt::Display;

/// One plain sentence naming what is wrong (and the limit, where there is one).
#[derive(Debug)]
pub struct Fail(pub String);

impl Fail {
    pub fn new(sentence: impl Display) -> Fail {
        Fail(sentence.to_string())
    }
}

/// Exit code when explore finds a broken property.
pub const FOUND: u8 = 1;
/// Exit code when the user stopped the work with Ctrl-C.
pub const STOPPED: u8 = 130;
