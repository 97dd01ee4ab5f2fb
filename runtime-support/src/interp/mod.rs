//! The bundled interpreter.
//!
//! Each function is translated once, on its first call unless translation is eager (see
//! [`InterpModule`]), into a compact register-style form (see [`ir`]): every wasm local
//! and operand-stack position is a numbered 8-byte slot of the function's frame (two
//! consecutive slots for a `v128`), branch targets are resolved, and no LEB128 is decoded
//! at run time. Execution keeps all
//! frames on one preallocated value stack per store, so calls allocate nothing and deep
//! recursion ends in `call stack exhausted` rather than a native stack overflow.

mod const_divisor;
mod exec;
mod forward;
mod fuse;
mod ir;
mod module;
mod rotate;
mod splice;
mod tail_dup;
mod translate;

pub use exec::array_call_entry;
pub use module::{Checks, InterpModule, TRANSLATED_FEATURES, Translation};
