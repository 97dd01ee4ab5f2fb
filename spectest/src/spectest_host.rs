//! The `spectest` host module every spec test file may import from.

use kiln::{Error, Limits, MemoryType, RefType, Runtime, TableType, Val};

/// Registers the `spectest` module in `runtime`: the `print*` functions (which print
/// nothing), the four immutable globals holding 666 / 666.6, a 10..20 funcref table and a
/// 1..2 page memory, and a 1..2 page shared memory (threads).
///
/// # Errors
/// As [`kiln::HostModuleBuilder::instantiate`].
pub fn register_spectest(runtime: &Runtime) -> Result<(), Error> {
    runtime
        .host_module("spectest")
        .func("print", || {})
        .func("print_i32", |_: i32| {})
        .func("print_i64", |_: i64| {})
        .func("print_f32", |_: f32| {})
        .func("print_f64", |_: f64| {})
        .func("print_i32_f32", |_: i32, _: f32| {})
        .func("print_f64_f64", |_: f64, _: f64| {})
        .global("global_i32", Val::I32(666), false)
        .global("global_i64", Val::I64(666), false)
        .global("global_f32", Val::F32(666.6), false)
        .global("global_f64", Val::F64(666.6), false)
        .table(
            "table",
            TableType::new(RefType::FUNCREF, Limits { min: 10, max: Some(20) }),
            Val::FuncRef(None),
        )
        .memory("memory", MemoryType::new(Limits { min: 1, max: Some(2) }))
        .memory("shared_memory", MemoryType::new_shared(1, 2))
        .instantiate()
}
