//! Every random draw of a run, from one seed, in separate ChaCha8 streams.
//!
//! Stream 0 is the network's; node `i` draws from stream `i + 1`. The network's
//! draws for a message are a pure function of (seed, message id): the stream is
//! read at a position derived from the id, so delivering, dropping or
//! duplicating one message by hand never reshuffles the draws of any other.
//! Ranges and chances use integer arithmetic only, never floats.

use std::convert::Infallible;
use std::fmt;
use std::ops::{Deref, DerefMut};

use chacha20::ChaCha8Rng;
use chacha20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use rand_core::{Rng, SeedableRng, TryRng};

use crate::ids::{MessageId, NodeId};

const NETWORK_STREAM: u64 = 0;
/// 32-bit words reserved for the draws of one message.
const WORDS_PER_MESSAGE: u128 = 4;

/// One ChaCha8 stream. chacha20's generator is neither `Clone` (so that a
/// key is never copied by accident) nor telling in `Debug`; a run's
/// snapshots need copies, tests compare worlds by their `Debug` text (a
/// refused action must not draw), and these streams are no secret.
struct Stream(ChaCha8Rng);

/// The ChaCha8 stream `stream` of the run with this seed.
fn stream(seed: u64, stream: u64) -> Stream {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    Stream(rng)
}

impl Deref for Stream {
    type Target = ChaCha8Rng;
    fn deref(&self) -> &ChaCha8Rng {
        &self.0
    }
}

impl DerefMut for Stream {
    fn deref_mut(&mut self) -> &mut ChaCha8Rng {
        &mut self.0
    }
}

/// The same stream at the same position.
impl Clone for Stream {
    fn clone(&self) -> Self {
        let mut copy = ChaCha8Rng::from_seed(self.get_seed());
        copy.set_stream(self.get_stream());
        copy.set_word_pos(self.get_word_pos());
        Stream(copy)
    }
}

/// Where the stream is.
impl fmt::Debug for Stream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChaCha8 stream {} at word {}", self.get_stream(), self.get_word_pos())
    }
}

/// A node's own random stream, handed to its handlers through the context.
///
/// It is ChaCha8 stream `node + 1`, word for word, but it holds one block of
/// 16 words, computed by the cipher when the last is used, where the RNG
/// holds four blocks and its own copy of the key: 96 bytes, not 320, in
/// each of 10,000 nodes and in every snapshot of them (ARCHITECTURE.md,
/// "Scale"). The RNG's 64-bit block counter and 64-bit stream are the IETF
/// cipher's 32-bit counter and 96-bit nonce: the same four state words.
#[derive(Clone)]
pub struct NodeRng {
    seed: u64,
    stream: u64,
    /// The block after the one in `words`.
    next_block: u64,
    words: [u32; BLOCK_WORDS],
    /// How many of `words` have been read.
    used: u8,
}

const BLOCK_WORDS: usize = 16;

/// `rand_core`'s expansion of a `u64` seed into a key: the ChaCha8Rng
/// that `stream` builds keys itself the same way.
struct KeyOf([u8; 32]);

impl SeedableRng for KeyOf {
    type Seed = [u8; 32];
    fn from_seed(seed: [u8; 32]) -> KeyOf {
        KeyOf(seed)
    }
}

impl NodeRng {
    pub(crate) fn new(seed: u64, node: NodeId) -> NodeRng {
        let stream = u64::from(node.0) + 1;
        NodeRng { seed, stream, next_block: 0, words: [0; BLOCK_WORDS], used: BLOCK_WORDS as u8 }
    }

    fn next_word(&mut self) -> u32 {
        if usize::from(self.used) == BLOCK_WORDS {
            self.refill();
        }
        let word = self.words[usize::from(self.used)];
        self.used += 1;
        word
    }

