//! The reference: wasmtime 48 with exactly the features Kiln runs with
//! ([`crate::smith::KILN_FEATURES`]), the
//! same memory and table limits, and fuel instead of a timer. Its relaxed SIMD is the
//! deterministic one; a module using relaxed SIMD is not compared with it anyway
//! ([`crate::smith::Uses`]).

use super::{FUEL_PER_CALL, MEMORY_LIMIT_PAGES, TABLE_ELEMENT_LIMIT};
use crate::exec::{ExportState, Outcome, TrapKind, V};
use std::sync::OnceLock;
use wasmtime::{
    Config, Engine, Extern, ExternRef, Instance, Module, Ref, Store, StoreLimits,
    StoreLimitsBuilder, Trap, Val,
};

/// The process's wasmtime engine (creating one is expensive).
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut c = Config::new();
        c.wasm_simd(true)
            .wasm_relaxed_simd(true)
            .relaxed_simd_deterministic(true)
            .wasm_threads(true)
            .shared_memory(true)
            .wasm_tail_call(true)
            .wasm_multi_memory(true)
            .wasm_memory64(true)
            .wasm_function_references(true)
            .wasm_gc(false)
            .wasm_extended_const(true)
            .wasm_wide_arithmetic(false)
            .wasm_custom_page_sizes(false)
            .wasm_exceptions(true)
            .wasm_bulk_memory(true)
            .wasm_reference_types(true)
            .wasm_multi_value(true)
            .consume_fuel(true);
        Engine::new(&c).expect("wasmtime configuration")
    })
}

/// A wasmtime instance and its store.
pub struct WasmtimeInstance {
    store: Store<StoreLimits>,
    instance: Instance,
    fuel: u64,
}

fn new_store(fuel: u64) -> Store<StoreLimits> {
    let limits = StoreLimitsBuilder::new()
        .memory_size(MEMORY_LIMIT_PAGES as usize * 65536)
        .table_elements(TABLE_ELEMENT_LIMIT)
        .build();
    let mut store = Store::new(engine(), limits);
    store.limiter(|l| l);
    store.set_fuel(fuel).expect("fuel is enabled");
    store
}

/// Instantiates `wasm`. With `bounded`, each call (and the start function) gets
/// [`FUEL_PER_CALL`]; otherwise fuel is unlimited.
///
/// # Errors
/// The outcome of a failed compilation (`Outcome::Error` with the text `compile: ...`) or
/// instantiation.
pub fn instantiate(wasm: &[u8], bounded: bool) -> Result<WasmtimeInstance, Outcome> {
    let module =
        Module::new(engine(), wasm).map_err(|e| Outcome::Error(format!("compile: {e:#}")))?;
    let fuel = if bounded { FUEL_PER_CALL } else { u64::MAX };
    let mut store = new_store(fuel);
    match Instance::new(&mut store, &module, &[]) {
        Ok(instance) => Ok(WasmtimeInstance { store, instance, fuel }),
        Err(e) => Err(error_outcome(&mut store, e)),
    }
}

fn error_outcome(store: &mut Store<StoreLimits>, e: wasmtime::Error) -> Outcome {
    if e.is::<wasmtime::ThrownException>() {
        let Some(exn) = store.take_pending_exception() else {
            return Outcome::Error("thrown exception without a pending exception".into());
        };
        let n = exn.tag(&mut *store).map(|t| t.ty(&*store).ty().params().len()).unwrap_or_default();
        let payload = (0..n)
            .map(|i| match exn.field(&mut *store, i) {
                Ok(v) => from_val(store, &v),
                Err(_) => V::I32(i32::MIN),
            })
            .collect();
        return Outcome::Exception(payload);
    }
    if let Some(t) = e.downcast_ref::<Trap>() {
        return match TrapKind::from_wasmtime(*t) {
            Some(k) => Outcome::Trap(k),
            None => Outcome::Exhausted(t.to_string()),
        };
    }
    let text = format!("{e:#}");
    if text.contains("limit") || text.contains("exceeds") || text.contains("allocat") {
        return Outcome::Exhausted(text);
    }
    Outcome::Error(text)
}

fn from_val(store: &mut Store<StoreLimits>, v: &Val) -> V {
    match v {
        Val::I32(x) => V::I32(*x),
        Val::I64(x) => V::I64(*x),
        Val::F32(b) => V::F32(*b),
        Val::F64(b) => V::F64(*b),
        Val::FuncRef(f) => V::FuncRef(f.is_some()),
        Val::ExternRef(e) => V::ExternRef(e.as_ref().map(|e| extern_id(store, e))),
        Val::V128(x) => V::V128(x.as_u128()),
        Val::ExnRef(e) => V::ExnRef(e.is_some()),
        _ => V::I32(i32::MIN),
    }
}

