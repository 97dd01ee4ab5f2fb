//! Driving Cranelift: translating and compiling every defined function (in parallel) and
//! turning Cranelift's finalized buffers into [`CompiledFunction`]s.

use crate::code::{
    AddressMapEntry, CallSiteHandlers, CompiledCode, CompiledFunction, RelocKind, RelocTarget,
    Relocation, TrapSite,
};
use crate::settings::{CompilerSettings, error};
use crate::translate::{ModuleEnv, translate_function};
use crate::traps;
use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{ExternalName, Function};
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::{Context, FinalizedRelocTarget};
use cranelift_frontend::FunctionBuilderContext;
use kiln_runtime_support::CompileError;
use kiln_runtime_support::module::ModuleInfo;
use kiln_runtime_support::vm::HandlerClause;
use kiln_runtime_support::vm::VMOffsets;
use kiln_runtime_support::vm::handler_table::CATCH_ALL;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `UserExternalName` namespace of defined functions' wasm-call entries.
pub(crate) const NS_FUNCTION: u32 = 0;
/// Namespace of array-to-wasm body trampolines (index: function index).
pub(crate) const NS_ARRAY_TO_WASM: u32 = 1;
/// Namespace of wasm-to-array trampolines (index: canonical module type index).
pub(crate) const NS_WASM_TO_ARRAY: u32 = 2;
/// Namespace of array-call entry trampolines (index: function index); never a target.
pub(crate) const NS_ARRAY_ENTRY: u32 = 3;

/// Number of compile threads.
const THREADS: usize = 2;

/// Compiles every defined function of `info` (see the crate docs for the ABI).
///
/// # Errors
/// When the settings do not describe a supported target or a function fails to compile;
/// an operator of a proposal the compiler does not translate (threads, tail calls,
/// exceptions, GC, ...) is a [`CompileError`] with `unsupported` set, naming the proposal and
/// the operator.
pub fn compile_module(
    info: &ModuleInfo,
    settings: &CompilerSettings,
) -> Result<CompiledCode, CompileError> {
    compile_module_with_progress(info, settings, &|_, _| {})
}

/// [`compile_module`], calling `progress(done, total)` from the compile threads after each
/// defined function is compiled (`total` is the number of defined functions; calls may
/// arrive out of order across threads, `done` is a shared counter).
///
/// # Errors
/// As [`compile_module`].
pub fn compile_module_with_progress(
    info: &ModuleInfo,
    settings: &CompilerSettings,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<CompiledCode, CompileError> {
    let isa = settings.build_isa()?;
    let offsets = VMOffsets::new(info);
    let env = ModuleEnv::new(info, &offsets, settings, &*isa);
    let first = info.num_imported_funcs;
    let count = info.num_defined_funcs();
    let threads = THREADS.min(count as usize).max(1);
    let done = AtomicUsize::new(0);

    // Each thread, the calling one too, takes the next function not yet taken; a helper
    // thread that cannot be started leaves its share to the others.
    let next = AtomicUsize::new(0);
    let work = || {
        let (mut fctx, mut ctx) = (FunctionBuilderContext::new(), Context::new());
        let mut out = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count as usize {
                return out;
            }
            let r = compile_function(&env, &*isa, first + i as u32, &mut fctx, &mut ctx);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, count as usize);
            out.push((i, r));
        }
    };
    let mut results: Vec<Option<Result<CompiledFunction, CompileError>>> =
        (0..count).map(|_| None).collect();
    std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(s, work).ok())
            .collect();
        let mut all = work();
        for h in helpers {
            // A panic while compiling is a bug in the compiler; re-raise it.
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        for (i, r) in all {
            results[i] = Some(r);
        }
    });
    // The first error in function order, as a sequential compile would report it.
    let functions = results
        .into_iter()
        .map(|r| r.expect("every function is taken by one thread"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CompiledCode { functions })
}

fn compile_function(
    env: &ModuleEnv<'_>,
    isa: &dyn TargetIsa,
    func_index: u32,
    fctx: &mut FunctionBuilderContext,
    ctx: &mut Context,
) -> Result<CompiledFunction, CompileError> {
    let func = translate_function(env, func_index, fctx)?;
    finish(isa, ctx, func, func_index)
}

