//! Function listeners, the engine side (wazero's `experimental.FunctionListener`): hooks
//! called when a listened wasm function is entered, returns, or is unwound, and the store's
//! shadow stack of listened frames.
//!
//! Listening is a code setting ([`crate::interp::Checks::listeners`], and the compiler's
//! `listeners` setting): code translated with it calls the listener hooks at every
//! function entry (`before`, with the parameters) and before every return (`after`, with
//! the results), and turns tail calls into a call followed by a return, so that every
//! frame ends with `after` or `abort`. Code without it has no hook at all. At
//! instantiation the store's [`ListenerFactory`] gives each defined function its hooks or
//! none ([`crate::instance::InstanceData::listener`]); an entry hook finding none costs a
//! table load and a branch.
//!
//! Host functions are listened in their one entry, `host_array_call`
//! ([`super::host_func`]), with hooks a host module's registration gives them.
//!
//! The store keeps one entry per listened frame running ([`Store::listened_depth`]). A
//! frame that does not return is aborted, innermost first: when an exception is caught,
//! the catching frame aborts the listened frames above it (the interpreter as it drops
//! them, compiled code at the landing pad from the depth it had at its entry); when a trap,
//! an exit or an uncaught exception ends an engine's run (the host-to-wasm entry of
//! compiled code, an interpreter run), that run aborts those it leaves.

use super::Store;
use crate::error::Unwind;
use crate::module::ModuleInfo;
use crate::vm::ValRaw;
use std::any::Any;
use std::sync::Arc;

/// Why a listened frame did not return.
#[derive(Clone, Copy, Debug)]
pub enum AbortCause<'a> {
    /// The run it belongs to ends with this trap, exit or uncaught exception.
    Unwind(&'a Unwind),
    /// An exception passed through it and was caught by a frame further out.
    ExceptionCaught,
}

/// The hooks of one listened function (the `kiln` facade adapts its public
/// `FunctionListener` to this). Called on the thread running the wasm, under the store
/// lock; a hook must not call wasm of the same store (such a call traps: a host-error trap,
/// `a function listener called wasm of its own runtime`). A hook that panics in `before` or
/// `after` traps the wasm that called it (a host-error trap, `function listener panicked:
/// ...`); a panic in `abort` is caught and ignored (the frames are being unwound already).
pub trait FunctionHooks: Send + Sync {
    /// The function was entered with `params` (one slot per parameter). `stack` is the
    /// store's listened frames, outermost first, this one last.
    fn before(&self, store: &Store, params: &[ValRaw], stack: &[Arc<dyn FunctionHooks>]);
    /// The function returns `results` (one slot per result).
    fn after(&self, store: &Store, results: &[ValRaw]);
    /// The frame is unwound (see [`AbortCause`]).
    fn abort(&self, store: &Store, cause: AbortCause<'_>);
    /// The hooks as [`Any`], so the facade finds its own type behind a stack entry.
    fn as_any(&self) -> &dyn Any;
}

/// Gives the functions of each new instance their hooks (the facade adapts its public
/// `FunctionListenerFactory`).
pub trait ListenerFactory: Send + Sync {
    /// The hooks of function `func_index` (a defined function of `module`) of an instance
    /// named `instance_name`, or `None` when it is not listened.
    fn hooks(
        &self,
        instance_name: Option<&str>,
        module: &ModuleInfo,
        func_index: u32,
    ) -> Option<Arc<dyn FunctionHooks>>;

    /// The hooks of host function `name` of type `ty`, the `index`th function (from 0, in
    /// the order they were added) of the host module `module_name`, or `None` when it is
    /// not listened.
    fn host_hooks(
        &self,
        module_name: &str,
        index: u32,
        name: &str,
        ty: &crate::types::FuncType,
    ) -> Option<Arc<dyn FunctionHooks>>;
}

impl Store {
    /// Installs the factory asked for the hooks of every function of later instances.
    pub fn set_listener_factory(&self, factory: Option<Arc<dyn ListenerFactory>>) {
        *self.listener_factory.borrow_mut() = factory;
    }

    /// The listener factory, if any.
    pub fn listener_factory(&self) -> Option<Arc<dyn ListenerFactory>> {
        self.listener_factory.borrow().clone()
    }

    /// How many listened frames are running.
    #[inline]
    pub fn listened_depth(&self) -> usize {
        self.listened.borrow().len()
    }

    /// Enters a listened frame: pushes it and calls its `before` hook with `params`.
    ///
    /// # Errors
    /// The trap to raise when the hook panics (the frame stays entered, so the trap
    /// aborts it).
    pub fn listen_before(
        &self,
        hooks: &Arc<dyn FunctionHooks>,
        params: &[ValRaw],
    ) -> Result<(), Unwind> {
        self.listened.try_borrow_mut().map_err(|_| reentered())?.push(hooks.clone());
        caught(|| {
            let stack = self.listened.borrow();
            hooks.before(self, params, &stack);
        })
    }

    /// Leaves the innermost listened frame normally: pops it and calls its `after` hook.
    ///
    /// # Errors
    /// The trap to raise when the hook panics.
    pub fn listen_after(&self, results: &[ValRaw]) -> Result<(), Unwind> {
        let top = self.listened.try_borrow_mut().map_err(|_| reentered())?.pop();
        match top {
            Some(hooks) => caught(|| hooks.after(self, results)),
            None => Ok(()),
        }
    }

    /// Aborts the listened frames above `depth`, innermost first, for `cause`.
    pub fn abort_listened(&self, depth: usize, cause: AbortCause<'_>) {
        loop {
            // A store whose stack is borrowed (wasm called from inside a listener) entered
            // no frame above `depth` (see `reentered`).
            let top = match self.listened.try_borrow_mut() {
                Ok(mut stack) if stack.len() > depth => stack.pop(),
                _ => return,
            };
            if let Some(hooks) = top {
                // Ignored: the frames are being unwound for `cause` already.
                let _ = caught(|| hooks.abort(self, cause));
            }
        }
    }
}

/// Runs a hook, turning its panic into the trap it raises.
fn caught(hook: impl FnOnce()) -> Result<(), Unwind> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(hook))
        .map_err(|panic| Unwind::Trap(crate::Trap::host_panic("function listener", &*panic)))
}

/// The trap of wasm called from inside a listener of its own store: the listened stack is
/// in use, so the call enters no listened frame.
fn reentered() -> Unwind {
    Unwind::Trap(crate::Trap::host("a function listener called wasm of its own runtime"))
}
