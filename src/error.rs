//! The facade's error type.

use kiln_runtime_support::Unwind;
use kiln_runtime_support::artifact::CodeSettings;
pub use kiln_runtime_support::artifact::{ArtifactError, ArtifactPart};
use kiln_runtime_support::vm::Store;
pub use kiln_runtime_support::{
    CompileError, ExitError, LinkError, LinkErrorKind, ResourceError, Trap, TrapCode,
};
use std::fmt;

/// Everything a Kiln API call can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The module is malformed, invalid, or uses an unsupported feature.
    Compile(CompileError),
    /// An import could not be resolved (`unknown import`) or has the wrong type
    /// (`incompatible import type`).
    Link(LinkError),
    /// A memory or table could not be created within the limits.
    Resource(ResourceError),
    /// Execution trapped.
    Trap(Trap),
    /// A wasm exception no wasm frame caught (exception handling): its tag, payload and
    /// backtrace. A host function returns this to throw an exception into wasm.
    Exception(crate::Exception),
    /// A WASI guest called `proc_exit`.
    Exit(ExitError),
    /// An artifact could not be loaded (incompatible, corrupted or unreadable), or could not
    /// be written.
    Artifact(ArtifactError),
    /// The requested engine is not available in this build or on this host.
    EngineUnavailable(String),
    /// No export (or host module entry) of that name and kind.
    NotFound {
        /// `func`, `memory`, `table`, `global` or `module`.
        kind: &'static str,
        /// The name asked for.
        name: String,
    },
    /// Arguments, results or values of the wrong number or type.
    TypeMismatch(String),
    /// A module of that name is already registered in the runtime.
    DuplicateModuleName(String),
    /// A memory or table access through the API was out of bounds.
    OutOfBounds {
        /// The first index or byte offset accessed.
        offset: u64,
        /// The number of bytes or elements accessed.
        len: u64,
    },
    /// A `global.set` through the API on an immutable global.
    ImmutableGlobal,
    /// A directory mounted with [`crate::FSConfig`] could not be opened when the module
    /// was instantiated.
    Mount {
        /// The host directory.
        host_path: std::path::PathBuf,
        /// Why it could not be opened.
        source: std::io::Error,
    },
    /// A [`crate::ModuleConfig`] setting cannot be given to a WASI guest (for example an
    /// argument containing a NUL byte, or an environment variable name containing `=`).
    InvalidConfig(String),
    /// A handle of one [`crate::Runtime`] (a [`crate::Func`] in a [`crate::Val`], a
    /// [`crate::Extern`] or an [`crate::Instance`]) was given to another runtime, which
    /// cannot keep it alive: nothing was stored or called.
    WrongRuntime,
    /// The instance the handle belongs to was closed ([`crate::Instance::close`]): nothing
    /// was called, read or written.
    Closed,
    /// The module's code was made for a runtime with other code settings than this one's
    /// (a [`crate::CompiledModule`] compiled or loaded by a runtime with other fuel, epoch
    /// interruption or function-listener settings, or native code with a memory that
    /// leaves bounds checks to guard pages this runtime's memories do not have): nothing
    /// was instantiated.
    IncompatibleModule {
        /// The settings the module's code was made with (where its bounds checks do not
        /// depend on the memories, this runtime's bounds checks).
        found: CodeSettings,
        /// What this runtime needs.
        expected: CodeSettings,
    },
}

impl Error {
    /// The artifact error, if this error is one.
    pub fn as_artifact(&self) -> Option<&ArtifactError> {
        match self {
            Error::Artifact(e) => Some(e),
            _ => None,
        }
    }

    /// The uncaught exception, if this error is one.
    pub fn as_exception(&self) -> Option<&crate::Exception> {
        match self {
            Error::Exception(e) => Some(e),
            _ => None,
        }
    }

    /// How a call into wasm of `store` that ended with `u` is reported.
    pub(crate) fn from_unwind(store: &std::sync::Arc<Store>, u: Unwind) -> Error {
        match u {
            Unwind::Exception(t) => Error::Exception(crate::Exception::from_thrown(store, t)),
            u => u.into(),
        }
    }

    /// How a host function called from wasm of `store` that failed with this error unwinds:
    /// traps and exits as they are, an exception thrown into wasm, anything else as a
    /// host-error trap carrying the error ([`Trap::host_error`]).
    pub(crate) fn into_unwind(self, store: &Store) -> Unwind {
        match self {
            Error::Trap(t) => Unwind::Trap(t),
            Error::Exit(x) => Unwind::Exit(x),
            Error::Exception(e) => e.into_unwind(store),
            other => Unwind::Trap(Trap::from_host_error(Box::new(other))),
        }
    }

