//! Runs Kiln's aarch64 code on this x86_64 host under `qemu-aarch64`, to compare it with the
//! interpreter (tests/tests/aarch64_exec.rs).
//!
//! There is no aarch64 Rust target on the test machines, so the runtime itself cannot run
//! there; the generated code can. [`Aarch64Program::build`]:
//! 1. compiles the module with the public API ([`kiln::aot::compile_artifact`], target
//!    [`TARGET`], [`Emit::Obj`](kiln::aot::Emit::Obj)) into a relocatable object;
//! 2. makes the object's local item symbols (functions and trampolines) global with
//!    `aarch64-linux-gnu-objcopy --globalize-symbol` so a driver can name them — the code,
//!    its relocations and its sections are unchanged;
//! 3. generates the headers of the C driver `tests/c/aarch64_driver.c`: `kiln_builtins.h`,
//!    the builtins table, its slot numbers and each builtin's C signature, rendered from
//!    runtime-support's one declaration of the builtins
//!    ([`kiln_runtime_support::vm::builtins::c_header`]); and `kiln_module.h`, every
//!    VMContext offset and size from runtime-support's layout for this module
//!    ([`VMOffsets`] and the `#[repr(C)]` structures of `kiln_runtime_support::vm`, which
//!    are the same on every 64-bit little-endian target), the canonical type ids, the item
//!    symbols with their sizes, the defined functions' array-call entries and the exports'
//!    signatures;
//! 4. links driver and object statically with `aarch64-linux-gnu-gcc`, with the weak stubs
//!    `kiln_builtins.h` defines for the builtins the driver does not implement;
//! 5. instantiates the module on the host interpreter (before anything runs) and writes
//!    its initial memory images, global values and table elements to the state file the
//!    driver loads, with the module's tags (identities from the instance, payload counts)
//!    and the object's handler table, decoded from its `.kiln.metadata` with
//!    [`decode_metadata`] and checked with [`HandlerTable::verify`], for the driver's
//!    exception-handling builtins and unwinder.
//!
//! [`Aarch64Program::run`] runs the driver under `qemu-aarch64` with a list of calls and
//! turns each reported fault (code item + offset from its symbol) into a trap code through
//! the object's `.kiln.traps`, and each uncaught exception (which ends the call at the
//! unwind-pending trap site) into an [`Outcome::Exception`]. [`interpret`] runs the same
//! calls on the interpreter through the public API, and [`outcomes_match`] compares the
//! two, NaNs by a [`NanRule`].
//!
//! Values cross as raw bits: `i32`/`f32` in the low 32 bits, `i64`/`f64` in the low 64,
//! `v128` whole (128 bits, lane 0 lowest), so SIMD code runs like scalar code. Modules are
//! compiled and interpreted with [`FEATURES`].
//!
//! Limits (each an error from [`Aarch64Program::build`], not a silent skip): modules with
//! imports, reference-typed globals holding a non-null value, or exports taking or returning
//! references (those exports are not callable). Every builtin but `table.grow`,
//! `epoch_reached` and `type_check` is implemented in C; a call of another (a stub) ends the run with an error
//! naming the slot. Uncaught exceptions' payloads must be numeric to be compared.

use kiln::aot::{AotOptions, Emit, compile_artifact};
use kiln::{Error, RuntimeConfig, Val, ValType};
use kiln_runtime_support::TrapCode;
use kiln_runtime_support::artifact::object_meta::{ItemKind, ItemRecord, ObjectMeta};
use kiln_runtime_support::artifact::object_sections::{
    META_SECTION, METADATA_SECTION, TRAPS_SECTION, decode_metadata,
};
use kiln_runtime_support::artifact::object_tables::{TrapRecord, decode_traps};
use kiln_runtime_support::engine::{Code, Module};
use kiln_runtime_support::instance::{InstanceData, instantiate};
use kiln_runtime_support::module::{DecodeOptions, EntityIndex, ModuleInfo, decode};
use kiln_runtime_support::vm::builtins::c_header;
use kiln_runtime_support::vm::handler_table::CATCH_ALL;
use kiln_runtime_support::vm::{
    HandlerTable, Store, StoreConfig, VMCONTEXT_MAGIC, VMContextHeader, VMFuncRef,
    VMGlobalDefinition, VMMemoryDefinition, VMOffsets, VMStoreContext, VMTableDefinition,
};
use object::read::elf::ElfFile64;
use object::{Object, ObjectSection, ObjectSymbol, SymbolKind};
use std::fmt::Write as _;
use std::io::Write as _;
use std::mem::{offset_of, size_of};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

/// The target triple the code is compiled for.
pub const TARGET: &str = "aarch64-unknown-linux-gnu";
/// The cross C compiler (Debian package `gcc-aarch64-linux-gnu`).
pub const GCC: &str = "aarch64-linux-gnu-gcc";
/// The aarch64 objcopy (Debian package `binutils-aarch64-linux-gnu`).
pub const OBJCOPY: &str = "aarch64-linux-gnu-objcopy";
/// The user-mode emulator (Debian package `qemu-user`).
pub const QEMU: &str = "qemu-aarch64";
/// Most seconds one driver run may take under qemu before it counts as hung.
pub const RUN_TIMEOUT_SECS: u32 = 300;

/// Most bytes of calls passed on the driver's command line; longer lists go through stdin.
const COMMAND_LINE_BYTES: usize = 64 * 1024;

/// Bytes of one wasm page.
const PAGE: u64 = 65536;

