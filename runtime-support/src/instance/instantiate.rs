//! Instantiation (spec 4.5.4): resolve imports, allocate the VMContext, initialize globals,
//! memories and tables, apply active segments, run the start function.

use super::resolve::check_import;
use super::*;
use crate::error::{InstantiationError, LinkError, LinkErrorKind, Unwind};
use crate::module::{ConstExpr, DataMode, ElementItems, ElementMode};
use crate::trap::TrapCode;
use crate::types::IndexType;

/// Supplies the entity for each import by module and field name.
pub trait ImportResolver {
    /// The entity registered as `module`.`name`, if any, and the instance of the same
    /// store that owns it, if an instance does (not a host module): the new instance keeps
    /// that one alive (see [`super::Lifecycle`]).
    fn resolve(&self, module: &str, name: &str) -> Option<(Extern, Option<*mut InstanceData>)>;
}

/// A resolver of entities no instance of the store owns.
impl<F: Fn(&str, &str) -> Option<Extern>> ImportResolver for F {
    fn resolve(&self, module: &str, name: &str) -> Option<(Extern, Option<*mut InstanceData>)> {
        self(module, name).map(|e| (e, None))
    }
}

/// Instantiates `module` in `store`, resolving its imports with `resolver`.
///
/// The instance is owned by the store from the moment its VMContext exists, so functions a
/// failed instantiation already wrote into imported tables stay callable (spec 2.0
/// semantics). Returns the instance's stable address.
///
/// # Errors
/// [`InstantiationError::Link`] for an unknown or mistyped import,
/// [`InstantiationError::Resource`] for a memory or table over the limits, and
/// [`InstantiationError::Start`] when a segment is out of bounds or the start function
/// traps.
pub fn instantiate(
    store: &Store,
    module: Arc<Module>,
    resolver: &dyn ImportResolver,
    name: Option<String>,
) -> Result<*mut InstanceData, InstantiationError> {
    instantiate_with_host_data(store, module, resolver, name, HostData::default())
}

