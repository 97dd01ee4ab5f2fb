//! A module's native code in memory: the executable mapping plus the tables that map
//! program counters back to functions, trap codes and wasm offsets ([`CodeTables`]). Built
//! from a [`CodeImage`] (the compiler's linked output, in process) or from a mapped
//! artifact (the loader).

use super::code_memory::CodeMemory;
use super::code_tables::{CodeTables, EncodedTables, FunctionRecord};
use super::handler_table::HandlerTable;
use super::memory_image::MemoryImage;
use super::vmcontext::{ArrayCallFn, VMFuncRef, VMSharedTypeId};
use crate::error::ResourceError;
use crate::module::ModuleInfo;
use crate::trap::TrapCode;
use std::sync::Arc;

/// A module's linked code: position-independent machine code with every in-module
/// reference already resolved (it needs no patching at load, provided it is placed at a
/// page-aligned address), and its tables.
#[derive(Clone, Debug, Default)]
pub struct CodeImage {
    /// The machine code.
    pub text: Vec<u8>,
    /// Functions, trap sites, address map and entry points.
    pub tables: EncodedTables,
    /// The exception handlers of calls inside `try_table`s and legacy `try`s.
    pub handlers: HandlerTable,
}

/// The metadata of loaded code that trap handling reads (shared with the code registry).
#[derive(Debug)]
pub struct CodeMeta {
    /// Address of the code's first byte.
    pub base: usize,
    /// Length of the code in bytes.
    pub len: usize,
    /// Functions, trap sites, address map, entries (read in place).
    pub tables: CodeTables,
    /// The module the code belongs to (names and signatures for backtraces).
    pub info: Arc<ModuleInfo>,
    /// The exception handlers of its calls (verified against the code and the module).
    pub handlers: HandlerTable,
}

impl CodeMeta {
    fn offset(&self, pc: usize) -> Option<u32> {
        u32::try_from(pc.checked_sub(self.base)?).ok()
    }

    /// The function containing `pc`, if any.
    pub fn function_at(&self, pc: usize) -> Option<FunctionRecord> {
        self.tables.function_at(self.offset(pc)?)
    }

    /// The trap raised by the instruction at `pc`, if it is a trap site. Does not allocate
    /// (the signal handler calls it).
    pub fn trap_at(&self, pc: usize) -> Option<TrapCode> {
        self.tables.trap_at(self.offset(pc)?)
    }

    /// The landing pad that catches an exception of tag `tag` at the call returning to
    /// `ret_addr` in a frame whose frame pointer is `fp`: `(pc, sp)` to resume at.
    ///
    /// # Safety
    /// `fp` must be the frame pointer of the live compiled frame that called out at
    /// `ret_addr`, so the VMContext the call site saved lies in that frame.
    pub unsafe fn landing_for(
        &self,
        ret_addr: usize,
        fp: usize,
        tag: *const super::VMTag,
    ) -> Option<(usize, usize)> {
        let (site, clauses) = self.handlers.lookup(self.offset(ret_addr)?)?;
        let sp = fp.checked_sub(site.frame_offset as usize)?;
        let mut vmctx: Option<*mut super::VMContext> = None;
        for c in clauses {
            let hit = c.tag == super::handler_table::CATCH_ALL || {
                // SAFETY: per the contract, the call site saved its VMContext at this offset
                // (verified aligned), and a VMContext's header names its live instance.
                let v = *vmctx.get_or_insert_with(|| unsafe {
                    *((sp + site.vmctx_sp_offset as usize) as *const *mut super::VMContext)
                });
                // SAFETY: as above.
                let inst = unsafe {
                    &*(*(v as *const super::VMContextHeader))
                        .instance
                        .cast::<crate::instance::InstanceData>()
                };
                inst.tags.get(c.tag as usize).is_some_and(|&t| std::ptr::eq(t, tag))
            };
            if hit {
                return Some((self.base + c.landing as usize, sp));
            }
        }
        None
    }

    /// The function index and wasm offset of the wasm instruction that generated the code
    /// at `pc`, when `pc` is in a wasm function.
    pub fn wasm_location(&self, pc: usize) -> Option<(u32, Option<u32>)> {
        self.tables.wasm_location(self.offset(pc)?)
    }
}

/// Funcrefs of a module's defined functions without their `vmctx`
/// ([`CompiledModuleCode::funcrefs`]).
struct FuncRefTemplate(Box<[VMFuncRef]>);

impl std::fmt::Debug for FuncRefTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FuncRefTemplate({} funcrefs)", self.0.len())
    }
}

// SAFETY: the pointers are entries of the module's code, which is immutable while mapped
// and outlives the template (both belong to the `CompiledModuleCode`); `vmctx` is null.
unsafe impl Send for FuncRefTemplate {}
// SAFETY: as above; the template is never written after it is built.
unsafe impl Sync for FuncRefTemplate {}

/// A module's loaded native code; unregistered from trap handling and unmapped when
/// dropped.
#[derive(Debug)]
pub struct CompiledModuleCode {
    memory: CodeMemory,
    meta: Arc<CodeMeta>,
    memory_image: Option<MemoryImage>,
    /// Every defined function's funcref without its `vmctx`, built from the tables on the
    /// first instantiation ([`Self::funcrefs`]).
    funcrefs: std::sync::OnceLock<FuncRefTemplate>,
    /// The code's symbol file in a debugger's JIT list, while registration is on
    /// ([`super::gdb_jit`]); dropped (unregistered) before the code is unmapped.
    debugger: Option<super::gdb_jit::Registration>,
}