/// The features modules are compiled, decoded and interpreted with: WebAssembly 2.0 (SIMD
/// included), relaxed SIMD, threads, and the WebAssembly 3.0 proposals the compiler
/// translates (tail calls, typed function references, extended constants, multiple and
/// 64-bit memories, exception handling with its legacy instructions).
pub const FEATURES: kiln::CoreFeatures = kiln::CoreFeatures::V2
    .union(kiln::CoreFeatures::RELAXED_SIMD)
    .union(kiln::CoreFeatures::TAIL_CALL)
    .union(kiln::CoreFeatures::FUNCTION_REFERENCES)
    .union(kiln::CoreFeatures::EXTENDED_CONST)
    .union(kiln::CoreFeatures::MULTI_MEMORY)
    .union(kiln::CoreFeatures::MEMORY64)
    .union(kiln::CoreFeatures::THREADS)
    .union(kiln::CoreFeatures::EXCEPTIONS);

/// How modules are decoded: with [`FEATURES`], as they are compiled.
const DECODE: DecodeOptions = DecodeOptions { features: FEATURES, keep_custom_sections: false };

/// Checks that the cross compiler, objcopy and qemu are installed.
///
/// # Errors
/// A message naming the missing tool and telling to run `scripts/setup-deps.sh`, which
/// installs them.
pub fn check_tools() -> Result<(), String> {
    for (tool, arg) in [(GCC, "--version"), (OBJCOPY, "--version"), (QEMU, "--version")] {
        let ok = Command::new(tool).arg(arg).output().is_ok_and(|o| o.status.success());
        if !ok {
            return Err(format!(
                "`{tool}` is not installed: run scripts/setup-deps.sh (it installs \
                 gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, binutils-aarch64-linux-gnu and \
                 qemu-user), then run the tests again"
            ));
        }
    }
    Ok(())
}

/// One call of an exported function: its name and its arguments as raw bits (`i32`/`f32`
/// in the low 32 bits, `i64`/`f64` in the low 64, `v128` whole).
#[derive(Clone, Debug)]
pub struct Call {
    /// The export's name.
    pub export: String,
    /// Argument bits, one per parameter.
    pub args: Vec<u128>,
}

impl Call {
    /// A call of `export` with scalar `args` as raw bits.
    pub fn new(export: &str, args: &[u64]) -> Self {
        Self::with_bits(export, args.iter().map(|&a| u128::from(a)).collect())
    }

    /// A call of `export` with `args` as raw bits of any width (`v128` arguments).
    pub fn with_bits(export: &str, args: Vec<u128>) -> Self {
        Self { export: export.to_string(), args }
    }
}

/// What one call did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It returned these results, as raw bits (`i32`/`f32` zero-extended from 32 bits,
    /// `i64`/`f64` from 64, `v128` whole).
    Values(Vec<u128>),
    /// It trapped.
    Trap(TrapCode),
    /// It ended with an exception no wasm frame caught (the interpreter's
    /// [`Error::Exception`]).
    Exception {
        /// The tag's module index when the module exports that tag (how the interpreter's
        /// tag is identified through the public API), `None` for a tag it does not export.
        tag: Option<u32>,
        /// The payload values as raw bits, each as wide as its type (as in
        /// [`Outcome::Values`]).
        payload: Vec<u128>,
    },
}

/// An exported function the driver can call.
#[derive(Clone, Debug)]
struct ExportSig {
    name: String,
    func_index: u32,
    params: Vec<ValType>,
    results: Vec<ValType>,
}

/// A module's aarch64 code linked into a static test driver, with the module's initial
/// state; see the module docs.
#[derive(Debug)]
pub struct Aarch64Program {
    name: String,
    exe: PathBuf,
    state: PathBuf,
    exports: Vec<ExportSig>,
    items: Items,
    traps: Vec<TrapRecord>,
    /// Per module tag: its parameter types, and whether the module exports it.
    tags: Vec<(Vec<ValType>, bool)>,
}

