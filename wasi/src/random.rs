//! `random_get`. Deterministic by default, as in wazero: unless the embedder gives a
//! source ([`crate::WasiConfig::with_rand_source`], [`crate::WasiConfig::with_sys_rand`])
//! the guest reads a fixed pseudo-random sequence (SplitMix64 seeded with 42): the same
//! bytes on every run. It is not cryptographically secure, and is not meant to be.

use super::errno::{Errno, WasiResult};
use super::guest_memory::GuestMemory;
use std::io::Read;

/// Where `random_get` bytes come from.
pub(crate) enum RandSource {
    /// SplitMix64 with a fixed seed (the state).
    Deterministic(u64),
    /// The host's CSPRNG (`getrandom(2)`).
    System,
    /// An embedder's reader.
    Custom(Box<dyn Read + Send>),
}

impl Default for RandSource {
    fn default() -> Self {
        RandSource::Deterministic(42)
    }
}

impl RandSource {
    fn fill(&mut self, buf: &mut [u8]) -> WasiResult {
        match self {
            RandSource::Deterministic(state) => {
                for chunk in buf.chunks_mut(8) {
                    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                    let mut z = *state;
                    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                    z ^= z >> 31;
                    chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
                }
                Ok(())
            }
            RandSource::System => {
                let mut filled = 0;
                while filled < buf.len() {
                    match rustix::rand::getrandom(
                        &mut buf[filled..],
                        rustix::rand::GetRandomFlags::empty(),
                    ) {
                        Ok(n) => filled += n,
                        Err(rustix::io::Errno::INTR) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
                Ok(())
            }
            // A reader that ends early cannot satisfy the request: EIO.
            RandSource::Custom(r) => r.read_exact(buf).map_err(|_| Errno::EIO),
        }
    }
}

/// `random_get(buf, buf_len)`: fills `buf_len` bytes at `buf`. `EFAULT` for a range
/// outside memory, `EIO` when a custom source runs dry.
pub(crate) fn get(src: &mut RandSource, mem: &GuestMemory, buf: u32, len: u32) -> WasiResult {
    mem.check(buf, u64::from(len))?;
    let mut bytes = vec![0u8; len as usize];
    src.fill(&mut bytes)?;
    mem.write(buf, &bytes)
}
