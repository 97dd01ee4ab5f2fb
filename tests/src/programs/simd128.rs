//! The Debian-source programs (zlib's minigzip, Lua, SQLite's speedtest1) rebuilt with
//! `-O3 -msimd128`, so clang's auto-vectoriser emits SIMD, from the sources
//! `scripts/fetch-programs.sh` unpacked under the programs directory (`src/`, and the SQLite
//! amalgamation under `build/sqlite3/`).
//!
//! Each build is fetch-programs.sh's wasm build of the program with its `-O2` replaced by
//! `-O3 -msimd128`: the same sources, shims and other flags (keep [`build_command`] in step
//! with the script). The modules are cached under `<target>/kiln-c-cache/programs-simd128/`,
//! keyed by a hash of the command line and every input file, and give the same observations
//! as the `-O2` builds (the golden files of `tests/programs/golden/`).

use super::{Programs, Workload, programs_source_dir};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workloads whose program is rebuilt with `-O3 -msimd128`.
pub const WORKLOADS: [Workload; 3] = [Workload::Minigzip, Workload::Lua, Workload::Speedtest1];

/// The flags that replace fetch-programs.sh's `-O2`.
pub const SIMD128_FLAGS: [&str; 2] = ["-O3", "-msimd128"];

/// The Debian source directory of package `pkg` that fetch-programs.sh recorded in
/// `src/<pkg>.fetched` (`VERSION DIR`).
fn source_dir(programs: &Programs, pkg: &str) -> Result<PathBuf, String> {
    let marker = programs.root().join("src").join(format!("{pkg}.fetched"));
    let text = std::fs::read_to_string(&marker).map_err(|e| {
        format!("cannot read {} ({e}): run scripts/fetch-programs.sh", marker.display())
    })?;
    let dir = text.split_whitespace().nth(1).map(PathBuf::from);
    dir.filter(|d| d.is_dir()).ok_or_else(|| {
        format!("{} names no source directory: run scripts/fetch-programs.sh", marker.display())
    })
}

fn files_in(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, String> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    Ok(v)
}

