//! A module's native code in memory: the executable mapping plus the tables that map
//! program counters back to functions, trap codes and wasm offsets. Built from a
//! [`CodeImage`] (today by the facade from the compiler's output; later by the loader
//! from an artifact).

use super::code_memory::{CodeMemory, CodeReloc};
use super::vmcontext::ArrayCallFn;
use crate::error::ResourceError;
use crate::module::ModuleInfo;
use crate::trap::TrapCode;
use std::sync::Arc;

/// What a piece of compiled code is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    /// The wasm-call entry of a defined function (by function index).
    Wasm(u32),
    /// A trampoline (never shown in backtraces).
    Trampoline,
}

/// One function's (or trampoline's) place in a [`CodeImage`] and its tables. Offsets in
/// the tables are relative to `start`.
#[derive(Clone, Debug)]
pub struct FunctionCode {
    /// What it is.
    pub kind: CodeKind,
    /// Offset of its first byte in the image.
    pub start: u32,
    /// Its length in bytes.
    pub len: u32,
    /// Trap sites `(code offset, trap)`, sorted by offset.
    pub trap_sites: Vec<(u32, TrapCode)>,
    /// Address map `(code start, code end, wasm offset)`, sorted by code start.
    pub address_map: Vec<(u32, u32, u32)>,
}

/// Everything needed to load a module's code: position-independent machine code whose only
/// relocations refer to code of the same image, and the entry points instantiation needs.
#[derive(Clone, Debug, Default)]
pub struct CodeImage {
    /// The machine code.
    pub text: Vec<u8>,
    /// In-image relocations.
    pub relocs: Vec<CodeReloc>,
    /// Every function and trampoline, sorted by `start`.
    pub functions: Vec<FunctionCode>,
    /// Offset of each defined function's wasm-call entry (by defined index).
    pub wasm_call: Vec<u32>,
    /// Offset of each defined function's array-call entry (by defined index).
    pub array_call: Vec<u32>,
    /// Offset of the wasm-to-array trampoline serving each module type (by type index).
    pub wasm_to_array: Vec<u32>,
}

/// The metadata of loaded code that trap handling reads (shared with the code registry).
#[derive(Debug)]
pub struct CodeMeta {
    /// Address of the code's first byte.
    pub base: usize,
    /// Length of the code in bytes.
    pub len: usize,
    /// Functions and trampolines, sorted by start.
    pub functions: Vec<FunctionCode>,
    /// The module the code belongs to (names and signatures for backtraces).
    pub info: Arc<ModuleInfo>,
}

impl CodeMeta {
    /// The function containing `pc`, if any.
    pub fn function_at(&self, pc: usize) -> Option<&FunctionCode> {
        let off = u32::try_from(pc.checked_sub(self.base)?).ok()?;
        let i = self.functions.partition_point(|f| f.start <= off).checked_sub(1)?;
        let f = &self.functions[i];
        (off < f.start + f.len).then_some(f)
    }

    /// The trap raised by the instruction at `pc`, if it is a trap site.
    pub fn trap_at(&self, pc: usize) -> Option<TrapCode> {
        let f = self.function_at(pc)?;
        let off = (pc - self.base) as u32 - f.start;
        let i = f.trap_sites.binary_search_by_key(&off, |t| t.0).ok()?;
        Some(f.trap_sites[i].1)
    }

    /// The function index and wasm offset of the wasm instruction that generated the code
    /// at `pc`, when `pc` is in a wasm function.
    pub fn wasm_location(&self, pc: usize) -> Option<(u32, Option<u32>)> {
        let f = self.function_at(pc)?;
        let CodeKind::Wasm(func) = f.kind else { return None };
        let off = (pc - self.base) as u32 - f.start;
        let i = f.address_map.partition_point(|e| e.0 <= off);
        let wasm = i.checked_sub(1).map(|i| f.address_map[i].2);
        Some((func, wasm))
    }
}

/// A module's loaded native code; unregistered from trap handling and unmapped when
/// dropped.
#[derive(Debug)]
pub struct CompiledModuleCode {
    memory: CodeMemory,
    meta: Arc<CodeMeta>,
    wasm_call: Vec<u32>,
    array_call: Vec<u32>,
    wasm_to_array: Vec<u32>,
}

impl CompiledModuleCode {
    /// Loads `image` (map, relocate, make executable) and registers it with trap handling
    /// (installing the signal handlers on first use).
    ///
    /// # Errors
    /// [`ResourceError`] when mapping fails or the image is inconsistent.
    pub fn load(image: CodeImage, info: Arc<ModuleInfo>) -> Result<Self, ResourceError> {
        let bad = |m: &str| ResourceError { message: format!("invalid code image: {m}") };
        let n = image.text.len() as u64;
        let in_text = |o: &u32| u64::from(*o) < n;
        let defined = info.num_defined_funcs() as usize;
        if image.wasm_call.len() != defined || image.array_call.len() != defined {
            return Err(bad("entry count differs from the module's function count"));
        }
        if image.wasm_to_array.len() != info.types.len() {
            return Err(bad("trampoline count differs from the module's type count"));
        }
        if !image.wasm_call.iter().chain(&image.array_call).chain(&image.wasm_to_array).all(in_text)
            || image.relocs.iter().any(|r| !in_text(&r.target))
            || image.functions.iter().any(|f| u64::from(f.start) + u64::from(f.len) > n)
            || !image.functions.windows(2).all(|w| w[0].start + w[0].len <= w[1].start)
        {
            return Err(bad("offset outside the code"));
        }
        crate::traphandlers::init();
        let memory = CodeMemory::new(&image.text, &image.relocs)?;
        let meta = Arc::new(CodeMeta {
            base: memory.base() as usize,
            len: image.text.len().max(1),
            functions: image.functions,
            info,
        });
        crate::traphandlers::registry::register(meta.clone());
        Ok(Self {
            memory,
            meta,
            wasm_call: image.wasm_call,
            array_call: image.array_call,
            wasm_to_array: image.wasm_to_array,
        })
    }

    fn addr(&self, off: u32) -> *const u8 {
        // SAFETY: offsets were checked to lie inside the code in `load`.
        unsafe { self.memory.base().add(off as usize) }
    }

    /// The wasm-call entry of defined function `defined_index`.
    pub fn wasm_call(&self, defined_index: u32) -> *const u8 {
        self.addr(self.wasm_call[defined_index as usize])
    }

    /// The array-call entry of defined function `defined_index`.
    pub fn array_call(&self, defined_index: u32) -> ArrayCallFn {
        let p = self.addr(self.array_call[defined_index as usize]);
        // SAFETY: the image's array-call entries are compiled with the ArrayCallFn
        // signature (the compiler's ABI) and the code is mapped executable.
        unsafe { std::mem::transmute::<*const u8, ArrayCallFn>(p) }
    }

    /// The wasm-to-array trampoline for module type `ty`.
    pub fn wasm_to_array(&self, ty: u32) -> *const u8 {
        self.addr(self.wasm_to_array[ty as usize])
    }

    /// The trap-handling metadata.
    pub fn meta(&self) -> &Arc<CodeMeta> {
        &self.meta
    }
}

impl Drop for CompiledModuleCode {
    fn drop(&mut self) {
        crate::traphandlers::registry::unregister(self.meta.base);
    }
}
