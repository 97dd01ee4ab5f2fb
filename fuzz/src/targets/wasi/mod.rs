//! `wasi`: random sequences of WASI preview1 calls with random arguments and guest memory,
//! over a sandboxed temporary tree. A guest module imports all 46 functions and exports a
//! wrapper for each (`w_NAME`) plus its memory; the host calls the wrappers directly.
//!
//! The tree: `ROOT/mount` (mounted read-write at `/`, `/sandbox` or `.`), `ROOT/ro`
//! (mounted read-only at `/ro`), and `ROOT/outside`, which holds files whose contents
//! contain a secret marker. `mount` has files, a directory, and symlinks that lead out of
//! it (`up -> ../outside`, an absolute one to the secret, `dotdot -> ..`) or nowhere
//! (`loop -> loop`). Arguments are mostly plausible (descriptors the guest has, pointers
//! to the path strings, iovecs into memory, small sizes) and sometimes anything at all.
//!
//! Checked: no host panic; each call returns a preview1 errno (0..=76) or ends the guest
//! with `proc_exit`; the secret never appears in guest memory or in a file under the
//! mounts; `outside`, `ro` and ROOT itself are unchanged afterwards (paths, kinds, sizes,
//! modes, modification times, contents); the host's stdio descriptors stay open.
//!
//! Sizes given to `fd_allocate` and `fd_filestat_set_size` are capped at 16 MiB so a case
//! cannot fill the disk (sizes past `i64::MAX`, which make nothing, are kept).
//!
//! One case in three is instead compared with wasmtime ([`reference`]): the same kind of
//! call sequence, generated with only deterministic inputs, becomes a program that runs
//! under Kiln and under the wasmtime CLI over two copies of the tree.

use crate::finding::{Finding, Input, set_current_input};
use crate::rng::Rng;
use kiln::{Error, FSConfig, ModuleConfig, Runtime, RuntimeConfig, Val};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod reference;

/// Each function and the roles of its parameters: `f` descriptor, `p` path pointer
/// (followed by its length `l`), `b` buffer pointer (followed by `l`), `i` iovec array
/// (followed by its count `n`), `o` result pointer, `x` flags, `c` clock id, `w` whence,
/// `e` exit code or signal; `L` a 64-bit size or offset, `R` rights, `T` a timestamp or
/// cookie (64-bit). `proc_exit` returns nothing; every other function returns an errno.
const FUNCTIONS: [(&str, &str); 46] = [
    ("args_get", "oo"),
    ("args_sizes_get", "oo"),
    ("environ_get", "oo"),
    ("environ_sizes_get", "oo"),
    ("clock_res_get", "co"),
    ("clock_time_get", "cTo"),
    ("fd_advise", "fLLx"),
    ("fd_allocate", "fLL"),
    ("fd_close", "f"),
    ("fd_datasync", "f"),
    ("fd_fdstat_get", "fo"),
    ("fd_fdstat_set_flags", "fx"),
    ("fd_fdstat_set_rights", "fRR"),
    ("fd_filestat_get", "fo"),
    ("fd_filestat_set_size", "fL"),
    ("fd_filestat_set_times", "fTTx"),
    ("fd_pread", "finLo"),
    ("fd_prestat_get", "fo"),
    ("fd_prestat_dir_name", "fbl"),
    ("fd_pwrite", "finLo"),
    ("fd_read", "fino"),
    ("fd_readdir", "fblTo"),
    ("fd_renumber", "ff"),
    ("fd_seek", "fLwo"),
    ("fd_sync", "f"),
    ("fd_tell", "fo"),
    ("fd_write", "fino"),
    ("path_create_directory", "fpl"),
    ("path_filestat_get", "fxplo"),
    ("path_filestat_set_times", "fxplTTx"),
    ("path_link", "fxplfpl"),
    ("path_open", "fxplxRRxo"),
    ("path_readlink", "fplblo"),
    ("path_remove_directory", "fpl"),
    ("path_rename", "fplfpl"),
    ("path_symlink", "plfpl"),
    ("path_unlink_file", "fpl"),
    ("poll_oneoff", "bbno"),
    ("proc_exit", "e"),
    ("proc_raise", "e"),
    ("sched_yield", ""),
    ("random_get", "bl"),
    ("sock_accept", "fxo"),
    ("sock_recv", "finxoo"),
    ("sock_send", "finxo"),
    ("sock_shutdown", "fx"),
];

