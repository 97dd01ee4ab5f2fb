//! A host function that reads a string out of the guest's linear memory.
//!
//! The module imports `env.log(ptr: i32, len: i32)`, keeps "Hello from wasm" in a data
//! segment, and its exported `run` calls `log` with the string's address and length. The
//! host side reads those bytes through `Caller::memory()`, checks they are UTF-8, and
//! prints them.
//!
//! Run it with `cargo run --example host_string`; it prints `Hello from wasm`.

use kiln::{Caller, ModuleConfig, Runtime, RuntimeConfig, Trap};

/// The guest, as wat text.
const GUEST: &str = r#"
(module
  (import "env" "log" (func $log (param i32 i32)))
  (memory 1)
  (data (i32.const 8) "Hello from wasm")
  (func (export "run")
    (call $log (i32.const 8) (i32.const 15))))
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = Runtime::with_config(RuntimeConfig::interpreter());

    runtime
        .host_module("env")
        .func("log", |caller: Caller<'_>, ptr: i32, len: i32| -> Result<(), Trap> {
            let memory =
                caller.memory().ok_or_else(|| Trap::host("log: the caller has no memory"))?;
            // Wasm passes addresses as i32; they are unsigned offsets.
            let bytes = memory
                .read_vec(u64::from(ptr as u32), len as u32 as usize)
                .map_err(|e| Trap::host(format!("log: {e}")))?;
            let text =
                String::from_utf8(bytes).map_err(|e| Trap::host(format!("log: not UTF-8: {e}")))?;
            println!("{text}");
            Ok(())
        })
        .instantiate()?;

    let wasm = wat::parse_str(GUEST)?;
    let module = runtime.compile(&wasm)?;
    let instance = runtime.instantiate(&module, ModuleConfig::new())?;
    instance.typed_func::<(), ()>("run")?.call(())?;
    Ok(())
}
