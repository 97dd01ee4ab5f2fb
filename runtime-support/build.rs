//! Chooses the interpreter's dispatch scheme.
//!
//! With optimizations on x86_64 and aarch64, LLVM reliably turns each handler's call to the
//! next handler into a jump (sibling-call optimization), so the interpreter threads its
//! handlers (`cfg(kiln_tail_dispatch)`). Unoptimized builds (opt-level 0/1) and other
//! architectures may keep those calls as real calls, which would grow the native stack with
//! every executed instruction, so they return to a trampoline loop instead.
//!
//! With `KILN_INTERP_PROFILE=1` in the environment the interpreter also counts what it
//! executes (`cfg(kiln_interp_profile)`, see `src/interp/exec/profile.rs`): a build for
//! finding hot loops, slower than a release; build it into its own target directory.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(kiln_tail_dispatch)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(kiln_interp_profile)");
    println!("cargo::rerun-if-env-changed=OPT_LEVEL");
    println!("cargo::rerun-if-env-changed=KILN_INTERP_PROFILE");
    if std::env::var("KILN_INTERP_PROFILE").is_ok_and(|v| v == "1") {
        println!("cargo::rustc-cfg=kiln_interp_profile");
    }
    let opt_level = std::env::var("OPT_LEVEL").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let optimized = matches!(opt_level.as_str(), "2" | "3" | "s" | "z");
    if optimized && matches!(arch.as_str(), "x86_64" | "aarch64") {
        println!("cargo::rustc-cfg=kiln_tail_dispatch");
    }
}
