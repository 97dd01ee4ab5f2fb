//! Helpers for Kiln's cross-crate integration tests (the tests themselves live in
//! `tests/tests/`) and benchmarks: building the freestanding C programs under `tests/c/`
//! into wasm modules with `python3 -m ziglang cc`.
//!
//! Builds are cached under `<workspace>/target/kiln-c-cache/`, keyed by a hash of the
//! source, the target and the flags, so a test run compiles each program once.
//!
//! [`programs`] holds the real WASI programs (Yosys, Flite, minigzip, Lua, speedtest1) that
//! `scripts/fetch-programs.sh` fetches, as workloads with golden outputs. [`aarch64_exec`]
//! runs Kiln's aarch64 code under qemu-aarch64 to compare it with the interpreter.

#![warn(missing_docs)]

pub mod aarch64_exec;
pub mod programs;
pub mod wasi_command;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The target triple for freestanding wasm modules without WASI.
pub const WASM32_FREESTANDING: &str = "wasm32-freestanding";

/// The flags every build gets (before the caller's extra flags): optimised, no libc, no
/// entry point, every exported symbol visible.
pub const BASE_FLAGS: &[&str] = &["-O2", "-nostdlib", "-Wl,--no-entry", "-Wl,--export-dynamic"];

/// Bump to invalidate every cached build (for example after changing [`BASE_FLAGS`]
/// semantics).
const CACHE_FORMAT: &str = "kiln-c-cache-v2";

/// The workspace root (the directory holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The directory of the C sources (`<workspace>/tests/c`).
pub fn c_dir() -> PathBuf {
    workspace_root().join("tests").join("c")
}

/// Cargo's target directory (`CARGO_TARGET_DIR` when set, else `<workspace>/target`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => {
            let d = PathBuf::from(d);
            if d.is_absolute() { d } else { workspace_root().join(d) }
        }
        _ => workspace_root().join("target"),
    }
}

/// The directory where built C programs are cached.
pub fn cache_dir() -> PathBuf {
    target_dir().join("kiln-c-cache")
}

