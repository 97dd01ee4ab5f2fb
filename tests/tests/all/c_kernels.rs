//! The C kernels (tests/c/kernels.c, built with `python3 -m ziglang cc`) run on Kiln and
//! produce their known check values.

use kiln::{ModuleConfig, Runtime, RuntimeConfig};

fn instance(rt: &Runtime) -> kiln::Instance {
    let wasm = kiln_tests::kernels_wasm().unwrap_or_else(|e| panic!("{e}"));
    let module = rt.compile(&wasm).expect("kernels.wasm compiles");
    rt.instantiate(&module, ModuleConfig::new()).expect("kernels.wasm instantiates")
}

#[test]
fn c_kernels_produce_known_check_values_interpreted() {
    check_values(RuntimeConfig::interpreter());
}

#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
#[test]
fn c_kernels_produce_known_check_values_compiled() {
    check_values(RuntimeConfig::compiler());
}

fn check_values(config: RuntimeConfig) {
    let rt = Runtime::with_config(config);
    let inst = instance(&rt);
    let call0 = |name: &str| inst.typed_func::<(), u32>(name).unwrap().call(()).unwrap();
    let call1 = |name: &str, a: u32| inst.typed_func::<u32, u32>(name).unwrap().call(a).unwrap();

    // Standard check values of the algorithms.
    assert_eq!(call0("crc32_check"), 0xCBF4_3926, "CRC-32 of \"123456789\"");
    assert_eq!(call0("sha256_check"), 0xba78_16bf, "first word of SHA-256(\"abc\")");
    assert_eq!(call1("sum_to", 100), 5050);

    // Workloads: the values the same C source gives when compiled natively with gcc -O2
    // on x86_64 (see the header of tests/c/kernels.c).
    assert_eq!(call1("quicksort_bench", 2000), 2_941_719_755);
    assert_eq!(call1("crc32_bench", 1), 1_065_666_960);
    assert_eq!(call1("crc32_bench", 2), 1_037_178_342);
    assert_eq!(call1("sha256_bench", 1), 383_879_091);
    // The 1x1 grid's only point, (-2, -1.25), escapes after 1 iteration.
    assert_eq!(call1("mandelbrot", 1), 1);
    assert_eq!(call1("mandelbrot", 32), 71_998);
    // Energies of the benchmarks game's n-body: -0.169075164 at step 0, -0.169087605
    // after 1000 steps (scaled by 1e9 and truncated toward zero).
    assert_eq!(call1("nbody", 0) as i32, -169_075_163);
    assert_eq!(call1("nbody", 1000) as i32, -169_087_605);
}
