//! wasmtime (the peer of Kiln's compiled engine) running one workload.

use crate::{Runner, Workload};

/// A workload compiled and instantiated on wasmtime (default Cranelift settings, no fuel or
/// epoch checks).
pub struct WasmtimeRunner {
    store: wasmtime::Store<()>,
    func: wasmtime::TypedFunc<i32, i32>,
}

impl WasmtimeRunner {
    /// Compiles and instantiates `w` on `engine`.
    ///
    /// # Errors
    /// Compilation, instantiation or export lookup failures, as text.
    pub fn new(engine: &wasmtime::Engine, w: &Workload) -> Result<Self, String> {
        let module = wasmtime::Module::new(engine, &w.wasm).map_err(|e| e.to_string())?;
        Self::instantiate(engine, &module, &w.export)
    }

    /// Instantiates an already compiled `module` and looks up `export: (i32) -> i32`.
    ///
    /// # Errors
    /// Instantiation or export lookup failures, as text.
    pub fn instantiate(
        engine: &wasmtime::Engine,
        module: &wasmtime::Module,
        export: &str,
    ) -> Result<Self, String> {
        let mut store = wasmtime::Store::new(engine, ());
        let instance =
            wasmtime::Instance::new(&mut store, module, &[]).map_err(|e| e.to_string())?;
        let func =
            instance.get_typed_func::<i32, i32>(&mut store, export).map_err(|e| e.to_string())?;
        Ok(Self { store, func })
    }
}

impl Runner for WasmtimeRunner {
    fn call(&mut self, arg: i32) -> Result<i32, String> {
        self.func.call(&mut self.store, arg).map_err(|e| e.to_string())
    }
}
