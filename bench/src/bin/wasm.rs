//! Writes each benchmark workload's module to a directory, for comparing generated code with
//! the command-line tools (`kiln compile --emit obj` + `objdump -d`, `wasmtime compile
//! --emit-clif`, `wasmtime objdump`): `wasm <dir> [name filter]`. The C kernels share one
//! module, written once as `kernels.wasm`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: wasm <dir> [name filter]");
        return ExitCode::from(2);
    };
    let filter = args.next();
    let result = kiln_bench::workloads(kiln_bench::Scale::Smoke).and_then(|ws| {
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        for w in ws.iter().filter(|w| filter.as_deref().is_none_or(|f| w.name.contains(f))) {
            let stem = if w.name.ends_with("(C)") {
                "kernels".to_string()
            } else {
                w.name.split_whitespace().next().unwrap_or("module").to_string()
            };
            let path = dir.join(format!("{stem}.wasm"));
            std::fs::write(&path, &w.wasm).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("{}: {} (export `{}`)", path.display(), w.name, w.export);
        }
        Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
