//! Core feature sets, selected like wazero's `WithCoreFeatures`.

/// A set of WebAssembly core features a runtime accepts.
///
/// [`CoreFeatures::V3`] (the default) is WebAssembly Core 3.0 without garbage collection,
/// plus threads: [`CoreFeatures::V2`] and relaxed SIMD, tail calls, extended constant
/// expressions, typed function references, multi-memory, memory64, exception handling and
/// shared memories with atomics. [`CoreFeatures::V2`] is WebAssembly Core 2.0:
/// mutable-global import/export, non-trapping float-to-int conversions, sign-extension
/// operators, multi-value, bulk memory, reference types and 128-bit SIMD.
/// [`CoreFeatures::V1`] is Core 1.0 (the MVP) plus mutable-global import/export, as the 1.0
/// spec suite assumes. Each proposal has its own switch, to add to `V1`/`V2` or take out of
/// `V3` ([`CoreFeatures::union`], [`CoreFeatures::difference`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CoreFeatures(u32);

impl CoreFeatures {
    /// Import and export of mutable globals.
    pub const MUTABLE_GLOBAL: Self = Self(1 << 0);
    /// `i32.trunc_sat_f32_s` and friends (non-trapping float-to-int).
    pub const NONTRAPPING_FLOAT_TO_INT: Self = Self(1 << 1);
    /// `i32.extend8_s` and friends.
    pub const SIGN_EXTENSION: Self = Self(1 << 2);
    /// Blocks and functions with several results.
    pub const MULTI_VALUE: Self = Self(1 << 3);
    /// `memory.copy`, `memory.fill`, passive segments, `table.copy` ...
    pub const BULK_MEMORY: Self = Self(1 << 4);
    /// `funcref`/`externref` values, several tables, `table.get` ...
    pub const REFERENCE_TYPES: Self = Self(1 << 5);
    /// 128-bit SIMD: the `v128` type and its fixed-width instructions (Core 2.0). The
    /// interpreter runs it; the compiled engine refuses modules that use it ("SIMD is not
    /// supported yet") until the compiler lowers it.
    pub const SIMD: Self = Self(1 << 6);
    /// Relaxed SIMD (Core 3.0): each relaxed instruction has one deterministic semantics in
    /// Kiln, documented with the interpreter's instruction set. Needs [`Self::SIMD`].
    pub const RELAXED_SIMD: Self = Self(1 << 7);
    /// Multiple memories (Core 3.0): any number of memories per module, imported and
    /// defined, and a memory index on every memory instruction.
    pub const MULTI_MEMORY: Self = Self(1 << 16);
    /// 64-bit memories and tables (Core 3.0's memory64): `i64` addresses, sizes and
    /// lengths, memories beyond 4 GiB. Compiled code checks the bounds of every access to a
    /// 64-bit memory explicitly (32-bit memories keep their guard pages).
    pub const MEMORY64: Self = Self(1 << 17);

    // ---- WebAssembly 3.0: calls and constants ----
    /// Tail calls (Core 3.0): `return_call`, `return_call_indirect` and, with
    /// [`Self::FUNCTION_REFERENCES`], `return_call_ref`, in constant stack space.
    pub const TAIL_CALL: Self = Self(1 << 12);
    /// Extended constant expressions (Core 3.0): `i32/i64.add`, `sub`, `mul` and `global.get`
    /// of any earlier global in initializers and segment offsets.
    pub const EXTENDED_CONST: Self = Self(1 << 13);
    /// Typed function references (Core 3.0): `(ref null? $t)`, `call_ref`,
    /// `ref.as_non_null`, `br_on_null`, `br_on_non_null`, non-nullable locals, table
    /// initializers, and the 3.0 type system's recursive type groups and function subtyping
    /// (without GC's struct and array types). Needs [`Self::REFERENCE_TYPES`].
    pub const FUNCTION_REFERENCES: Self = Self(1 << 14);