/// 64-bit FNV-1a, written out so the cache key is stable across Rust releases (unlike
/// `DefaultHasher`).
pub(crate) fn fnv1a64(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        // Length-prefix each part so ("ab","c") and ("a","bc") differ.
        for b in (part.len() as u64).to_le_bytes().iter().chain(part.iter()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// What to tell the user when `python3 -m ziglang` is not usable.
fn missing_zig_message(detail: &str) -> String {
    format!(
        "cannot build the C test programs: `python3 -m ziglang` is not available ({detail}).\n\
         Run `scripts/setup-deps.sh` from the repository root (it installs the `ziglang` \
         package from PyPI with pip), then run the tests again."
    )
}

/// Compiles the C file `src` for `target` (for example [`WASM32_FREESTANDING`]) with
/// `python3 -m ziglang cc`, [`BASE_FLAGS`] and then `extra`, writes the module to `out`,
/// and returns its bytes.
///
/// The result is cached under [`cache_dir`] keyed by a hash of the source text, the target
/// and the flags; a cache hit copies the cached module to `out` without running the
/// compiler.
///
/// # Errors
/// A message when the source cannot be read, when `python3 -m ziglang` is missing (telling
/// the user to run `scripts/setup-deps.sh`), or when compilation fails (with the
/// compiler's output).
pub fn build_c(src: &Path, out: &Path, target: &str, extra: &[&str]) -> Result<Vec<u8>, String> {
    build_c_with(src, out, target, BASE_FLAGS, &[], extra)
}

/// Compiles `src` with `base` flags then `extra` (`zig c++` for a `.cpp` file, else `zig
/// cc`); `headers` are hashed into the cache key (files the source includes).
fn build_c_with(
    src: &Path,
    out: &Path,
    target: &str,
    base: &[&str],
    headers: &[PathBuf],
    extra: &[&str],
) -> Result<Vec<u8>, String> {
    let mut source =
        std::fs::read(src).map_err(|e| format!("cannot read C source {}: {e}", src.display()))?;
    for h in headers {
        source.extend(std::fs::read(h).map_err(|e| format!("cannot read {}: {e}", h.display()))?);
    }
    let mut key_parts: Vec<&[u8]> = vec![CACHE_FORMAT.as_bytes(), &source, target.as_bytes()];
    key_parts.extend(base.iter().map(|f| f.as_bytes()));
    key_parts.extend(extra.iter().map(|f| f.as_bytes()));
    let key = fnv1a64(&key_parts);
    let stem = src.file_stem().and_then(|s| s.to_str()).unwrap_or("module");
    let cache = cache_dir();
    let cached = cache.join(format!("{stem}-{key:016x}.wasm"));

    if let Ok(bytes) = std::fs::read(&cached)
        && bytes.starts_with(b"\0asm")
    {
        write_atomically(out, &bytes)?;
        return Ok(bytes);
    }

    std::fs::create_dir_all(&cache)
        .map_err(|e| format!("cannot create {}: {e}", cache.display()))?;
    // Build in a private temporary directory, then rename: concurrent test threads or
    // processes building the same program never see a half-written file. The file itself
    // is `<stem>.wasm` because the linker names the module after it (the name section's
    // module name, which backtraces show).
    let tmp_dir =
        cache.join(format!("{stem}-{key:016x}.{}.{}.tmp", std::process::id(), unique_suffix()));
    std::fs::create_dir_all(&tmp_dir)
        .map_err(|e| format!("cannot create {}: {e}", tmp_dir.display()))?;
    let tmp = tmp_dir.join(format!("{stem}.wasm"));
    // A C++ source goes through the C++ driver, which links libc++.
    let driver = if src.extension().is_some_and(|e| e == "cpp") { "c++" } else { "cc" };
    let mut cmd = Command::new("python3");
    cmd.args(["-m", "ziglang", driver, "-target", target])
        .args(base)
        .args(extra)
        .arg(src)
        .arg("-o")
        .arg(&tmp);
    let output =
        cmd.output().map_err(|e| missing_zig_message(&format!("cannot run python3: {e}")))?;
    if !output.status.success() {
        let _ = std::fs::remove_dir_all(&tmp_dir);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("No module named ziglang")
            || stderr.contains("No module named 'ziglang'")
        {
            return Err(missing_zig_message(stderr.trim()));
        }
        return Err(format!(
            "`python3 -m ziglang {driver}` failed for {} ({}):\n{}{}",
            src.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            stderr
        ));
    }
    let bytes = std::fs::read(&tmp).map_err(|e| format!("cannot read {}: {e}", tmp.display()))?;
    let moved = std::fs::rename(&tmp, &cached);
    let _ = std::fs::remove_dir_all(&tmp_dir);
    moved.map_err(|e| format!("cannot move build into cache {}: {e}", cached.display()))?;
    write_atomically(out, &bytes)?;
    Ok(bytes)
}

/// Builds `tests/c/<name>` for [`WASM32_FREESTANDING`] with no extra flags, placing the
/// module at `<cache_dir>/<stem>.wasm`, and returns its bytes.
///
/// # Errors
/// As [`build_c`].
pub fn build_test_program(name: &str) -> Result<Vec<u8>, String> {
    let src = c_dir().join(name);
    let stem = src.file_stem().and_then(|s| s.to_str()).unwrap_or("module").to_string();
    let out = cache_dir().join(format!("{stem}.wasm"));
    build_c(&src, &out, WASM32_FREESTANDING, &[])
}

/// The target triple for WASI preview1 command modules.
pub const WASM32_WASI: &str = "wasm32-wasi";

/// The directory of the WASI conformance programs (`<workspace>/tests/wasi`): each
/// `NAME.c` with its expected standard output `NAME.expected`.
pub fn wasi_dir() -> PathBuf {
    workspace_root().join("tests").join("wasi")
}

/// Builds `tests/wasi/<name>` (`name` may name a subdirectory, `diff/open.c`) as a WASI
/// command (`-target wasm32-wasi -O2`, wasi-libc, `_start` entry point), with every `.h`
/// file of the source's directory in the cache key, and returns the module's bytes.
///
/// # Errors
/// As [`build_c`].
pub fn build_wasi_program(name: &str) -> Result<Vec<u8>, String> {
    let src = wasi_dir().join(name);
    let dir = src.parent().map_or_else(wasi_dir, Path::to_path_buf);
    let mut headers: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "h"))
        .collect();
    headers.sort();
    let out =
        cache_dir().join(format!("wasi-{}.wasm", name.trim_end_matches(".c").replace('/', "-")));
    build_c_with(&src, &out, WASM32_WASI, &["-O2"], &headers, &[])
}

/// The C kernels (`tests/c/kernels.c`) as a wasm module. Exports, each returning a `u32`
/// checksum: `crc32_bench(rounds)`, `crc32_check()`, `sha256_bench(rounds)`,
/// `sha256_check()`, `quicksort_bench(n)`, `mandelbrot(size)`, `nbody(steps)`,
/// `sum_to(n)`.
///
/// # Errors
/// As [`build_c`].
pub fn kernels_wasm() -> Result<Vec<u8>, String> {
    build_test_program("kernels.c")
}

