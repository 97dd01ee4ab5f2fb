//! Compiled modules: decoded, validated and ready to instantiate any number of times.

use crate::error::Error;
use kiln_runtime_support::artifact::{BoundsMode, CodeSettings};
use kiln_runtime_support::engine::Module;
use kiln_runtime_support::interp::Checks;
use kiln_runtime_support::types::ExternType;
use std::sync::Arc;

/// An import a module declares.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportType {
    /// The module name imported from.
    pub module: String,
    /// The field name.
    pub name: String,
    /// The expected type.
    pub ty: ExternType,
}

/// An export a module declares.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportType {
    /// The export name.
    pub name: String,
    /// Its type (as declared; memories and tables report their declared minimum).
    pub ty: ExternType,
}

/// A module compiled for one engine (wazero's `CompiledModule`), or loaded from an
/// artifact. Cheap to clone; `Send` and `Sync`, so it can be shared with runtimes on other
/// threads.
#[derive(Clone)]
pub struct CompiledModule {
    pub(crate) inner: Arc<Module>,
    /// The artifact this module was loaded from (the mapped file or a copy of the bytes)
    /// and its header.
    pub(crate) artifact: Option<crate::artifact::LoadedFrom>,
    /// The code settings the module's code was made with: its entry and loop-header checks
    /// (epoch deadline, fuel, listener hooks) on either engine, and, for native code, the
    /// bounds checks it relies on. A runtime instantiates it only when they match its own
    /// ([`CompiledModule::check_settings`]).
    pub(crate) settings: CodeSettings,
    /// The CPU features native code may use (interpreted code: the runtime's setting,
    /// unused).
    pub(crate) cpu: crate::CpuTarget,
}

impl std::fmt::Debug for CompiledModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledModule")
            .field("inner", &self.inner)
            .field("from_artifact", &self.artifact.is_some())
            .finish()
    }
}

impl CompiledModule {
    /// The entry and loop-header checks the module's code carries.
    #[cfg_attr(not(feature = "compiler"), allow(dead_code))]
    pub(crate) fn checks(&self) -> Checks {
        Checks {
            interruption: self.settings.epoch_interruption,
            fuel: self.settings.fuel,
            listeners: self.settings.listeners,
        }
    }

    /// Checks that a runtime whose code must have `here` settings can run this module: the
    /// same checks (code without fuel checks in a runtime with fuel would not be metered,
    /// code without listener hooks not listened), and, for native code that accesses a
    /// memory and leaves bounds checks to guard pages, memories with those guard pages
    /// (code with explicit bounds checks, code without memories and interpreted code run
    /// in any runtime).
    ///
    /// # Errors
    /// [`Error::IncompatibleModule`] naming what differs.
    pub(crate) fn check_settings(&self, here: &CodeSettings) -> Result<(), Error> {
        let mut found = self.settings;
        if self.inner.compiled().is_none()
            || self.inner.info.memories.is_empty()
            || found.bounds_checks == BoundsMode::Explicit
        {
            found.bounds_checks = here.bounds_checks;
            found.guard_bytes = here.guard_bytes;
        }
        if found == *here {
            Ok(())
        } else {
            Err(Error::IncompatibleModule { found, expected: *here })
        }
    }

    /// The module's name from its name section, if any.
    pub fn name(&self) -> Option<&str> {
        self.inner.info.names.module.as_deref()
    }

    /// The imports, in declaration order.
    pub fn imports(&self) -> Vec<ImportType> {
        let info = &self.inner.info;
        info.imports
            .iter()
            .map(|i| ImportType {
                module: i.module.clone(),
                name: i.name.clone(),
                ty: info.entity_type(i.index),
            })
            .collect()
    }

    /// The exports, in declaration order.
    pub fn exports(&self) -> Vec<ExportType> {
        let info = &self.inner.info;
        info.exports
            .iter()
            .map(|e| ExportType { name: e.name.clone(), ty: info.entity_type(e.index) })
            .collect()
    }

    /// Custom sections kept when [`crate::RuntimeConfig::with_custom_sections`] is on, as
    /// `(name, payload)` in module order.
    pub fn custom_sections(&self) -> impl Iterator<Item = (&str, &[u8])> {
        let info = &self.inner.info;
        info.custom_sections.iter().map(move |s| (s.name.as_str(), info.custom_section_data(s)))
    }

    /// The name-section name of function `index`, if present.
    pub fn function_name(&self, index: u32) -> Option<&str> {
        self.inner.info.func_name(index)
    }

    /// Whether the module runs native code (compiled in process or loaded from an
    /// artifact) rather than on the interpreter.
    pub fn is_native(&self) -> bool {
        self.inner.compiled().is_some()
    }

    /// For a module run by the interpreter, how many of its defined functions have been
    /// translated so far: each is translated on its first call, unless
    /// [`crate::RuntimeConfig::with_eager_translation`] translated all of them at compile
    /// time. `None` for a module that runs native code.
    pub fn translated_functions(&self) -> Option<usize> {
        self.inner.interp().map(|m| m.num_translated())
    }

    /// Whether the module was loaded from an artifact.
    pub fn is_from_artifact(&self) -> bool {
        self.artifact.is_some()
    }

    /// The engine-level module (for the compiler and loader crates).
    pub fn engine_module(&self) -> &Arc<Module> {
        &self.inner
    }
}
