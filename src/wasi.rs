//! WASI preview1: the `wasi_snapshot_preview1` host module (like wazero's
//! `imports/wasi_snapshot_preview1`), and `wasi_unstable` (preview0) beside it. The
//! functions and each instance's state live in the `kiln-wasi` crate, re-exported here.
//!
//! [`instantiate`] registers both modules in a [`Runtime`]; modules instantiated
//! afterwards can import their functions ([`FUNCTIONS`]). Each call acts on the WASI
//! state of the instance that made it, built from that instance's [`crate::ModuleConfig`]
//! when it was instantiated and kept with its typed state (see [`crate::Caller::data`]):
//! args, environment, stdio, mounted directories ([`FSConfig`]), clocks, random source
//! and preopened TCP listeners. The same host functions serve both engines.
//!
//! ```
//! use kiln::{ModuleConfig, Runtime};
//!
//! let rt = Runtime::new();
//! kiln::wasi::instantiate(&rt).unwrap();
//! let wasm = wat::parse_str(r#"
//!     (module
//!       (import "wasi_snapshot_preview1" "fd_write"
//!         (func $fd_write (param i32 i32 i32 i32) (result i32)))
//!       (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
//!       (memory (export "memory") 1)
//!       (data (i32.const 16) "hi\n")
//!       (func (export "_start")
//!         (i32.store (i32.const 0) (i32.const 16))   ;; iovec.buf
//!         (i32.store (i32.const 4) (i32.const 3))    ;; iovec.buf_len
//!         (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
//!         (call $exit (i32.const 3))))
//! "#).unwrap();
//! let module = rt.compile(&wasm).unwrap();
//! let out = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
//! # struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
//! # impl std::io::Write for Shared {
//! #     fn write(&mut self, b: &[u8]) -> std::io::Result<usize> { self.0.lock().unwrap().extend_from_slice(b); Ok(b.len()) }
//! #     fn flush(&mut self) -> std::io::Result<()> { Ok(()) }
//! # }
//! let err = rt.instantiate(&module, ModuleConfig::new().with_stdout(Shared(out.clone()))).unwrap_err();
//! assert!(matches!(err, kiln::Error::Exit(kiln::ExitError { code: 3 })));
//! assert_eq!(&*out.lock().unwrap(), b"hi\n");
//! ```
//!
//! See the `kiln_wasi` crate docs for the errno choices and the table of deliberate
//! differences from wasmtime.

pub use kiln_wasi::*;

use crate::error::Error;
use crate::runtime::Runtime;
use kiln_runtime_support::types::FuncType;
use kiln_runtime_support::vm::HostModuleDecl;
use std::sync::{Arc, OnceLock};

/// Registers the `wasi_snapshot_preview1` host module ([`PREVIEW1`]) and the
/// `wasi_unstable` one ([`preview0`]) in `runtime`, so that modules instantiated later
/// can import their functions. Both are declared once per process; a runtime creates each
/// function the first time an import names it (so a runtime that registers WASI and
/// instantiates a module importing a dozen of its functions pays for a dozen).
///
/// # Errors
/// [`Error::DuplicateModuleName`] if a module of either name is already registered.
pub fn instantiate(runtime: &Runtime) -> Result<(), Error> {
    static DECLS: OnceLock<[Arc<HostModuleDecl>; 2]> = OnceLock::new();
    let [p1, p0] = DECLS.get_or_init(|| [declare(PREVIEW1.iter()), declare(preview0())]);
    runtime.register_declared(MODULE_NAME, p1)?;
    runtime.register_declared(PREVIEW0_MODULE_NAME, p0)
}

/// The host module declaration of `funcs`, in order.
fn declare<'a>(funcs: impl Iterator<Item = &'a HostFunc>) -> Arc<HostModuleDecl> {
    Arc::new(HostModuleDecl::new(funcs.map(|f| {
        (f.name.to_string(), FuncType::new(f.params.to_vec(), f.results.to_vec()), f.call)
    })))
}
