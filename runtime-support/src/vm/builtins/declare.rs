//! The generator behind the one declaration of the builtins in [`super`]: every form the
//! list takes (the [`Builtin`](super::Builtin) enum and its accessors, the typed
//! [`VMBuiltins`](super::VMBuiltins) table and the instance every VMContext points to, the
//! C declarations [`super::c_header`] renders) comes out of [`declare_builtins!`].

/// The value kinds a builtin signature is written in, each with its Rust type in the
/// table, its Cranelift-level [`BuiltinType`](super::BuiltinType) and its C spelling in
/// [`super::c_header`]:
///
/// | kind        | Rust           | ABI   | C                    | what it holds                         |
/// |-------------|----------------|-------|----------------------|---------------------------------------|
/// | `i32`       | `u32`          | `I32` | `uint32_t`           | a wasm `i32` bit pattern, an index    |
/// | `i64`       | `u64`          | `I64` | `uint64_t`           | a wasm `i64` bit pattern              |
/// | `status`    | `u32`          | `I32` | `uint32_t`           | [`BUILTIN_OK`](super::BUILTIN_OK) or a trap (results only) |
/// | `reference` | `usize`        | `Ptr` | `uintptr_t`          | a raw reference (0 is null)           |
/// | `vmctx`     | `*mut VMContext` | `Ptr` | `void *`           | an instance's VMContext               |
/// | `values`    | `*mut ValRaw`  | `Ptr` | `struct kiln_val_raw *` | array-call argument/result slots   |
/// | `len`       | `usize`        | `Ptr` | `size_t`             | a count of slots                      |
/// | `array_call`| `ArrayCallFn`  | `Ptr` | `kiln_array_call_fn` | an array-call entry                   |
macro_rules! builtin_kind {
    (rust i32) => { u32 };
    (abi i32) => { $crate::vm::builtins::BuiltinType::I32 };
    (c i32) => { "uint32_t" };

    (rust i64) => { u64 };
    (abi i64) => { $crate::vm::builtins::BuiltinType::I64 };
    (c i64) => { "uint64_t" };

    (rust status) => { u32 };
    (abi status) => { $crate::vm::builtins::BuiltinType::I32 };
    (c status) => { "uint32_t" };

    (rust reference) => { usize };
    (abi reference) => { $crate::vm::builtins::BuiltinType::Ptr };
    (c reference) => { "uintptr_t" };

    (rust vmctx) => { *mut $crate::vm::VMContext };
    (abi vmctx) => { $crate::vm::builtins::BuiltinType::Ptr };
    (c vmctx) => { "void *" };

    (rust values) => { *mut $crate::vm::ValRaw };
    (abi values) => { $crate::vm::builtins::BuiltinType::Ptr };
    (c values) => { "struct kiln_val_raw *" };

    (rust len) => { usize };
    (abi len) => { $crate::vm::builtins::BuiltinType::Ptr };
    (c len) => { "size_t" };

    (rust array_call) => { $crate::vm::ArrayCallFn };
    (abi array_call) => { $crate::vm::builtins::BuiltinType::Ptr };
    (c array_call) => { "kiln_array_call_fn" };
}

/// Whether a result kind is a `status` (the builtin is fallible).
macro_rules! builtin_is_status {
    (status) => {
        true
    };
    ($kind:ident) => {
        false
    };
}

/// `Some(x)` for `x`, `None` for nothing (an optional part of a declaration).
macro_rules! builtin_option {
    () => {
        None
    };
    ($($value:tt)+) => {
        Some($($value)+)
    };
}

