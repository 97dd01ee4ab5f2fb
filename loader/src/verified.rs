//! Verify once (DESIGN.md principle 2: "verification is paid once per file"): a record,
//! per artifact file, that its payload matched the digest its header names, so later loads
//! of the unchanged file skip rehashing the payload.
//!
//! A record is keyed by the file's identity as `fstat` gives it on the open file: device,
//! inode, size, modification time and change time (seconds and nanoseconds). Any change to
//! the file's content or metadata moves its change time (`ctime`), which no unprivileged
//! process can set back, so a file altered in any way — even with its modification time
//! restored — no longer matches its record and is verified in full again. The header, the
//! signature and everything else that steers the loader are checked at every load; only the
//! payload digest is skipped, and only when the header names the very digest the record
//! holds.
//!
//! Records live in one directory (by default `$XDG_CACHE_HOME/kiln/verified`, else
//! `~/.cache/kiln/verified`), created owner-only (mode 0700), one file per artifact inode,
//! named by a hash of (device, inode). A record file is [`RECORD_LEN`] bytes, little-endian:
//! magic `KILNVER1` (8), device (8), inode (8), size (8), mtime seconds (8), mtime
//! nanoseconds (4), ctime seconds (8), ctime nanoseconds (4), the payload digest (32), and
//! the first 8 bytes of the SHA-256 of everything before. It is written to a temporary file
//! and renamed into place; one that does not read back whole and intact is treated as
//! absent.
//!
//! A record is written only after a load that hashed the payload and succeeded, when the
//! file's identity did not change while it was hashed, and when its change time is far
//! enough in the past ([`RACY_MARGIN`], or [`COARSE_MARGIN`] on a file system whose
//! timestamps have no sub-second part) that a later change cannot share it: file systems
//! stamp changes with a coarse clock, so a change within the same tick as the last one
//! would otherwise keep the change time (git's "racy" index entries).

use sha2::{Digest, Sha256};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Length of a record file in bytes.
pub const RECORD_LEN: usize = 8 + 8 * 3 + 12 * 2 + 32 + 8;
const MAGIC: &[u8; 8] = b"KILNVER1";

/// How long ago a file's last change must be for a record of it to be written (its change
/// time carries nanoseconds): several ticks of the kernel's coarse clock.
pub const RACY_MARGIN: Duration = Duration::from_millis(100);
/// The same on a file system whose timestamps have whole seconds only (FAT keeps 2 s).
pub const COARSE_MARGIN: Duration = Duration::from_secs(3);

/// A file's identity: what must stay the same for a record of it to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileIdentity {
    /// Device number.
    pub dev: u64,
    /// Inode number.
    pub ino: u64,
    /// Size in bytes.
    pub size: u64,
    /// Modification time: seconds since the epoch and nanoseconds.
    pub mtime: (i64, u32),
    /// Change time (the inode's last change): seconds since the epoch and nanoseconds.
    pub ctime: (i64, u32),
}

impl FileIdentity {
    /// The identity of the open file `file`.
    ///
    /// # Errors
    /// The I/O error of `fstat`.
    pub fn of(file: &std::fs::File) -> std::io::Result<Self> {
        let m = file.metadata()?;
        Ok(Self {
            dev: m.dev(),
            ino: m.ino(),
            size: m.size(),
            mtime: (m.mtime(), m.mtime_nsec().clamp(0, 999_999_999) as u32),
            ctime: (m.ctime(), m.ctime_nsec().clamp(0, 999_999_999) as u32),
        })
    }

    /// Whether the last change is old enough that a later change gets another change time
    /// (see the module docs).
    fn settled(&self, now: SystemTime) -> bool {
        let margin = if self.ctime.1 == 0 { COARSE_MARGIN } else { RACY_MARGIN };
        let Ok(secs) = u64::try_from(self.ctime.0) else { return false };
        let ctime = UNIX_EPOCH + Duration::new(secs, self.ctime.1);
        now.duration_since(ctime).is_ok_and(|age| age >= margin)
    }
}

/// The directory of verify-once records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedFiles {
    dir: PathBuf,
}

