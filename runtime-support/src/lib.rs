//! Kiln's run-time core, shared by both engines: module metadata (decode and validate with
//! wasmparser), the VM layout (VMContext, memories, tables, globals, function references),
//! instantiation, the bundled interpreter, traps and backtraces.
//!
//! Embedders use the `kiln` facade crate; this crate is its foundation and is also what the
//! compiler and the loader build on (see DESIGN.md).

#![warn(missing_docs)]

pub mod artifact;
pub mod atomics;
pub mod call;
pub mod engine;
pub mod error;
pub mod features;
pub mod instance;
pub mod interp;
mod leb128;
pub mod module;
pub mod native_stack;
pub mod trap;
pub mod traphandlers;
pub mod types;
pub mod v128;
pub mod vm;

pub use error::{
    CompileError, ExitError, InstantiationError, LinkError, LinkErrorKind, ResourceError,
    ThrownException, Unwind,
};
pub use features::CoreFeatures;
pub use trap::{FrameInfo, Trap, TrapCode};
