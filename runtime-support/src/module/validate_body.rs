//! Validation of function bodies, refusing what only the GC proposal has.
//!
//! Kiln validates the 3.0 type system (recursion groups, declared subtypes) with
//! wasmparser's GC switch on ([`crate::CoreFeatures::FUNCTION_REFERENCES`]), so wasmparser
//! accepts GC's operators and value types too. Neither engine runs them, and the
//! interpreter translates functions lazily, so they are refused here, while the body is
//! validated, with an `unsupported` [`CompileError`]: a module that needs GC fails to
//! compile on every engine, never at its first call. [`RefuseGc`] wraps wasmparser's
//! operator validator, forwards every operator to it and notes the first GC operator; the
//! locals are checked as they are defined.
//!
//! [`Bodies`] decides when: a small code section's bodies are validated as the parser
//! yields them; a large one's (at least [`PARALLEL_MIN`] bytes) are queued and validated on
//! up to [`MAX_THREADS`] threads once the module has been read, which is most of the
//! start-up of a large module on the interpreter. Either way the error is the one a
//! validation in byte order meets first: the first invalid body in the function index
//! order, and a body's error before any error of a later section.

use crate::error::CompileError;
use crate::types::ValType;
use std::panic::resume_unwind;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use wasmparser::{
    FrameKind, FrameStack, FuncToValidate, FuncValidator, FuncValidatorAllocations, FunctionBody,
    ValidatorResources, VisitOperator, VisitSimdOperator,
};

/// The size of a code section, in bytes, from which its bodies are validated in parallel.
pub const PARALLEL_MIN: u32 = 512 * 1024;
/// The most threads that validate bodies.
pub const MAX_THREADS: usize = 8;
/// Bodies a thread takes at a time.
const CHUNK: usize = 8;

/// A body with what its validation needs, as the module validator hands it out.
type Pending<'a> = (FuncToValidate<ValidatorResources>, FunctionBody<'a>);

/// The function bodies of one module, validated at once or queued (see the module docs).
#[derive(Default)]
pub(super) struct Bodies<'a> {
    /// Allocations reused from one body to the next (when validating at once).
    allocs: FuncValidatorAllocations,
    /// The queued bodies, in function index order; `None` while validating at once.
    queue: Option<Vec<Pending<'a>>>,
}

impl<'a> Bodies<'a> {
    /// Chooses for a code section of `size` bytes: queue its bodies when it is large and
    /// the machine has more than one thread.
    pub(super) fn code_section(&mut self, size: u32) {
        if size >= PARALLEL_MIN && threads() > 1 {
            self.queue = Some(Vec::new());
        }
    }

    /// Validates `body` now, or queues it.
    ///
    /// # Errors
    /// As [`validate_body`], when validating at once.
    pub(super) fn add(
        &mut self,
        func: FuncToValidate<ValidatorResources>,
        body: FunctionBody<'a>,
    ) -> Result<(), CompileError> {
        match &mut self.queue {
            Some(queue) => queue.push((func, body)),
            None => {
                let mut fv = func.into_validator(std::mem::take(&mut self.allocs));
                validate_body(&mut fv, &body)?;
                self.allocs = fv.into_allocations();
            }
        }
        Ok(())
    }

    /// Validates the queued bodies on several threads, this one included; each takes the
    /// next [`CHUNK`] bodies until none are left, so a thread that starts late does less.
    ///
    /// # Errors
    /// The error of the first invalid queued body in function index order.
    pub(super) fn finish(self) -> Result<(), CompileError> {
        let Some(queue) = self.queue else { return Ok(()) };
        let mut chunks = Vec::with_capacity(queue.len().div_ceil(CHUNK));
        let mut bodies = queue.into_iter().peekable();
        while bodies.peek().is_some() {
            chunks.push(Mutex::new(bodies.by_ref().take(CHUNK).collect::<Vec<_>>()));
        }
        let work =
            Work { chunks, next: AtomicUsize::new(0), first_invalid: AtomicUsize::new(usize::MAX) };
        let helpers = threads().min(work.chunks.len()).saturating_sub(1);
        let errors: Vec<(usize, CompileError)> = std::thread::scope(|scope| {
            // A helper that cannot be started (a thread limit) leaves its share to the
            // others: this thread takes chunks until none are left.
            let spawned: Vec<_> = (0..helpers)
                .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, || work.run()).ok())
                .collect();
            let mine = work.run();
            let theirs = spawned.into_iter().map(|h| h.join().unwrap_or_else(|p| resume_unwind(p)));
            theirs.chain([mine]).flatten().collect()
        });
        match errors.into_iter().min_by_key(|(i, _)| *i) {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }
}

