//! A module ready to instantiate: metadata plus one engine's code for it.

use crate::interp::InterpModule;
use crate::module::ModuleInfo;
use crate::vm::CompiledModuleCode;
use std::sync::Arc;

/// The executable form of a module's functions.
#[derive(Debug)]
pub enum Code {
    /// Translated for the bundled interpreter.
    Interpreted(InterpModule),
    /// Native code from the compiler (or, later, a loaded artifact).
    Compiled(CompiledModuleCode),
}

/// A decoded, validated module with its code: what instantiation takes. `Send + Sync`, so
/// one module can be shared by runtimes on several threads.
#[derive(Debug)]
pub struct Module {
    /// Metadata shared by both engines.
    pub info: Arc<ModuleInfo>,
    /// The executable code.
    pub code: Code,
}

impl Module {
    /// The interpreter's translation, when this module runs on the interpreter.
    pub fn interp(&self) -> Option<&InterpModule> {
        match &self.code {
            Code::Interpreted(m) => Some(m),
            Code::Compiled(_) => None,
        }
    }

    /// The native code, when this module runs compiled.
    pub fn compiled(&self) -> Option<&CompiledModuleCode> {
        match &self.code {
            Code::Compiled(c) => Some(c),
            Code::Interpreted(_) => None,
        }
    }
}
