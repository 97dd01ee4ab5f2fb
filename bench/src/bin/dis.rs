fn main() {
    let which = std::env::args().nth(1).unwrap();
    let wasm = match which.as_str() {
        "sieve" => wat::parse_str(kiln_bench::SIEVE_WAT).unwrap(),
        "matmul" => wat::parse_str(kiln_bench::MATMUL_WAT).unwrap(),
        "fib" => wat::parse_str(kiln_bench::FIB_WAT).unwrap(),
        _ => kiln_tests::kernels_wasm().unwrap(),
    };
    let rt = kiln::Runtime::with_config(kiln::RuntimeConfig::interpreter());
    let m = rt.compile(&wasm).unwrap();
    let interp = m.engine_module().interp().unwrap();
    let filter = std::env::args().nth(2);
    for i in 0..interp.num_funcs() {
        let idx = i as u32 + m.engine_module().info.num_imported_funcs;
        let name = m.function_name(idx).unwrap_or("?");
        if filter.as_deref().map_or(true, |f| name.contains(f)) {
            println!("== {name}\n{}", interp.disassemble(i).unwrap());
        }
    }
}
