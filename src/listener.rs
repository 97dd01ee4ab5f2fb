//! Function listeners (wazero's `experimental.FunctionListenerFactory`): observe every call
//! of chosen wasm functions, with its parameters, results, the call stack of listened
//! frames, and the frames a trap, an exit or an exception unwinds.
//!
//! A [`FunctionListenerFactory`] given to [`crate::RuntimeConfig::with_function_listener_factory`]
//! is asked once per defined function of every instance the runtime creates, with its
//! [`FunctionDefinition`], and returns the [`FunctionListener`] of that function or `None`.
//! Then, on both engines:
//! - [`FunctionListener::before`] runs when the function is entered, before its first
//!   instruction, with its parameters and a [`StackIterator`] over the listened frames
//!   running (this one first);
//! - [`FunctionListener::after`] runs when it returns, with its results;
//! - [`FunctionListener::abort`] runs instead when its frame is unwound ([`Abort`]): by a
//!   trap (including a host function's error), a WASI exit, or an exception that leaves it
//!   (when an outer frame catches the exception, or when it leaves wasm). Frames are
//!   aborted innermost first, each exactly once.
//!
//! Every listened call thus gets `before` and then exactly one of `after` or `abort`, in
//! stack order.
//!
//! Host functions are listened too (wazero listens its Go functions): the factory is asked
//! about each function of a host module ([`crate::HostModuleBuilder`], and the WASI
//! modules) when the module is registered, with a definition whose
//! [`FunctionDefinition::is_host`] is true, whose index is the function's position in its
//! host module (from 0, in the order they were added) and whose name is its export name.
//! A listened host function's frame is in the [`StackIterator`] like a wasm function's; a
//! host function made by [`crate::Func::wrap`] and used outside a host module is not
//! listened.
//!
//! Cost: listening is a code setting. A runtime without a factory translates and compiles
//! code with no hook at all. With a factory, every function's code calls a hook at its
//! entry and before each return (an unlistened function's hook is a table lookup); in
//! such code a tail call (`return_call`, `return_call_indirect`, `return_call_ref`) is
//! made as a call followed by a return, so that the caller's frame ends with `after` (the
//! price: tail-recursive loops use stack while listened, and may trap `call stack
//! exhausted`). A module compiled by a runtime without a factory cannot be instantiated
//! in one with a factory, nor the other way round ([`crate::Error::IncompatibleModule`]);
//! an artifact compiled without listener hooks (see [`crate::aot::AotOptions::listeners`])
//! is refused by a runtime with a factory when it is loaded, and the other way round, with
//! [`crate::ArtifactError::Settings`] naming the setting.
//!
//! Listeners run on the thread running the wasm, under the runtime's lock: they may read
//! the runtime's state but must not call wasm of the same runtime (a listened function so
//! called traps with a host error, `a function listener called wasm of its own runtime`).
//! A listener that panics in `before` or `after` traps the wasm that called it
//! (`function listener panicked: ...`); a panic in `abort` is ignored.
//!
//! ```
//! use kiln::{FunctionDefinition, FunctionListener, FunctionListenerFactory, StackIterator, Val};
//! use std::sync::{Arc, Mutex};
//!
//! struct Log(Mutex<Vec<String>>);
//! impl FunctionListener for Log {
//!     fn before(&self, def: &FunctionDefinition, params: &[Val], stack: &mut StackIterator<'_>) {
//!         let depth = stack.len();
//!         self.0.lock().unwrap().push(format!("{}{}{params:?}", " ".repeat(depth - 1), def.debug_name()));
//!     }
//!     fn after(&self, def: &FunctionDefinition, results: &[Val]) {
//!         self.0.lock().unwrap().push(format!("{} -> {results:?}", def.debug_name()));
//!     }
//! }
//! struct Factory(Arc<Log>);
//! impl FunctionListenerFactory for Factory {
//!     fn new_listener(&self, _def: &FunctionDefinition) -> Option<Arc<dyn FunctionListener>> {
//!         Some(self.0.clone())
//!     }
//! }
//!
//! let log = Arc::new(Log(Mutex::new(Vec::new())));
//! let config = kiln::RuntimeConfig::interpreter()
//!     .with_function_listener_factory(Arc::new(Factory(log.clone())));
//! let rt = kiln::Runtime::with_config(config);
//! let wasm = wat::parse_str(r#"(module $m
//!     (func $inc (param i32) (result i32) local.get 0 i32.const 1 i32.add)
//!     (func (export "two") (result i32) i32.const 1 call $inc))"#).unwrap();
//! let two = rt.instantiate_wasm(&wasm).unwrap().typed_func::<(), i32>("two").unwrap();
//! assert_eq!(two.call(()).unwrap(), 2);
//! assert_eq!(*log.0.lock().unwrap(), [
//!     "m.$1[]", " m.inc[I32(1)]", "m.inc -> [I32(2)]", "m.$1 -> [I32(2)]",
//! ]);
//! ```

