//! How a WASI function meets wasm: its signature, the conversion of its arguments from
//! the array-call slots (in one place, [`Arg`]), and the lookup of the caller's state and
//! memory. The functions themselves are declared once, in `functions.rs`.

use super::ctx::{WasiCtx, WasiState};
use super::errno::{Errno, WasiResult};
use super::guest_memory::GuestMemory;
use kiln_runtime_support::types::ValType;
use kiln_runtime_support::vm::{CallerCtx, HostFnPtr, ValRaw};

/// One host function of a WASI module: its name, its wasm signature and its body, an
/// array-call body (arguments in `slots[..params]`, results written to `slots[..results]`).
pub struct HostFunc {
    /// The import field name (`fd_write`).
    pub name: &'static str,
    /// Parameter types.
    pub params: &'static [ValType],
    /// Result types (`[i32]`, the errno, for all but `proc_exit`).
    pub results: &'static [ValType],
    /// The body.
    pub call: HostFnPtr,
}

impl std::fmt::Debug for HostFunc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostFunc")
            .field("name", &self.name)
            .field("params", &self.params)
            .field("results", &self.results)
            .finish_non_exhaustive()
    }
}

/// A WASI argument type and how it comes out of its slot: pointers, sizes and fds are
/// `u32` in an `i32`; 64-bit values `u64`/`i64` in an `i64`; the narrower witx types
/// (`u16` flags, `u8` enums) in an `i32`, where a value that does not fit is `EINVAL`.
pub(crate) trait Arg: Sized {
    /// The wasm type of the slot.
    const TYPE: ValType;
    /// The value, or the errno for one out of range.
    fn from_raw(v: ValRaw) -> WasiResult<Self>;
}

impl Arg for u32 {
    const TYPE: ValType = ValType::I32;
    fn from_raw(v: ValRaw) -> WasiResult<u32> {
        Ok(v.bits() as u32)
    }
}

impl Arg for u16 {
    const TYPE: ValType = ValType::I32;
    fn from_raw(v: ValRaw) -> WasiResult<u16> {
        u16::try_from(v.bits() as u32).map_err(|_| Errno::EINVAL)
    }
}

impl Arg for u8 {
    const TYPE: ValType = ValType::I32;
    fn from_raw(v: ValRaw) -> WasiResult<u8> {
        u8::try_from(v.bits() as u32).map_err(|_| Errno::EINVAL)
    }
}

impl Arg for u64 {
    const TYPE: ValType = ValType::I64;
    fn from_raw(v: ValRaw) -> WasiResult<u64> {
        Ok(v.bits())
    }
}

impl Arg for i64 {
    const TYPE: ValType = ValType::I64;
    fn from_raw(v: ValRaw) -> WasiResult<i64> {
        Ok(v.bits() as i64)
    }
}

/// Runs `body` against the calling instance's WASI state and memory 0 and returns the
/// errno. Without a calling instance (the host called the function directly) or WASI
/// state (it was instantiated by another runtime) there is nothing to act on: `ENOSYS`.
pub(crate) fn with_state(
    caller: &CallerCtx<'_>,
    body: impl FnOnce(&mut WasiCtx, &GuestMemory) -> WasiResult,
) -> WasiResult {
    if caller.instance.is_null() {
        return Err(Errno::ENOSYS);
    }
    // SAFETY: a non-null caller instance is live for the duration of the call.
    let instance = unsafe { &*caller.instance };
    let Some(state) = instance.host_data::<WasiState>() else { return Err(Errno::ENOSYS) };
    let mem = GuestMemory::new(instance.memories.first().copied());
    // WASI functions never call back into wasm, so the state is never borrowed twice.
    let Ok(mut cx) = state.try_borrow_mut() else { return Err(Errno::EBUSY) };
    body(&mut cx, &mem)
}

/// Stores `result`'s errno (0 for success) as the function's `i32` result.
pub(crate) fn set_errno(slots: &mut [ValRaw], result: WasiResult) {
    let code = match result {
        Ok(()) => 0,
        Err(e) => e.0,
    };
    slots[0] = ValRaw::from_bits(u64::from(code));
}