impl VerifiedFiles {
    /// Records kept in `dir` (created on the first record).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Records in the user's cache directory: `$XDG_CACHE_HOME/kiln/verified` when that
    /// variable is an absolute path, else `$HOME/.cache/kiln/verified`; `None` when neither
    /// is set.
    pub fn in_user_cache() -> Option<Self> {
        let xdg = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from).filter(|p| p.is_absolute());
        let base = xdg.or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .map(|h| h.join(".cache"))
        })?;
        Some(Self::new(base.join("kiln").join("verified")))
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, id: &FileIdentity) -> PathBuf {
        let mut key = Vec::with_capacity(16);
        key.extend_from_slice(&id.dev.to_le_bytes());
        key.extend_from_slice(&id.ino.to_le_bytes());
        let hex: String = Sha256::digest(&key)[..16].iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(hex)
    }

    /// The payload digest recorded for the file with identity `id`, if a record exists, is
    /// intact and names exactly this identity.
    pub fn recorded(&self, id: &FileIdentity) -> Option<[u8; 32]> {
        let bytes = std::fs::read(self.path(id)).ok()?;
        let (digest, found) = decode(&bytes)?;
        (found == *id).then_some(digest)
    }

    /// Records that the file with identity `id` has a payload matching `digest`, if its last
    /// change is settled (see the module docs). Failures to write are ignored: the record
    /// only saves work.
    pub fn record(&self, id: &FileIdentity, digest: &[u8; 32]) {
        if !id.settled(SystemTime::now()) {
            return;
        }
        let _ = self.write(id, digest);
    }

    fn write(&self, id: &FileIdentity, digest: &[u8; 32]) -> std::io::Result<()> {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&self.dir)?;
        let path = self.path(id);
        let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
        let result = (|| {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)?;
            f.write_all(&encode(id, digest))?;
            std::fs::rename(&tmp, &path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

fn encode(id: &FileIdentity, digest: &[u8; 32]) -> Vec<u8> {
    let mut b = Vec::with_capacity(RECORD_LEN);
    b.extend_from_slice(MAGIC);
    for v in [id.dev, id.ino, id.size] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for (s, ns) in [id.mtime, id.ctime] {
        b.extend_from_slice(&s.to_le_bytes());
        b.extend_from_slice(&ns.to_le_bytes());
    }
    b.extend_from_slice(digest);
    let sum = Sha256::digest(&b);
    b.extend_from_slice(&sum[..8]);
    b
}

fn decode(b: &[u8]) -> Option<([u8; 32], FileIdentity)> {
    if b.len() != RECORD_LEN
        || &b[..8] != MAGIC
        || Sha256::digest(&b[..RECORD_LEN - 8])[..8] != b[RECORD_LEN - 8..]
    {
        return None;
    }
    let u64_at = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
    let u32_at = |at: usize| u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"));
    let id = FileIdentity {
        dev: u64_at(8),
        ino: u64_at(16),
        size: u64_at(24),
        mtime: (u64_at(32) as i64, u32_at(40)),
        ctime: (u64_at(44) as i64, u32_at(52)),
    };
    Some((b[56..88].try_into().expect("32 bytes"), id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> FileIdentity {
        FileIdentity { dev: 1, ino: 2, size: 3, mtime: (4, 5), ctime: (6, 7) }
    }

    #[test]
    fn records_round_trip_and_damage_reads_as_absent() {
        let b = encode(&id(), &[9; 32]);
        assert_eq!(b.len(), RECORD_LEN);
        assert_eq!(decode(&b), Some(([9; 32], id())));
        for i in 0..b.len() {
            let mut c = b.clone();
            c[i] ^= 1;
            assert_eq!(decode(&c), None, "flip at {i}");
        }
        assert_eq!(decode(&b[..RECORD_LEN - 1]), None);

        let dir = std::env::temp_dir().join(format!("kiln-verified-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let v = VerifiedFiles::new(&dir);
        let old = FileIdentity { ctime: (1_000_000, 1), ..id() };
        assert_eq!(v.recorded(&old), None);
        v.record(&old, &[3; 32]);
        assert_eq!(v.recorded(&old), Some([3; 32]));
        assert_eq!(v.recorded(&FileIdentity { ctime: (1_000_000, 2), ..old }), None);
        std::fs::write(v.path(&old), b"garbage").unwrap();
        assert_eq!(v.recorded(&old), None, "a corrupt record is absent");
        // A change that is too recent is not recorded.
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let fresh =
            FileIdentity { ctime: (now.as_secs() as i64, now.subsec_nanos().max(1)), ..id() };
        v.record(&fresh, &[4; 32]);
        assert_eq!(v.recorded(&fresh), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
