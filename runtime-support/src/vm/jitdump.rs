//! perf's jitdump: the binary file `/tmp/jit-<pid>.dump` in which a JIT tells `perf` the
//! name, address, machine code and source lines of each function it emits
//! (tools/perf/Documentation/jitdump-specification.txt in the Linux sources). `perf record
//! -k mono` sees the file because the process maps it executable; `perf inject --jit` then
//! turns each function into a small ELF file, so `perf report` and `perf annotate` name and
//! disassemble compiled wasm functions with their C source lines.
//!
//! Layout, native-endian: a 40-byte header (`magic` 0x4A695444 "JiTD", `version` 1,
//! `total_size` 40, `elf_mach`, `pad1` 0, `pid`, `timestamp`, `flags` 0), then records, each
//! with a 16-byte prefix (`id`, `total_size`, `timestamp`). Per loaded function Kiln writes a
//! `JIT_CODE_DEBUG_INFO` record (id 2: `code_addr`, `nr_entry`, then per entry `addr`,
//! `lineno`, `discrim` 0 and the file name, NUL-terminated) when the module has line
//! information, then its `JIT_CODE_LOAD` record (id 0: `pid`, `tid`, `vma`, `code_addr`,
//! `code_size`, `code_index`, the name `wasm[<module>]::<function>` NUL-terminated, the code
//! bytes). Timestamps are `CLOCK_MONOTONIC` nanoseconds, the clock `-k mono` selects.
//!
//! Like the perf map, the dump belongs to the process: once [`enable`]d, every module whose
//! native code is loaded afterwards is recorded (in process or from an artifact). A write
//! error turns it off: profiling never fails a load.

use super::code_symbols;
use super::compiled_code::CodeMeta;
use std::fs::File;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The header's magic number, "JiTD" read as a native-endian `u32`.
const MAGIC: u32 = 0x4A69_5444;
/// Size of the file header in bytes.
const HEADER_BYTES: u32 = 40;
/// Record id of a function's code.
const JIT_CODE_LOAD: u32 = 0;
/// Record id of a function's source lines.
const JIT_CODE_DEBUG_INFO: u32 = 2;

static ENABLED: AtomicBool = AtomicBool::new(false);

/// The open dump and the next `code_index`.
static DUMP: Mutex<Option<(File, u64)>> = Mutex::new(None);

/// The dump's path for this process: `/tmp/jit-<pid>.dump` (perf finds a dump by the
/// `jit-<pid>.dump` name of the file the process mapped).
pub fn path() -> std::path::PathBuf {
    std::path::PathBuf::from(format!("/tmp/jit-{}.dump", std::process::id()))
}

/// `CLOCK_MONOTONIC` now, in nanoseconds.
fn timestamp() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec to write; CLOCK_MONOTONIC always exists on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec as u64).wrapping_mul(1_000_000_000).wrapping_add(ts.tv_nsec as u64)
}

/// The ELF machine of this host (`EM_X86_64` or `EM_AARCH64`).
fn elf_machine() -> u32 {
    if cfg!(target_arch = "aarch64") { 183 } else { 62 }
}

/// Turns the jitdump on for the rest of the process: creates [`path`], writes its header and
/// maps it executable, so that `perf record` notes the file.
///
/// # Errors
/// The I/O error when the file cannot be created, written or mapped.
pub fn enable() -> std::io::Result<()> {
    let mut dump = DUMP.lock().unwrap_or_else(|p| p.into_inner());
    if dump.is_some() {
        return Ok(());
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(path())?;
    let mut h = Vec::with_capacity(HEADER_BYTES as usize);
    for w in [MAGIC, 1, HEADER_BYTES, elf_machine(), 0, std::process::id()] {
        h.extend_from_slice(&w.to_ne_bytes());
    }
    h.extend_from_slice(&timestamp().to_ne_bytes());
    h.extend_from_slice(&0u64.to_ne_bytes());
    file.write_all(&h)?;
    file.flush()?;
    use std::os::fd::AsRawFd;
    // SAFETY: maps the first page of a file this process opened, at an address the kernel
    // chooses; nothing reads or writes through the mapping (it exists only so that perf's
    // mmap event names the file), and it is never unmapped, so no reference outlives it.
    let map = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            4096,
            libc::PROT_READ | libc::PROT_EXEC,
            libc::MAP_PRIVATE,
            file.as_raw_fd(),
            0,
        )
    };
    if map == libc::MAP_FAILED {
        return Err(std::io::Error::last_os_error());
    }
    *dump = Some((file, 0));
    ENABLED.store(true, Ordering::Release);
    Ok(())
}

/// Whether [`enable`] was called in this process (and no write failed since).
pub fn is_enabled() -> bool {
    ENABLED.load(Ordering::Acquire)
}

/// A record: its 16-byte prefix (`id`, `total_size`, `timestamp`) and `body`.
fn record_bytes(id: u32, body: &[u8]) -> Vec<u8> {
    let mut r = Vec::with_capacity(16 + body.len());
    r.extend_from_slice(&id.to_ne_bytes());
    r.extend_from_slice(&((16 + body.len()) as u32).to_ne_bytes());
    r.extend_from_slice(&timestamp().to_ne_bytes());
    r.extend_from_slice(body);
    r
}

/// Appends the functions of `code` when the dump is on (nothing otherwise).
pub(super) fn record(code: &CodeMeta) {
    if !is_enabled() {
        return;
    }
    let module = code_symbols::module_name(code);
    // SAFETY: gettid has no preconditions.
    let tid = unsafe { libc::gettid() } as u32;
    let mut dump = DUMP.lock().unwrap_or_else(|p| p.into_inner());
    let Some((file, next_index)) = dump.as_mut() else { return };
    let mut out = Vec::new();
    for s in code_symbols::symbols(code) {
        let lines = code_symbols::lines(code, &s);
        if !lines.is_empty() {
            let mut body = Vec::new();
            body.extend_from_slice(&(s.start as u64).to_ne_bytes());
            body.extend_from_slice(&(lines.len() as u64).to_ne_bytes());
            for (point, loc) in &lines {
                body.extend_from_slice(&(s.start as u64 + u64::from(point.code)).to_ne_bytes());
                body.extend_from_slice(&loc.line.to_ne_bytes());
                body.extend_from_slice(&0u32.to_ne_bytes());
                body.extend_from_slice(loc.file.as_bytes());
                body.push(0);
            }
            out.extend(record_bytes(JIT_CODE_DEBUG_INFO, &body));
        }
        let bytes = code_symbols::code_bytes(code, &s);
        let mut body = Vec::new();
        body.extend_from_slice(&std::process::id().to_ne_bytes());
        body.extend_from_slice(&tid.to_ne_bytes());
        for w in [s.start as u64, s.start as u64, bytes.len() as u64, *next_index] {
            body.extend_from_slice(&w.to_ne_bytes());
        }
        *next_index += 1;
        body.extend_from_slice(format!("wasm[{module}]::{}", s.name).as_bytes());
        body.push(0);
        body.extend_from_slice(bytes);
        out.extend(record_bytes(JIT_CODE_LOAD, &body));
    }
    if file.write_all(&out).is_err() {
        *dump = None;
        ENABLED.store(false, Ordering::Release);
    }
}
