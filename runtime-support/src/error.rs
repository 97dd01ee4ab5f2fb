//! Errors of decoding, linking and instantiation, and the outcome of a failed call.

use crate::trap::Trap;
use std::fmt;

/// A module failed to decode or validate, or uses an unsupported feature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// Byte offset in the module binary where the problem was found, if known.
    pub offset: Option<usize>,
    /// What is wrong, e.g. `type mismatch: expected i32, found i64`.
    pub message: String,
    /// Whether the module was rejected for using an unsupported feature (e.g. SIMD) rather
    /// than for being malformed or invalid.
    pub unsupported: bool,
}

impl CompileError {
    pub(crate) fn from_wasmparser(e: wasmparser::BinaryReaderError) -> Self {
        // One line: some wasmparser messages pretty-print byte arrays over several lines.
        let message = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
        Self { offset: Some(e.offset() as usize), message, unsupported: false }
    }

    pub(crate) fn unsupported(offset: usize, message: impl Into<String>) -> Self {
        Self { offset: Some(offset), message: message.into(), unsupported: true }
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.offset {
            Some(o) => write!(f, "{} (at offset {o:#x})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for CompileError {}

/// Why an import could not be satisfied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkErrorKind {
    /// No module of that name is registered, or it exports nothing of that name
    /// (spec message `unknown import`).
    UnknownImport,
    /// The export exists but its kind or type does not match the import
    /// (spec message `incompatible import type`).
    IncompatibleImportType,
}

/// An import of a module being instantiated could not be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError {
    /// What went wrong.
    pub kind: LinkErrorKind,
    /// The import's module name.
    pub module: String,
    /// The import's field name.
    pub name: String,
    /// Details, e.g. the expected and the actual type.
    pub detail: String,
}

impl LinkError {
    /// The spec's message for this kind of link failure.
    pub fn spec_message(&self) -> &'static str {
        match self.kind {
            LinkErrorKind::UnknownImport => "unknown import",
            LinkErrorKind::IncompatibleImportType => "incompatible import type",
        }
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} \"{}\" \"{}\"", self.spec_message(), self.module, self.name)?;
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

impl std::error::Error for LinkError {}

/// A guest ended itself with WASI `proc_exit(code)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExitError {
    /// The exit code the guest passed to `proc_exit`.
    pub code: u32,
}

impl fmt::Display for ExitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "module exited with code {}", self.code)
    }
}

impl std::error::Error for ExitError {}

/// A resource limit was hit while instantiating (memory or table larger than allowed, or the
/// host refused the allocation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceError {
    /// What could not be allocated and why.
    pub message: String,
}

impl fmt::Display for ResourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ResourceError {}

/// A wasm exception on its way out: thrown and not caught (yet) by the frames it left.
/// Engines hand it on like a trap, and an interpreted frame with a handler resumes the
/// search where it comes out of a call; at the host it becomes the embedder's exception
/// error.
#[derive(Debug)]
pub struct ThrownException {
    /// The exception's raw reference in its store's arena
    /// ([`crate::vm::Store::exceptions`]; never 0).
    pub exn: u64,
    /// The wasm frames it unwound through, innermost first.
    pub backtrace: Vec<crate::trap::FrameInfo>,
}

/// How a call into wasm (or a host function) ended, when not with results.
#[derive(Debug)]
pub enum Unwind {
    /// A wasm trap or a host function's error.
    Trap(Trap),
    /// WASI `proc_exit`.
    Exit(ExitError),
    /// An exception no frame caught (exception handling).
    Exception(ThrownException),
}

impl From<Trap> for Unwind {
    fn from(t: Trap) -> Self {
        Unwind::Trap(t)
    }
}

impl From<crate::trap::TrapCode> for Unwind {
    fn from(t: crate::trap::TrapCode) -> Self {
        Unwind::Trap(Trap::new(t))
    }
}

impl From<ExitError> for Unwind {
    fn from(e: ExitError) -> Self {
        Unwind::Exit(e)
    }
}

impl fmt::Display for Unwind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unwind::Trap(t) => t.fmt(f),
            Unwind::Exit(e) => e.fmt(f),
            Unwind::Exception(_) => f.write_str("uncaught wasm exception"),
        }
    }
}

impl std::error::Error for Unwind {}

/// Why instantiation failed.
#[derive(Debug)]
pub enum InstantiationError {
    /// An import could not be resolved or has the wrong type.
    Link(LinkError),
    /// A memory or table could not be created.
    Resource(ResourceError),
    /// A segment was out of bounds, or the start function trapped or exited
    /// (the spec's "uninstantiable" case).
    Start(Unwind),
}

impl fmt::Display for InstantiationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstantiationError::Link(e) => e.fmt(f),
            InstantiationError::Resource(e) => e.fmt(f),
            InstantiationError::Start(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for InstantiationError {}

impl From<LinkError> for InstantiationError {
    fn from(e: LinkError) -> Self {
        InstantiationError::Link(e)
    }
}

impl From<ResourceError> for InstantiationError {
    fn from(e: ResourceError) -> Self {
        InstantiationError::Resource(e)
    }
}

impl From<Unwind> for InstantiationError {
    fn from(e: Unwind) -> Self {
        InstantiationError::Start(e)
    }
}
