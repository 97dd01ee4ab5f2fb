//! Kiln's ahead-of-time compiler.
//!
//! Translates a validated module ([`kiln_runtime_support::module::ModuleInfo`]) to Cranelift
//! IR, produces machine code for x86_64 or aarch64, and writes it as a versioned cache blob or
//! a relocatable ELF object with a trap table and a DWARF line table (see DESIGN.md,
//! principles 2 to 5). The translator lands with the AOT-compiler issue; until then this crate
//! is empty and the facade's `Engine::Auto` selects the interpreter.