/// Runs `cmd`, failing with its output when it does not succeed.
fn run_tool(cmd: &mut Command) -> Result<std::process::Output, String> {
    let out =
        cmd.output().map_err(|e| format!("cannot run {cmd:?} ({e}): run scripts/setup-deps.sh"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(out)
}

fn bits_of(ty: ValType) -> Result<u32, String> {
    match ty {
        ValType::I32 | ValType::F32 => Ok(32),
        ValType::I64 | ValType::F64 => Ok(64),
        ValType::V128 => Ok(128),
        other => Err(format!("{other:?} values cannot cross the driver's command line")),
    }
}

impl Aarch64Program {
    /// Compiles `wasm` for aarch64 and builds its driver under
    /// `<target dir>/kiln-aarch64/<name>/` (see the module docs).
    ///
    /// # Errors
    /// A message when a tool is missing, the module is outside the driver's limits (module
    /// docs), compilation, linking or instantiation on the interpreter fails.
    pub fn build(name: &str, wasm: &[u8]) -> Result<Self, String> {
        check_tools()?;
        let dir = crate::target_dir().join("kiln-aarch64").join(name);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

        let options = AotOptions {
            target: Some(TARGET.to_string()),
            emit: Emit::Obj,
            features: FEATURES,
            ..AotOptions::default()
        };
        let settings = options.compiler_settings().map_err(|e| e.to_string())?;
        let object = compile_artifact(wasm, &options)
            .map_err(|e| format!("{name}: aarch64 compile: {e}"))?;
        let info = decode(wasm, DECODE).map_err(|e| format!("{name}: {e}"))?;
        check_limits(&info)?;

        let (items, traps, handlers) = read_object(&object)?;
        let object_path = dir.join("module.o");
        write(&object_path, &object)?;
        let symbols_path = dir.join("symbols.txt");
        let symbol_list: String = items.iter().map(|(_, s)| format!("{s}\n")).collect();
        write(&symbols_path, symbol_list.as_bytes())?;
        let global_object = dir.join("module-global.o");
        run_tool(
            Command::new(OBJCOPY)
                .arg(format!("--globalize-symbols={}", symbols_path.display()))
                .arg(&object_path)
                .arg(&global_object),
        )?;

        let exports = exports(&info)?;
        let reservation = (4u64 << 30) + settings.guard_bytes;
        let header = module_header(&info, &items, &exports, reservation)?;
        write(&dir.join("kiln_module.h"), header.as_bytes())?;
        write(&dir.join("kiln_builtins.h"), c_header().as_bytes())?;
        // The weak stubs of the builtins the driver does not implement, from the header.
        let stubs = dir.join("builtin_stubs.o");
        run_tool(
            Command::new(GCC)
                .args(["-c", "-O1", "-std=c11", "-Wall", "-Werror", "-DKILN_BUILTIN_WEAK_STUBS"])
                .args(["-x", "c"])
                .arg(dir.join("kiln_builtins.h"))
                .arg("-o")
                .arg(&stubs),
        )?;
        let exe = dir.join("driver");
        run_tool(
            Command::new(GCC)
                .args(["-static", "-O1", "-std=c11", "-Wall", "-Werror"])
                .arg("-I")
                .arg(&dir)
                .arg(crate::c_dir().join("aarch64_driver.c"))
                .arg(&global_object)
                .arg(&stubs)
                .arg("-o")
                .arg(&exe),
        )?;

        let state = dir.join("state.bin");
        write(&state, &initial_state(wasm, &handlers)?)?;
        let tags = (0..info.tags.len() as u32)
            .map(|t| {
                let exported = info.exports.iter().any(|e| e.index == EntityIndex::Tag(t));
                (info.tag_type(t).params().to_vec(), exported)
            })
            .collect();
        Ok(Self { name: name.to_string(), exe, state, exports, items, traps, tags })
    }

    /// Runs `calls` in order in one instance of the module under qemu-aarch64.
    ///
    /// # Errors
    /// A message for an unknown export or wrong argument count, when the driver does not
    /// finish (an unimplemented builtin, a fault outside the module's code, a timeout), or
    /// when a fault is not at one of the object's trap sites.
    pub fn run(&self, calls: &[Call]) -> Result<Vec<Outcome>, String> {
        Ok(self.run_with_signals(calls)?.into_iter().map(|(o, _)| o).collect())
    }

    /// [`Aarch64Program::run`], also giving for each trap the signal that raised it
    /// (`SIGILL` for trap instructions, `SIGSEGV` for guard-page faults).
    ///
    /// # Errors
    /// As [`Aarch64Program::run`].
    pub fn run_with_signals(&self, calls: &[Call]) -> Result<Vec<(Outcome, Option<i32>)>, String> {
        let mut args = Vec::with_capacity(calls.len());
        for c in calls {
            let k = self
                .exports
                .iter()
                .position(|x| x.name == c.export)
                .ok_or_else(|| format!("{}: no callable export `{}`", self.name, c.export))?;
            if c.args.len() != self.exports[k].params.len() {
                return Err(format!(
                    "{}: `{}` takes {} arguments",
                    self.name,
                    c.export,
                    self.exports[k].params.len()
                ));
            }
            let hex: Vec<String> = c.args.iter().map(|a| format!("{a:x}")).collect();
            args.push(if hex.is_empty() {
                k.to_string()
            } else {
                format!("{k}:{}", hex.join(","))
            });
        }
        // Long call lists go through standard input (a command line is limited to a few
        // hundred KiB); short ones on the command line.
        let total: usize = args.iter().map(|a| a.len() + 1).sum();
        let mut cmd = Command::new("timeout");
        cmd.arg(RUN_TIMEOUT_SECS.to_string()).arg(QEMU).arg(&self.exe).arg(&self.state);
        let mut input = String::new();
        if total <= COMMAND_LINE_BYTES {
            cmd.args(&args);
        } else {
            cmd.arg("-");
            args.iter().for_each(|a| {
                input.push_str(a);
                input.push('\n');
            });
        }
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot run {QEMU} ({e}): run scripts/setup-deps.sh"))?;
        let mut stdin = child.stdin.take().ok_or("no stdin pipe")?;
        // Feed standard input from a thread so a driver writing much output cannot block.
        let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let out = child.wait_with_output().map_err(|e| format!("waiting for {QEMU}: {e}"))?;
        let fed = feeder.join().map_err(|_| "the stdin feeder panicked".to_string())?;
        if out.status.success() {
            fed.map_err(|e| format!("writing the calls to the driver: {e}"))?;
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            let why = match out.status.code() {
                Some(3) => "compiled code called a builtin the driver does not implement",
                Some(4) => "a fault outside the module's code or outside a call",
                Some(124) => "timed out",
                _ => "the driver failed",
            };
            return Err(format!(
                "{}: {why} ({}):\nstdout:\n{stdout}\nstderr:\n{stderr}",
                self.name, out.status
            ));
        }
        let lines: Vec<&str> = stdout.lines().collect();
        if lines.len() != calls.len() {
            return Err(format!(
                "{}: {} calls but {} result lines:\n{stdout}{stderr}",
                self.name,
                calls.len(),
                lines.len()
            ));
        }
        lines.iter().map(|l| self.parse_line(l)).collect()
    }

    fn parse_line(&self, line: &str) -> Result<(Outcome, Option<i32>), String> {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("ok") => words
                .map(|w| u128::from_str_radix(w, 16).map_err(|e| format!("bad result `{w}`: {e}")))
                .collect::<Result<_, _>>()
                .map(|v| (Outcome::Values(v), None)),
            Some("trap") => {
                let nums: Vec<u32> = words
                    .map(|w| w.parse().map_err(|e| format!("bad `{line}`: {e}")))
                    .collect::<Result<_, _>>()?;
                let [item, offset, signal] = nums[..] else {
                    return Err(format!("bad trap line `{line}`"));
                };
                let code = self.trap_code(item, offset, signal)?;
                Ok((Outcome::Trap(code), Some(signal as i32)))
            }
            Some("exception") => {
                let words: Vec<&str> = words.collect();
                let bad = || format!("bad exception line `{line}`");
                let num = |w: &str| w.parse::<u32>().map_err(|_| bad());
                let [item, offset, signal, tag, payload @ ..] = &words[..] else {
                    return Err(bad());
                };
                let (item, offset, signal, tag) =
                    (num(item)?, num(offset)?, num(signal)?, num(tag)?);
                // The call ended as the runtime's does: the throwing function (or a
                // wasm-to-array trampoline) trapped with the exception pending.
                let code = self.trap_code(item, offset, signal)?;
                if code != TrapCode::HostError {
                    return Err(format!(
                        "{}: an uncaught exception ended the call at a `{code}` trap site, not \
                         the unwind-pending one",
                        self.name
                    ));
                }
                let (types, exported) = self.tags.get(tag as usize).ok_or_else(bad)?;
                if payload.len() != types.len() {
                    return Err(bad());
                }
                let payload = payload
                    .iter()
                    .zip(types)
                    .map(|(w, t)| {
                        let bits = u128::from_str_radix(w, 16).map_err(|_| bad())?;
                        Ok(match bits_of(*t)? {
                            128 => bits,
                            b => bits & ((1u128 << b) - 1),
                        })
                    })
                    .collect::<Result<_, String>>()?;
                Ok((Outcome::Exception { tag: exported.then_some(tag), payload }, None))
            }
            _ => Err(format!("{}: unexpected driver output `{line}`", self.name)),
        }
    }

    /// The trap code of the trap site `offset` bytes into item `item` (a fault the driver
    /// reported with `signal`).
    fn trap_code(&self, item: u32, offset: u32, signal: u32) -> Result<TrapCode, String> {
        let symbol = self.items.get(item as usize).map_or("?", |(_, s)| s.as_str());
        self.traps.iter().find(|t| t.item == item && t.offset == offset).map(|t| t.code).ok_or_else(
            || {
                format!(
                    "{}: signal {signal} at {symbol}+{offset:#x}, which is not a trap site in \
                     .kiln.traps",
                    self.name
                )
            },
        )
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn check_limits(info: &ModuleInfo) -> Result<(), String> {
    if let Some(i) = info.imports.first() {
        return Err(format!(
            "the aarch64 driver cannot provide imports (`{}`.`{}`)",
            i.module, i.name
        ));
    }
    Ok(())
}

/// An object's code items (`.kiln.meta` records, in order) with their symbol names.
type Items = Vec<(ItemRecord, String)>;

/// The item table (with symbol names), trap sites and exception-handler table of an
/// aarch64 object (the handler table checked against its code and tags).
fn read_object(bytes: &[u8]) -> Result<(Items, Vec<TrapRecord>, HandlerTable), String> {
    let elf = ElfFile64::<object::Endianness>::parse(bytes).map_err(|e| format!("object: {e}"))?;
    let section = |name: &str| -> Result<&[u8], String> {
        elf.section_by_name(name)
            .and_then(|s| s.data().ok())
            .ok_or_else(|| format!("object has no {name}"))
    };
    let (meta, _seal) = ObjectMeta::decode(section(META_SECTION)?).map_err(|e| e.to_string())?;
    let traps = decode_traps(section(TRAPS_SECTION)?).map_err(|e| e.to_string())?;
    let metadata = decode_metadata(section(METADATA_SECTION)?).map_err(|e| e.to_string())?;
    let text = elf.section_by_name(".text").ok_or("object has no .text")?;
    let text_len = text.size() as usize;
    let text = text.index();
    metadata
        .handlers
        .verify(text_len, metadata.module.tags.len() as u32)
        .map_err(|e| format!("the object's handler table: {e}"))?;
    let mut items = Vec::with_capacity(meta.items.len());
    for r in meta.items {
        let symbol = elf
            .symbols()
            .find(|s| {
                s.kind() == SymbolKind::Text
                    && s.section_index() == Some(text)
                    && s.address() == u64::from(r.text_offset)
                    && s.size() == u64::from(r.size)
            })
            .ok_or_else(|| format!("no symbol for item {r:?}"))?;
        items.push((r, symbol.name().map_err(|e| e.to_string())?.to_string()));
    }
    Ok((items, traps, metadata.handlers))
}

fn exports(info: &ModuleInfo) -> Result<Vec<ExportSig>, String> {
    let mut out = Vec::new();
    for e in &info.exports {
        let EntityIndex::Func(f) = e.index else {
            continue;
        };
        let ty = info.func_type(f);
        if ty.params().iter().chain(ty.results()).any(|t| bits_of(*t).is_err()) {
            continue;
        }
        if ty.results().len() > 16 {
            return Err(format!("export `{}` has more than 16 results", e.name));
        }
        out.push(ExportSig {
            name: e.name.clone(),
            func_index: f,
            params: ty.params().to_vec(),
            results: ty.results().to_vec(),
        });
    }
    Ok(out)
}

/// A C string literal for `s` (symbols and export names; escapes everything unusual).
fn c_string(s: &str) -> String {
    let mut out = String::from("\"");
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"_.$-".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "\\{b:03o}");
        }
    }
    out.push('"');
    out
}