/// The `python3 -m ziglang cc` arguments (after `cc`) that build `w`'s program for
/// wasm32-wasi with `-O3 -msimd128`, without the output, and the files they read (for the
/// cache key): fetch-programs.sh's command for the program, `-O2` replaced.
///
/// # Errors
/// When the sources are missing (run fetch-programs.sh) or `w` is not one of [`WORKLOADS`].
pub fn build_command(
    programs: &Programs,
    w: Workload,
) -> Result<(Vec<String>, Vec<PathBuf>), String> {
    let s = |p: &Path| p.display().to_string();
    let mut args: Vec<String> = ["-target", "wasm32-wasi"].map(String::from).to_vec();
    args.extend(SIMD128_FLAGS.map(String::from));
    let mut inputs: Vec<PathBuf> = Vec::new();
    let shims = programs_source_dir();
    match w {
        Workload::Minigzip => {
            let zlib = source_dir(programs, "zlib")?;
            args.extend(["-DHAVE_UNISTD_H", "-DHAVE_STDARG_H", "-w"].map(String::from));
            args.push(format!("-I{}", s(&zlib)));
            inputs.push(zlib.join("test").join("minigzip.c"));
            for f in [
                "adler32", "compress", "crc32", "deflate", "gzclose", "gzlib", "gzread", "gzwrite",
                "infback", "inffast", "inflate", "inftrees", "trees", "uncompr", "zutil",
            ] {
                inputs.push(zlib.join(format!("{f}.c")));
            }
            args.extend(inputs.iter().map(|p| s(p)));
            inputs.extend(files_in(&zlib, "h")?);
        }
        Workload::Lua => {
            let lua = source_dir(programs, "lua5.4")?.join("src");
            let shim = shims.join("lua");
            args.push("-w".into());
            for dir in [lua.clone(), shim.clone(), shim.join("wasm-include")] {
                args.push(format!("-I{}", s(&dir)));
            }
            for h in ["unwind_shim.h", "wasi_shim.h"] {
                args.extend(["-include".to_string(), s(&shim.join(h))]);
            }
            args.extend(
                ["-D_WASI_EMULATED_SIGNAL", "-D_WASI_EMULATED_PROCESS_CLOCKS"].map(String::from),
            );
            let mut c: Vec<PathBuf> = files_in(&lua, "c")?
                .into_iter()
                .filter(|p| p.file_name().is_none_or(|n| n != "luac.c"))
                .collect();
            c.extend([shim.join("unwind_shim.c"), shim.join("wasi_shim.c")]);
            args.extend(c.iter().map(|p| s(p)));
            args.extend(
                ["-lwasi-emulated-signal", "-lwasi-emulated-process-clocks"].map(String::from),
            );
            inputs.extend(c);
            inputs.extend(files_in(&lua, "h")?);
            inputs.extend(files_in(&shim, "h")?);
            inputs.extend(files_in(&shim.join("wasm-include"), "h")?);
        }
        Workload::Speedtest1 => {
            let sqlite = source_dir(programs, "sqlite3")?;
            let amalgamation = programs.root().join("build").join("sqlite3");
            args.extend(
                [
                    "-w",
                    "-DSQLITE_THREADSAFE=0",
                    "-DSQLITE_OMIT_LOAD_EXTENSION",
                    "-DSQLITE_OMIT_WAL",
                    "-DSQLITE_MAX_MMAP_SIZE=0",
                    "-DSQLITE_TEMP_STORE=3",
                    "-DSQLITE_OMIT_SHARED_CACHE",
                    "-DSQLITE_OS_OTHER=1",
                ]
                .map(String::from),
            );
            args.push(format!("-I{}", s(&amalgamation)));
            let c = [
                amalgamation.join("sqlite3.c"),
                shims.join("sqlite").join("memory_os.c"),
                sqlite.join("test").join("speedtest1.c"),
            ];
            args.extend(c.iter().map(|p| s(p)));
            inputs.extend(c);
            inputs.push(amalgamation.join("sqlite3.h"));
        }
        other => return Err(format!("{} has no -msimd128 build", other.name())),
    }
    Ok((args, inputs))
}

/// The `-O3 -msimd128` build of `w`'s program (one of [`WORKLOADS`]), built on first use
/// and cached; its path.
///
/// # Errors
/// When the sources are missing (run scripts/fetch-programs.sh), `python3 -m ziglang` is
/// missing, or the build fails (with the compiler's output).
pub fn simd128_wasm(programs: &Programs, w: Workload) -> Result<PathBuf, String> {
    let (args, inputs) = build_command(programs, w)?;
    let mut contents = Vec::new();
    for f in &inputs {
        contents.push(std::fs::read(f).map_err(|e| format!("cannot read {}: {e}", f.display()))?);
    }
    let mut parts: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    parts.extend(contents.iter().map(Vec::as_slice));
    let key = crate::fnv1a64(&parts);
    let dir = crate::cache_dir().join("programs-simd128");
    let cached = dir.join(format!("{}-{key:016x}.wasm", w.program()));
    if cached.exists() {
        return Ok(cached);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // Build into a private name, then rename: concurrent builders never see half a file.
    let tmp = dir.join(format!(
        "{}-{key:016x}.{}.{}.tmp.wasm",
        w.program(),
        std::process::id(),
        crate::unique_suffix()
    ));
    let out = Command::new("python3")
        .args(["-m", "ziglang", "cc"])
        .args(&args)
        .arg("-o")
        .arg(&tmp)
        .output()
        .map_err(|e| format!("cannot run python3 -m ziglang: {e} (run scripts/setup-deps.sh)"))?;
    if !out.status.success() {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!(
            "building {} with -O3 -msimd128 failed ({}):\n{}",
            w.program(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    std::fs::rename(&tmp, &cached)
        .map_err(|e| format!("cannot move the build to {}: {e}", cached.display()))?;
    Ok(cached)
}