impl CompiledModuleCode {
    /// Loads a linked `image` built in this process: copies its code into fresh pages made
    /// read+execute, and registers it with trap handling.
    ///
    /// # Errors
    /// [`ResourceError`] when mapping fails or the image's tables are inconsistent.
    pub fn load(image: CodeImage, info: Arc<ModuleInfo>) -> Result<Self, ResourceError> {
        let (bytes, ranges) = image.tables.into_shared();
        let tables = CodeTables::new(
            bytes,
            ranges,
            image.text.len(),
            info.num_imported_funcs,
            info.num_defined_funcs(),
            info.types.len() as u32,
            None,
        )
        .map_err(|m| ResourceError { message: format!("invalid code image: {m}") })?;
        let memory = CodeMemory::copy(&image.text)?;
        Self::from_parts(memory, tables, image.handlers, info)
    }

    /// Wraps code already mapped executable with its validated tables and its exception
    /// handlers, and registers it with trap handling (installing the signal handlers on
    /// first use).
    ///
    /// # Errors
    /// [`ResourceError`] when the tables describe more code than is mapped or another
    /// module shape than `info`'s, or the handler table fails [`HandlerTable::verify`].
    pub fn from_parts(
        memory: CodeMemory,
        tables: CodeTables,
        handlers: HandlerTable,
        info: Arc<ModuleInfo>,
    ) -> Result<Self, ResourceError> {
        if tables.code_len() > memory.len()
            || tables.module_shape() != (info.num_defined_funcs(), info.types.len() as u32)
        {
            return Err(ResourceError {
                message: "code tables do not match the code or the module".into(),
            });
        }
        handlers
            .verify(tables.code_len(), info.tags.len() as u32)
            .map_err(|m| ResourceError { message: format!("invalid handler table: {m}") })?;
        crate::traphandlers::init();
        let meta = Arc::new(CodeMeta {
            base: memory.base() as usize,
            len: tables.code_len().max(1),
            tables,
            info,
            handlers,
        });
        crate::traphandlers::registry::register(meta.clone());
        super::perf_map::record(&meta);
        super::jitdump::record(&meta);
        let debugger = super::gdb_jit::register(&meta);
        Ok(Self { memory, meta, memory_image: None, funcrefs: Default::default(), debugger })
    }

    /// Makes instantiation map `image` into the memory it initializes instead of copying
    /// the active data segments (the loader's choice for an artifact file with a memory
    /// image).
    pub fn with_memory_image(mut self, image: MemoryImage) -> Self {
        self.memory_image = Some(image);
        self
    }

    /// The memory image instantiation maps, if any.
    pub fn memory_image(&self) -> Option<&MemoryImage> {
        self.memory_image.as_ref()
    }

    /// The machine code (readable: the mapping is read+execute).
    pub fn text(&self) -> &[u8] {
        // SAFETY: the mapping is readable and at least `code_len` bytes long
        // (`from_parts` checked it), immutable, and lives as long as `self`.
        unsafe { std::slice::from_raw_parts(self.memory.base(), self.meta.tables.code_len()) }
    }

    /// The executable mapping.
    pub fn memory(&self) -> &CodeMemory {
        &self.memory
    }

    fn addr(&self, off: u32) -> *const u8 {
        // SAFETY: `CodeTables::new` checked every entry offset lies inside the code, which is
        // inside the mapping.
        unsafe { self.memory.base().add(off as usize) }
    }

    /// The wasm-call entry of defined function `defined_index`.
    pub fn wasm_call(&self, defined_index: u32) -> *const u8 {
        self.addr(self.meta.tables.wasm_call(defined_index))
    }

    /// Every defined function's funcref, in order, with a null `vmctx`: what instantiation
    /// copies into the VMContext before it sets each `vmctx`. `type_ids` gives the
    /// defined functions' signature ids; it is asked once, on the first call (a module's
    /// ids never change).
    pub fn funcrefs(&self, type_ids: impl FnOnce() -> Vec<VMSharedTypeId>) -> &[VMFuncRef] {
        &self
            .funcrefs
            .get_or_init(|| {
                let t = &self.meta.tables;
                let refs = (0..t.module_shape().0)
                    .zip(type_ids())
                    .map(|(d, type_id)| VMFuncRef {
                        array_call: self.array_call(d),
                        wasm_call: self.addr(t.wasm_call(d)),
                        type_id,
                        vmctx: std::ptr::null_mut(),
                    })
                    .collect();
                FuncRefTemplate(refs)
            })
            .0
    }

    /// The array-call entry of defined function `defined_index`.
    pub fn array_call(&self, defined_index: u32) -> ArrayCallFn {
        let p = self.addr(self.meta.tables.array_call(defined_index));
        // SAFETY: the image's array-call entries are compiled with the ArrayCallFn
        // signature (the compiler's ABI) and the code is mapped executable.
        unsafe { std::mem::transmute::<*const u8, ArrayCallFn>(p) }
    }

    /// The wasm-to-array trampoline for module type `ty`.
    pub fn wasm_to_array(&self, ty: u32) -> *const u8 {
        self.addr(self.meta.tables.wasm_to_array(ty))
    }

    /// The trap-handling metadata.
    pub fn meta(&self) -> &Arc<CodeMeta> {
        &self.meta
    }
}

impl Drop for CompiledModuleCode {
    fn drop(&mut self) {
        self.debugger = None;
        crate::traphandlers::registry::unregister(self.meta.base);
    }
}
