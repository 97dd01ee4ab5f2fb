//! The VM layout shared by both engines (DESIGN.md principle 1) and the objects behind it.

pub mod builtins;
mod builtin_impls;
mod code_memory;
mod compiled_code;
mod externref;
mod host_func;
mod memory;
mod offsets;
mod store;
mod table;
pub mod type_registry;
mod vmcontext;

pub use builtin_impls::builtins_table;
pub use code_memory::{CodeMemory, CodeReloc, CodeRelocKind};
pub use compiled_code::{CodeImage, CodeKind, CodeMeta, CompiledModuleCode, FunctionCode};
pub use externref::{ExternRef, ExternRefs};
pub use host_func::{CallerCtx, HOST_FUNC_MAGIC, HostFn, HostFuncContext};
pub use memory::{LinearMemory, MemoryStyle};
pub use offsets::VMOffsets;
pub use store::{HostMemory, HostTable, Store, StoreConfig};
pub use table::{TABLE_ELEMENT_LIMIT, Table};
pub use vmcontext::*;
