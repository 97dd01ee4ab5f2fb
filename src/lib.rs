//! # Kiln
//!
//! A WebAssembly runtime for Rust programs: wazero's concepts (Runtime, RuntimeConfig,
//! CompiledModule, ModuleConfig, host modules, sandbox by default) in Rust idioms, with a
//! fast bundled interpreter and an ahead-of-time compiler pipeline.
//!
//! ```
//! use kiln::{Runtime, ModuleConfig};
//!
//! let rt = Runtime::new();
//! rt.host_module("env").func("double", |x: i32| x * 2).instantiate().unwrap();
//! let wasm = wat::parse_str(r#"
//!     (module
//!       (import "env" "double" (func $double (param i32) (result i32)))
//!       (func (export "quad") (param i32) (result i32)
//!         (call $double (call $double (local.get 0)))))
//! "#).unwrap();
//! let module = rt.compile(&wasm).unwrap();
//! let instance = rt.instantiate(&module, ModuleConfig::new()).unwrap();
//! let quad = instance.typed_func::<i32, i32>("quad").unwrap();
//! assert_eq!(quad.call(5).unwrap(), 20);
//! ```

#![warn(missing_docs)]

#[cfg(feature = "compiler")]
pub mod aot;
mod artifact;
mod atomic_file;
mod cache;
mod config;
mod error;
mod exception;
mod func;
mod global;
mod host;
mod imports;
mod instance;
pub mod listener;
mod memory;
mod module;
#[cfg(feature = "compiler")]
mod native;
pub mod profiling;
mod reservation;
mod runtime;
mod shared_memory;
mod signing;
mod table;
mod typed;
mod val;
pub mod wasi;

pub use artifact::{
    ArtifactFallback, ArtifactSummary, artifact_header, inspect_artifact, is_artifact,
};
pub use atomic_file::write_atomically;
pub use cache::{CacheStats, CompilationCache};
pub use config::{CpuTarget, Engine, ModuleConfig, RuntimeConfig};
pub use error::{
    ArtifactError, ArtifactPart, CompileError, Error, ExitError, LinkError, LinkErrorKind,
    ResourceError, Trap, TrapCode,
};
pub use exception::{Exception, ExnRef, Tag};
pub use func::{Func, TypedFunc};
pub use global::Global;
pub use host::{Caller, HostModuleBuilder, HostResult, IntoHostFunc, WithCaller};
pub use imports::Imports;
pub use instance::{Extern, Instance};
pub use kiln_runtime_support::CoreFeatures;
pub use kiln_runtime_support::artifact::{
    ArtifactHeader, BoundsMode, CodeSettings, CpuFeatures, KeyFingerprint, PublicKey, SecretKey,
    Section, SignatureError, Signer, TrustedKeys,
};
pub use kiln_runtime_support::module::SourceLocation;
pub use kiln_runtime_support::trap::FrameInfo;
pub use kiln_runtime_support::types::{
    ExternType, FuncType, GlobalType, HeapType, IndexType, Limits, MemoryType, RefType, TableType,
    ValType,
};
pub use kiln_runtime_support::v128::V128;
pub use kiln_runtime_support::vm::{ExternRef, ResourceLimiter};
pub use listener::{
    Abort, FunctionDefinition, FunctionListener, FunctionListenerFactory, StackIterator,
};
pub use memory::Memory;
pub use module::{CompiledModule, ExportType, ImportType};
pub use runtime::{InterruptHandle, Runtime};
pub use shared_memory::SharedMemory;
pub use signing::{artifact_signer, generate_signing_key, sign_artifact};
pub use table::Table;
pub use typed::{WasmList, WasmTy};
pub use val::Val;
pub use wasi::FSConfig;

/// The README's code blocks, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