    /// Computes the next block of the stream.
    fn refill(&mut self) {
        let key = chacha20::Key::from(KeyOf::seed_from_u64(self.seed).0);
        let mut nonce = [0u8; 12];
        nonce[..4].copy_from_slice(&((self.next_block >> 32) as u32).to_le_bytes());
        nonce[4..].copy_from_slice(&self.stream.to_le_bytes());
        let mut cipher = chacha20::ChaCha8::new(&key, &nonce.into());
        cipher.seek(u64::from(self.next_block as u32) * 64);
        let mut block = [0u8; 4 * BLOCK_WORDS];
        cipher.apply_keystream(&mut block);
        for (word, bytes) in self.words.iter_mut().zip(block.chunks_exact(4)) {
            *word = u32::from_le_bytes(bytes.try_into().expect("four bytes"));
        }
        self.next_block += 1;
        self.used = 0;
    }

    /// How many words of the stream have been read.
    fn word_pos(&self) -> u64 {
        self.next_block * BLOCK_WORDS as u64 - (BLOCK_WORDS as u64 - u64::from(self.used))
    }

    /// A uniform draw from `low..=high` (inclusive; `low` when the range is empty).
    pub fn range(&mut self, low: u64, high: u64) -> u64 {
        // Timeouts and the like span far less than 2^32: one 32-bit draw does.
        if high > low && high - low < u64::from(u32::MAX) {
            uniform32(self.next_word(), low, high)
        } else {
            uniform(self.next_u64(), low, high)
        }
    }

    /// A uniform index below `n` (`n` must be positive).
    pub fn below(&mut self, n: u32) -> u32 {
        debug_assert!(n > 0, "below(0) has no answer");
        uniform32(self.next_word(), 0, u64::from(n.saturating_sub(1))) as u32
    }

    /// True with probability `ppm` parts per million.
    pub fn chance(&mut self, ppm: u32) -> bool {
        chance(self.next_word(), ppm)
    }
}

/// Where the stream is, as for the network's.
impl fmt::Debug for NodeRng {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChaCha8 stream {} at word {}", self.stream, self.word_pos())
    }
}

/// A node's stream works wherever a `rand_core` generator does. As
/// ChaCha8Rng does, a `u64` is two words, the first the low half, and bytes
/// are filled a word at a time, the tail of the last word unused.
impl TryRng for NodeRng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.next_word())
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let low = self.next_word();
        Ok(u64::from(low) | u64::from(self.next_word()) << 32)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(4) {
            let word = self.next_word().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        Ok(())
    }
}

/// The network's stream, kept positioned: messages are mostly created in
/// id order, so reading on is far cheaper than seeking (which recomputes
/// ChaCha blocks). The draws are the same either way: they depend only on
/// the position, that is on (seed, message id).
#[derive(Clone, Debug)]
pub(crate) struct NetworkRng {
    stream: Stream,
    /// The stream's word position, kept here: asking the stream for it
    /// multiplies in 128 bits, which wasm emulates.
    at: u128,
}

/// Reading ahead by up to this many words beats seeking.
const READ_AHEAD: u128 = 64;

impl NetworkRng {
    pub(crate) fn new(seed: u64) -> NetworkRng {
        NetworkRng { stream: stream(seed, NETWORK_STREAM), at: 0 }
    }

    pub(crate) fn draws(&mut self, id: MessageId) -> MessageDraws {
        debug_assert_eq!(self.at, self.stream.get_word_pos());
        let target = position(id);
        if target >= self.at && target - self.at <= READ_AHEAD {
            // Counted in 64 bits: a loop over a 128-bit range is slow in wasm.
            for _ in 0..(target - self.at) as u64 {
                self.stream.next_u32();
            }
        } else {
            self.stream.set_word_pos(target);
        }
        self.at = target + WORDS_PER_MESSAGE;
        MessageDraws::read(&mut self.stream)
    }
}

/// Where a message's draws start in the network's stream.
fn position(id: MessageId) -> u128 {
    u128::from(id.0) * WORDS_PER_MESSAGE
}

/// The network's draws for one message: whether it is lost, whether it is
/// duplicated, and its latency and its duplicate's latency within a range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MessageDraws {
    words: [u32; 4],
}