/// Declares WASI functions: for each, its name, its typed arguments, what it returns and
/// its body. `-> errno` functions return the errno (`i32`): the body is an expression over
/// the caller's state `cx` and memory `mem` giving a [`WasiResult`]. `-> exit` functions
/// (`proc_exit`) return nothing and end the guest: the body gives the [`Unwind`]. Expands
/// to the table of [`HostFunc`]s and the list of their names, both in declaration order.
macro_rules! wasi_functions {
    ($table:ident, $names:ident: $($decls:tt)*) => {
        $crate::host_func::wasi_functions!($table: $($decls)*);
        $crate::host_func::wasi_functions!(@names $names: $($decls)*);
    };
    (@names $names:ident: $(
        fn $name:ident($($args:tt)*) -> $kind:ident = |$cx:pat_param, $mem:pat_param| $body:expr;
    )*) => {
        /// The names of the functions of the table, in the same order.
        pub const $names: &[&str] = &[$(stringify!($name)),*];
    };
    ($table:ident: $(
        fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $kind:ident =
            |$cx:pat_param, $mem:pat_param| $body:expr;
    )*) => {
        /// The host functions, in witx order.
        pub static $table: &[$crate::host_func::HostFunc] = &[$(
            $crate::host_func::HostFunc {
                name: stringify!($name),
                params: &[$(<$ty as $crate::host_func::Arg>::TYPE),*],
                results: $crate::host_func::wasi_kind!(results $kind),
                call: {
                    #[allow(unused_variables, unused_mut, unused_assignments)]
                    fn call(
                        caller: &mut kiln_runtime_support::vm::CallerCtx<'_>,
                        slots: &mut [kiln_runtime_support::vm::ValRaw],
                    ) -> Result<(), kiln_runtime_support::Unwind> {
                        #[allow(unused_variables, unused_mut, unused_assignments)]
                        fn parse(
                            slots: &[kiln_runtime_support::vm::ValRaw],
                        ) -> Result<($($ty,)*), $crate::errno::Errno> {
                            let mut i = 0;
                            $(let $arg = <$ty as $crate::host_func::Arg>::from_raw(slots[i])?; i += 1;)*
                            Ok(($($arg,)*))
                        }
                        let logged = $crate::logging::enter(
                            caller,
                            $crate::MODULE_NAME,
                            stringify!($name),
                            &[$(stringify!($arg)),*],
                            &[$(<$ty as $crate::host_func::Arg>::TYPE),*],
                            slots,
                        );
                        let args = parse(slots);
                        let r = $crate::host_func::wasi_kind!(
                            run $kind, caller, slots, args, ($($arg,)*), $cx, $mem, $body
                        );
                        if logged {
                            $crate::logging::exit($crate::host_func::wasi_kind!(errno $kind), slots);
                        }
                        r
                    }
                    call
                },
            },
        )*];

    };
}
pub(crate) use wasi_functions;

/// The parts of a declaration that depend on what the function returns.
macro_rules! wasi_kind {
    (results errno) => {
        &[kiln_runtime_support::types::ValType::I32]
    };
    (results exit) => {
        &[]
    };
    (errno errno) => {
        true
    };
    (errno exit) => {
        false
    };
    (run errno, $caller:ident, $slots:ident, $args:ident, $pat:pat, $cx:pat_param, $mem:pat_param,
        $body:expr) => {{
        let result =
            $args.and_then(|$pat| $crate::host_func::with_state($caller, |$cx, $mem| $body));
        $crate::host_func::set_errno($slots, result);
        Ok(())
    }};
    (run exit, $caller:ident, $slots:ident, $args:ident, $pat:pat, $cx:pat_param, $mem:pat_param,
        $body:expr) => {{
        match $args {
            Ok($pat) => Err($body),
            Err(e) => Err(kiln_runtime_support::Unwind::Trap(kiln_runtime_support::Trap::host(
                format!("bad argument to a WASI exit function: {e}"),
            ))),
        }
    }};
}
pub(crate) use wasi_kind;
