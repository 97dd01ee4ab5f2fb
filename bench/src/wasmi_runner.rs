//! wasmi (the peer of Kiln's interpreter) running one workload, in this process. Kept free
//! of Kiln so that `wasmi-kernel` (src/bin/wasmi_kernel.rs) can include it.

use crate::timing::{Runner, Workload};

/// wasmi running one workload.
pub struct WasmiRunner {
    store: wasmi::Store<()>,
    func: wasmi::TypedFunc<i32, i32>,
}

impl WasmiRunner {
    /// Compiles and instantiates `w` on wasmi (default configuration).
    ///
    /// # Errors
    /// Compilation, instantiation or export lookup failures, as text.
    pub fn new(w: &Workload) -> Result<Self, String> {
        let engine = wasmi::Engine::default();
        let module = wasmi::Module::new(&engine, &w.wasm).map_err(|e| e.to_string())?;
        let mut store = wasmi::Store::new(&engine, ());
        let linker = wasmi::Linker::<()>::new(&engine);
        let instance =
            linker.instantiate_and_start(&mut store, &module).map_err(|e| e.to_string())?;
        let func =
            instance.get_typed_func::<i32, i32>(&store, &w.export).map_err(|e| e.to_string())?;
        Ok(Self { store, func })
    }
}

impl Runner for WasmiRunner {
    fn call(&mut self, arg: i32) -> Result<i32, String> {
        self.func.call(&mut self.store, arg).map_err(|e| e.to_string())
    }
}