use crate::error::{ExitError, Trap};
use crate::val::Val;
use kiln_runtime_support::error::Unwind;
use kiln_runtime_support::module::ModuleInfo;
use kiln_runtime_support::types::FuncType;
use kiln_runtime_support::vm::listener::{AbortCause, FunctionHooks, ListenerFactory};
use kiln_runtime_support::vm::{Store, ValRaw};
use std::any::Any;
use std::sync::Arc;

/// A function as a listener sees it. For a function a module defines: the instance's
/// module name, the function's index in the module's function index space (imports
/// first), its name from the name section, and its type. For a host function: the host
/// module's name, the function's position in it, its export name, and its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionDefinition {
    module_name: Option<String>,
    index: u32,
    name: Option<String>,
    ty: FuncType,
    host: bool,
}

impl FunctionDefinition {
    /// The name of the instance the function belongs to (as given at instantiation, else
    /// the module's name section), if any.
    pub fn module_name(&self) -> Option<&str> {
        self.module_name.as_deref()
    }

    /// The function's index in its module's function index space (imported functions
    /// first); for a host function, its position in its host module (from 0).
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The function's name from the module's name section, if any; a host function's
    /// export name.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Whether this is a host function (of a [`crate::HostModuleBuilder`] module or of
    /// WASI) rather than a function a wasm module defines.
    pub fn is_host(&self) -> bool {
        self.host
    }

    /// The function's type.
    pub fn func_type(&self) -> &FuncType {
        &self.ty
    }

    /// `module.name` as wazero prints it: the module name (empty when none), a dot, and
    /// the function's name, or `$index` when it has none.
    pub fn debug_name(&self) -> String {
        let func = match &self.name {
            Some(n) => n.clone(),
            None => format!("${}", self.index),
        };
        format!("{}.{func}", self.module_name.as_deref().unwrap_or(""))
    }
}

/// Why a listened frame did not return ([`FunctionListener::abort`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum Abort<'a> {
    /// A trap unwinds it: a wasm trap, or a host function's error (a
    /// [`crate::TrapCode::HostError`] trap keeping the error, see [`Trap::host_error`]).
    Trap(&'a Trap),
    /// The guest exits (WASI `proc_exit`) with this code.
    Exit(u32),
    /// An exception passes through it: caught by an outer wasm frame, or leaving wasm to
    /// the host ([`crate::Error::Exception`]).
    Exception,
}

/// Decides which functions are listened, and by which listener ([`crate::listener`]).
pub trait FunctionListenerFactory: Send + Sync {
    /// The listener of function `def`, or `None` to leave it unlistened. Asked once per
    /// defined function of each instance, when it is instantiated.
    fn new_listener(&self, def: &FunctionDefinition) -> Option<Arc<dyn FunctionListener>>;
}

