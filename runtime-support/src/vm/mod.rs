//! The VM layout shared by both engines (DESIGN.md principle 1) and the objects behind it.

mod builtin_impls;
pub mod builtins;
pub mod code_memory;
mod code_symbols;
mod code_tables;
mod compiled_code;
mod exception;
mod externref;
pub mod gdb_jit;
pub mod handler_table;
mod host_func;
mod host_module_decl;
mod interp_stack;
pub mod jitdump;
mod limiter;
pub mod listener;
mod memory;
mod memory_image;
mod namespace;
mod offsets;
pub mod perf_map;
mod reservation_pool;
mod shared_memory;
mod store;
mod store_lock;
mod table;
mod tag;
pub mod type_registry;
mod vmcontext;
mod wait_queue;

pub use builtin_impls::builtins_table;
pub use code_memory::CodeMemory;
pub use code_tables::{
    CodeKind, CodeTables, EncodedTables, FUNCTION_ENTRY_BYTES, FUNCTION_HEAD_BYTES, FunctionRecord,
    MapPoint, SharedBytes, TableRanges, bytes_of,
};
pub use compiled_code::{CodeImage, CodeMeta, CompiledModuleCode};
pub use exception::{Exceptions, ExnObject};
pub use externref::{ExternRef, ExternRefs};
pub use handler_table::{HandlerCallSite, HandlerClause, HandlerTable};
pub use host_func::{CallerCtx, HOST_FUNC_MAGIC, HostFn, HostFuncContext};
pub use host_module_decl::{HostFnPtr, HostModuleDecl};
pub use interp_stack::InterpStack;
pub use limiter::ResourceLimiter;
pub use memory::{LinearMemory, MemoryStyle};
pub use memory_image::MemoryImage;
pub use namespace::{Namespace, Namespaces};
pub use offsets::VMOffsets;
pub use shared_memory::{SharedLinearMemory, SharedMemory};
pub use store::{HostMemory, HostTable, Store, StoreConfig};
pub use store_lock::{StoreGuard, StoreLock};
pub use table::{TABLE_ELEMENT_LIMIT, Table};
pub use tag::VMTag;
pub use vmcontext::*;
pub use wait_queue::{WaitQueue, WaitResult};