const SECRET: &[u8] = b"KILN-FUZZ-SECRET-7f3a9c";
const MEMORY_PAGES: u64 = 2;
const OUT_AREA: u32 = 0;
const STRINGS_AT: u32 = 1024;
const IOVECS_AT: u32 = 4096;
const IOVEC_COUNT: u32 = 64;
const BUFFERS_AT: u32 = 8192;
const SIZE_CAP: u64 = 16 << 20;

/// Paths the guest names: inside, escaping, odd.
const PATHS: &[&[u8]] = &[
    b"a.txt",
    b"d",
    b"d/b.txt",
    b"new",
    b"new/x",
    b"d/../a.txt",
    b".",
    b"..",
    b"",
    b"/",
    b"up",
    b"up/secret",
    b"../outside/secret",
    b"abs",
    b"loop",
    b"dotdot",
    b"dotdot/outside/secret",
    b"/etc/passwd",
    b"a.txt/",
    b"d/",
    b"a\0b",
    b"\xff\xfe",
    b"d/new.txt",
    b"renamed",
    b"lnk",
    b"ro",
    b"/ro/r.txt",
    b"../ro/r.txt",
    b"d/../../outside",
    b"//a.txt",
];

/// The wasm type of a parameter of `roles` (see [`FUNCTIONS`]).
fn param_types(roles: &str) -> String {
    if roles.is_empty() {
        return String::new();
    }
    let tys: String =
        roles.chars().map(|r| if "LRT".contains(r) { " i64" } else { " i32" }).collect();
    format!(" (param{tys})")
}

/// The result clause of `name`'s import.
fn result_type(name: &str) -> &'static str {
    if name == "proc_exit" { "" } else { " (result i32)" }
}

/// An import of every function of [`FUNCTIONS`], as `$NAME`.
fn write_imports(w: &mut String) {
    for (name, roles) in FUNCTIONS {
        let (params, res) = (param_types(roles), result_type(name));
        let _ = writeln!(
            w,
            "  (import \"wasi_snapshot_preview1\" \"{name}\" (func ${name}{params}{res}))"
        );
    }
}

/// The guest module: every WASI import, a wrapper export for each, memory.
fn guest_wat() -> String {
    let mut w = String::from("(module\n");
    write_imports(&mut w);
    let _ = writeln!(w, "  (memory (export \"memory\") {MEMORY_PAGES})");
    for (name, roles) in FUNCTIONS {
        let (params, res) = (param_types(roles), result_type(name));
        let gets: String = (0..roles.len()).map(|i| format!(" local.get {i}")).collect();
        let _ = writeln!(w, "  (func (export \"w_{name}\"){params}{res}{gets} call ${name})");
    }
    w.push(')');
    w
}

/// One file-system entry's observable state.
type Snapshot = BTreeMap<PathBuf, String>;

fn snapshot(root: &Path, skip: &Path, out: &mut Snapshot) {
    let Ok(rd) = std::fs::read_dir(root) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p == skip {
            continue;
        }
        let Ok(md) = std::fs::symlink_metadata(&p) else { continue };
        use std::os::unix::fs::MetadataExt;
        let mut desc = format!("{:o} {} {} {}", md.mode(), md.len(), md.mtime(), md.mtime_nsec());
        if md.file_type().is_symlink() {
            let _ = write!(desc, " -> {:?}", std::fs::read_link(&p).ok());
        } else if md.is_file() {
            let _ = write!(desc, " {:?}", std::fs::read(&p).ok().map(|b| crate::rng::fnv(&b)));
        }
        out.insert(p.clone(), desc);
        if md.is_dir() {
            snapshot(&p, skip, out);
        }
    }
}

fn contains_secret(hay: &[u8]) -> bool {
    hay.windows(SECRET.len()).any(|w| w == SECRET)
}

fn files_with_secret(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        let Ok(md) = std::fs::symlink_metadata(&p) else { continue };
        if md.is_dir() {
            files_with_secret(&p, found);
        } else if md.is_file() && std::fs::read(&p).is_ok_and(|b| contains_secret(&b)) {
            found.push(p);
        }
    }
}

