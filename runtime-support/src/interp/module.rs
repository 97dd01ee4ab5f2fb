//! The interpreter's form of a module: one slot per defined function, which holds the
//! function's translation ([`CompiledFunc`]) once it is made, shared by every instance of
//! the module (a function is translated at most once per module and kept once).
//!
//! When functions are translated is the [`Translation`] policy. Either way, decoding has
//! already validated every function body (wasmparser), so invalid code is a compile-time
//! error even in a function that is never called. What translation alone can refuse:
//! - an operator of a proposal the interpreter does not translate. A module validated with
//!   only [`TRANSLATED_FEATURES`] cannot contain one, so such modules may be translated
//!   lazily; a module validated with any other feature is translated eagerly, so that the
//!   refusal stays a compile-time error;
//! - a function too large for the interpreter's slot numbering or constant pools (its
//!   locals, frame or distinct `v128` constants). Lazily, that is reported when the
//!   function is first called, as a trap; eagerly, at compile time.

use super::ir::{CompiledFunc, Instr};
use super::translate::translate_function;
use crate::error::CompileError;
use crate::features::CoreFeatures;
use crate::module::ModuleInfo;
use std::fmt;
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

/// When the interpreter translates a module's functions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Translation {
    /// Each function on its first call (the default): compiling a module costs its
    /// validation only, and functions that never run are never translated. A function too
    /// large for the interpreter traps when first called.
    #[default]
    Lazy,
    /// Every function when the module is compiled, so that every translation error is a
    /// compile-time error.
    Eager,
}

/// The core features whose operators the interpreter translates, all of them (the proposal
/// groups `by_proposal!` in `translate::proposals` marks translated, and the memory
/// operands it accepts): WebAssembly 2.0, relaxed SIMD, tail calls, typed function
/// references, extended constant expressions (which add no operator), multi-memory,
/// memory64, exception handling (standard and legacy) and threads: [`CoreFeatures::V3`]. A
/// feature added to
/// [`CoreFeatures`] belongs here once the interpreter translates its operators; until then,
/// modules validated with it are translated eagerly.
pub const TRANSLATED_FEATURES: CoreFeatures = CoreFeatures::V3;

/// One defined function's translation, or the translator's refusal, once made: 16 bytes
/// per function until then (boxed, as most functions of a large program never run: clang,
/// compiling one C file, translates 21,000 of its 128,000), and at an address that does not
/// move once made.
pub(super) struct FuncSlot(OnceLock<Box<Result<CompiledFunc, CompileError>>>);

const _: () = assert!(size_of::<FuncSlot>() <= 16);

impl FuncSlot {
    /// The translation, when it has been made (and succeeded).
    #[inline(always)]
    pub(super) fn get(&self) -> Option<&CompiledFunc> {
        match self.0.get().map(|b| &**b) {
            Some(Ok(f)) => Some(f),
            _ => None,
        }
    }
}

/// What the interpreter's `call` and `call_indirect` read to enter a defined function in
/// the common case, one per function in a dense array beside the slots (32 bytes, two to a
/// cache line; a call used to touch its callee's [`FuncSlot`] and translation): published
/// once the function is translated, when it qualifies (at most 8 locals besides its
/// parameters, no constant slots). The other fields are written before `func`, which is
/// stored with release ordering; readers load `func` with acquire ordering first.
#[repr(align(32))]
#[derive(Default)]
pub(super) struct CallTarget {
    /// The translation, once made and when it qualifies; null otherwise.
    pub func: AtomicPtr<CompiledFunc>,
    /// Its first instruction.
    pub code: AtomicPtr<Instr>,
    /// The slots its frame needs from its base: the larger of its frame size and its
    /// parameter slots plus the 8 local slots the calling handler zeroes.
    pub room: AtomicU32,
    /// Its parameter slots (the zeroed locals start there).
    pub params: AtomicU32,
}

impl CallTarget {
    /// Publishes `f`, the translation of this target's function, if it qualifies and is
    /// not published yet (racing publishers store the same values).
    fn publish(&self, f: &CompiledFunc) {
        if !self.func.load(Ordering::Acquire).is_null()
            || f.num_locals - f.num_params > 8
            || !f.consts.is_empty()
        {
            return;
        }
        self.code.store(f.code.as_ptr().cast_mut(), Ordering::Relaxed);
        self.room.store(f.frame_size.max(f.num_params + 8), Ordering::Relaxed);
        self.params.store(f.num_params, Ordering::Relaxed);
        self.func.store(std::ptr::from_ref(f).cast_mut(), Ordering::Release);
    }
}

