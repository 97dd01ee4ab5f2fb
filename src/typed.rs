//! Static typing of wasm values for typed calls and host closures.

use kiln_runtime_support::types::ValType;
use kiln_runtime_support::v128::V128;
use kiln_runtime_support::vm::ValRaw;

/// A Rust type that maps to one wasm value type: `i32`, `u32` (as `i32`), `i64`, `u64`
/// (as `i64`), `f32`, `f64`, [`V128`] (as `v128`).
pub trait WasmTy: Copy + 'static {
    /// The wasm type.
    const TYPE: ValType;
    #[doc(hidden)]
    fn from_raw(raw: ValRaw) -> Self;
    #[doc(hidden)]
    fn to_raw(self) -> ValRaw;
}

macro_rules! wasm_ty {
    ($t:ty, $vt:expr, |$r:ident| $from:expr, |$s:ident| $to:expr) => {
        impl WasmTy for $t {
            const TYPE: ValType = $vt;
            fn from_raw($r: ValRaw) -> Self {
                $from
            }
            fn to_raw(self) -> ValRaw {
                let $s = self;
                ValRaw::from_bits($to)
            }
        }
    };
}
wasm_ty!(i32, ValType::I32, |r| r.bits() as u32 as i32, |s| s as u32 as u64);
wasm_ty!(u32, ValType::I32, |r| r.bits() as u32, |s| s as u64);
wasm_ty!(i64, ValType::I64, |r| r.bits() as i64, |s| s as u64);
wasm_ty!(u64, ValType::I64, |r| r.bits(), |s| s);
wasm_ty!(f32, ValType::F32, |r| f32::from_bits(r.bits() as u32), |s| s.to_bits() as u64);
wasm_ty!(f64, ValType::F64, |r| f64::from_bits(r.bits()), |s| s.to_bits());

impl WasmTy for V128 {
    const TYPE: ValType = ValType::V128;
    fn from_raw(raw: ValRaw) -> Self {
        V128::from_bits(raw.v128())
    }
    fn to_raw(self) -> ValRaw {
        ValRaw::from_v128(self.bits())
    }
}

/// A list of wasm values as a Rust value: `()`, one [`WasmTy`], or a tuple of them.
pub trait WasmList: Sized + 'static {
    /// The wasm types, in order.
    fn types() -> Vec<ValType>;
    #[doc(hidden)]
    fn load(slots: &[ValRaw]) -> Self;
    #[doc(hidden)]
    fn store(self, slots: &mut [ValRaw]);
}

impl WasmList for () {
    fn types() -> Vec<ValType> {
        Vec::new()
    }
    fn load(_: &[ValRaw]) -> Self {}
    fn store(self, _: &mut [ValRaw]) {}
}

impl<T: WasmTy> WasmList for T {
    fn types() -> Vec<ValType> {
        vec![T::TYPE]
    }
    fn load(slots: &[ValRaw]) -> Self {
        T::from_raw(slots[0])
    }
    fn store(self, slots: &mut [ValRaw]) {
        slots[0] = self.to_raw();
    }
}

macro_rules! wasm_list_tuple {
    ($($t:ident $i:tt),+) => {
        impl<$($t: WasmTy),+> WasmList for ($($t,)+) {
            fn types() -> Vec<ValType> {
                vec![$($t::TYPE),+]
            }
            fn load(slots: &[ValRaw]) -> Self {
                ($($t::from_raw(slots[$i]),)+)
            }
            fn store(self, slots: &mut [ValRaw]) {
                $(slots[$i] = self.$i.to_raw();)+
            }
        }
    };
}
wasm_list_tuple!(A 0);
wasm_list_tuple!(A 0, B 1);
wasm_list_tuple!(A 0, B 1, C 2);
wasm_list_tuple!(A 0, B 1, C 2, D 3);
wasm_list_tuple!(A 0, B 1, C 2, D 3, E 4);
wasm_list_tuple!(A 0, B 1, C 2, D 3, E 4, F 5);
wasm_list_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
wasm_list_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
wasm_list_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
wasm_list_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
