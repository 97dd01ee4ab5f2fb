//! Prints the interpreter's translation of a benchmark workload, one instruction per line:
//! `dis <fib|sieve|matmul|kernels|FILE.wasm|FILE.wat> [function-name filter]`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_default();
    let filter = args.next();
    let wasm = match which.as_str() {
        "fib" => wat::parse_str(kiln_bench::FIB_WAT).map_err(|e| e.to_string()),
        "sieve" => wat::parse_str(kiln_bench::SIEVE_WAT).map_err(|e| e.to_string()),
        "matmul" => wat::parse_str(kiln_bench::MATMUL_WAT).map_err(|e| e.to_string()),
        "kernels" => kiln_tests::kernels_wasm(),
        path if path.ends_with(".wasm") => std::fs::read(path).map_err(|e| format!("{path}: {e}")),
        path if path.ends_with(".wat") => wat::parse_file(path).map_err(|e| format!("{path}: {e}")),
        _ => Err("usage: dis <fib|sieve|matmul|kernels|FILE.wasm|FILE.wat> [function-name filter]"
            .to_string()),
    };
    let result = wasm.and_then(|wasm| {
        let rt = kiln::Runtime::with_config(kiln::RuntimeConfig::interpreter());
        let m = rt.compile(&wasm).map_err(|e| e.to_string())?;
        let interp = m
            .engine_module()
            .interp()
            .ok_or("the module was not translated for the interpreter")?;
        let imported = m.engine_module().info.num_imported_funcs;
        for i in 0..interp.num_funcs() {
            let name = m.function_name(i as u32 + imported).unwrap_or("?");
            if filter.as_deref().is_none_or(|f| name.contains(f)) {
                println!("== {name}\n{}", interp.disassemble(i).unwrap_or_default());
            }
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