/// `tests/c/atomics.c` (C11 atomics) built as a WASI command with `-O2 -matomics
/// -mbulk-memory`, so its atomics are the threads proposal's instructions; returns the
/// module's path (`<cache_dir>/atomics.wasm`). It prints
/// `counter=3000 swapped=1 old=42 now=7 wide=18446744073709550616 small=0`.
///
/// # Errors
/// As [`build_c`].
pub fn atomics_wasm() -> Result<PathBuf, String> {
    let src = c_dir().join("atomics.c");
    let out = cache_dir().join("atomics.wasm");
    build_c_with(&src, &out, WASM32_WASI, &["-O2", "-matomics", "-mbulk-memory"], &[], &[])?;
    Ok(out)
}

/// `tests/c/cpp_stdlib.cpp`, a C++ program over libc++ (virtual calls, `std::function`,
/// containers, `std::regex`, iostreams, float formatting), built as a WASI command with
/// `python3 -m ziglang c++ -target wasm32-wasi -fno-exceptions` and `opt` (`-O2`, `-O0`,
/// ...); returns the module's path (`<cache_dir>/cpp_stdlib<opt>.wasm`). Its standard
/// output is `tests/c/cpp_stdlib.expected` (made with wasmtime) at every optimization
/// level; `argv[1]` scales the work.
///
/// # Errors
/// As [`build_c`].
pub fn cpp_stdlib_wasm(opt: &str) -> Result<PathBuf, String> {
    let src = c_dir().join("cpp_stdlib.cpp");
    let out = cache_dir().join(format!("cpp_stdlib{opt}.wasm"));
    build_c_with(&src, &out, WASM32_WASI, &[opt, "-fno-exceptions"], &[], &[])?;
    Ok(out)
}

/// The SIMD kernels (`tests/c/simd_kernels.c`, written with `wasm_simd128.h`) built as a
/// WASI command with `-target wasm32-wasi -O3 -msimd128`, so the auto-vectoriser emits SIMD
/// too; returns the module's bytes (also at `<cache_dir>/simd_kernels.wasm`). Its standard
/// output is `tests/c/simd_kernels.expected` (made with wasmtime); `argv[1]` repeats the
/// kernels that many times with the same output.
///
/// # Errors
/// As [`build_c`].
pub fn simd_kernels_wasm() -> Result<Vec<u8>, String> {
    let src = c_dir().join("simd_kernels.c");
    let out = simd_kernels_path();
    build_c_with(&src, &out, WASM32_WASI, &["-O3", "-msimd128"], &[], &[])
}

/// The SIMD kernels built as a benchmark library (`-DSIMD_KERNELS_BENCH -mexec-model=reactor`,
/// `-target wasm32-wasi -O3 -msimd128`): no imports, no `main`, and per kernel an export
/// `bench_<kernel>: (rounds: i32) -> i32` (`dot`, `convolution`, `base64`, `utf8`,
/// `histogram`, `reverse`; see tests/c/simd_kernels.c). Returns the module's bytes.
///
/// # Errors
/// As [`build_c`].
pub fn simd_kernels_bench_wasm() -> Result<Vec<u8>, String> {
    let src = c_dir().join("simd_kernels.c");
    let out = cache_dir().join("simd_kernels_bench.wasm");
    let flags = ["-O3", "-msimd128", "-DSIMD_KERNELS_BENCH", "-mexec-model=reactor"];
    build_c_with(&src, &out, WASM32_WASI, &flags, &[], &[])
}

/// The kernels [`simd_kernels_bench_wasm`] exports, as `bench_<name>`.
pub const SIMD_KERNELS: [&str; 6] =
    ["dot", "convolution", "base64", "utf8", "histogram", "reverse"];

/// Where [`simd_kernels_wasm`] writes the module.
pub fn simd_kernels_path() -> PathBuf {
    cache_dir().join("simd_kernels.wasm")
}

/// `tests/c/dwarf_traps.c` built for [`WASM32_WASI`] with `-g`, so the module carries DWARF
/// custom sections (`.debug_info`, `.debug_line`, ...). Exports `run_divide(a, b)`
/// (divides by `b`), `run_load(address)` (loads an `i32` from `address`) and
/// `run_trap(x)` (`__builtin_trap()` when `x > 0`), each calling a `noinline` helper
/// (`divide`, `load_at`, `fail`) where the trap happens.
///
/// # Errors
/// As [`build_c`].
pub fn dwarf_traps_wasm() -> Result<Vec<u8>, String> {
    let src = c_dir().join("dwarf_traps.c");
    build_c(&src, &cache_dir().join("dwarf_traps.wasm"), WASM32_WASI, &["-g"])
}