    /// The error a host function failed with, if it is an `E`: host functions that return
    /// `Err` with a `Box<dyn std::error::Error + Send + Sync>` or an [`Error`] that is not a
    /// trap or exit unwind the wasm that called them with a host-error [`Trap`] that keeps
    /// the value ([`Trap::host_error`]); this finds it (also inside a boxed [`Error`]).
    pub fn downcast_ref<E: std::error::Error + 'static>(&self) -> Option<&E> {
        let host = self.as_trap()?.host_error()?;
        host.downcast_ref::<E>().or_else(|| host.downcast_ref::<Error>()?.downcast_ref::<E>())
    }

    /// The trap, if this error is one.
    pub fn as_trap(&self) -> Option<&Trap> {
        match self {
            Error::Trap(t) => Some(t),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Compile(e) => write!(f, "compile error: {e}"),
            Error::Link(e) => write!(f, "link error: {e}"),
            Error::Resource(e) => write!(f, "resource limit: {e}"),
            Error::Trap(e) => e.fmt(f),
            Error::Exception(e) => e.fmt(f),
            Error::Exit(e) => e.fmt(f),
            Error::Artifact(e) => e.fmt(f),
            Error::EngineUnavailable(m) => write!(f, "engine unavailable: {m}"),
            Error::NotFound { kind, name } => write!(f, "no {kind} named \"{name}\""),
            Error::TypeMismatch(m) => write!(f, "type mismatch: {m}"),
            Error::DuplicateModuleName(n) => {
                write!(f, "a module named \"{n}\" is already instantiated")
            }
            Error::OutOfBounds { offset, len } => {
                write!(f, "out of bounds access of {len} at {offset}")
            }
            Error::ImmutableGlobal => f.write_str("global is immutable"),
            Error::Mount { host_path, source } => {
                write!(f, "cannot mount {}: {source}", host_path.display())
            }
            Error::InvalidConfig(m) => write!(f, "invalid module configuration: {m}"),
            Error::WrongRuntime => f.write_str("the handle belongs to another runtime"),
            Error::Closed => f.write_str("the instance was closed"),
            Error::IncompatibleModule { found, expected } => write!(
                f,
                "the module was compiled for a runtime with other settings: {}",
                found.describe_difference(expected, "the module")
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Compile(e) => Some(e),
            Error::Link(e) => Some(e),
            Error::Resource(e) => Some(e),
            Error::Trap(e) => Some(e),
            Error::Exception(e) => Some(e),
            Error::Exit(e) => Some(e),
            Error::Artifact(e) => Some(e),
            Error::Mount { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<CompileError> for Error {
    fn from(e: CompileError) -> Self {
        Error::Compile(e)
    }
}
impl From<ArtifactError> for Error {
    fn from(e: ArtifactError) -> Self {
        Error::Artifact(e)
    }
}
impl From<LinkError> for Error {
    fn from(e: LinkError) -> Self {
        Error::Link(e)
    }
}
impl From<ResourceError> for Error {
    fn from(e: ResourceError) -> Self {
        Error::Resource(e)
    }
}
impl From<Trap> for Error {
    fn from(e: Trap) -> Self {
        Error::Trap(e)
    }
}
impl From<ExitError> for Error {
    fn from(e: ExitError) -> Self {
        Error::Exit(e)
    }
}
impl From<kiln_runtime_support::Unwind> for Error {
    fn from(u: kiln_runtime_support::Unwind) -> Self {
        match u {
            kiln_runtime_support::Unwind::Trap(t) => Error::Trap(t),
            kiln_runtime_support::Unwind::Exit(e) => Error::Exit(e),
            // Without the store the exception cannot be read: callers that have it use
            // `Error::from_unwind`.
            kiln_runtime_support::Unwind::Exception(_) => {
                Error::Trap(Trap::host("uncaught wasm exception"))
            }
        }
    }
}
impl From<kiln_runtime_support::InstantiationError> for Error {
    fn from(e: kiln_runtime_support::InstantiationError) -> Self {
        match e {
            kiln_runtime_support::InstantiationError::Link(e) => Error::Link(e),
            kiln_runtime_support::InstantiationError::Resource(e) => Error::Resource(e),
            kiln_runtime_support::InstantiationError::Start(u) => u.into(),
        }
    }
}

impl From<kiln_wasi::SetupError> for Error {
    fn from(e: kiln_wasi::SetupError) -> Self {
        match e {
            kiln_wasi::SetupError::Mount { host_path, source } => {
                Error::Mount { host_path, source }
            }
            kiln_wasi::SetupError::InvalidConfig(m) => Error::InvalidConfig(m),
        }
    }
}