/// Generates every form of the builtins list from one declaration. Each entry is
///
/// ```text
/// /// doc
/// Variant = slot => name(param: kind, ...) [-> kind | -> status(TrapCodeVariant)];
/// ```
///
/// with the leading `vmctx` left implicit and kinds from [`builtin_kind!`]. Slots must be
/// dense and in declaration order (checked when compiling).
macro_rules! declare_builtins {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $slot:literal => $name:ident(
            $($param:ident: $kind:ident),* $(,)?
        ) $(-> $result:ident $(($trap:ident))?)?;
    )*) => {
        /// One runtime builtin, numbered by its slot in the builtins table ([`VMBuiltins`]).
        ///
        /// Signatures below omit the leading `vmctx: *mut VMContext` that every builtin
        /// takes. Memory, table, data-segment and element-segment indices are the calling
        /// module's indices.
        #[repr(u32)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Builtin {
            $(
                $(#[doc = $doc])*
                #[doc = ""]
                #[doc = concat!(
                    "Slot ", $slot, ": `",
                    stringify!($name($($param: $kind),*) $(-> $result $(($trap))?)?),
                    "`."
                )]
                $variant = $slot,
            )*
        }

        impl Builtin {
            /// Every builtin, in slot order (`ALL[i].slot() == i`).
            pub const ALL: [Builtin; [$(Builtin::$variant),*].len()] = [$(Builtin::$variant),*];

            /// The number of slots in the builtins table.
            pub const COUNT: usize = Self::ALL.len();

            /// The builtin's slot in the builtins table.
            pub const fn slot(self) -> u32 {
                self as u32
            }

            /// The builtin in `slot`, if any.
            pub const fn from_slot(slot: u32) -> Option<Builtin> {
                if (slot as usize) < Self::COUNT { Some(Self::ALL[slot as usize]) } else { None }
            }

            /// The byte offset of the builtin's entry in [`VMBuiltins`].
            pub const fn offset(self) -> u32 {
                match self {
                    $(Builtin::$variant => std::mem::offset_of!(VMBuiltins, $name) as u32,)*
                }
            }

            /// A stable name (the [`VMBuiltins`] field), for diagnostics and symbol names.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Builtin::$variant => stringify!($name),)*
                }
            }

            /// Parameter types after the leading `vmctx`.
            pub const fn params(self) -> &'static [BuiltinType] {
                match self {
                    $(Builtin::$variant => &[$(builtin_kind!(abi $kind)),*],)*
                }
            }

            /// Result types (at most one).
            pub const fn results(self) -> &'static [BuiltinType] {
                match self {
                    $(Builtin::$variant => &[$(builtin_kind!(abi $result))?],)*
                }
            }

            /// For a fallible builtin, the trap compiled code raises when it returns a status
            /// other than [`BUILTIN_OK`]; `None` when the result is a value, not a status.
            pub const fn trap_code(self) -> Option<TrapCode> {
                match self {
                    $(Builtin::$variant => builtin_option!($($(TrapCode::$trap)?)?),)*
                }
            }
        }

        /// The builtins table: one typed `extern "C"` entry per [`Builtin`], at byte offset
        /// [`Builtin::offset`] (`slot * size_of::<usize>()`). Every VMContext's
        /// [`VMContextHeader::builtins`](crate::vm::VMContextHeader::builtins) points to one.
        #[repr(C)]
        #[derive(Clone, Copy, Debug)]
        pub struct VMBuiltins {
            $(
                $(#[doc = $doc])*
                pub $name: unsafe extern "C" fn(
                    vmctx: *mut VMContext
                    $(, $param: builtin_kind!(rust $kind))*
                ) $(-> builtin_kind!(rust $result))?,
            )*
        }

        /// The runtime's builtins table: each entry is the function of the same name in
        /// `builtin_impls` (a missing or mistyped one does not compile).
        pub(crate) static BUILTINS: VMBuiltins = VMBuiltins {
            $($name: super::builtin_impls::$name,)*
        };

        /// The builtins as C declares them, in slot order (for [`c_header`]).
        const C_SIGNATURES: [c_header::CSignature; Builtin::COUNT] = [$(
            c_header::CSignature {
                builtin: Builtin::$variant,
                doc: &[$($doc),*],
                params: &[$((stringify!($param), builtin_kind!(c $kind))),*],
                result: builtin_option!($(builtin_kind!(c $result))?),
            },
        )*];

        // Slots are dense, in declaration order, and each is its table entry's position; a
        // builtin is fallible exactly when it returns a `status` and names a trap.
        const _: () = {
            $(
                assert!(
                    Builtin::$variant.slot() as usize == Builtin::$variant as usize
                        && std::mem::offset_of!(VMBuiltins, $name)
                            == $slot * std::mem::size_of::<usize>(),
                    concat!("builtin slot out of order: ", stringify!($name)),
                );
                assert!(
                    Builtin::$variant.trap_code().is_some()
                        == (false $(|| builtin_is_status!($result))?),
                    concat!("a builtin returns `status(Trap)` exactly when fallible: ",
                        stringify!($name)),
                );
            )*
            let mut i = 0;
            while i < Builtin::COUNT {
                assert!(Builtin::ALL[i].slot() as usize == i, "builtin slots are not dense");
                i += 1;
            }
            assert!(
                std::mem::size_of::<VMBuiltins>() == Builtin::COUNT * std::mem::size_of::<usize>()
            );
        };
    };
}

pub(super) use {builtin_is_status, builtin_kind, builtin_option, declare_builtins};