/// `kiln_module.h` for `info` (see the module docs and tests/c/aarch64_driver.c).
fn module_header(
    info: &ModuleInfo,
    items: &[(ItemRecord, String)],
    exports: &[ExportSig],
    reservation: u64,
) -> Result<String, String> {
    let o = VMOffsets::new(info);
    let mut h =
        String::from("/* Generated by kiln_tests::aarch64_exec for one module; do not edit. */\n");
    let mut def = |name: &str, value: String| {
        let _ = writeln!(h, "#define KILN_{name} {value}");
    };
    def("VMCTX_SIZE", o.size().to_string());
    def("VMCTX_MAGIC", format!("{VMCONTEXT_MAGIC:#x}u"));
    def("OFF_MAGIC", offset_of!(VMContextHeader, magic).to_string());
    def("OFF_STORE", offset_of!(VMContextHeader, store).to_string());
    def("OFF_BUILTINS", offset_of!(VMContextHeader, builtins).to_string());
    def("OFF_TYPE_IDS", offset_of!(VMContextHeader, type_ids).to_string());
    def("STORE_SIZE", size_of::<VMStoreContext>().to_string());
    def("OFF_STORE_STACK_LIMIT", offset_of!(VMStoreContext, stack_limit).to_string());
    def("OFF_STORE_EPOCH_DEADLINE", offset_of!(VMStoreContext, epoch_deadline).to_string());
    def("OFF_STORE_EPOCH_COUNTER", offset_of!(VMStoreContext, epoch_counter).to_string());
    def("NUM_MEMORIES", info.memories.len().to_string());
    let memories = info.memories.len() as u32;
    let memory_offsets: Vec<String> =
        (0..memories).map(|m| o.defined_memory(m).to_string()).chain(["0".into()]).collect();
    def("MEMORY_OFFSETS", format!("{{{}}}", memory_offsets.join(", ")));
    // The pointer to each memory's definition (what compiled code reads for a shared one).
    let pointer_offsets: Vec<String> =
        (0..memories).map(|m| o.memory_pointer(m).to_string()).chain(["0".into()]).collect();
    def("MEMORY_POINTER_OFFSETS", format!("{{{}}}", pointer_offsets.join(", ")));
    def("OFF_MEMDEF_BASE", offset_of!(VMMemoryDefinition, base).to_string());
    def("OFF_MEMDEF_LENGTH", offset_of!(VMMemoryDefinition, current_length).to_string());
    // Within the driver's 4 GiB reservations, as the interpreter's default limit (65536
    // pages) caps every memory.
    let max_pages: Vec<String> = info
        .memories
        .iter()
        .map(|m| format!("{}ull", m.limits.max.unwrap_or(PAGE).min(PAGE)))
        .chain(["0".into()])
        .collect();
    def("MEMORY_MAX_PAGES", format!("{{{}}}", max_pages.join(", ")));
    def("PAGE_SIZE", PAGE.to_string());
    def("RESERVATION_BYTES", format!("{reservation}ull"));
    def("NUM_GLOBALS", o.num_defined_globals.to_string());
    let globals = if o.num_defined_globals > 0 { o.defined_global(0) } else { 0 };
    def("OFF_GLOBALS", globals.to_string());
    def("GLOBAL_SIZE", size_of::<VMGlobalDefinition>().to_string());
    def("NUM_TABLES", o.num_defined_tables.to_string());
    let tables: Vec<String> = (0..o.num_defined_tables)
        .map(|t| o.defined_table(t).to_string())
        .chain(["0".into()])
        .collect();
    def("TABLE_OFFSETS", format!("{{{}}}", tables.join(", ")));
    def("OFF_TABLEDEF_BASE", offset_of!(VMTableDefinition, base).to_string());
    def("OFF_TABLEDEF_ELEMENTS", offset_of!(VMTableDefinition, current_elements).to_string());
    def("NUM_FUNCS", o.num_funcs.to_string());
    def("OFF_FUNCREFS", o.funcref(0).to_string());
    def("FUNCREF_SIZE", size_of::<VMFuncRef>().to_string());
    def("OFF_FUNCREF_ARRAY_CALL", offset_of!(VMFuncRef, array_call).to_string());
    def("OFF_FUNCREF_WASM_CALL", offset_of!(VMFuncRef, wasm_call).to_string());
    def("OFF_FUNCREF_TYPE_ID", offset_of!(VMFuncRef, type_id).to_string());
    def("OFF_FUNCREF_VMCTX", offset_of!(VMFuncRef, vmctx).to_string());
    // Canonical type ids: equal signatures get equal ids (the first type index with it).
    let ids: Vec<String> = (0..info.types.len() as u32)
        .map(|t| kiln_compiler::wasm_to_array_type(info, t).to_string())
        .chain(["0".into()])
        .collect();
    def("NUM_TYPES", info.types.len().to_string());
    def("TYPE_IDS", format!("{{{}}}", ids.join(", ")));
    def("CATCH_ALL", format!("{CATCH_ALL:#x}u"));
    // Where the module's `.text` starts in the linked driver (the handler table's offsets
    // count from it): an item's address less its offset in `.text`.
    def(
        "TEXT_START",
        match items.first() {
            Some((r, _)) => format!("((uintptr_t)kiln_item_0 - {}u)", r.text_offset),
            None => "((uintptr_t)0)".into(),
        },
    );

    // Item symbols, named through asm labels (symbols may hold `.` and `$`).
    for (i, (_, symbol)) in items.iter().enumerate() {
        let _ = writeln!(h, "extern const char kiln_item_{i}[] __asm__({});", c_string(symbol));
    }
    let list: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, (r, s))| format!("{{{}, kiln_item_{i}, {}}}", c_string(s), r.size))
        .collect();
    let _ = writeln!(h, "#define KILN_ITEMS {{ \\\n  {} }}", list.join(", \\\n  "));
    let item_of = |kind: ItemKind, index: u32| {
        items
            .iter()
            .position(|(r, _)| r.kind == kind && r.index == index)
            .ok_or_else(|| format!("the object has no {kind:?} item for function {index}"))
    };
    let mut funcs = Vec::new();
    for f in 0..o.num_funcs {
        funcs.push(format!(
            "{{kiln_item_{}, kiln_item_{}, {}}}",
            item_of(ItemKind::ArrayEntry, f)?,
            item_of(ItemKind::Function, f)?,
            info.functions[f as usize]
        ));
    }
    let _ = writeln!(h, "#define KILN_FUNCS {{ \\\n  {} }}", funcs.join(", \\\n  "));
    let mut xs = Vec::new();
    for x in exports {
        let bits: Vec<String> = x
            .results
            .iter()
            .map(|t| bits_of(*t).map(|b| b.to_string()))
            .collect::<Result<_, _>>()?;
        xs.push(format!(
            "{{{}, {}, {}, {}, {{{}}}}}",
            c_string(&x.name),
            x.func_index,
            x.params.len(),
            x.results.len(),
            bits.join(", ")
        ));
    }
    let _ = writeln!(h, "#define KILN_EXPORTS {{ \\\n  {} }}", xs.join(", \\\n  "));
    Ok(h)
}