fn extern_id(store: &mut Store<StoreLimits>, e: &wasmtime::Rooted<ExternRef>) -> u32 {
    e.data(&*store)
        .ok()
        .flatten()
        .and_then(|d| d.downcast_ref::<u32>().copied())
        .unwrap_or(u32::MAX)
}

fn to_val(store: &mut Store<StoreLimits>, v: &V) -> Val {
    match *v {
        V::I32(x) => Val::I32(x),
        V::I64(x) => Val::I64(x),
        V::F32(b) => Val::F32(b),
        V::F64(b) => Val::F64(b),
        V::FuncRef(_) => Val::FuncRef(None),
        V::ExnRef(_) => Val::ExnRef(None),
        V::V128(x) => Val::V128(x.into()),
        V::ExternRef(None) => Val::ExternRef(None),
        V::ExternRef(Some(id)) => {
            Val::ExternRef(Some(ExternRef::new(&mut *store, id).expect("externref allocation")))
        }
    }
}

impl crate::exec::Instance for WasmtimeInstance {
    fn call(&mut self, name: &str, args: &[V]) -> Outcome {
        let Some(f) = self.instance.get_func(&mut self.store, name) else {
            return Outcome::Error(format!("no function export {name}"));
        };
        let args: Vec<Val> = args.iter().map(|a| to_val(&mut self.store, a)).collect();
        let n = f.ty(&self.store).results().len();
        let mut results = vec![Val::I32(0); n];
        self.store.set_fuel(self.fuel).expect("fuel is enabled");
        match f.call(&mut self.store, &args, &mut results) {
            Ok(()) => Outcome::Ok(results.iter().map(|r| from_val(&mut self.store, r)).collect()),
            Err(e) => error_outcome(&mut self.store, e),
        }
    }

    fn snapshot(&mut self) -> Vec<(String, ExportState)> {
        let exports: Vec<(String, Extern)> = self
            .instance
            .exports(&mut self.store)
            .map(|e| (e.name().to_string(), e.into_extern()))
            .collect();
        exports
            .into_iter()
            .map(|(name, ext)| {
                let state = match ext {
                    Extern::Memory(m) => ExportState::Memory(m.data(&self.store).to_vec()),
                    Extern::SharedMemory(m) => ExportState::Memory(
                        // SAFETY: no wasm runs on another thread while the state is read
                        // (the differential target calls from this thread only).
                        m.data().iter().map(|b| unsafe { *b.get() }).collect(),
                    ),
                    Extern::Global(g) => {
                        let v = g.get(&mut self.store);
                        ExportState::Global(from_val(&mut self.store, &v))
                    }
                    Extern::Table(t) => {
                        let n = t.size(&self.store);
                        let elems = (0..n)
                            .map(|i| match t.get(&mut self.store, i) {
                                Some(Ref::Func(f)) => V::FuncRef(f.is_some()),
                                Some(Ref::Extern(e)) => {
                                    V::ExternRef(e.as_ref().map(|e| extern_id(&mut self.store, e)))
                                }
                                Some(Ref::Exn(e)) => V::ExnRef(e.is_some()),
                                _ => V::I32(-1),
                            })
                            .collect();
                        ExportState::Table(elems)
                    }
                    _ => ExportState::Func,
                };
                (name, state)
            })
            .collect()
    }
}

impl WasmtimeInstance {
    /// The instance's exported functions with their parameter types.
    pub fn func_exports(&self) -> Vec<crate::exec::FuncExport> {
        use crate::exec::{FuncExport, Ty};
        self.instance
            .module(&self.store)
            .exports()
            .filter_map(|e| {
                let f = e.ty().func()?.clone();
                let params = f
                    .params()
                    .map(|p| match p {
                        wasmtime::ValType::I32 => Ty::I32,
                        wasmtime::ValType::I64 => Ty::I64,
                        wasmtime::ValType::F32 => Ty::F32,
                        wasmtime::ValType::F64 => Ty::F64,
                        wasmtime::ValType::V128 => Ty::V128,
                        wasmtime::ValType::Ref(r) if r.heap_type().is_extern() => Ty::ExternRef,
                        wasmtime::ValType::Ref(r)
                            if matches!(
                                r.heap_type(),
                                wasmtime::HeapType::Exn | wasmtime::HeapType::NoExn
                            ) =>
                        {
                            Ty::ExnRef
                        }
                        _ => Ty::FuncRef,
                    })
                    .collect();
                Some(FuncExport { name: e.name().to_string(), params })
            })
            .collect()
    }
}
