//! How a runtime reserves linear memory for native code (DESIGN.md principle 4), and the
//! code-generation settings that implies for artifacts it loads. Present in every build,
//! also without the compiler: an application that only loads shipped artifacts reserves
//! memory the way the compiler that made them expects.

use crate::config::Engine;
use kiln_runtime_support::artifact::{BoundsMode, CodeSettings};
use kiln_runtime_support::vm::MemoryStyle;

/// Guard region after each memory's 4 GiB reservation when compiled code relies on guard
/// pages, in bytes (2 GiB).
pub(crate) const GUARD_BYTES: u64 = 2 << 30;

/// Whether native code (compiled in process or loaded from an artifact) can run on this
/// host.
pub(crate) fn native_code_supported() -> bool {
    kiln_runtime_support::traphandlers::SUPPORTED
}

/// Whether memories are reserved with guard pages (64-bit hosts) so compiled code needs no
/// bounds checks.
pub(crate) fn guard_pages() -> bool {
    cfg!(target_pointer_width = "64")
}

/// The memory style of a runtime configured with `engine`: every engine but the
/// interpreter may run native code here, so its memories get the 4 GiB reservation and
/// guard region that code relies on (address space only; nothing is committed).
pub(crate) fn memory_style(engine: Engine, mut style: MemoryStyle) -> MemoryStyle {
    if engine != Engine::Interpreter && native_code_supported() && guard_pages() {
        style.min_reserve_bytes = 1 << 32;
        style.guard_bytes = GUARD_BYTES;
    }
    style
}

/// The settings native code must have been compiled with to run in memories of `style`,
/// in a runtime with interruption and fuel checks on or off (`checks`).
pub(crate) fn code_settings(
    style: &MemoryStyle,
    checks: kiln_runtime_support::interp::Checks,
) -> CodeSettings {
    if style.guard_bytes > 0 && style.min_reserve_bytes >= 1 << 32 {
        CodeSettings {
            bounds_checks: BoundsMode::GuardPages,
            guard_bytes: style.guard_bytes,
            epoch_interruption: checks.interruption,
            fuel: checks.fuel,
            listeners: checks.listeners,
        }
    } else {
        CodeSettings {
            bounds_checks: BoundsMode::Explicit,
            guard_bytes: 0,
            epoch_interruption: checks.interruption,
            fuel: checks.fuel,
            listeners: checks.listeners,
        }
    }
}