/// Observes the calls of listened functions ([`crate::listener`]).
pub trait FunctionListener: Send + Sync {
    /// The function `def` is entered with `params`. `stack` walks the listened frames
    /// running, innermost (this call) first.
    fn before(&self, def: &FunctionDefinition, params: &[Val], stack: &mut StackIterator<'_>);

    /// The function `def` returns `results`.
    fn after(&self, def: &FunctionDefinition, results: &[Val]);

    /// The frame of `def` is unwound without returning, for `reason`. Default: nothing.
    fn abort(&self, def: &FunctionDefinition, reason: &Abort<'_>) {
        let _ = (def, reason);
    }
}

/// The listened frames running when a listened function is entered, innermost first
/// (wazero's `experimental.StackIterator`); frames of unlisted functions are not in it.
pub struct StackIterator<'a> {
    frames: std::iter::Rev<std::slice::Iter<'a, Arc<dyn FunctionHooks>>>,
}

impl<'a> Iterator for StackIterator<'a> {
    type Item = &'a FunctionDefinition;

    fn next(&mut self) -> Option<Self::Item> {
        self.frames.next().map(|h| &definition_of(h.as_ref()).def)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.frames.size_hint()
    }
}

impl ExactSizeIterator for StackIterator<'_> {}

/// The facade's hooks behind a listened function: its definition and listener.
struct Hooks {
    def: FunctionDefinition,
    listener: Arc<dyn FunctionListener>,
}

/// The [`Hooks`] behind a stack entry (every entry of a store is the facade's).
fn definition_of(h: &dyn FunctionHooks) -> &Hooks {
    h.as_any().downcast_ref::<Hooks>().expect("the facade installs every listener hook")
}

/// `raw` as values of `types`.
fn vals(store: &Store, raw: &[ValRaw], types: &[kiln_runtime_support::types::ValType]) -> Vec<Val> {
    let store = store.arc();
    raw.iter().zip(types).map(|(r, t)| Val::from_raw(&store, *r, *t)).collect()
}

impl FunctionHooks for Hooks {
    fn before(&self, store: &Store, params: &[ValRaw], stack: &[Arc<dyn FunctionHooks>]) {
        let params = vals(store, params, self.def.ty.params());
        let mut stack = StackIterator { frames: stack.iter().rev() };
        self.listener.before(&self.def, &params, &mut stack);
    }

    fn after(&self, store: &Store, results: &[ValRaw]) {
        let results = vals(store, results, self.def.ty.results());
        self.listener.after(&self.def, &results);
    }

    fn abort(&self, _store: &Store, cause: AbortCause<'_>) {
        let reason = match cause {
            AbortCause::Unwind(Unwind::Trap(t)) => Abort::Trap(t),
            AbortCause::Unwind(Unwind::Exit(ExitError { code })) => Abort::Exit(*code),
            AbortCause::Unwind(Unwind::Exception(_)) | AbortCause::ExceptionCaught => {
                Abort::Exception
            }
        };
        self.listener.abort(&self.def, &reason);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The runtime's [`FunctionListenerFactory`] as the store's [`ListenerFactory`].
pub(crate) struct Factory(pub(crate) Arc<dyn FunctionListenerFactory>);

impl ListenerFactory for Factory {
    fn hooks(
        &self,
        instance_name: Option<&str>,
        module: &ModuleInfo,
        func_index: u32,
    ) -> Option<Arc<dyn FunctionHooks>> {
        let def = FunctionDefinition {
            module_name: instance_name.map(str::to_string),
            index: func_index,
            name: module.func_name(func_index).map(str::to_string),
            ty: module.func_type(func_index).clone(),
            host: false,
        };
        let listener = self.0.new_listener(&def)?;
        Some(Arc::new(Hooks { def, listener }))
    }

    fn host_hooks(
        &self,
        module_name: &str,
        index: u32,
        name: &str,
        ty: &FuncType,
    ) -> Option<Arc<dyn FunctionHooks>> {
        let def = FunctionDefinition {
            module_name: Some(module_name.to_string()),
            index,
            name: Some(name.to_string()),
            ty: ty.clone(),
            host: true,
        };
        let listener = self.0.new_listener(&def)?;
        Some(Arc::new(Hooks { def, listener }))
    }
}
