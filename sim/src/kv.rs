//! The key-value state machine the engines replicate (Raft's log, PBFT's
//! ordered requests), and the client requests
//! that feed it (`x=3`). Keys are short so that an entry is a small `Copy`
//! value and logs copy cheaply.

use crate::sorted::SortedMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest key, in bytes.
pub const MAX_KEY_LEN: usize = 8;

/// A key of 1 to 8 characters from `a-z`, `0-9` and `_`, starting with a letter.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    len: u8,
    bytes: [u8; MAX_KEY_LEN],
}

impl Key {
    pub fn new(text: &str) -> Result<Key, String> {
        let ok_first = text.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
        let ok_rest =
            text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok_first || !ok_rest || text.len() > MAX_KEY_LEN {
            return Err(format!(
                "\"{text}\" is not a key: use 1 to {MAX_KEY_LEN} characters of a-z, 0-9 and _, \
                 starting with a letter"
            ));
        }
        let mut bytes = [0; MAX_KEY_LEN];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Ok(Key { len: text.len() as u8, bytes })
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).expect("keys are ASCII")
    }

    /// The key as one word: its bytes, zero-padded (a key has no zero byte,
    /// so the word also says its length).
    pub fn word(&self) -> u64 {
        u64::from_le_bytes(self.bytes)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl Serialize for Key {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        let text = String::deserialize(d)?;
        Key::new(&text).map_err(serde::de::Error::custom)
    }
}

/// A client's command: set `key` to `value`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Set {
    pub key: Key,
    pub value: i64,
}

impl Set {
    /// Reads `x=3` (spaces around `=` allowed).
    pub fn parse(text: &str) -> Result<Set, String> {
        let Some((key, value)) = text.split_once('=') else {
            return Err(format!("\"{text}\" is not a command: write it as key=value, like x=3"));
        };
        let key = Key::new(key.trim())?;
        let value = value
            .trim()
            .parse::<i64>()
            .map_err(|_| format!("\"{}\" is not a whole number", value.trim()))?;
        Ok(Set { key, value })
    }

    /// Appends `x=3` to `out`, without the formatting machinery: every
    /// client request and reply in a trace is written with this, and in wasm
    /// `format!` costs as much as a step of the simulation.
    pub fn write_into(&self, out: &mut String) {
        out.push_str(self.key.as_str());
        out.push('=');
        out.push_str(itoa::Buffer::new().format(self.value));
    }

    /// `x=3`.
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(MAX_KEY_LEN + 21);
        self.write_into(&mut out);
        out
    }
}

impl fmt::Display for Set {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.value)
    }
}

impl fmt::Debug for Set {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The replicated state machine: what every server applies, in log order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct KvStore(SortedMap<Key, i64>);

impl KvStore {
    pub fn apply(&mut self, set: Set) {
        self.0.insert(set.key, set.value);
    }

    pub fn get(&self, key: Key) -> Option<i64> {
        self.0.get(&key).copied()
    }

    /// Every key and value, in key order.
    pub fn pairs(&self) -> impl Iterator<Item = (Key, i64)> + '_ {
        self.0.iter().map(|(k, v)| (*k, *v))
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn the_quick_text_is_the_display_text() {
        for value in [0, 7, -3, 1_000_000, i64::MIN, i64::MAX] {
            for key in ["x", "abcdefgh", "n_2"] {
                let set = Set { key: Key::new(key).unwrap(), value };
                assert_eq!(set.text(), set.to_string());
                assert_eq!(format!("{set:?}"), set.to_string());
            }
        }
    }

    #[test]
    fn commands_parse_and_print_back() {
        let set = Set::parse(" x = -3 ").unwrap();
        assert_eq!(set.to_string(), "x=-3");
        assert_eq!(Set::parse("name_2=7").unwrap().key.as_str(), "name_2");
    }

    #[test]
    fn bad_commands_say_what_is_wrong() {
        assert!(Set::parse("x3").unwrap_err().contains("key=value"));
        assert!(Set::parse("X=3").unwrap_err().contains("not a key"));
        assert!(Set::parse("toolongkey=3").unwrap_err().contains("not a key"));
        assert!(Set::parse("=3").unwrap_err().contains("not a key"));
        assert!(Set::parse("x=three").unwrap_err().contains("whole number"));
    }

    #[test]
    fn keys_serialize_as_strings_and_refuse_bad_ones() {
        let set = Set::parse("y=9").unwrap();
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(json, r#"{"key":"y","value":9}"#);
        assert_eq!(serde_json::from_str::<Set>(&json).unwrap(), set);
        assert!(serde_json::from_str::<Set>(r#"{"key":"Y!","value":9}"#).is_err());
    }
}
