//! Compiler settings: target, CPU level, bounds-check mode, interruption checks, and the
//! fingerprint of everything that changes generated code.

use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use kiln_runtime_support::CompileError;
use std::str::FromStr;
use target_lexicon::{Architecture, Triple};

/// The revision of the code the translator generates for given settings, part of the
/// settings fingerprint. Bump it whenever a change to translation alters the machine code,
/// so compilation caches and artifact comparisons do not treat older code as
/// interchangeable. (Changes to the contract between compiled code and the runtime bump
/// the runtime's ABI version instead.)
///
/// Revision 2: alias regions for heap, VMContext, table and global accesses; the memory
/// base is a hoistable invariant load in guard-page mode; functions start at the target's
/// preferred alignment.
///
/// Revision 3: functions with loops start where their innermost loops' header and latch
/// blocks stay within 64-byte lines (`loop_layout`).
///
/// Revision 4: a memory access's static offset is an `iadd` of its address, not the load's
/// or store's immediate (`Translator::with_offset`).
const CODEGEN_REVISION: u32 = 4;

/// How compiled loads and stores stay inside linear memory (DESIGN.md principle 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BoundsChecks {
    /// No check: the runtime reserves 4 GiB plus [`CompilerSettings::guard_bytes`] of
    /// address space per 32-bit memory, so `base + zext(index) + offset` always lands in the
    /// reservation and an out-of-bounds access faults; the faulting instruction is a trap
    /// site with code `out of bounds memory access`. Accesses whose static `offset + size`
    /// exceeds the guard are checked explicitly.
    GuardPages,
    /// Every access compares `index + offset + size` with the memory's `current_length`
    /// and traps before touching memory.
    Explicit,
}

/// The CPU features compiled code may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CpuLevel {
    /// A named baseline: x86-64-v2 (SSE4.2, POPCNT, CMPXCHG16B) or armv8.0-a.
    Baseline,
    /// Whatever the host CPU supports (the target must be the host).
    Native,
}

/// Cranelift's optimization level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OptLevel {
    /// No optimizations: fastest compilation.
    None,
    /// Optimize for speed (the default).
    Speed,
    /// Optimize for speed and code size.
    SpeedAndSize,
}

/// Everything that determines the machine code [`crate::compile_module`] produces.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CompilerSettings {
    /// The target: `x86_64-*` or `aarch64-*` (64-bit, little-endian).
    pub target: Triple,
    /// The CPU feature level.
    pub cpu: CpuLevel,
    /// The bounds-check mode.
    pub bounds_checks: BoundsChecks,
    /// Size of the inaccessible region after a memory's 4 GiB reservation in
    /// [`BoundsChecks::GuardPages`] mode (default 2 GiB). Ignored in explicit mode.
    pub guard_bytes: u64,
    /// Whether to check the epoch deadline at function entry and loop headers.
    pub epoch_interruption: bool,
    /// Whether to consume one unit of the store's fuel at function entry and loop headers
    /// (trapping `all fuel consumed` when none is left).
    pub fuel: bool,
    /// Whether to call the function listener builtins at every function entry and before
    /// every return, and to make tail calls as a call and a return
    /// (`kiln_runtime_support::vm::listener`).
    pub listeners: bool,
    /// The optimization level.
    pub opt_level: OptLevel,
    /// Whether to run Cranelift's IR verifier on every function (slower compiles; for
    /// tests). Does not change generated code, so it is not part of the fingerprint.
    pub verify_ir: bool,
}

impl Default for CompilerSettings {
    /// The host triple, baseline CPU, guard pages, no epoch checks, optimized for speed.
    fn default() -> Self {
        Self::for_target(Triple::host())
    }
}

impl CompilerSettings {
    /// Default settings for `target`.
    pub fn for_target(target: Triple) -> Self {
        Self {
            target,
            cpu: CpuLevel::Baseline,
            bounds_checks: BoundsChecks::GuardPages,
            guard_bytes: 2 << 30,
            epoch_interruption: false,
            fuel: false,
            listeners: false,
            opt_level: OptLevel::Speed,
            verify_ir: cfg!(debug_assertions),
        }
    }

    /// Default settings for a target given as a triple string, e.g.
    /// `"aarch64-unknown-linux-gnu"`.
    ///
    /// # Errors
    /// When the string is not a triple.
    pub fn for_target_name(name: &str) -> Result<Self, CompileError> {
        let triple = Triple::from_str(name)
            .map_err(|e| error(format!("invalid target triple `{name}`: {e}")))?;
        Ok(Self::for_target(triple))
    }