impl MessageDraws {
    /// The draws by seeking straight to the message's position: the
    /// reference that [`NetworkRng`] must agree with.
    #[cfg(test)]
    pub(crate) fn for_message(seed: u64, id: MessageId) -> MessageDraws {
        let mut rng = stream(seed, NETWORK_STREAM);
        rng.set_word_pos(position(id));
        MessageDraws::read(&mut rng)
    }

    /// The next four words of `rng`.
    fn read(rng: &mut ChaCha8Rng) -> MessageDraws {
        MessageDraws { words: std::array::from_fn(|_| rng.next_u32()) }
    }

    pub(crate) fn lost(&self, ppm: u32) -> bool {
        chance(self.words[0], ppm)
    }

    pub(crate) fn duplicated(&self, ppm: u32) -> bool {
        chance(self.words[1], ppm)
    }

    pub(crate) fn latency(&self, low: u64, high: u64) -> u64 {
        uniform32(self.words[2], low, high)
    }

    pub(crate) fn duplicate_latency(&self, low: u64, high: u64) -> u64 {
        uniform32(self.words[3], low, high)
    }
}

/// A uniform draw from `low..=high` out of one 32-bit word, for spans below
/// 2^32 (latencies are capped at an hour, 3.6e9 µs): multiply-and-shift again.
fn uniform32(word: u32, low: u64, high: u64) -> u64 {
    if high <= low {
        return low;
    }
    // Plain 64-bit arithmetic: word < 2^32 and span <= 2^32, so the product
    // fits, and wasm need not emulate a 128-bit multiply.
    let span = high - low + 1;
    debug_assert!(span <= 1 << 32, "spans here fit in 32 bits");
    low + ((u64::from(word) * span) >> 32)
}

/// Maps a uniform 64-bit word onto `low..=high` by multiply-and-shift
/// (Lemire); the bias is below 2^-32 for every range used here.
fn uniform(word: u64, low: u64, high: u64) -> u64 {
    if high <= low {
        return low;
    }
    let span = u128::from(high - low) + 1;
    low + ((u128::from(word) * span) >> 64) as u64
}

