//! GDB's JIT interface ("JIT Compilation Interface" in the GDB manual; LLDB reads it too):
//! a debugger that finds the symbols `__jit_debug_register_code` and
//! `__jit_debug_descriptor` in the process sets a breakpoint on the first and, each time it
//! is called, reads the descriptor's list of in-memory symbol files. Kiln gives each loaded
//! module's native code one such file ([`image`]): an ELF with a symbol per wasm function
//! and DWARF (subprograms and a line table) at the code's real addresses, so `bt`, `break
//! <function>`, `list` and `info line` work in compiled wasm, with the C source lines of a
//! module built with `-g`.
//!
//! Registration is process-wide and off by default: once [`enable`]d (by a runtime
//! configured with debug info), code loaded afterwards, compiled in process or mapped from
//! an artifact, is registered until it is unloaded ([`Registration`]'s drop). The list is
//! changed only under one lock, and the debugger reads it only while the process is stopped
//! in `__jit_debug_register_code`, which the lock's holder calls.

pub(super) mod image;

use super::compiled_code::CodeMeta;
use std::cell::UnsafeCell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// `jit_actions_t`: what the debugger should do with `relevant_entry`.
const JIT_NOACTION: u32 = 0;
const JIT_REGISTER_FN: u32 = 1;
const JIT_UNREGISTER_FN: u32 = 2;

/// `struct jit_code_entry`: one symbol file in the debugger's list.
#[repr(C)]
struct JitCodeEntry {
    next_entry: *mut JitCodeEntry,
    prev_entry: *mut JitCodeEntry,
    symfile_addr: *const u8,
    symfile_size: u64,
}

/// `struct jit_descriptor`: the list's head, read by the debugger.
#[repr(C)]
struct JitDescriptor {
    version: u32,
    action_flag: u32,
    relevant_entry: *mut JitCodeEntry,
    first_entry: *mut JitCodeEntry,
}

/// The descriptor as a static: the debugger reads it as a plain `struct jit_descriptor`
/// (`UnsafeCell` and this wrapper add nothing to the layout).
#[repr(transparent)]
struct Descriptor(UnsafeCell<JitDescriptor>);

// SAFETY: the descriptor is read and written only under `LOCK` (and by a debugger while the
// process is stopped).
unsafe impl Sync for Descriptor {}

/// The symbol GDB and LLDB look for: the list of symbol files (version 1).
#[unsafe(no_mangle)]
#[used]
static __jit_debug_descriptor: Descriptor = Descriptor(UnsafeCell::new(JitDescriptor {
    version: 1,
    action_flag: JIT_NOACTION,
    relevant_entry: std::ptr::null_mut(),
    first_entry: std::ptr::null_mut(),
}));

/// The function the debugger breaks on: called after each change of the list.
#[unsafe(no_mangle)]
#[inline(never)]
extern "C" fn __jit_debug_register_code() {
    // Something the optimizer must keep, so the function is neither removed nor merged with
    // another empty function.
    std::hint::black_box(());
}

/// Serializes changes of the list.
static LOCK: Mutex<()> = Mutex::new(());
static ENABLED: AtomicBool = AtomicBool::new(false);

/// Turns registration on for the rest of the process: code loaded from now on is
/// registered with an attached (or later attaching) debugger.
pub fn enable() {
    ENABLED.store(true, Ordering::Release);
}

/// Whether [`enable`] was called in this process.
pub fn is_enabled() -> bool {
    ENABLED.load(Ordering::Acquire)
}

/// One module's symbol file in the debugger's list; removed from it when dropped.
pub struct Registration {
    entry: Box<JitCodeEntry>,
    _image: Box<[u8]>,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration").field("bytes", &self._image.len()).finish()
    }
}

// SAFETY: the entry's pointers are touched only under `LOCK`; the image is immutable.
unsafe impl Send for Registration {}
// SAFETY: as for `Send`; `&Registration` gives no access to the entry.
unsafe impl Sync for Registration {}

/// Registers `code` with the debugger when registration is on (`None` otherwise, or when
/// the image cannot be built: debugging support never fails a load).
pub(super) fn register(code: &CodeMeta) -> Option<Registration> {
    if !is_enabled() {
        return None;
    }
    let image = image::build(code)?.into_boxed_slice();
    let mut entry = Box::new(JitCodeEntry {
        next_entry: std::ptr::null_mut(),
        prev_entry: std::ptr::null_mut(),
        symfile_addr: image.as_ptr(),
        symfile_size: image.len() as u64,
    });
    let _guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let d = __jit_debug_descriptor.0.get();
    let e: *mut JitCodeEntry = &mut *entry;
    // SAFETY: `LOCK` is held, so nothing else reads or writes the descriptor or the list;
    // every entry in the list is a live `Registration`'s box (removed before it is freed).
    unsafe {
        (*e).next_entry = (*d).first_entry;
        if let Some(first) = (*d).first_entry.as_mut() {
            first.prev_entry = e;
        }
        (*d).first_entry = e;
        (*d).relevant_entry = e;
        (*d).action_flag = JIT_REGISTER_FN;
    }
    __jit_debug_register_code();
    Some(Registration { entry, _image: image })
}

impl Drop for Registration {
    fn drop(&mut self) {
        let _guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
        let d = __jit_debug_descriptor.0.get();
        let e: *mut JitCodeEntry = &mut *self.entry;
        // SAFETY: as in `register`: the list is changed only under `LOCK`, and `e` is in it.
        unsafe {
            if let Some(prev) = (*e).prev_entry.as_mut() {
                prev.next_entry = (*e).next_entry;
            } else {
                (*d).first_entry = (*e).next_entry;
            }
            if let Some(next) = (*e).next_entry.as_mut() {
                next.prev_entry = (*e).prev_entry;
            }
            (*d).relevant_entry = e;
            (*d).action_flag = JIT_UNREGISTER_FN;
        }
        __jit_debug_register_code();
    }
}