/// Instantiates `wasm` on the host interpreter and encodes its initial state as the driver
/// reads it (tests/c/aarch64_driver.c): per memory its length and bytes, defined globals, table
/// elements as function indices, the live data segments and passive element segments, the
/// tags (identity: the first module tag index of the same tag instance; payload count) and
/// the object's `handlers`.
fn initial_state(wasm: &[u8], handlers: &HandlerTable) -> Result<Vec<u8>, String> {
    let info = Arc::new(decode(wasm, DECODE).map_err(|e| e.to_string())?);
    let interp = kiln_runtime_support::interp::InterpModule::new(
        info.clone(),
        DECODE.features,
        Default::default(),
        kiln_runtime_support::interp::Translation::Lazy,
    )
    .map_err(|e| e.to_string())?;
    let store = Store::new(StoreConfig::default());
    let module = Arc::new(Module { info: info.clone(), code: Code::Interpreted(interp) });
    let no_imports = |_: &str, _: &str| None;
    let inst = instantiate(&store, module, &no_imports, None)
        .map_err(|e| format!("instantiation: {e}"))?;
    // SAFETY: `instantiate` returned a live instance owned by `store`, which outlives this
    // function's use of it; nothing runs concurrently on the store.
    let inst: &InstanceData = unsafe { &*inst };
    let mut out = Vec::new();
    for m in &inst.memories {
        // SAFETY: the definition belongs to the live instance; base points to
        // `current_length` accessible bytes.
        let bytes = unsafe {
            let def = &*m.def;
            std::slice::from_raw_parts(def.base, def.length())
        };
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    for (i, g) in inst.globals.iter().enumerate().skip(info.num_imported_globals as usize) {
        let ty = info.globals[i].ty.content;
        // SAFETY: every global pointer of a live instance points to its storage.
        let value = unsafe { (**g).get() };
        if matches!(ty, ValType::Ref(_)) && value.bits() != 0 {
            return Err(format!(
                "global {i} holds a non-null reference, which the aarch64 driver cannot carry over"
            ));
        }
        out.extend_from_slice(&value.v128().to_le_bytes());
    }
    let funcrefs: Vec<usize> =
        (0..info.functions.len() as u32).map(|f| inst.funcref(f) as usize).collect();
    let func_index = |raw: usize| -> Result<u32, String> {
        if raw == 0 {
            return Ok(u32::MAX);
        }
        let i =
            funcrefs.iter().position(|&r| r == raw).ok_or("a reference from outside the module")?;
        Ok(i as u32)
    };
    for t in &inst.tables {
        // SAFETY: the definition belongs to the live instance and its base holds
        // `current_elements` raw references.
        let elements = unsafe {
            let def = &*t.def;
            std::slice::from_raw_parts(def.base, def.current_elements)
        };
        out.extend_from_slice(&(elements.len() as u64).to_le_bytes());
        for &raw in elements {
            out.extend_from_slice(&func_index(raw)?.to_le_bytes());
        }
    }
    // Data segments for `memory.init`: the bytes of those not dropped (active segments are
    // dropped by instantiation).
    out.extend_from_slice(&(info.data.len() as u32).to_le_bytes());
    for (seg, dropped) in info.data.iter().zip(&inst.dropped_data) {
        let bytes = if dropped.get() { &[][..] } else { &info.wasm[seg.bytes.clone()] };
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    // Element segments for `table.init`: the function indices of the passive ones not
    // dropped.
    out.extend_from_slice(&(info.elements.len() as u32).to_le_bytes());
    for (i, dropped) in inst.dropped_elems.iter().enumerate() {
        let values: &[usize] =
            if dropped.get() { &[] } else { inst.elem_values.get(i).map_or(&[], |v| v) };
        out.extend_from_slice(&(values.len() as u32).to_le_bytes());
        for &raw in values {
            out.extend_from_slice(&func_index(raw)?.to_le_bytes());
        }
    }
    let u32s = |out: &mut Vec<u8>, values: &[u32]| {
        values.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()))
    };
    u32s(&mut out, &[inst.tags.len() as u32]);
    for (t, &tag) in inst.tags.iter().enumerate() {
        let identity = inst.tags.iter().position(|&u| std::ptr::eq(u, tag)).unwrap_or(t);
        u32s(&mut out, &[identity as u32, info.tag_type(t as u32).params().len() as u32]);
    }
    u32s(&mut out, &[handlers.call_sites.len() as u32]);
    for c in &handlers.call_sites {
        u32s(
            &mut out,
            &[c.ret_addr, c.frame_offset, c.vmctx_sp_offset, c.first_clause, c.num_clauses],
        );
    }
    u32s(&mut out, &[handlers.clauses.len() as u32]);
    for c in &handlers.clauses {
        u32s(&mut out, &[c.tag, c.landing]);
    }
    Ok(out)
}