/// The checks translated code carries at every function entry and loop header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Checks {
    /// Check the store's epoch deadline ([`crate::vm::VMStoreContext::epoch_deadline`]):
    /// trap `interrupted` once the embedder interrupted.
    pub interruption: bool,
    /// Consume one unit of the store's fuel ([`crate::vm::VMStoreContext::fuel`]): trap
    /// `all fuel consumed` when none is left.
    pub fuel: bool,
    /// Call the function listener hooks at every function entry and return
    /// ([`crate::vm::listener`]); tail calls are made as a call and a return.
    pub listeners: bool,
}

/// A module's functions for the interpreter. `Send + Sync`: a function's first call on any
/// thread translates it once (others calling it meanwhile wait for that translation).
pub struct InterpModule {
    info: Arc<ModuleInfo>,
    /// One slot per defined function (function index minus imported functions).
    funcs: Box<[FuncSlot]>,
    /// The call target of each defined function, as `funcs`.
    targets: Box<[CallTarget]>,
    /// The checks translations carry.
    checks: Checks,
}

impl InterpModule {
    /// The interpreter's form of `info`, a module validated with `features`; translates
    /// every function now when `translation` is [`Translation::Eager`] or `features` go
    /// beyond [`TRANSLATED_FEATURES`]. Every function entry and loop header carries `checks`
    /// (the epoch deadline, so an embedder can stop runaway code; fuel), or none.
    ///
    /// # Errors
    /// When translating now: the first function's [`CompileError`] (marked unsupported) for
    /// an operator of a proposal the interpreter does not translate (the message names the
    /// proposal) or a function too large for the interpreter's slot numbering or constant
    /// pools.
    pub fn new(
        info: Arc<ModuleInfo>,
        features: CoreFeatures,
        checks: Checks,
        translation: Translation,
    ) -> Result<Self, CompileError> {
        let funcs = info.bodies.iter().map(|_| FuncSlot(OnceLock::new())).collect();
        let targets = info.bodies.iter().map(|_| CallTarget::default()).collect();
        let module = Self { info, funcs, targets, checks };
        if translation == Translation::Eager || !TRANSLATED_FEATURES.contains(features) {
            for defined in 0..module.funcs.len() as u32 {
                module.func(defined).map_err(Clone::clone)?;
            }
        }
        Ok(module)
    }

    /// The translation of defined function `defined` (function index minus imported
    /// functions), made now if this is its first use.
    ///
    /// # Errors
    /// The translator's refusal (see the module docs), the same on every use.
    ///
    /// # Panics
    /// When `defined` is not a defined function of the module.
    pub(super) fn func(&self, defined: u32) -> Result<&CompiledFunc, &CompileError> {
        let f = self.funcs[defined as usize]
            .0
            .get_or_init(|| {
                let index = self.info.num_imported_funcs + defined;
                Box::new(translate_function(&self.info, index, self.checks))
            })
            .as_ref()
            .as_ref()?;
        self.targets[defined as usize].publish(f);
        Ok(f)
    }

    /// The checks the module's translations carry.
    pub fn checks(&self) -> Checks {
        self.checks
    }

    /// The function slots, indexed by defined-function index, for the executor's calls.
    pub(super) fn slots(&self) -> *const FuncSlot {
        self.funcs.as_ptr()
    }

    /// The call targets, indexed by defined-function index, for the executor's calls.
    pub(super) fn call_targets(&self) -> *const CallTarget {
        self.targets.as_ptr()
    }

    /// Number of defined functions.
    pub fn num_funcs(&self) -> usize {
        self.funcs.len()
    }

    /// Number of defined functions translated so far (successfully or not).
    pub fn num_translated(&self) -> usize {
        self.funcs.iter().filter(|f| f.0.get().is_some()).count()
    }
}

impl fmt::Debug for InterpModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InterpModule")
            .field("funcs", &self.funcs.len())
            .field("translated", &self.num_translated())
            .field("checks", &self.checks)
            .finish()
    }
}
