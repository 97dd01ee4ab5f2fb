//! Debuggers and profilers on compiled wasm: `kiln run -g` under gdb in batch mode (GDB's JIT
//! interface: break on a wasm function, a backtrace with C source lines), and
//! `kiln run --profile=jitdump` (perf's jitdump file, parsed here), each for a `.wasm`
//! compiled in process and for a `kiln compile` artifact.

use crate::{kiln, temp_dir};
use kiln_tests::{dwarf_traps_wasm, marked_line};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `tests/c/dwarf_traps.c` built with `-g`, and its `kiln compile` artifact, in `dir`.
fn wasm_and_artifact(dir: &Path) -> [PathBuf; 2] {
    let wasm = dir.join("dwarf_traps.wasm");
    std::fs::write(&wasm, dwarf_traps_wasm().unwrap_or_else(|e| panic!("{e}"))).unwrap();
    let artifact = dir.join("dwarf_traps.kiln");
    let (code, _, err) =
        kiln(&["compile", wasm.to_str().unwrap(), "-o", artifact.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    [wasm, artifact]
}

#[test]
fn gdb_breaks_on_a_compiled_wasm_function_and_shows_c_source_lines() {
    let dir = temp_dir("gdb");
    let divide = marked_line("dwarf_traps.c", "divide");
    let run_divide = marked_line("dwarf_traps.c", "run_divide");
    for module in wasm_and_artifact(&dir) {
        let out = Command::new("gdb")
            .args(["-batch", "-nx"])
            // Kiln's guard pages fault by design; its own handler turns them into traps.
            .args(["-ex", "handle SIGSEGV nostop noprint pass"])
            .args(["-ex", "set breakpoint pending on", "-ex", "break divide", "-ex", "run"])
            .args(["-ex", "bt 2", "-ex", "continue", "--args", env!("CARGO_BIN_EXE_kiln")])
            .args(["run", "-g", module.to_str().unwrap(), "--invoke", "run_divide", "42", "5"])
            .output()
            .unwrap_or_else(|e| panic!("cannot run gdb ({e}): run scripts/setup-deps.sh"));
        let text = String::from_utf8_lossy(&out.stdout);
        let m = module.display();
        assert!(text.contains("Breakpoint 1, divide ()"), "{m}: gdb did not stop:\n{text}");
        let frame0 = format!(
            "#0  divide () at {}:{divide}",
            kiln_tests::c_dir().join("dwarf_traps.c").display()
        );
        assert!(text.contains(&frame0), "{m}: no `{frame0}` in:\n{text}");
        let frame1 = format!(
            "in run_divide () at {}:{run_divide}",
            kiln_tests::c_dir().join("dwarf_traps.c").display()
        );
        assert!(text.contains(&frame1), "{m}: no `{frame1}` in:\n{text}");
        // After the breakpoint, the call finishes with its result (42 / 5 + 1).
        assert!(text.lines().any(|l| l == "9"), "{m}: no result in:\n{text}");
    }
    // Without -g, nothing is registered: gdb knows no `divide`.
    let [wasm, _] = wasm_and_artifact(&dir);
    let out = Command::new("gdb")
        .args(["-batch", "-nx", "-ex", "handle SIGSEGV nostop noprint pass"])
        .args(["-ex", "set breakpoint pending on", "-ex", "break divide", "-ex", "run"])
        .args(["--args", env!("CARGO_BIN_EXE_kiln"), "run", wasm.to_str().unwrap()])
        .args(["--invoke", "run_divide", "42", "5"])
        .output()
        .expect("gdb runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Breakpoint 1, "), "{text}");
}

/// One record of a jitdump: its id and body (after the 16-byte prefix).
fn jitdump_records(dump: &[u8]) -> Vec<(u32, &[u8])> {
    let word = |b: &[u8], at: usize| u32::from_ne_bytes(b[at..at + 4].try_into().unwrap());
    assert_eq!(word(dump, 0), 0x4A69_5444, "magic");
    assert_eq!(word(dump, 4), 1, "version");
    let header = word(dump, 8) as usize;
    let machine = if cfg!(target_arch = "aarch64") { 183 } else { 62 };
    assert_eq!(word(dump, 12), machine, "elf_mach");
    let mut records = Vec::new();
    let mut at = header;
    while at < dump.len() {
        let (id, size) = (word(dump, at), word(dump, at + 4) as usize);
        assert!(size >= 16 && at + size <= dump.len(), "record at {at} of size {size}");
        records.push((id, &dump[at + 16..at + size]));
        at += size;
    }
    records
}

/// The NUL-terminated string at the start of `b`, and what follows it.
fn c_string(b: &[u8]) -> (String, &[u8]) {
    let end = b.iter().position(|&c| c == 0).expect("NUL-terminated");
    (String::from_utf8_lossy(&b[..end]).into_owned(), &b[end + 1..])
}

#[test]
fn jitdump_records_each_compiled_function_with_its_code_and_source_lines() {
    let dir = temp_dir("jitdump");
    let divide = marked_line("dwarf_traps.c", "divide");
    for module in wasm_and_artifact(&dir) {
        let child = Command::new(env!("CARGO_BIN_EXE_kiln"))
            .args(["run", "--profile=jitdump", module.to_str().unwrap()])
            .args(["--invoke", "run_divide", "42", "5"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("kiln runs");
        let path = PathBuf::from(format!("/tmp/jit-{}.dump", child.id()));
        let out = child.wait_with_output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "9\n");
        let dump = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let _ = std::fs::remove_file(&path);
        let records = jitdump_records(&dump);
        // JIT_CODE_LOAD (0): pid, tid, vma, code_addr, code_size, code_index, name, code.
        let loads: Vec<(String, u64, usize)> = records
            .iter()
            .filter(|(id, _)| *id == 0)
            .map(|(_, b)| {
                let addr = u64::from_ne_bytes(b[16..24].try_into().unwrap());
                let size = u64::from_ne_bytes(b[24..32].try_into().unwrap());
                let (name, code) = c_string(&b[40..]);
                assert_eq!(code.len() as u64, size, "{name}: the code bytes follow the name");
                (name, addr, code.len())
            })
            .collect();
        let m = module.display();
        let (_, divide_addr, size) = loads
            .iter()
            .find(|(n, _, _)| n.ends_with("]::divide"))
            .unwrap_or_else(|| panic!("{m}: no divide in {loads:?}"));
        assert!(*size > 0);
        assert!(loads.iter().any(|(n, _, _)| n.ends_with("]::run_divide")), "{m}");
        // JIT_CODE_DEBUG_INFO (2) for divide: code_addr, nr_entry, then (addr, line,
        // discriminator, file name) entries; one names the division's line.
        let info = records
            .iter()
            .filter(|(id, _)| *id == 2)
            .map(|(_, b)| b)
            .find(|b| u64::from_ne_bytes(b[0..8].try_into().unwrap()) == *divide_addr)
            .unwrap_or_else(|| panic!("{m}: no debug info for divide"));
        let entries = u64::from_ne_bytes(info[8..16].try_into().unwrap());
        let mut rest = &info[16..];
        let mut lines = Vec::new();
        for _ in 0..entries {
            let line = u32::from_ne_bytes(rest[8..12].try_into().unwrap());
            let (file, tail) = c_string(&rest[16..]);
            lines.push((file, line));
            rest = tail;
        }
        assert!(
            lines.iter().any(|(f, l)| f.ends_with("tests/c/dwarf_traps.c") && *l == divide),
            "{m}: {lines:?}"
        );
    }
}