/// [`instantiate`], with `host_data` in the instance's host-data slot from the start, so
/// that host functions its start function calls already find it (see
/// [`InstanceData::host_data`]).
///
/// # Errors
/// As [`instantiate`].
pub fn instantiate_with_host_data(
    store: &Store,
    module: Arc<Module>,
    resolver: &dyn ImportResolver,
    name: Option<String>,
    host_data: HostData,
) -> Result<*mut InstanceData, InstantiationError> {
    let info = module.info.clone();
    // 1. Resolve and check every import before allocating anything.
    let mut resolved = Vec::with_capacity(info.imports.len());
    let mut providers = Vec::new();
    for import in &info.imports {
        let (ext, provider) =
            resolver.resolve(&import.module, &import.name).ok_or_else(|| LinkError {
                kind: LinkErrorKind::UnknownImport,
                module: import.module.clone(),
                name: import.name.clone(),
                detail: String::new(),
            })?;
        let expected_type_id = match import.index {
            EntityIndex::Func(f) => {
                Some(info.shared_type_ids()[info.functions[f as usize] as usize])
            }
            EntityIndex::Tag(t) => Some(info.shared_type_ids()[info.tags[t as usize] as usize]),
            _ => None,
        };
        let expected = || info.entity_type(import.index);
        check_import(&import.module, &import.name, &ext, import.index, expected, expected_type_id)?;
        // A shared memory may come from a store with another reservation style; native
        // code that relies on guard pages must not get one reserved with less.
        if let Extern::Memory(m) = ext
            && let Some(shared) = m.shared_memory()
            && module.compiled().is_some()
            && !shared.fits_style(&store.config().memory)
        {
            return Err(LinkError {
                kind: LinkErrorKind::IncompatibleImportType,
                module: import.module.clone(),
                name: import.name.clone(),
                detail: "the shared memory reserves less address space than this runtime's \
                         compiled code relies on (create it with guard pages)"
                    .to_string(),
            }
            .into());
        }
        resolved.push(ext);
        providers.extend(provider);
    }

    // 2. Ask the embedder's limiter, then allocate the VMContext and the instance record
    // (and, for the interpreter's first module in this store, its value stack).
    if !store.instantiating() {
        return Err(crate::error::ResourceError {
            message: "the resource limiter refused another instance".to_string(),
        }
        .into());
    }
    if module.interp().is_some() {
        store.ensure_interp_stack()?;
    }
    let offsets = VMOffsets::new(&info);
    let layout = Layout::from_size_align(offsets.size().max(16) as usize, 16)
        .map_err(|e| crate::error::ResourceError { message: e.to_string() })?;
    // SAFETY: the layout has non-zero size.
    let vmctx = unsafe { std::alloc::alloc_zeroed(layout) };
    if vmctx.is_null() {
        std::alloc::handle_alloc_error(layout);
    }
    let num_defined = if module.interp().is_some() { info.num_defined_funcs() } else { 0 };
    let name = name.or_else(|| info.names.module.clone());
    let listeners = match store.listener_factory() {
        Some(factory) => (0..info.num_defined_funcs())
            .map(|i| factory.hooks(name.as_deref(), &info, info.num_imported_funcs + i))
            .collect(),
        None => Box::default(),
    };
    let inst = Box::new(InstanceData {
        module: module.clone(),
        offsets,
        vmctx,
        layout,
        memories: Vec::with_capacity(info.memories.len()),
        tables: Vec::with_capacity(info.tables.len()),
        globals: Vec::with_capacity(info.globals.len()),
        tags: Vec::with_capacity(info.tags.len()),
        owned_memories: Vec::new(),
        shared_memories: Vec::new(),
        owned_tables: Vec::new(),
        dropped_elems: info.elements.iter().map(|_| Cell::new(false)).collect(),
        elem_values: Vec::new(),
        dropped_data: info.data.iter().map(|_| Cell::new(false)).collect(),
        name,
        interp_funcs: (0..num_defined)
            .map(|i| InterpFuncContext {
                magic: INTERP_FUNC_MAGIC,
                func_index: info.num_imported_funcs + i,
                instance: std::ptr::null_mut(),
            })
            .collect(),
        store,
        host_data,
        listeners,
        lifecycle: Lifecycle::default(),
    });
    let ip = store.push_instance(inst);
    // SAFETY: the store owns the instance at a stable address until it is released, which
    // only happens below on failure; nothing else refers to it yet.
    let inst = unsafe { &mut *ip };
    // The instances it imports from stay alive while it does.
    for p in providers {
        if !inst.lifecycle.providers.contains(&p) {
            // SAFETY: the resolver gives live instances of this store.
            unsafe { (*p).lifecycle.pins.set((*p).lifecycle.pins.get() + 1) };
            inst.lifecycle.providers.push(p);
        }
    }
    if super::lifecycle::can_export_references(&info) {
        inst.lifecycle.mark_escaped();
    }
    let result = initialize(store, &module, inst, &resolved);
    if result.is_err() {
        // Unless its function references may already sit in other instances' tables (spec
        // 2.0: writes before the failure stay), nothing can reach it.
        // SAFETY: the instance is live and no handle to it exists.
        unsafe { store.release_instance(ip) };
    }
    result.map(|()| ip)
}