    /// Exception handling (Core 3.0): tags (defined, imported, exported), `throw`,
    /// `throw_ref`, `try_table` with `catch`, `catch_ref`, `catch_all`, `catch_all_ref`, and
    /// `exnref`; also the legacy form (`try`, `catch`, `catch_all`, `delegate`, `rethrow`)
    /// that LLVM and Emscripten still emit for `-fwasm-exceptions`. Both engines run both
    /// forms; compiled handlers cost nothing on the non-throwing path.
    pub const EXCEPTIONS: Self = Self(1 << 18);

    /// Threads (not part of 3.0): shared memories (`(memory 1 2 shared)`, which must
    /// declare a maximum), the atomic loads, stores, read-modify-writes and
    /// compare-exchanges, `atomic.fence`, `memory.atomic.wait32/64` and
    /// `memory.atomic.notify`, on both engines. A shared memory never moves and can be
    /// used by instances of runtimes on different threads (`kiln::SharedMemory`).
    pub const THREADS: Self = Self(1 << 19);

    /// WebAssembly Core 1.0 with mutable-global import/export.
    pub const V1: Self = Self::MUTABLE_GLOBAL;
    /// WebAssembly Core 2.0, SIMD included.
    pub const V2: Self = Self(
        Self::MUTABLE_GLOBAL.0
            | Self::NONTRAPPING_FLOAT_TO_INT.0
            | Self::SIGN_EXTENSION.0
            | Self::MULTI_VALUE.0
            | Self::BULK_MEMORY.0
            | Self::REFERENCE_TYPES.0
            | Self::SIMD.0,
    );
    /// WebAssembly Core 3.0 without garbage collection, plus threads (the default): every
    /// feature above. GC's struct and array types and operators are refused as unsupported.
    pub const V3: Self = Self(
        Self::V2.0
            | Self::RELAXED_SIMD.0
            | Self::TAIL_CALL.0
            | Self::EXTENDED_CONST.0
            | Self::FUNCTION_REFERENCES.0
            | Self::MULTI_MEMORY.0
            | Self::MEMORY64.0
            | Self::EXCEPTIONS.0
            | Self::THREADS.0,
    );

    /// Whether every feature of `other` is in `self`.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// `self` with the features of `other` added.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// `self` without the features of `other`.
    pub const fn difference(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    /// The raw bit set (stable within one Kiln version; used in setting fingerprints).
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// The wasmparser feature set that validates exactly this Kiln feature set.
    pub(crate) fn to_wasmparser(self) -> wasmparser::WasmFeatures {
        use wasmparser::WasmFeatures as W;
        let mut f = W::WASM1.difference(W::MUTABLE_GLOBAL);
        let pairs = [
            (Self::MUTABLE_GLOBAL, W::MUTABLE_GLOBAL),
            (Self::NONTRAPPING_FLOAT_TO_INT, W::SATURATING_FLOAT_TO_INT),
            (Self::SIGN_EXTENSION, W::SIGN_EXTENSION),
            (Self::MULTI_VALUE, W::MULTI_VALUE),
            (Self::BULK_MEMORY, W::BULK_MEMORY),
            (Self::REFERENCE_TYPES, W::REFERENCE_TYPES),
            (Self::SIMD, W::SIMD),
            (Self::RELAXED_SIMD, W::RELAXED_SIMD),
            (Self::TAIL_CALL, W::TAIL_CALL),
            (Self::EXTENDED_CONST, W::EXTENDED_CONST),
            // The 3.0 type system (recursion groups, declared subtypes, `global.get` of any
            // immutable global in constant expressions) is validated by wasmparser's GC
            // switch; what only GC has (struct and array types, GC heap types, GC
            // operators) is refused as unsupported when the module is decoded.
            (Self::FUNCTION_REFERENCES, W::FUNCTION_REFERENCES.union(W::GC)),
            (Self::MULTI_MEMORY, W::MULTI_MEMORY),
            (Self::MEMORY64, W::MEMORY64),
            (Self::EXCEPTIONS, W::EXCEPTIONS.union(W::LEGACY_EXCEPTIONS)),
            (Self::THREADS, W::THREADS),
        ];
        for (k, w) in pairs {
            if self.contains(k) {
                f |= w;
            }
        }
        f
    }
}

impl Default for CoreFeatures {
    fn default() -> Self {
        Self::V3
    }
}
