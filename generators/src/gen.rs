//! The source of choices every generator draws from: a byte string (from `arbitrary`, from a
//! proptest byte vector, or from a seeded ChaCha stream).
//!
//! Every choice is read so that *fewer or smaller bytes give simpler output*: an exhausted
//! source answers 0, `chance` answers false, `pick` the first item, `up_to` the low bound. That is
//! what makes shrinking the byte string (proptest) or minimising it (libFuzzer) shrink the case
//! toward a small, readable one. This module knows nothing about IAM.

use proptest::prelude::Rng;
use proptest::test_runner::{RngAlgorithm, TestRng};

/// Where the bytes come from.
enum Source<'a> {
    /// A fixed byte string; 0 once exhausted.
    Bytes(&'a [u8]),
    /// An endless seeded stream, read eight bytes at a time.
    Rng {
        rng: &'a mut TestRng,
        buffer: u64,
        left: u8,
    },
}

/// A stream of choices.
pub struct Gen<'a> {
    source: Source<'a>,
    position: usize,
}

impl<'a> Gen<'a> {
    /// Choices read from a byte string (arbitrary input, proptest bytes); 0 once exhausted.
    pub fn from_bytes(bytes: &'a [u8]) -> Self {
        Gen {
            source: Source::Bytes(bytes),
            position: 0,
        }
    }

    /// Choices read from a seeded random stream (never exhausted).
    pub fn from_rng(rng: &'a mut TestRng) -> Self {
        Gen {
            source: Source::Rng {
                rng,
                buffer: 0,
                left: 0,
            },
            position: 0,
        }
    }

    /// How many bytes have been read so far.
    pub fn consumed(&self) -> usize {
        self.position
    }

    /// One byte (0 once a byte string is exhausted).
    pub fn byte(&mut self) -> u8 {
        self.position += 1;
        match &mut self.source {
            Source::Bytes(bytes) => bytes.get(self.position - 1).copied().unwrap_or(0),
            Source::Rng { rng, buffer, left } => {
                if *left == 0 {
                    *buffer = rng.next_u64();
                    *left = 8;
                }
                let b = (*buffer & 0xff) as u8;
                *buffer >>= 8;
                *left -= 1;
                b
            }
        }
    }

    /// A number in `0..n` (0 when `n` is 0 or 1); two bytes when `n` needs them.
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let raw = if n <= 256 {
            self.byte() as usize
        } else {
            (self.byte() as usize) << 8 | self.byte() as usize
        };
        raw % n
    }

    /// A number in `low..=high` (`low` when exhausted).
    pub fn up_to(&mut self, low: usize, high: usize) -> usize {
        if high <= low {
            return low;
        }
        low + self.below(high - low + 1)
    }

    /// True with about `percent`% probability; false when exhausted or `percent` is 0.
    pub fn chance(&mut self, percent: u8) -> bool {
        if percent == 0 {
            return false;
        }
        // 0 never passes, so an exhausted source says no; 100 always passes for non-zero bytes.
        let b = self.byte() as u32;
        b != 0 && (b - 1) * 100 < percent as u32 * 255
    }

    /// One item of a non-empty slice (the first when exhausted).
    ///
    /// Callers pass non-empty slices; an empty one is a bug, reported by a panic in debug
    /// builds and answered with `None` by [`Gen::pick_opt`].
    pub fn pick<'s, T>(&mut self, items: &'s [T]) -> &'s T {
        let i = self.below(items.len());
        &items[i]
    }

    /// One item of a slice, or `None` when it is empty.
    pub fn pick_opt<'s, T>(&mut self, items: &'s [T]) -> Option<&'s T> {
        if items.is_empty() {
            None
        } else {
            Some(self.pick(items))
        }
    }

    /// An index chosen by weights (the first index when exhausted).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        if total == 0 {
            return 0;
        }
        let mut roll = ((self.byte() as u32) << 8 | self.byte() as u32) % total;
        for (i, &w) in weights.iter().enumerate() {
            if roll < w {
                return i;
            }
            roll -= w;
        }
        0
    }
}

/// The ChaCha random stream of a seed.
pub fn seeded_rng(seed: u64) -> TestRng {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// The ChaCha random stream of case `index` of a seed's batch: the key is the seed's
/// little-endian bytes, then the index's. Index 0 gives [`seeded_rng`]`(seed)`.
pub fn indexed_rng(seed: u64, index: u64) -> TestRng {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&index.to_le_bytes());
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exhausted_bytes_give_the_simplest_choices() {
        let mut g = Gen::from_bytes(&[]);
        assert_eq!(g.below(10), 0);
        assert!(!g.chance(99));
        assert_eq!(*g.pick(&["first", "second"]), "first");
        assert_eq!(g.up_to(1, 4), 1);
        assert_eq!(g.weighted(&[0, 3, 1]), 1);
    }

    #[test]
    fn chance_follows_its_percentage() {
        let bytes: Vec<u8> = (0..=255).collect();
        let mut g = Gen::from_bytes(&bytes);
        let yes = (0..256).filter(|_| g.chance(25)).count();
        assert!((60..=68).contains(&yes), "{yes}");
        let mut g = Gen::from_bytes(&bytes);
        assert_eq!((0..256).filter(|_| g.chance(100)).count(), 255);
    }
}