/// Builds the tree under a fresh `ROOT` (its name ends with `tag`).
fn make_tree(seed: u64, tag: &str) -> std::io::Result<PathBuf> {
    let root =
        std::env::temp_dir().join(format!("kiln-fuzz-wasi-{}-{seed}{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let (mount, ro, outside) = (root.join("mount"), root.join("ro"), root.join("outside"));
    for d in [&mount, &ro, &outside, &mount.join("d")] {
        std::fs::create_dir_all(d)?;
    }
    let mut secret = b"outside file: ".to_vec();
    secret.extend_from_slice(SECRET);
    std::fs::write(outside.join("secret"), &secret)?;
    std::fs::write(root.join("rootfile"), &secret)?;
    std::fs::write(mount.join("a.txt"), b"hello from a.txt\n")?;
    std::fs::write(mount.join("d/b.txt"), vec![b'b'; 5000])?;
    std::fs::write(ro.join("r.txt"), b"read-only\n")?;
    use std::os::unix::fs::symlink;
    symlink("../outside", mount.join("up"))?;
    symlink(outside.join("secret"), mount.join("abs"))?;
    symlink("..", mount.join("dotdot"))?;
    symlink("loop", mount.join("loop"))?;
    symlink("d/b.txt", mount.join("inner"))?;
    Ok(root)
}

/// The guest's first [`MEMORY_PAGES`]: random bytes, the [`PATHS`] (each NUL-terminated)
/// at [`STRINGS_AT`], and [`IOVEC_COUNT`] iovecs at [`IOVECS_AT`] into the buffers.
fn memory_image(rng: &mut Rng) -> Vec<u8> {
    let mut image = rng.bytes((MEMORY_PAGES * 65536) as usize);
    let mut at = STRINGS_AT as usize;
    for p in PATHS {
        image[at..at + p.len()].copy_from_slice(p);
        image[at + p.len()] = 0;
        at += p.len() + 1;
    }
    for i in 0..IOVEC_COUNT as usize {
        let buf = BUFFERS_AT as u64 + rng.below(MEMORY_PAGES * 65536 - BUFFERS_AT as u64 - 4096);
        let len = if rng.chance(1, 16) { rng.next_u64() as u32 } else { rng.below(4096) as u32 };
        let b = IOVECS_AT as usize + 8 * i;
        image[b..b + 4].copy_from_slice(&(buf as u32).to_le_bytes());
        image[b + 4..b + 8].copy_from_slice(&len.to_le_bytes());
    }
    image
}

/// Chooses the calls' arguments.
struct Guest {
    rng: Rng,
    fds: Vec<u32>,
    /// Only deterministic inputs, for a case compared with wasmtime ([`reference`]): no
    /// pointer into memory a call may have filled with something that differs between
    /// runtimes (clock values, inode numbers, random bytes, directory entries in host
    /// order), which would make the two runs' later inputs differ; wild pointers lie
    /// outside memory; descriptor 1 (stdout carries the report) is never named; buffers of
    /// `random_get` and `fd_readdir` lie in a scratch page no call reads; a call's result
    /// pointers do not overlap (which result a runtime writes last is not specified).
    reference: bool,
    /// Under `reference`: how many result pointers the current call has been given.
    outs: u32,
}

impl Guest {
    fn out_ptr(&mut self) -> u32 {
        OUT_AREA + 8 * self.rng.below(120) as u32
    }

    fn arg_i32(&mut self, name: &str, role: char, pending_len: &mut Option<u32>) -> u32 {
        if self.reference {
            return self.reference_arg_i32(name, role, pending_len);
        }
        if self.rng.chance(1, 10) {
            return self.rng.interesting_u32();
        }
        self.plausible_i32(role, pending_len)
    }

    /// [`Guest::arg_i32`] under [`Guest::reference`].
    fn reference_arg_i32(&mut self, name: &str, role: char, pending_len: &mut Option<u32>) -> u32 {
        // The count of a plausible iovec array stays 0 or 1: given several iovecs, wasmtime
        // moves only the first non-empty buffer, an accepted difference (`reference`).
        if role == 'n'
            && let Some(n) = pending_len.take()
        {
            return n;
        }
        let pointer = "pbio".contains(role);
        if self.rng.chance(1, 10) {
            if pointer {
                pending_len.take();
                return *self.rng.pick(&reference::WILD_POINTERS);
            }
            let v = self.rng.interesting_u32();
            return if role == 'f' && v == 1 { 2 } else { v };
        }
        match role {
            'b' if name == "random_get" || name == "fd_readdir" => {
                let len = self.rng.range(0, 4096) as u32;
                *pending_len = Some(len);
                reference::SCRATCH_AT + self.rng.below(reference::SCRATCH_LEN as u64) as u32
            }
            'f' => match self.plausible_i32(role, pending_len) {
                1 => 2,
                fd => fd,
            },
            'o' => {
                self.outs += 1;
                OUT_AREA + 480 * (self.outs - 1) + 8 * self.rng.below(60) as u32
            }
            'i' => {
                let at = self.plausible_i32(role, pending_len);
                *pending_len = Some(self.rng.below(2) as u32);
                at
            }
            _ => self.plausible_i32(role, pending_len),
        }
    }

    fn plausible_i32(&mut self, role: char, pending_len: &mut Option<u32>) -> u32 {
        match role {
            'f' => {
                if self.rng.chance(4, 5) {
                    *self.rng.pick(&self.fds)
                } else {
                    self.rng.below(12) as u32
                }
            }
            'p' => {
                let i = self.rng.below(PATHS.len() as u64) as usize;
                let at: u32 =
                    STRINGS_AT + PATHS[..i].iter().map(|p| p.len() as u32 + 1).sum::<u32>();
                *pending_len = Some(PATHS[i].len() as u32);
                at
            }
            'b' => {
                let len = self.rng.range(0, 4096) as u32;
                *pending_len = Some(len);
                BUFFERS_AT
                    + self.rng.below((MEMORY_PAGES * 65536 - BUFFERS_AT as u64 - 4096).max(1))
                        as u32
            }
            'i' => {
                let first = self.rng.below(IOVEC_COUNT as u64) as u32;
                *pending_len = Some(self.rng.range(0, (IOVEC_COUNT - first) as u64) as u32);
                IOVECS_AT + 8 * first
            }
            'l' | 'n' => pending_len.take().unwrap_or_else(|| self.rng.below(64) as u32),
            'o' => self.out_ptr(),
            'x' => match self.rng.below(3) {
                0 => 0,
                1 => 1 << self.rng.below(16),
                _ => self.rng.below(1 << 16) as u32,
            },
            'c' => self.rng.below(5) as u32,
            'w' => self.rng.below(4) as u32,
            'e' => self.rng.below(4) as u32,
            _ => self.rng.next_u64() as u32,
        }
    }

    fn arg_i64(&mut self, role: char, name: &str) -> u64 {
        let v = if self.rng.chance(1, 10) {
            self.rng.interesting_u64()
        } else {
            match role {
                'L' => self.rng.below(70_000),
                'R' => {
                    if self.rng.chance(1, 2) {
                        u64::MAX
                    } else {
                        self.rng.next_u64() & 0x1FFF_FFFF
                    }
                }
                _ => self.rng.interesting_u64(),
            }
        };
        // Sizes that would make a file are capped; those past `i64::MAX` (a negative
        // `off_t`, refused before anything is made) are kept.
        if role == 'L'
            && (name == "fd_allocate" || name == "fd_filestat_set_size")
            && v <= i64::MAX as u64
        {
            v % SIZE_CAP
        } else {
            v
        }
    }
}

/// Runs the case of `seed`.
///
/// # Errors
/// `bad-errno`, `wasi-trap`, `leak` (the secret reached the guest or the mounts),
/// `escape` (something outside the mounts changed), `stdio-closed`, or `setup` when the
/// guest could not be instantiated.
pub fn run(seed: u64) -> Result<(), Finding> {
    if Rng::new(seed, 2).chance(1, 3) {
        return reference::run(seed);
    }
    let root = make_tree(seed, "").map_err(|e| Finding::new(format!("setup: tree: {e}"), None))?;
    let result = run_in(&root, seed);
    let _ = std::fs::remove_dir_all(&root);
    result
}

fn run_in(root: &Path, seed: u64) -> Result<(), Finding> {
    let mut rng = Rng::new(seed, 1);
    let mount = root.join("mount");
    let mut before = Snapshot::new();
    snapshot(root, &mount, &mut before);

    let config =
        if rng.chance(1, 2) { RuntimeConfig::interpreter() } else { RuntimeConfig::compiler() };
    let rt = Runtime::with_config(config);
    kiln::wasi::instantiate(&rt).map_err(|e| Finding::new(format!("setup: wasi: {e}"), None))?;
    let wasm =
        wat::parse_str(guest_wat()).map_err(|e| Finding::new(format!("setup: wat: {e}"), None))?;
    let module =
        rt.compile(&wasm).map_err(|e| Finding::new(format!("setup: compile: {e}"), None))?;
    let guest_path = *rng.pick(&["/", "/sandbox", "."]);
    let fs = FSConfig::new()
        .with_dir_mount(&mount, guest_path)
        .with_read_only_dir_mount(root.join("ro"), "/ro");
    let cfg = ModuleConfig::new()
        .with_name("")
        .with_start_functions(Vec::<String>::new())
        .with_args(["guest", "--flag", "x"])
        .with_env("K", "v")
        .with_fs_config(fs);
    let inst = rt
        .instantiate(&module, cfg)
        .map_err(|e| Finding::new(format!("setup: instantiate: {e}"), None))?;
    let mem = inst.exported_memory("memory").expect("guest exports memory");

    mem.write(0, &memory_image(&mut rng)).expect("memory is 2 pages");

    let mut guest = Guest { rng, fds: vec![0, 1, 2, 3, 4], reference: false, outs: 0 };
    let mut log = String::new();
    let steps = guest.rng.range(1, 40);
    for _ in 0..steps {
        let (name, roles) = *guest.rng.pick(&FUNCTIONS);
        let mut pending = None;
        let mut args = Vec::new();
        let mut out_ptr = None;
        for r in roles.chars() {
            if "LRT".contains(r) {
                args.push(Val::I64(guest.arg_i64(r, name) as i64));
            } else {
                let v = guest.arg_i32(name, r, &mut pending);
                if r == 'o' {
                    out_ptr = Some(v);
                }
                args.push(Val::I32(v as i32));
            }
        }
        let _ = writeln!(log, "{name}{args:?}");
        set_current_input(log.as_bytes(), "txt");
        let input = || Some(Input { bytes: log.clone().into_bytes(), ext: "txt" });
        match inst.call(&format!("w_{name}"), &args) {
            Ok(r) => {
                let errno = r.first().and_then(Val::i32);
                crate::stats::note(if errno == Some(0) {
                    "call succeeded"
                } else {
                    "call failed with errno"
                });
                if name != "proc_exit" && !errno.is_some_and(|e| (0..=76).contains(&e)) {
                    return Err(Finding::new(format!("bad-errno: {name} returned {r:?}"), input()));
                }
                if name == "path_open"
                    && errno == Some(0)
                    && let Some(p) = out_ptr
                    && let Ok(fd) = mem.read_u32_le(p as u64)
                {
                    guest.fds.push(fd);
                }
            }
            Err(Error::Exit(_)) => break,
            Err(Error::Trap(t)) => {
                return Err(Finding::new(format!("wasi-trap: {name}: {t}"), input()));
            }
            Err(e) => return Err(Finding::new(format!("wasi-error: {name}: {e}"), input())),
        }
        let now = mem.read_vec(0, mem.data_size() as usize).unwrap_or_default();
        if contains_secret(&now) {
            return Err(Finding::new(
                format!("leak: guest memory holds the secret after {name}"),
                input(),
            ));
        }
        for fd in 0..3 {
            // SAFETY: fcntl(F_GETFD) takes no third argument and only reads the process's
            // descriptor table.
            if unsafe { libc::fcntl(fd, libc::F_GETFD) } < 0 {
                return Err(Finding::new(
                    format!("stdio-closed: host fd {fd} closed after {name}"),
                    input(),
                ));
            }
        }
    }
    let input = || Some(Input { bytes: log.clone().into_bytes(), ext: "txt" });
    drop(inst);
    drop(rt);
    let mut after = Snapshot::new();
    snapshot(root, &mount, &mut after);
    if before != after {
        let changed: Vec<_> = before
            .iter()
            .filter(|(k, v)| after.get(*k) != Some(*v))
            .map(|(k, _)| k.clone())
            .chain(after.keys().filter(|k| !before.contains_key(*k)).cloned())
            .collect();
        return Err(Finding::new(
            format!("escape: changed outside the mount: {changed:?}"),
            input(),
        ));
    }
    let mut leaked = Vec::new();
    files_with_secret(&mount, &mut leaked);
    if !leaked.is_empty() {
        return Err(Finding::new(format!("leak: the secret reached {leaked:?}"), input()));
    }
    Ok(())
}
