//! `kiln inspect`.

use clap::Args;
use kiln::{ExternType, Runtime, RuntimeConfig};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kiln inspect`.
#[derive(Args)]
pub struct InspectArgs {
    /// The module to describe (.wasm).
    module: PathBuf,
}

fn describe(t: &ExternType) -> String {
    match t {
        ExternType::Func(f) => format!("func {f}"),
        ExternType::Memory(m) => format!("memory {} .. {:?} pages", m.limits.min, m.limits.max),
        ExternType::Table(t) => format!("table {} {} .. {:?}", t.element, t.limits.min, t.limits.max),
        ExternType::Global(g) => format!("global {}{}", if g.mutable { "mut " } else { "" }, g.content),
    }
}

/// Prints the module's name, size, functions, imports, exports and custom sections.
pub fn inspect(a: InspectArgs) -> Result<ExitCode, String> {
    let wasm = super::read_module(&a.module)?;
    let rt = Runtime::with_config(RuntimeConfig::interpreter().with_custom_sections(true));
    let m = rt.compile(&wasm).map_err(|e| format!("{}: {e}", a.module.display()))?;
    let info = &m.engine_module().info;
    println!("module: {}", a.module.display());
    println!("kind: wasm binary, {} bytes", wasm.len());
    println!("name: {}", m.name().unwrap_or("-"));
    let code: usize = info.bodies.iter().map(|b| b.range.len()).sum();
    println!("functions: {} defined, {} imported; code {} bytes", info.num_defined_funcs(), info.num_imported_funcs, code);
    println!("imports ({}):", m.imports().len());
    for i in m.imports() {
        println!("  {}.{}: {}", i.module, i.name, describe(&i.ty));
    }
    println!("exports ({}):", m.exports().len());
    for e in m.exports() {
        println!("  {}: {}", e.name, describe(&e.ty));
    }
    let customs: Vec<_> = m.custom_sections().map(|(n, d)| format!("{n} ({} bytes)", d.len())).collect();
    println!("custom sections: {}", if customs.is_empty() { "-".to_string() } else { customs.join(", ") });
    Ok(ExitCode::SUCCESS)
}