/// Steps 2 (the header) to 8 of instantiation, on an instance already in `store`.
fn initialize(
    store: &Store,
    module: &Arc<Module>,
    inst: &mut InstanceData,
    resolved: &[Extern],
) -> Result<(), InstantiationError> {
    let info = module.info.clone();
    let ip: *mut InstanceData = inst;
    for f in inst.interp_funcs.iter_mut() {
        f.instance = ip;
    }

    // SAFETY: `inst.vmctx` is the instance's zeroed VMContext allocation, which starts with
    // a suitably aligned `VMContextHeader`.
    unsafe {
        let header = inst.vmctx as *mut VMContextHeader;
        (*header).magic = VMCONTEXT_MAGIC;
        (*header).store = store.vm_context();
        (*header).builtins = builtins_table();
        (*header).type_ids = info.shared_type_ids().as_ptr();
        (*header).instance = ip.cast();
    }

    // 3. Imports.
    let (mut fi, mut ti, mut mi, mut gi, mut tgi) = (0u32, 0u32, 0u32, 0u32, 0u32);
    for ext in resolved {
        match *ext {
            Extern::Func(f) => {
                // SAFETY: `f` is a live funcref of the store; offsets as above.
                unsafe {
                    let f = &*f;
                    *inst.funcref(fi) = *f;
                    *inst.func_import(fi) = match module.compiled() {
                        // A compiled importer calls `wasm_call(vmctx, ..)`; a callee without
                        // native code is reached through the module's wasm-to-array
                        // trampoline, which takes the importer's funcref copy as `vmctx`.
                        Some(code) if f.wasm_call.is_null() => VMFunctionImport {
                            wasm_call: code.wasm_to_array(info.functions[fi as usize]),
                            array_call: f.array_call,
                            vmctx: inst.funcref(fi).cast(),
                        },
                        _ => VMFunctionImport {
                            wasm_call: f.wasm_call,
                            array_call: f.array_call,
                            vmctx: f.vmctx,
                        },
                    };
                }
                fi += 1;
            }
            Extern::Table(t) => {
                // SAFETY: offsets as above.
                unsafe {
                    *inst.at::<*mut VMTableDefinition>(inst.offsets.imported_table(ti)) = t.def
                };
                inst.tables.push(t);
                ti += 1;
            }
            Extern::Memory(m) => {
                // SAFETY: offsets as above.
                unsafe {
                    *inst.at::<*mut VMMemoryDefinition>(inst.offsets.imported_memory(mi)) = m.def
                };
                inst.shared_memories.extend(m.shared_memory());
                inst.memories.push(m);
                mi += 1;
            }
            Extern::Global(g) => {
                // SAFETY: offsets as above.
                unsafe {
                    *inst.at::<*mut VMGlobalDefinition>(inst.offsets.imported_global(gi)) = g.def
                };
                inst.globals.push(g.def);
                gi += 1;
            }
            Extern::Tag(t) => {
                // SAFETY: offsets as above.
                unsafe { *inst.at::<*const VMTag>(inst.offsets.tag(tgi)) = t };
                inst.tags.push(t);
                tgi += 1;
            }
        }
    }

    // Defined tags: each a new tag of the store (its identity is its address).
    let type_ids = info.shared_type_ids();
    for t in info.num_imported_tags..info.tags.len() as u32 {
        let tag = store.new_tag(type_ids[info.tags[t as usize] as usize]);
        // SAFETY: offsets as above.
        unsafe { *inst.at::<*const VMTag>(inst.offsets.tag(t)) = tag };
        inst.tags.push(tag);
    }

    // 4. Funcrefs of defined functions (before globals: `ref.func` initializers need them).
    let defined_types = &info.functions[info.num_imported_funcs as usize..];
    match module.compiled() {
        Some(code) => {
            let template =
                code.funcrefs(|| defined_types.iter().map(|ty| type_ids[*ty as usize]).collect());
            let n = template.len();
            if n > 0 {
                let first = inst.funcref(info.num_imported_funcs);
                // SAFETY: the defined functions' funcrefs are `n` consecutive slots of the
                // VMContext from `first` (offsets as above), which the template does not
                // overlap; each gets its `vmctx` after the copy.
                unsafe {
                    std::ptr::copy_nonoverlapping(template.as_ptr(), first, n);
                    for d in 0..n {
                        (*first.add(d)).vmctx = inst.vmctx.cast();
                    }
                }
            }
        }
        None => {
            for (d, ty) in defined_types.iter().enumerate() {
                let f = info.num_imported_funcs + d as u32;
                let fr = VMFuncRef {
                    array_call: crate::interp::array_call_entry,
                    wasm_call: std::ptr::null(),
                    type_id: type_ids[*ty as usize],
                    vmctx: inst.interp_func_ctx(f).cast(),
                };
                // SAFETY: offsets as above.
                unsafe { *inst.funcref(f) = fr };
            }
        }
    }

    // 5. Globals, in order (an initializer may read imported and earlier globals).
    for g in info.num_imported_globals..info.globals.len() as u32 {
        let def: *mut VMGlobalDefinition =
            inst.at(inst.offsets.defined_global(g - info.num_imported_globals));
        let init =
            info.globals[g as usize].init.as_ref().expect("defined globals have initializers");
        let v = eval_const(inst, init);
        // SAFETY: offsets as above.
        unsafe { (*def).set(v) };
        inst.globals.push(def);
    }

    // 6. Memories and tables.
    for m in info.num_imported_memories..info.memories.len() as u32 {
        let min = info.memories[m as usize].limits.min;
        if !store.memory_growing(0, min) {
            return Err(crate::error::ResourceError {
                message: format!("the resource limiter refused a memory of {min} pages"),
            }
            .into());
        }
        let ty = &info.memories[m as usize];
        let mref = if ty.shared {
            let style = MemoryStyle {
                limit_pages: store.config().memory.limit_pages,
                ..store.config().shared_memory
            };
            let shared = SharedMemory::new(ty, style)?;
            let mref = MemoryRef::of_shared(&shared);
            inst.shared_memories.push(shared);
            mref
        } else {
            let image = module.compiled().and_then(|c| c.memory_image());
            let image = image.filter(|i| i.decl().memory == m).map(|i| i.id());
            let mut mem = Box::new(LinearMemory::for_image(ty, store.config().memory, image)?);
            let def: *mut VMMemoryDefinition =
                inst.at(inst.offsets.defined_memory(m - info.num_imported_memories));
            // SAFETY: the definition lives in the VMContext, which outlives the owned memory.
            unsafe { mem.bind(def) };
            let memory: *mut LinearMemory = &mut *mem;
            inst.owned_memories.push(mem);
            MemoryRef::unshared(def, memory)
        };
        // SAFETY: offsets as above.
        unsafe { *inst.at::<*mut VMMemoryDefinition>(inst.offsets.memory_pointer(m)) = mref.def };
        inst.memories.push(mref);
    }
    for t in info.num_imported_tables..info.tables.len() as u32 {
        let decl = &info.tables[t as usize];
        let min = decl.ty.limits.min;
        if !store.table_growing(0, min) {
            return Err(crate::error::ResourceError {
                message: format!("the resource limiter refused a table of {min} elements"),
            }
            .into());
        }
        let init = decl.init.as_ref().map(|e| eval_const(inst, e).bits() as usize).unwrap_or(0);
        let ty = decl.ty.canonical(&info.canonical_ids());
        let mut table = Box::new(Table::new(ty, init)?);
        let def: *mut VMTableDefinition =
            inst.at(inst.offsets.defined_table(t - info.num_imported_tables));
        // SAFETY: the definition lives in the VMContext, which outlives the owned table.
        unsafe { table.bind(def) };
        let tp: *mut Table = &mut *table;
        inst.owned_tables.push(table);
        inst.tables.push(TableRef { def, table: tp });
    }

    // Passive element segments keep their references for `table.init`.
    let elem_values: Vec<Box<[usize]>> = info
        .elements
        .iter()
        .map(|seg| match seg.mode {
            ElementMode::Passive => {
                let mut values = vec![0; seg.items.len()].into_boxed_slice();
                write_items(inst, &seg.items, &mut values);
                values
            }
            _ => Box::default(),
        })
        .collect();
    inst.elem_values = elem_values;

    // 7. Element segments, then data segments, in order; a failure leaves earlier writes.
    for (i, seg) in info.elements.iter().enumerate() {
        match &seg.mode {
            ElementMode::Active { table, offset } => {
                let index_type = info.tables[*table as usize].ty.index_type;
                let start = index_value(index_type, eval_const(inst, offset));
                // SAFETY: table refs of a live instance point to live tables; evaluating
                // the items below reads globals and funcrefs, never this table.
                let t = unsafe { &mut *inst.tables[*table as usize].table };
                let end = start.checked_add(seg.items.len() as u64);
                let Some(end) = end.filter(|end| *end <= t.size() as u64) else {
                    return Err(Unwind::Trap(TrapCode::TableOutOfBounds.into()).into());
                };
                write_items(inst, &seg.items, &mut t.elements_mut()[start as usize..end as usize]);
                inst.dropped_elems[i].set(true);
            }
            ElementMode::Declared => inst.dropped_elems[i].set(true),
            ElementMode::Passive => {}
        }
    }
    // A module loaded from an artifact file with a memory image maps it copy-on-write
    // over the memory instead (see `crate::artifact::memory_image`): it holds exactly what
    // the active segments, all in bounds, leave there.
    if let Some(image) = module.compiled().and_then(|c| c.memory_image()) {
        let m = inst.memories[image.decl().memory as usize];
        match m.shared_memory() {
            // Created above and not reachable from another thread yet.
            Some(shared) => shared.map_image(image)?,
            // SAFETY: memory refs of a live instance point to live memories; the image's
            // memory is a defined memory of this instance (validated at load), which nothing
            // else uses while it is initialized.
            None => unsafe { (*m.memory).map_image(image)? },
        }
        for (i, seg) in info.data.iter().enumerate() {
            if matches!(seg.mode, DataMode::Active { .. }) {
                inst.dropped_data[i].set(true);
            }
        }
    }
    for (i, seg) in info.data.iter().enumerate() {
        if inst.dropped_data[i].get() {
            continue;
        }
        if let DataMode::Active { memory, offset } = &seg.mode {
            let index_type = info.memories[*memory as usize].index_type;
            let start = index_value(index_type, eval_const(inst, offset));
            let bytes = &info.wasm[seg.bytes.clone()];
            let m = inst.memories[*memory as usize];
            // SAFETY: memory refs of a live instance point to live definitions.
            let (base, len) = unsafe { ((*m.def).base, (*m.def).length() as u64) };
            if start.checked_add(bytes.len() as u64).is_none_or(|end| end > len) {
                return Err(Unwind::Trap(TrapCode::MemoryOutOfBounds.into()).into());
            }
            let start = start as usize;
            // SAFETY: [start, start+len) was just checked to lie inside the memory.
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), base.add(start), bytes.len()) };
            inst.dropped_data[i].set(true);
        }
    }

    // 8. The start function.
    if let Some(start) = info.start {
        // SAFETY: the start function is a live function of this store taking no arguments.
        unsafe { crate::call::invoke(store, inst.funcref(start), &mut [])? };
    }
    Ok(())
}