fn val_from_bits(ty: ValType, bits: u128) -> Result<Val, String> {
    Ok(match ty {
        ValType::I32 => Val::I32(bits as u32 as i32),
        ValType::I64 => Val::I64(bits as i64),
        ValType::F32 => Val::F32(f32::from_bits(bits as u32)),
        ValType::F64 => Val::F64(f64::from_bits(bits as u64)),
        ValType::V128 => Val::V128(kiln::V128::from_bits(bits)),
        other => return Err(format!("{other:?} arguments are not supported")),
    })
}

fn bits_from_val(v: &Val) -> Result<u128, String> {
    Ok(match v {
        Val::I32(x) => u128::from(*x as u32),
        Val::I64(x) => u128::from(*x as u64),
        Val::F32(x) => u128::from(x.to_bits()),
        Val::F64(x) => u128::from(x.to_bits()),
        Val::V128(x) => x.bits(),
        other => return Err(format!("{other:?} results are not supported")),
    })
}

/// Runs `calls` in order in one instance of `wasm` on Kiln's interpreter (public API).
///
/// # Errors
/// A message when the module does not instantiate, an export is missing, or a call fails
/// with something other than a trap or an exception with a numeric payload.
pub fn interpret(wasm: &[u8], calls: &[Call]) -> Result<Vec<Outcome>, String> {
    let rt = kiln::Runtime::with_config(RuntimeConfig::interpreter().with_core_features(FEATURES));
    let inst = rt.instantiate_wasm(wasm).map_err(|e| e.to_string())?;
    // The module's exported tags, by module tag index, to name an exception's tag.
    let info = decode(wasm, DECODE).map_err(|e| e.to_string())?;
    let exported_tags: Vec<(u32, kiln::Tag)> = info
        .exports
        .iter()
        .filter_map(|e| match e.index {
            EntityIndex::Tag(t) => Some((t, inst.exported_tag(&e.name)?)),
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(calls.len());
    for c in calls {
        let f =
            inst.exported_function(&c.export).ok_or_else(|| format!("no export `{}`", c.export))?;
        let ty = f.ty().clone();
        if ty.params().len() != c.args.len() {
            return Err(format!("`{}` takes {} arguments", c.export, ty.params().len()));
        }
        let args: Vec<Val> = ty
            .params()
            .iter()
            .zip(&c.args)
            .map(|(t, b)| val_from_bits(*t, *b))
            .collect::<Result<_, _>>()?;
        out.push(match f.call(&args) {
            Ok(results) => {
                Outcome::Values(results.iter().map(bits_from_val).collect::<Result<_, _>>()?)
            }
            Err(Error::Trap(t)) => Outcome::Trap(t.code()),
            Err(Error::Exception(e)) => Outcome::Exception {
                tag: exported_tags.iter().find(|(_, t)| t == e.tag()).map(|(i, _)| *i),
                payload: e
                    .payload()
                    .iter()
                    .map(bits_from_val)
                    .collect::<Result<_, _>>()
                    .map_err(|m| format!("`{}`: exception payload: {m}", c.export))?,
            },
            Err(e) => return Err(format!("`{}`: {e}", c.export)),
        });
    }
    Ok(out)
}

/// Whether `bits` of type `ty` is a NaN, and whether it is canonical (spec 4.3.3: payload
/// `1` followed by zeros, either sign).
fn nan_kind(ty: ValType, bits: u64) -> Option<bool> {
    match ty {
        ValType::F32 => {
            let b = bits as u32;
            f32::from_bits(b).is_nan().then_some(b & 0x7fff_ffff == 0x7fc0_0000)
        }
        ValType::F64 => {
            f64::from_bits(bits).is_nan().then_some(bits & (u64::MAX >> 1) == 0x7ff8_0000_0000_0000)
        }
        _ => None,
    }
}

fn is_arithmetic_nan(ty: ValType, bits: u64) -> bool {
    match ty {
        ValType::F32 => f32::from_bits(bits as u32).is_nan() && bits & 0x0040_0000 != 0,
        ValType::F64 => f64::from_bits(bits).is_nan() && bits & 0x0008_0000_0000_0000 != 0,
        _ => false,
    }
}

/// How NaN results are compared (spec 4.3.3, "NaN Propagation").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NanRule {
    /// Bit for bit: for operators that do not compute on their float operands (`abs`,
    /// `neg`, `copysign`, `reinterpret`, loads, stores, `select`, globals, moves), which
    /// keep every NaN payload, signalling ones included.
    Exact,
    /// As the spec suite's `nan:canonical`/`nan:arithmetic`: where the interpreter returned
    /// a NaN, aarch64 must return an arithmetic NaN (quiet bit set), and a canonical one
    /// when the interpreter's is canonical and no argument was a NaN (so no input payload
    /// could propagate). For arithmetic operators, whose NaN payloads the spec leaves
    /// nondeterministic. `v128` values compare exactly.
    Arithmetic,
    /// [`NanRule::Arithmetic`] for `f32`/`f64` values and for each lane of `v128` values,
    /// read as lanes of this type (`F32` for `f32x4`, `F64` for `f64x2`).
    ArithmeticLanes(ValType),
}

/// The float values in `bits` of type `ty` that `rule` compares by NaN class, as
/// `(lane type, bits)`: the value itself for `f32`/`f64`, the lanes of a `v128` for an
/// [`NanRule::ArithmeticLanes`] with float lanes, none otherwise.
fn float_lanes(ty: ValType, bits: u128, rule: NanRule) -> Vec<(ValType, u64)> {
    match (ty, rule) {
        (_, NanRule::Exact) => Vec::new(),
        (ValType::F32 | ValType::F64, _) => vec![(ty, bits as u64)],
        (ValType::V128, NanRule::ArithmeticLanes(ValType::F32)) => {
            (0..4).map(|i| (ValType::F32, u64::from((bits >> (32 * i)) as u32))).collect()
        }
        (ValType::V128, NanRule::ArithmeticLanes(ValType::F64)) => {
            (0..2).map(|i| (ValType::F64, (bits >> (64 * i)) as u64)).collect()
        }
        _ => Vec::new(),
    }
}

/// Whether aarch64's `actual` agrees with the interpreter's `expected` for `call` of a
/// function with `params` and `results`: traps must have the same code, exceptions the
/// same tag and payload bits; integer results and non-NaN float results (and lanes) must
/// be bit-identical; NaN results as `rule` says.
pub fn outcomes_match(
    params: &[ValType],
    results: &[ValType],
    call: &Call,
    expected: &Outcome,
    actual: &Outcome,
    rule: NanRule,
) -> bool {
    let (Outcome::Values(e), Outcome::Values(a)) = (expected, actual) else {
        return expected == actual;
    };
    if e.len() != a.len() || e.len() != results.len() {
        return false;
    }
    let nan_args = params
        .iter()
        .zip(&call.args)
        .flat_map(|(t, b)| float_lanes(*t, *b, rule))
        .any(|(t, b)| nan_kind(t, b).is_some());
    results.iter().zip(e.iter().zip(a)).all(|(ty, (e, a))| {
        let (le, la) = (float_lanes(*ty, *e, rule), float_lanes(*ty, *a, rule));
        if le.is_empty() {
            return e == a;
        }
        le.iter().zip(&la).all(|(&(t, e), &(_, a))| match nan_kind(t, e) {
            None => e == a,
            Some(canonical) => {
                is_arithmetic_nan(t, a) && (!canonical || nan_args || nan_kind(t, a) == Some(true))
            }
        })
    })
}

/// The parameter and result types of export `name` of `wasm`.
///
/// # Errors
/// When the module does not decode or has no such function export.
pub fn export_signature(wasm: &[u8], name: &str) -> Result<(Vec<ValType>, Vec<ValType>), String> {
    let info = decode(wasm, DECODE).map_err(|e| e.to_string())?;
    let e = info.export(name).ok_or_else(|| format!("no export `{name}`"))?;
    let EntityIndex::Func(f) = e.index else {
        return Err(format!("`{name}` is not a function"));
    };
    let ty = info.func_type(f);
    Ok((ty.params().to_vec(), ty.results().to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const F32: &[ValType] = &[ValType::F32];

    fn one(bits: u128) -> Outcome {
        Outcome::Values(vec![bits])
    }

    #[test]
    fn nan_rules_follow_the_spec_suite() {
        let plain = Call::new("f", &[0x3f80_0000]);
        let nan_in = Call::new("f", &[0x7fa0_0001]);
        let m = |call: &Call, e: u128, a: u128, rule| {
            outcomes_match(F32, F32, call, &one(e), &one(a), rule)
        };
        // Exact: only the same bits.
        assert!(m(&nan_in, 0x7fa0_0001, 0x7fa0_0001, NanRule::Exact));
        assert!(!m(&nan_in, 0x7fa0_0001, 0x7fe0_0001, NanRule::Exact));
        // Arithmetic: any quiet NaN for a NaN, canonical when no input NaN could propagate.
        assert!(m(&nan_in, 0x7fe0_0001, 0xffc0_0000, NanRule::Arithmetic));
        assert!(!m(&nan_in, 0x7fe0_0001, 0x7fa0_0001, NanRule::Arithmetic), "signalling NaN");
        assert!(!m(&nan_in, 0x7fe0_0001, 0x3f80_0000, NanRule::Arithmetic), "not a NaN");
        assert!(m(&plain, 0x7fc0_0000, 0xffc0_0000, NanRule::Arithmetic));
        assert!(!m(&plain, 0x7fc0_0000, 0x7fc0_0001, NanRule::Arithmetic), "must be canonical");
        // Non-NaN floats and traps compare exactly.
        assert!(!m(&plain, 0x8000_0000, 0x0000_0000, NanRule::Arithmetic), "-0 is not +0");
        let trap = Outcome::Trap(TrapCode::IntegerOverflow);
        assert!(outcomes_match(F32, F32, &plain, &trap, &trap, NanRule::Exact));
        assert!(!outcomes_match(
            F32,
            F32,
            &plain,
            &trap,
            &Outcome::Trap(TrapCode::InvalidConversionToInteger),
            NanRule::Exact
        ));
        assert!(!outcomes_match(F32, F32, &plain, &trap, &one(0), NanRule::Exact));
    }

    #[test]
    fn v128_nan_rules_go_lane_by_lane() {
        const V: &[ValType] = &[ValType::V128];
        let lanes = |l: [u32; 4]| {
            l.iter().enumerate().fold(0u128, |v, (i, &x)| v | (u128::from(x) << (32 * i)))
        };
        let plain = Call::with_bits("f", vec![lanes([0x3f80_0000; 4])]);
        let m = |e: u128, a: u128, rule| {
            outcomes_match(V, V, &plain, &Outcome::Values(vec![e]), &Outcome::Values(vec![a]), rule)
        };
        let e = lanes([0x7fc0_0000, 1, 2, 3]);
        let negative_nan = lanes([0xffc0_0000, 1, 2, 3]);
        assert!(m(e, negative_nan, NanRule::ArithmeticLanes(ValType::F32)));
        assert!(!m(e, negative_nan, NanRule::Arithmetic), "v128 is exact under the scalar rule");
        assert!(!m(e, lanes([0x7fc0_0000, 1, 2, 4]), NanRule::ArithmeticLanes(ValType::F32)));
        assert!(!m(e, lanes([0x7fc0_0001, 1, 2, 3]), NanRule::ArithmeticLanes(ValType::F32)));
        // As f64x2 the first lane's 64 bits are not a NaN: compared exactly.
        assert!(!m(e, negative_nan, NanRule::ArithmeticLanes(ValType::F64)));
    }

    #[test]
    fn c_strings_escape_everything_unusual() {
        assert_eq!(c_string("wasm_func_3_a.b$c"), "\"wasm_func_3_a.b$c\"");
        assert_eq!(c_string("a\"b\\c d\u{e9}"), "\"a\\042b\\134c\\040d\\303\\251\"");
    }
}
