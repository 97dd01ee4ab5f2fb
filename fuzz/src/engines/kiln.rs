//! Kiln's side of the differential target: one fresh runtime per instance, on the
//! interpreter, on the compiler in process, or on the compiler through an artifact
//! (`kiln::aot::compile_artifact` then `Runtime::load_artifact_bytes`).

use super::{CALL_BUDGET, MEMORY_LIMIT_PAGES, watchdog};
use crate::exec::{ExportState, Outcome, TrapKind, V};
use kiln::aot::{AotOptions, Emit};
use kiln::{Error, Extern, ExternRef, ModuleConfig, Runtime, RuntimeConfig, Val};

/// Which Kiln path runs the module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    /// The bundled interpreter.
    Interpreter,
    /// Compiled natively in process (`Runtime::compile` on the compiler engine), for this
    /// host's CPU features (the runtime's default `CpuTarget::Native`: AVX, BMI, ... where
    /// the host has them).
    Compiled,
    /// Compiled to an artifact of this kind for the baseline CPU (x86-64-v2, armv8.0-a),
    /// then loaded from its bytes: with [`Path::Compiled`], both instruction selections.
    Artifact(Emit),
}

/// A Kiln instance and the runtime that owns it.
pub struct KilnInstance {
    // Field order: the instance handle drops before its runtime.
    inst: kiln::Instance,
    rt: Option<Runtime>,
    interruption: bool,
}

/// The runtime configuration of `path`.
pub fn config(path: Path, interruption: bool) -> RuntimeConfig {
    let base = match path {
        Path::Interpreter => RuntimeConfig::interpreter(),
        Path::Compiled | Path::Artifact(_) => RuntimeConfig::compiler(),
    };
    base.with_core_features(crate::smith::KILN_FEATURES)
        .with_memory_limit_pages(MEMORY_LIMIT_PAGES)
        .with_interruption(interruption)
}

/// Compiles `wasm` on `path` in `rt`.
///
/// # Errors
/// The compile (or artifact) error.
pub fn compile(
    rt: &Runtime,
    wasm: &[u8],
    path: Path,
    interruption: bool,
) -> Result<kiln::CompiledModule, Error> {
    match path {
        Path::Interpreter | Path::Compiled => rt.compile(wasm),
        Path::Artifact(emit) => {
            let features = crate::smith::KILN_FEATURES;
            let opts = AotOptions { emit, interruption, features, ..AotOptions::default() };
            let bytes = kiln::aot::compile_artifact(wasm, &opts)?;
            // SAFETY: `bytes` was just written by this process's own compiler from `wasm`.
            unsafe { rt.load_artifact_bytes_unsigned(&bytes) }
        }
    }
}

/// Instantiates `wasm` on `path`. With `interruption`, calls (and the start function) are
/// interrupted after [`CALL_BUDGET`].
///
/// # Errors
/// The outcome of a failed compilation or instantiation.
pub fn instantiate(wasm: &[u8], path: Path, interruption: bool) -> Result<KilnInstance, Outcome> {
    let rt = Runtime::with_config(config(path, interruption));
    let module = compile(&rt, wasm, path, interruption)
        .map_err(|e| Outcome::Error(format!("compile: {e}")))?;
    let cfg = ModuleConfig::new().with_name("").with_start_functions(Vec::<String>::new());
    let _armed = interruption.then(|| watchdog::arm(rt.interrupt_handle(), CALL_BUDGET));
    match rt.instantiate(&module, cfg) {
        Ok(inst) => Ok(KilnInstance { inst, rt: Some(rt), interruption }),
        Err(e) => Err(error_outcome(e)),
    }
}

fn error_outcome(e: Error) -> Outcome {
    match e {
        Error::Trap(t) => match TrapKind::from_kiln(t.code()) {
            Some(k) => Outcome::Trap(k),
            None => Outcome::Exhausted(t.to_string()),
        },
        Error::Resource(r) => Outcome::Exhausted(format!("resource: {r}")),
        Error::Exception(x) => Outcome::Exception(x.payload().iter().map(from_val).collect()),
        e => Outcome::Error(e.to_string()),
    }
}

/// A fuzzer value as a Kiln value.
pub fn to_val(v: &V) -> Val {
    match *v {
        V::I32(x) => Val::I32(x),
        V::I64(x) => Val::I64(x),
        V::F32(b) => Val::F32(f32::from_bits(b)),
        V::F64(b) => Val::F64(f64::from_bits(b)),
        // Only null funcrefs are passed in (a function of another engine has no meaning here).
        V::FuncRef(_) => Val::FuncRef(None),
        V::ExternRef(id) => Val::ExternRef(id.map(ExternRef::new)),
        V::ExnRef(_) => Val::ExnRef(None),
        V::V128(x) => Val::V128(kiln::V128::from(x)),
    }
}

/// A Kiln value as a fuzzer value.
pub fn from_val(v: &Val) -> V {
    match v {
        Val::I32(x) => V::I32(*x),
        Val::I64(x) => V::I64(*x),
        Val::F32(x) => V::F32(x.to_bits()),
        Val::F64(x) => V::F64(x.to_bits()),
        Val::FuncRef(f) => V::FuncRef(f.is_some()),
        Val::V128(x) => V::V128(x.bits()),
        Val::ExternRef(e) => {
            V::ExternRef(e.as_ref().map(|e| e.downcast_ref::<u32>().copied().unwrap_or(u32::MAX)))
        }
        Val::ExnRef(e) => V::ExnRef(e.is_some()),
    }
}

impl crate::exec::Instance for KilnInstance {
    fn call(&mut self, name: &str, args: &[V]) -> Outcome {
        let Some(f) = self.inst.exported_function(name) else {
            return Outcome::Error(format!("no function export {name}"));
        };
        let args: Vec<Val> = args.iter().map(to_val).collect();
        let _armed = match (&self.rt, self.interruption) {
            (Some(rt), true) => Some(watchdog::arm(rt.interrupt_handle(), CALL_BUDGET)),
            _ => None,
        };
        match f.call(&args) {
            Ok(results) => Outcome::Ok(results.iter().map(from_val).collect()),
            Err(e) => error_outcome(e),
        }
    }

    fn snapshot(&mut self) -> Vec<(String, ExportState)> {
        let names: Vec<String> = self.inst.export_names().map(str::to_string).collect();
        names
            .into_iter()
            .map(|name| {
                let state = match self.inst.get_export(&name) {
                    Some(Extern::Memory(m)) => ExportState::Memory(
                        m.read_vec(0, m.data_size() as usize).unwrap_or_default(),
                    ),
                    Some(Extern::Global(g)) => ExportState::Global(from_val(&g.get())),
                    Some(Extern::Table(t)) => ExportState::Table(
                        (0..t.size())
                            .map(|i| t.get(i).map_or(V::I32(-1), |v| from_val(&v)))
                            .collect(),
                    ),
                    Some(Extern::SharedMemory(m)) => {
                        let mut bytes = vec![0; m.data_size() as usize];
                        m.read(0, &mut bytes)
                            .map_or(ExportState::Func, |()| ExportState::Memory(bytes))
                    }
                    // Functions and tags: compared by presence.
                    Some(Extern::Func(_) | Extern::Tag(_)) | None => ExportState::Func,
                };
                (name, state)
            })
            .collect()
    }
}

impl KilnInstance {
    /// Wraps an instance made elsewhere (its runtime stays alive through the instance's
    /// store; calls are not interrupted).
    pub fn from_parts(inst: kiln::Instance) -> Self {
        KilnInstance { inst, rt: None, interruption: false }
    }
}