/// The 1-based line of `tests/c/<file>` holding the marker comment `LINE:<marker>` (the
/// C test programs mark the lines tests expect in backtraces this way).
///
/// # Panics
/// When the file cannot be read or has no such marker (a broken test program).
pub fn marked_line(file: &str, marker: &str) -> u32 {
    let path = c_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let needle = format!("LINE:{marker}");
    let index = text
        .lines()
        .position(|l| l.trim_end().ends_with(&needle))
        .unwrap_or_else(|| panic!("no `{needle}` marker in {}", path.display()));
    index as u32 + 1
}

pub(crate) fn unique_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    nanos ^ COUNTER.fetch_add(1, Ordering::Relaxed).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

fn write_atomically(out: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = out.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }

    if std::fs::read(out).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let tmp = out.with_extension(format!("{}.{}.tmp", std::process::id(), unique_suffix()));
    std::fs::write(&tmp, bytes).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, out).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

/// Loads the artifact at `path` in `rt` with no signature policy: for the tests' own
/// artifacts, compiled by the test that loads them (the signature tests in
/// `tests/all/signatures.rs` load under a policy instead).
pub fn load_own(
    rt: &kiln::Runtime,
    path: impl AsRef<Path>,
) -> Result<kiln::CompiledModule, kiln::Error> {
    // SAFETY: the tests load only artifacts their own compiler calls wrote (or broken
    // copies of them, which the loader must refuse).
    unsafe { rt.load_artifact_unsigned(path) }
}

/// Loads the artifact in `bytes` in `rt` with no signature policy (see [`load_own`]).
pub fn load_own_bytes(
    rt: &kiln::Runtime,
    bytes: &[u8],
) -> Result<kiln::CompiledModule, kiln::Error> {
    // SAFETY: as in `load_own`: the tests' own artifacts or broken copies of them.
    unsafe { rt.load_artifact_bytes_unsigned(bytes) }
}

/// [`kiln::Runtime::load_artifact_or_wasm_unsigned`] for the tests' own artifacts (see
/// [`load_own`]).
pub fn load_own_or_wasm(
    rt: &kiln::Runtime,
    path: impl AsRef<Path>,
    wasm: &[u8],
    fallback: kiln::ArtifactFallback,
) -> Result<kiln::CompiledModule, kiln::Error> {
    // SAFETY: as in `load_own`.
    unsafe { rt.load_artifact_or_wasm_unsigned(path, wasm, fallback) }
}

/// Artifact `blob` written again with metadata `meta`, sealed (valid checksums): how tests
/// make artifacts whose digests pass but whose metadata is inconsistent.
pub fn rewrite_artifact(
    blob: &[u8],
    meta: &kiln_runtime_support::artifact::ArtifactMetadata,
) -> Vec<u8> {
    let h = kiln_runtime_support::artifact::ArtifactHeader::decode(blob).unwrap();
    let section = |s: kiln_runtime_support::artifact::Section| blob[h.sections.range(s)].to_vec();
    let tables = kiln_runtime_support::vm::EncodedTables::from_parts(
        section(kiln_runtime_support::artifact::Section::Functions),
        section(kiln_runtime_support::artifact::Section::TrapSites),
        section(kiln_runtime_support::artifact::Section::AddressMap),
        section(kiln_runtime_support::artifact::Section::Entries),
    );
    kiln_runtime_support::artifact::write(&kiln_runtime_support::artifact::ArtifactParts {
        target: h.target.clone(),
        cpu_level: h.cpu_level.clone(),
        cpu_features: h.cpu_features,
        settings_fingerprint: h.settings_fingerprint,
        settings: h.settings,
        section_align: h.section_align,
        metadata: meta,
        wasm_sha256: h.wasm_sha256,
        code: &section(kiln_runtime_support::artifact::Section::Code),
        tables: &tables,
        source_lines: &section(kiln_runtime_support::artifact::Section::SourceLines),
        data: &section(kiln_runtime_support::artifact::Section::Data),
    })
    .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_stable_and_length_prefixed() {
        assert_eq!(fnv1a64(&[b"ab", b"c"]), fnv1a64(&[b"ab", b"c"]));
        assert_ne!(fnv1a64(&[b"ab", b"c"]), fnv1a64(&[b"a", b"bc"]));
    }
}
