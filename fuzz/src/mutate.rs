//! Byte-level mutations (for modules and artifacts): bit flips, interesting bytes and
//! words, truncation, insertion, deletion, duplication and splices from a donor.

use crate::rng::Rng;

/// One mutation applied to a buffer, recorded so a finding can say which bytes changed.
#[derive(Clone, Debug)]
pub enum Mutation {
    /// Bit `bit` of byte `at` flipped.
    FlipBit { at: usize, bit: u8 },
    /// Byte `at` set.
    SetByte { at: usize, value: u8 },
    /// A little-endian word of `width` bytes at `at` set.
    SetWord { at: usize, width: usize, value: u64 },
    /// Cut to `len` bytes.
    Truncate { len: usize },
    /// `len` random bytes inserted at `at`.
    Insert { at: usize, len: usize },
    /// `len` bytes removed at `at`.
    Delete { at: usize, len: usize },
    /// `len` bytes at `at` overwritten with the donor's bytes from `from`.
    Splice { at: usize, from: usize, len: usize },
}

/// Applies 1 to `max` random mutations to `buf` (non-empty), splicing from `donor`.
pub fn mutate(rng: &mut Rng, buf: &mut Vec<u8>, donor: &[u8], max: u64) -> Vec<Mutation> {
    let mut done = Vec::new();
    for _ in 0..rng.range(1, max.max(1)) {
        if buf.is_empty() {
            break;
        }
        let n = buf.len();
        let at = rng.below(n as u64) as usize;
        let m = match rng.below(10) {
            0..=2 => {
                let bit = rng.below(8) as u8;
                buf[at] ^= 1 << bit;
                Mutation::FlipBit { at, bit }
            }
            3 => {
                let any = rng.next_u64() as u8;
                let value = *rng.pick(&[0u8, 1, 0x7F, 0x80, 0xFF, any]);
                buf[at] = value;
                Mutation::SetByte { at, value }
            }
            4 => {
                let width = *rng.pick(&[2usize, 4, 8]);
                let at = at.min(n.saturating_sub(width));
                let value = rng.interesting_u64();
                let w = width.min(n - at);
                buf[at..at + w].copy_from_slice(&value.to_le_bytes()[..w]);
                Mutation::SetWord { at, width: w, value }
            }
            5 => {
                buf.truncate(at);
                Mutation::Truncate { len: at }
            }
            6 => {
                let len = rng.range(1, 16) as usize;
                let bytes = rng.bytes(len);
                buf.splice(at..at, bytes);
                Mutation::Insert { at, len }
            }
            7 => {
                let len = (rng.range(1, 64) as usize).min(n - at);
                buf.drain(at..at + len);
                Mutation::Delete { at, len }
            }
            _ => {
                if donor.is_empty() {
                    continue;
                }
                let from = rng.below(donor.len() as u64) as usize;
                let len = (rng.range(1, 256) as usize).min(donor.len() - from).min(n - at);
                buf[at..at + len].copy_from_slice(&donor[from..from + len]);
                Mutation::Splice { at, from, len }
            }
        };
        done.push(m);
    }
    done
}
