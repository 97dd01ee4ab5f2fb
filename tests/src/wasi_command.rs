//! Running a WASI command module through the public API with its output captured.

use kiln::{CompiledModule, ModuleConfig, Runtime, RuntimeConfig};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// A `Write` for a guest's stdout or stderr whose bytes the test reads afterwards; clones
/// share the bytes.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    /// The bytes written so far.
    pub fn bytes(&self) -> Vec<u8> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Runs the WASI command that `load` gives (compiled in, or loaded into, a runtime made from
/// `config`, with `wasi_snapshot_preview1` instantiated) with arguments `argv` (the program
/// name first) and returns its standard output.
///
/// # Panics
/// When the module does not instantiate or its `_start` fails (a test helper), or when its
/// output is not UTF-8.
pub fn run_command(
    config: RuntimeConfig,
    load: impl FnOnce(&Runtime) -> CompiledModule,
    argv: &[&str],
) -> String {
    let rt = Runtime::with_config(config);
    kiln::wasi::instantiate(&rt).unwrap();
    let module = load(&rt);
    let out = Capture::default();
    rt.instantiate(
        &module,
        ModuleConfig::new().with_args(argv.iter().copied()).with_stdout(out.clone()),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", argv.first().unwrap_or(&"the command")));
    String::from_utf8(out.bytes()).expect("the command's output is UTF-8")
}