/// Compiles `func` in `ctx` and extracts its code and metadata (`func_index` names it in
/// errors and in the result).
pub(crate) fn finish(
    isa: &dyn TargetIsa,
    ctx: &mut Context,
    func: Function,
    func_index: u32,
) -> Result<CompiledFunction, CompileError> {
    ctx.clear();
    ctx.func = func;
    ctx.compile(isa, &mut ControlPlane::default()).map_err(|e| {
        error(format!("function {func_index}: code generation failed: {:?}", e.inner))
    })?;
    let compiled = ctx.compiled_code().expect("just compiled");
    let buffer = &compiled.buffer;
    let loop_blocks = crate::loop_layout::loop_blocks(
        &compiled.bb_starts,
        &compiled.bb_edges,
        buffer.data().len() as u32,
    );
    let func: &Function = &ctx.func;

    let mut relocations = Vec::new();
    for r in buffer.relocs() {
        let kind = match r.kind {
            Reloc::X86CallPCRel4 => RelocKind::X86CallPcRel4,
            Reloc::Arm64Call => RelocKind::Arm64Call,
            Reloc::Aarch64AdrPrelPgHi21 => RelocKind::Arm64AdrPrelPgHi21,
            Reloc::Aarch64AddAbsLo12Nc => RelocKind::Arm64AddAbsLo12Nc,
            other => {
                return Err(error(format!(
                    "function {func_index}: unexpected relocation {other:?}"
                )));
            }
        };
        let target = match &r.target {
            FinalizedRelocTarget::ExternalName(ExternalName::User(name)) => {
                let name = &func.params.user_named_funcs()[*name];
                match name.namespace {
                    NS_FUNCTION => RelocTarget::Function(name.index),
                    NS_ARRAY_TO_WASM => RelocTarget::ArrayToWasm(name.index),
                    NS_WASM_TO_ARRAY => RelocTarget::WasmToArray(name.index),
                    other => {
                        return Err(error(format!(
                            "function {func_index}: relocation to unknown namespace {other}"
                        )));
                    }
                }
            }
            other => {
                return Err(error(format!(
                    "function {func_index}: unexpected relocation target {other:?}"
                )));
            }
        };
        relocations.push(Relocation { offset: r.offset, kind, target, addend: r.addend });
    }

    let mut trap_sites = Vec::new();
    for t in buffer.traps() {
        let code = traps::from_clif(t.code).ok_or_else(|| {
            error(format!("function {func_index}: unexpected trap code {}", t.code))
        })?;
        trap_sites.push(TrapSite { code_offset: t.offset, code });
    }
    trap_sites.sort_by_key(|t| t.code_offset);

    let address_map = buffer
        .get_srclocs_sorted()
        .iter()
        .filter(|s| !s.loc.is_default())
        .map(|s| AddressMapEntry {
            code_start: s.start,
            code_end: s.end,
            wasm_offset: s.loc.bits(),
        })
        .collect();

    let mut call_returns: Vec<u32> = buffer.call_sites().map(|c| c.ret_addr).collect();
    call_returns.sort_unstable();
    let handlers = call_site_handlers(buffer, func_index)?;

    Ok(CompiledFunction {
        handlers,
        call_returns,
        func_index,
        code: buffer.data().to_vec(),
        // The target's preferred function alignment (32 bytes on x86_64 and aarch64, as
        // wasmtime uses), not just the minimum: where a function starts decides how its
        // loops sit across fetch and uop-cache boundaries, which moves run times by several
        // percent from one build to the next when only the minimum is kept.
        alignment: buffer.alignment.max(isa.function_alignment().preferred),
        required_alignment: buffer.alignment,
        loop_blocks,
        relocations,
        trap_sites,
        address_map,
    })
}

/// The `try_call` sites of a compiled function with their clauses: the translator puts the
/// frame's VMContext first in every exception table (a dynamic context Cranelift saves in
/// the frame), then the clauses, innermost handler first.
fn call_site_handlers(
    buffer: &cranelift_codegen::MachBufferFinalized<cranelift_codegen::Final>,
    func_index: u32,
) -> Result<Vec<CallSiteHandlers>, CompileError> {
    use cranelift_codegen::{ExceptionContextLoc, FinalizedMachExceptionHandler as H};
    let mut out = Vec::new();
    for site in buffer.call_sites() {
        if site.exception_handlers.is_empty() {
            continue;
        }
        let bad = |what: &str| {
            error(format!("function {func_index}: call site {:#x}: {what}", site.ret_addr))
        };
        let frame_offset = site.frame_offset.ok_or_else(|| bad("no frame offset"))?;
        let mut vmctx_sp_offset = None;
        let mut clauses = Vec::new();
        for h in site.exception_handlers {
            match *h {
                H::Context(ExceptionContextLoc::SPOffset(o)) if vmctx_sp_offset.is_none() => {
                    vmctx_sp_offset = Some(o)
                }
                H::Context(_) => return Err(bad("unexpected exception context")),
                H::Tag(tag, landing) if vmctx_sp_offset.is_some() => {
                    clauses.push(HandlerClause { tag: tag.as_u32(), landing })
                }
                H::Tag(..) => return Err(bad("a tag clause before the VMContext")),
                H::Default(landing) => clauses.push(HandlerClause { tag: CATCH_ALL, landing }),
            }
        }
        out.push(CallSiteHandlers {
            ret_addr: site.ret_addr,
            frame_offset,
            vmctx_sp_offset: vmctx_sp_offset.unwrap_or(0),
            clauses,
        });
    }
    out.sort_by_key(|h| h.ret_addr);
    Ok(out)
}

/// The Cranelift IR of defined function `func_index` as text, before compilation (for tests
/// and debugging).
pub fn function_ir(
    info: &ModuleInfo,
    settings: &CompilerSettings,
    func_index: u32,
) -> Result<String, CompileError> {
    let isa = settings.build_isa()?;
    let offsets = VMOffsets::new(info);
    let env = ModuleEnv::new(info, &offsets, settings, &*isa);
    if info.is_imported_func(func_index) || func_index as usize >= info.functions.len() {
        return Err(error(format!("function {func_index} is not a defined function")));
    }
    let func = translate_function(&env, func_index, &mut FunctionBuilderContext::new())?;
    Ok(func.display().to_string())
}
