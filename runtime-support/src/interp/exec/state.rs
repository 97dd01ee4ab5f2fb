//! The interpreter state that does not live in registers.

use super::super::ir::{CompiledFunc, Instr};
use super::super::module::{CallTarget, FuncSlot};
use crate::error::Unwind;
use crate::instance::{InstanceData, MemoryRef};
use crate::vm::{Store, VMGlobalDefinition, VMMemoryDefinition};

/// A suspended caller: where to resume when the callee returns.
#[derive(Clone, Copy)]
pub struct Frame {
    /// The instruction after the call.
    pub pc: *const Instr,
    /// The caller's frame.
    pub fp: *mut u64,
    /// The caller's function.
    pub func: *const CompiledFunc,
    /// The caller's instance.
    pub inst: *mut InstanceData,
}

/// Per-instance values the handlers keep at hand; reloaded when the instance changes.
pub struct InstCache {
    /// The instance.
    pub inst: *mut InstanceData,
    /// Its module's function slots (indexed by defined-function index).
    pub funcs: *const FuncSlot,
    /// Its module's call targets (as `funcs`).
    pub targets: *const CallTarget,
    /// Its module's number of imported functions.
    pub num_imported_funcs: u32,
    /// Its globals.
    pub globals: *const *mut VMGlobalDefinition,
    /// Its memory 0, or null.
    pub mem_def: *mut VMMemoryDefinition,
    /// Its memories, by index (for the instructions that name theirs).
    pub memories: *const MemoryRef,
}

impl InstCache {
    /// # Safety
    /// `inst` must be a live instance running on the interpreter.
    pub unsafe fn new(inst: *mut InstanceData) -> Self {
        // SAFETY: per the contract.
        let i = unsafe { &*inst };
        let funcs = i.module.interp().map_or(std::ptr::null(), |m| m.slots());
        let targets = i.module.interp().map_or(std::ptr::null(), |m| m.call_targets());
        Self {
            inst,
            funcs,
            targets,
            num_imported_funcs: i.module.info.num_imported_funcs,
            globals: i.globals.as_ptr(),
            mem_def: i.memories.first().map(|m| m.def).unwrap_or(std::ptr::null_mut()),
            memories: i.memories.as_ptr(),
        }
    }

    /// Memory 0's current base and length (null and 0 without a memory).
    #[inline(always)]
    pub fn memory(&self) -> (*mut u8, u64) {
        if self.mem_def.is_null() {
            (std::ptr::null_mut(), 0)
        } else {
            // SAFETY: memory definitions of a live instance stay valid while it lives.
            unsafe { ((*self.mem_def).base, (*self.mem_def).length() as u64) }
        }
    }
}

/// Everything about a run besides the registers handlers pass along.
pub struct State {
    /// The store the run belongs to.
    pub store: *const Store,
    /// The suspended callers, innermost last.
    pub frames: Vec<Frame>,
    /// The function executing now.
    pub func: *const CompiledFunc,
    /// The instance executing now.
    pub cache: InstCache,
    /// Start of the store's value stack.
    pub stack_base: *mut u64,
    /// One past the end of the store's value stack.
    pub stack_end: *mut u64,
    /// `frames.len() + 1` must stay below this (the store's depth limit minus the depth at entry).
    pub depth_limit: usize,
    /// The store's call depth when the run started.
    pub base_depth: usize,
    /// Why the run is unwinding, once a handler exits with [`super::Exit::Unwind`].
    pub unwind: Option<Unwind>,
    /// The registers between two handlers, for the trampoline loop.
    #[cfg(not(kiln_tail_dispatch))]
    pub regs: super::dispatch::Regs,
}
