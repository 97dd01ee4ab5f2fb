//! The payload digest: what the header's payload digest is computed over, and how, so that
//! verifying a large artifact is fast.
//!
//! The digested stream is every section except the cold ones, concatenated in
//! [`FILE_ORDER`] (the padding between sections is checked to be zero instead). It is cut
//! into [`CHUNK`]-byte chunks (the last one shorter); the digest is BLAKE3 of the
//! concatenated BLAKE3 digests of the chunks followed by the stream length as a
//! little-endian `u64`. BLAKE3 is a 256-bit cryptographic hash several times faster than
//! SHA-256 on one core (it hashes the 1 KiB blocks of a chunk in SIMD lanes: several GB/s
//! with AVX2 or AVX-512), which is what a first load of a large artifact pays. Chunks are
//! hashed on up to [`MAX_THREADS`] threads, each taking the next chunk no thread has taken,
//! when the stream is at least [`PARALLEL_MIN`] bytes.

use super::sections::{FILE_ORDER, SectionTable};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Chunk size of the digest, in bytes (1 MiB).
pub const CHUNK: usize = 1 << 20;

/// Smallest stream hashed on several threads, in bytes (16 MiB: below it, starting threads
/// costs more than it saves).
pub const PARALLEL_MIN: usize = 16 << 20;

/// Most threads a digest uses.
pub const MAX_THREADS: usize = 8;

/// The payload digest of the artifact `bytes` laid out as `sections` (already validated
/// against `bytes`): see the module documentation.
pub fn digest_payload(bytes: &[u8], sections: &SectionTable) -> [u8; 32] {
    let parts: Vec<&[u8]> =
        FILE_ORDER.iter().filter(|s| !s.is_cold()).map(|s| &bytes[sections.range(*s)]).collect();
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let chunks = total.div_ceil(CHUNK);
    let threads = if total < PARALLEL_MIN {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, MAX_THREADS)
            .min(chunks)
    };
    let digests = if threads <= 1 {
        let mut d = vec![[0u8; 32]; chunks];
        hash_chunks(&parts, 0, &mut d);
        d
    } else {
        hash_in_parallel(&parts, chunks, threads)
    };
    let mut h = blake3::Hasher::new();
    for d in &digests {
        h.update(d);
    }
    h.update(&(total as u64).to_le_bytes());
    h.finalize().into()
}

/// The digests of the `chunks` chunks of the stream made of `parts`, hashed by the calling
/// thread and `threads - 1` scoped threads that each take the next unclaimed chunk (so a
/// thread the scheduler delays holds up at most the chunk it took).
fn hash_in_parallel(parts: &[&[u8]], chunks: usize, threads: usize) -> Vec<[u8; 32]> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= chunks {
                return done;
            }
            let mut d = [[0u8; 32]];
            hash_chunks(parts, i, &mut d);
            done.push((i, d[0]));
        }
    };
    let mut digests = vec![[0u8; 32]; chunks];
    std::thread::scope(|scope| {
        // A helper thread that cannot be started leaves its share to the others.
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        let mut all = work();
        for h in helpers {
            // A panic while hashing is a bug in the hasher; re-raise it.
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        for (i, d) in all {
            digests[i] = d;
        }
    });
    digests
}

/// Hashes chunks `first..first + out.len()` of the stream made of `parts` into `out`.
fn hash_chunks(parts: &[&[u8]], first: usize, out: &mut [[u8; 32]]) {
    for (i, d) in out.iter_mut().enumerate() {
        let (mut start, end) = ((first + i) * CHUNK, (first + i + 1) * CHUNK);
        let mut h = blake3::Hasher::new();
        let mut at = 0;
        for p in parts {
            let (p_start, p_end) = (at, at + p.len());
            at = p_end;
            if p_end <= start || p_start >= end {
                continue;
            }
            let stop = end.min(p_end);
            h.update(&p[start - p_start..stop - p_start]);
            start = stop;
        }
        *d = h.finalize().into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::sections::{SECTION_COUNT, Section};

    /// The digest computed the slow, obvious way.
    fn reference(stream: &[u8]) -> [u8; 32] {
        let mut h = blake3::Hasher::new();
        for c in stream.chunks(CHUNK) {
            h.update(blake3::hash(c).as_bytes());
        }
        h.update(&(stream.len() as u64).to_le_bytes());
        h.finalize().into()
    }

    #[test]
    fn chunks_span_sections_and_threads_agree_with_one_pass() {
        // Sections of awkward sizes around the chunk size, large enough to go parallel.
        let lens: [usize; SECTION_COUNT] =
            [3 * CHUNK + 5, 7, CHUNK - 1, 0, 2 * CHUNK + 1, 13, 999, 12 * CHUNK];
        let (table, file_len) = SectionTable::layout(lens, 4096);
        let mut bytes = vec![0u8; file_len as usize];
        let mut stream = Vec::new();
        for s in FILE_ORDER {
            let r = table.range(s);
            for (i, b) in bytes[r.clone()].iter_mut().enumerate() {
                *b = (i as u8).wrapping_mul(31) ^ (s as u8);
            }
            if !s.is_cold() {
                stream.extend_from_slice(&bytes[r]);
            }
        }
        assert!(stream.len() >= PARALLEL_MIN);
        assert_eq!(digest_payload(&bytes, &table), reference(&stream));
        // A one-bit change anywhere outside the cold sections changes it; inside not.
        let d = digest_payload(&bytes, &table);
        for s in [Section::Code, Section::Functions, Section::Data] {
            let mut b = bytes.clone();
            b[table.range(s).end - 1] ^= 1;
            assert_ne!(digest_payload(&b, &table), d, "{s:?}");
        }
        let mut b = bytes.clone();
        b[table.range(Section::SourceLines).start] ^= 1;
        assert_eq!(digest_payload(&b, &table), d);
        // A small stream: one thread, same definition.
        let (small, len) = SectionTable::layout([100, 20, 0, 8, 0, 12, 0, 5000], 4096);
        let bytes = vec![7u8; len as usize];
        let stream: Vec<u8> = FILE_ORDER
            .iter()
            .filter(|s| !s.is_cold())
            .flat_map(|s| bytes[small.range(*s)].to_vec())
            .collect();
        assert_eq!(digest_payload(&bytes, &small), reference(&stream));
    }
}