/// A segment offset (an `i32` or `i64` constant as the memory's or table's index type
/// says) as a number.
fn index_value(index_type: IndexType, v: ValRaw) -> u64 {
    match index_type {
        IndexType::I32 => v.bits() as u32 as u64,
        IndexType::I64 => v.bits(),
    }
}

/// Writes the values of an element segment's `items` (as many as `out` holds) to `out`.
fn write_items(inst: &InstanceData, items: &ElementItems, out: &mut [usize]) {
    match items {
        ElementItems::Functions(funcs) => {
            for (slot, f) in out.iter_mut().zip(funcs) {
                *slot = inst.funcref(*f) as usize;
            }
        }
        ElementItems::Expressions(exprs) => {
            for (slot, e) in out.iter_mut().zip(exprs) {
                *slot = eval_const(inst, e).bits() as usize;
            }
        }
    }
}

/// Evaluates a validated constant expression in the context of a (partially built) instance.
pub(crate) fn eval_const(inst: &InstanceData, expr: &ConstExpr) -> ValRaw {
    expr.eval(
        // SAFETY: validation allows only globals that are already initialized.
        |g| Some(unsafe { (*inst.globals[g as usize]).get() }),
        |f| Some(ValRaw::from_bits(inst.funcref(f) as u64)),
    )
    .unwrap_or_default()
}