/// How many threads validate a large code section.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_THREADS)
}

/// Queued bodies shared by the validating threads.
struct Work<'a> {
    /// Chunk `c` holds the bodies `c * CHUNK ..`; a thread empties the chunk it takes.
    chunks: Vec<Mutex<Vec<Pending<'a>>>>,
    /// The next chunk to take.
    next: AtomicUsize,
    /// The lowest function (queue) index found invalid: no thread validates past it.
    first_invalid: AtomicUsize,
}

impl Work<'_> {
    /// Takes chunks until none are left, validating each body in index order up to the
    /// first invalid one this thread meets or one past the first any thread has found.
    fn run(&self) -> Option<(usize, CompileError)> {
        let mut allocs = FuncValidatorAllocations::default();
        loop {
            let c = self.next.fetch_add(1, Ordering::Relaxed);
            let chunk =
                std::mem::take(&mut *self.chunks.get(c)?.lock().unwrap_or_else(|p| p.into_inner()));
            for (k, (func, body)) in chunk.into_iter().enumerate() {
                let i = c * CHUNK + k;
                if i > self.first_invalid.load(Ordering::Relaxed) {
                    return None;
                }
                let mut fv = func.into_validator(allocs);
                if let Err(e) = validate_body(&mut fv, &body) {
                    self.first_invalid.fetch_min(i, Ordering::Relaxed);
                    return Some((i, e));
                }
                allocs = fv.into_allocations();
            }
        }
    }
}

/// Validates `body` with `fv` (as [`FuncValidator::validate`] does), then refuses a GC
/// operator or a local of a GC-only type.
///
/// # Errors
/// The validation error of an invalid body; otherwise an `unsupported` [`CompileError`] at
/// the first GC operator or GC-typed local.
fn validate_body(
    fv: &mut FuncValidator<ValidatorResources>,
    body: &FunctionBody<'_>,
) -> Result<(), CompileError> {
    let err = CompileError::from_wasmparser;
    let mut reader = body.get_binary_reader();
    for _ in 0..reader.read_var_u32().map_err(err)? {
        let offset = reader.original_position();
        let count = reader.read().map_err(err)?;
        let ty: wasmparser::ValType = reader.read().map_err(err)?;
        fv.define_locals(offset, count, ty).map_err(err)?;
        if ValType::from_wasmparser(ty).is_none() {
            return Err(CompileError::unsupported(
                offset as usize,
                format!("a local of type {ty} (the GC proposal is not supported yet)"),
            ));
        }
    }
    reader.set_features(*fv.features());
    let mut gc_op = None;
    while !reader.eof() {
        let offset = reader.original_position();
        let mut visitor = RefuseGc { inner: fv.visitor(offset), gc_op: None };
        reader.visit_operator(&mut visitor).map_err(err)?.map_err(err)?;
        if let Some(name) = visitor.gc_op {
            gc_op.get_or_insert((offset, name));
        }
    }
    reader.finish_expression(&fv.visitor(reader.original_position())).map_err(err)?;
    match gc_op {
        Some((offset, name)) => Err(CompileError::unsupported(
            offset as usize,
            format!("the GC proposal is not supported yet (operator {name})"),
        )),
        None => Ok(()),
    }
}

/// An operator validator that notes the name of a GC operator it validates.
struct RefuseGc<V> {
    inner: V,
    gc_op: Option<&'static str>,
}

/// Notes `$op` when it belongs to the `gc` group of wasmparser's listing.
macro_rules! note_gc {
    (gc, $self:ident, $op:ident) => {
        $self.gc_op = Some(stringify!($op))
    };
    ($proposal:ident, $self:ident, $op:ident) => {};
}

/// For wasmparser's `for_each_visit_operator!`: forward every operator to the validator.
macro_rules! forward {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        $(
            fn $visit(&mut self $($(, $arg: $argty)*)?) -> Self::Output {
                note_gc!($proposal, self, $op);
                self.inner.$visit($($($arg),*)?)
            }
        )*
    };
}

impl<V: FrameStack> FrameStack for RefuseGc<V> {
    fn current_frame(&self) -> Option<FrameKind> {
        self.inner.current_frame()
    }
}

impl<'a, V> VisitOperator<'a> for RefuseGc<V>
where
    V: VisitOperator<'a, Output = wasmparser::Result<()>>,
{
    type Output = wasmparser::Result<()>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        self.inner.simd_visitor()
    }

    wasmparser::for_each_visit_operator!(forward);
}