    /// A fingerprint of every setting that changes generated code, plus the compiler and
    /// Cranelift versions; equal fingerprints mean interchangeable code (for caches and
    /// artifact headers). For [`CpuLevel::Native`] it includes the detected CPU features.
    pub fn settings_fingerprint(&self) -> u64 {
        let mut text = format!(
            "kiln-compiler {} codegen {}; cranelift {}; target {}; cpu {:?}; bounds {:?}; \
             guard {}; epoch {}; fuel {}; listeners {}; opt {:?}",
            env!("CARGO_PKG_VERSION"),
            CODEGEN_REVISION,
            CRANELIFT_VERSION,
            self.target,
            self.cpu,
            self.bounds_checks,
            if self.bounds_checks == BoundsChecks::GuardPages { self.guard_bytes } else { 0 },
            self.epoch_interruption,
            self.fuel,
            self.listeners,
            self.opt_level,
        );
        if let Ok(isa) = self.build_isa() {
            let flags = isa.flags().iter().chain(isa.isa_flags());
            for v in flags.filter(|v| v.name != "enable_verifier") {
                text.push_str(&format!("; {v}"));
            }
        }
        fnv1a(text.as_bytes())
    }

    /// Builds the Cranelift target ISA for these settings.
    ///
    /// # Errors
    /// When the target is not x86_64 or aarch64, or `Native` is asked for another target.
    pub fn build_isa(&self) -> Result<OwnedTargetIsa, CompileError> {
        let mut flags = settings::builder();
        let set = |b: &mut settings::Builder, k: &str, v: &str| {
            b.set(k, v).map_err(|e| error(format!("cranelift setting {k}={v}: {e}")))
        };
        set(
            &mut flags,
            "opt_level",
            match self.opt_level {
                OptLevel::None => "none",
                OptLevel::Speed => "speed",
                OptLevel::SpeedAndSize => "speed_and_size",
            },
        )?;
        // Frame pointers let the runtime walk compiled frames (DESIGN.md principle 5).
        set(&mut flags, "preserve_frame_pointers", "true")?;
        // Stack overflow is caught by the prologue's stack-limit check, not by probes.
        set(&mut flags, "enable_probestack", "false")?;
        set(&mut flags, "enable_multi_ret_implicit_sret", "true")?;
        set(&mut flags, "unwind_info", "false")?;
        // Block offsets and edges of the machine code, to find loops (`loop_layout`).
        set(&mut flags, "machine_code_cfg_info", "true")?;
        // Not PIC in Cranelift's sense (no GOT): every symbol compiled code refers to is
        // colocated code of the same module, reached PC-relatively (`call rel32`, `lea
        // [rip+rel32]`, `bl`, `adrp`+`add`), so the code is position-independent anyway.
        set(&mut flags, "is_pic", "false")?;
        set(&mut flags, "enable_verifier", if self.verify_ir { "true" } else { "false" })?;
        set(&mut flags, "enable_heap_access_spectre_mitigation", "false")?;
        set(&mut flags, "enable_table_access_spectre_mitigation", "false")?;
        let flags = settings::Flags::new(flags);

        match self.target.architecture {
            Architecture::X86_64 | Architecture::Aarch64(_) => {}
            other => return Err(error(format!("unsupported target architecture `{other}`"))),
        }
        let builder = match self.cpu {
            CpuLevel::Native => {
                if self.target != Triple::host() {
                    return Err(error(format!(
                        "`--cpu native` needs the host target ({}), not {}",
                        Triple::host(),
                        self.target
                    )));
                }
                cranelift_native::builder_with_options(true)
                    .map_err(|e| error(format!("native CPU detection failed: {e}")))?
            }
            CpuLevel::Baseline => {
                let mut b = isa::lookup(self.target.clone())
                    .map_err(|e| error(format!("target {}: {e}", self.target)))?;
                if let Architecture::X86_64 = self.target.architecture {
                    // x86-64-v2.
                    for f in [
                        "has_sse3",
                        "has_ssse3",
                        "has_sse41",
                        "has_sse42",
                        "has_popcnt",
                        "has_cmpxchg16b",
                    ] {
                        b.enable(f).map_err(|e| error(format!("cranelift ISA flag {f}: {e}")))?;
                    }
                }
                // aarch64: the builder's defaults are armv8.0-a.
                b
            }
        };
        builder.finish(flags).map_err(|e| error(format!("cranelift ISA: {e}")))
    }
}

/// The Cranelift version the compiler is built against (part of the fingerprint).
pub const CRANELIFT_VERSION: &str = "0.135.8";

pub(crate) fn error(message: String) -> CompileError {
    CompileError { offset: None, message, unsupported: false }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