/// True for a fraction `ppm / 1_000_000` of uniform 32-bit words.
fn chance(word: u32, ppm: u32) -> bool {
    (u64::from(word) * 1_000_000) >> 32 < u64::from(ppm)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn uniform_stays_in_range_and_reaches_both_ends() {
        assert_eq!(uniform(0, 10, 20), 10);
        assert_eq!(uniform(u64::MAX, 10, 20), 20);
        assert_eq!(uniform(12345, 7, 7), 7);
        assert_eq!(uniform(12345, 9, 3), 9);
    }

    #[test]
    fn uniform32_stays_in_range_and_reaches_both_ends() {
        assert_eq!(uniform32(0, 5_000, 15_000), 5_000);
        assert_eq!(uniform32(u32::MAX, 5_000, 15_000), 15_000);
        assert_eq!(uniform32(u32::MAX, 0, 3_600_000_000), 3_600_000_000);
        assert_eq!(uniform32(7, 9, 9), 9);
    }

    #[test]
    fn chance_is_never_at_zero_and_always_at_a_million() {
        assert!(!chance(0, 0) && !chance(u32::MAX, 0));
        assert!(chance(0, 1_000_000) && chance(u32::MAX, 1_000_000));
    }

    #[test]
    fn a_messages_draws_depend_only_on_seed_and_id() {
        let a = MessageDraws::for_message(7, MessageId(42));
        let _other = MessageDraws::for_message(7, MessageId(41));
        assert_eq!(a, MessageDraws::for_message(7, MessageId(42)));
        assert_ne!(a, MessageDraws::for_message(8, MessageId(42)));
        assert_ne!(a, MessageDraws::for_message(7, MessageId(43)));
    }

    #[test]
    fn the_positioned_stream_gives_the_same_draws_in_any_order() {
        let mut net = NetworkRng::new(9);
        for id in [0, 1, 2, 5, 9, 3, 40, 41, 1_000, 7, 1_001] {
            assert_eq!(
                net.draws(MessageId(id)),
                MessageDraws::for_message(9, MessageId(id)),
                "id {id}"
            );
        }
    }

    #[test]
    fn a_copy_goes_on_exactly_where_the_original_does() {
        let mut rng = NodeRng::new(5, NodeId(2));
        for skip in [0, 1, 15, 16, 47, 64, 100] {
            (0..skip).for_each(|_| _ = rng.next_u32());
            let mut copy = rng.clone();
            assert_eq!(format!("{copy:?}"), format!("{rng:?}"));
            let ahead: Vec<u32> = (0..70).map(|_| rng.next_u32()).collect();
            let copied: Vec<u32> = (0..70).map(|_| copy.next_u32()).collect();
            assert_eq!(copied, ahead, "after {skip} more words");
        }
    }

    #[test]
    fn node_streams_differ_from_each_other() {
        let mut a = NodeRng::new(1, NodeId(0));
        let mut b = NodeRng::new(1, NodeId(1));
        assert_ne!(a.next_u64(), b.next_u64());
    }

    #[test]
    fn chance_matches_its_rate_over_many_draws() {
        let mut rng = NodeRng::new(3, NodeId(0));
        let hits = (0..100_000).filter(|_| rng.chance(250_000)).count();
        assert!((24_000..26_000).contains(&hits), "{hits} of 100000 at 25%");
    }

    /// A node's one-block stream is rand_chacha's ChaCha8Rng at stream
    /// `node + 1`, word for word: as words, as `u64`s and as bytes, across
    /// many block boundaries, at many seeds and nodes.
    #[test]
    fn node_streams_are_rand_chachas() {
        use rand_core_09::{RngCore as _, SeedableRng as _};
        for seed in [0, 1, 2026, u64::MAX] {
            for node in [0, 1, 9_999, u32::MAX - 1] {
                let mut reference = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
                reference.set_stream(u64::from(node) + 1);
                let mut ours = NodeRng::new(seed, NodeId(node));
                for i in 0..300 {
                    let at = format!("seed {seed}, node {node}, draw {i}");
                    match i % 7 {
                        3 => assert_eq!(ours.next_u64(), reference.next_u64(), "{at}"),
                        5 => {
                            let (mut a, mut b) = ([0u8; 7], [0u8; 7]);
                            ours.fill_bytes(&mut a);
                            reference.fill_bytes(&mut b);
                            assert_eq!(a, b, "{at}");
                        }
                        _ => assert_eq!(ours.next_u32(), reference.next_u32(), "{at}"),
                    }
                }
                assert_eq!(ours.word_pos() as u128, reference.get_word_pos(), "seed {seed}");
            }
        }
    }

    /// ChaCha8 from this seed must give these exact words on every platform
    /// and every future version; links depend on it.
    #[test]
    fn the_streams_are_pinned() {
        let mut node = NodeRng::new(2026, NodeId(0));
        let draws = MessageDraws::for_message(2026, MessageId(5));
        let got = (node.next_u64(), draws.words[0]);
        assert_eq!(got, PINNED, "the random streams changed: every saved link would break");
    }
    const PINNED: (u64, u32) = (3_826_576_519_468_827_491, 2_437_750_368);

    /// The streams are rand_chacha's ChaCha8Rng word for word: at many
    /// seeds, streams and positions, read a word at a time and across the
    /// generators' buffer boundaries.
    #[test]
    fn the_streams_are_rand_chachas() {
        use rand_core_09::{RngCore as _, SeedableRng as _};
        for seed in [0, 1, 2026, u64::MAX] {
            for s in [NETWORK_STREAM, 1, 9, u64::MAX] {
                for position in [0, 3, 15, 16, 63, 64, 65, 1_000, 1 << 40] {
                    let mut reference = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
                    reference.set_stream(s);
                    reference.set_word_pos(position);
                    let mut ours = stream(seed, s);
                    ours.set_word_pos(position);
                    for i in 0..80 {
                        let (want, got) = if i % 5 == 4 {
                            (reference.next_u64(), ours.next_u64())
                        } else {
                            (u64::from(reference.next_u32()), u64::from(ours.next_u32()))
                        };
                        assert_eq!(got, want, "seed {seed}, stream {s}, word {position} + {i}");
                    }
                }
            }
        }
    }
}
