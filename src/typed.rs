//! Static typing of wasm values for typed calls and host closures.

use crate::error::Error;
use crate::func::Func;
use kiln_runtime_support::types::ValType;
use kiln_runtime_support::v128::V128;
use kiln_runtime_support::vm::{ExternRef, Store, VMFuncRef, ValRaw};

/// A Rust type that maps to one wasm value type: `i32`, `u32` (as `i32`), `i64`, `u64`
/// (as `i64`), `f32`, `f64`, [`V128`] (as `v128`), `Option<Func>` (as `funcref`, `None`
/// for null) and `Option<ExternRef>` (as `externref`).
pub trait WasmTy: Sized + Send + 'static {
    /// The wasm type.
    const TYPE: ValType;
    /// The value behind `raw`, read in `store` (with its lock held).
    #[doc(hidden)]
    fn from_raw(store: &Store, raw: ValRaw) -> Self;
    /// The raw value to hand to wasm of `store` (with its lock held).
    ///
    /// # Errors
    /// [`Error::WrongRuntime`] for a function of another runtime.
    #[doc(hidden)]
    fn to_raw(self, store: &Store) -> Result<ValRaw, Error>;
}

macro_rules! wasm_ty {
    ($t:ty, $vt:expr, |$r:ident| $from:expr, |$s:ident| $to:expr) => {
        impl WasmTy for $t {
            const TYPE: ValType = $vt;
            #[inline]
            fn from_raw(_: &Store, $r: ValRaw) -> Self {
                $from
            }
            #[inline]
            fn to_raw(self, _: &Store) -> Result<ValRaw, Error> {
                let $s = self;
                Ok(ValRaw::from_bits($to))
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
    #[inline]
    fn from_raw(_: &Store, raw: ValRaw) -> Self {
        V128::from_bits(raw.v128())
    }
    #[inline]
    fn to_raw(self, _: &Store) -> Result<ValRaw, Error> {
        Ok(ValRaw::from_v128(self.bits()))
    }
}

impl WasmTy for Option<Func> {
    const TYPE: ValType = ValType::FUNCREF;
    fn from_raw(store: &Store, raw: ValRaw) -> Self {
        let p = raw.bits() as usize as *mut VMFuncRef;
        (!p.is_null()).then(|| Func::from_funcref(store.arc(), p))
    }
    fn to_raw(self, store: &Store) -> Result<ValRaw, Error> {
        crate::val::Val::FuncRef(self).to_raw(store)
    }
}

impl WasmTy for Option<ExternRef> {
    const TYPE: ValType = ValType::EXTERNREF;
    fn from_raw(store: &Store, raw: ValRaw) -> Self {
        store.externref_from_raw(raw.bits() as usize)
    }
    fn to_raw(self, store: &Store) -> Result<ValRaw, Error> {
        Ok(ValRaw::from_bits(self.map_or(0, |e| store.externref_to_raw(&e)) as u64))
    }
}

/// A list of wasm values as a Rust value: `()`, one [`WasmTy`], or a tuple of up to 16.
pub trait WasmList: Sized + 'static {
    /// The wasm types, in order.
    fn types() -> Vec<ValType>;
    #[doc(hidden)]
    fn load(store: &Store, slots: &[ValRaw]) -> Self;
    /// # Errors
    /// As [`WasmTy::to_raw`].
    #[doc(hidden)]
    fn store(self, store: &Store, slots: &mut [ValRaw]) -> Result<(), Error>;
}

impl WasmList for () {
    fn types() -> Vec<ValType> {
        Vec::new()
    }
    #[inline]
    fn load(_: &Store, _: &[ValRaw]) -> Self {}
    #[inline]
    fn store(self, _: &Store, _: &mut [ValRaw]) -> Result<(), Error> {
        Ok(())
    }
}

impl<T: WasmTy> WasmList for T {
    fn types() -> Vec<ValType> {
        vec![T::TYPE]
    }
    #[inline]
    fn load(store: &Store, slots: &[ValRaw]) -> Self {
        T::from_raw(store, slots[0])
    }
    #[inline]
    fn store(self, store: &Store, slots: &mut [ValRaw]) -> Result<(), Error> {
        slots[0] = self.to_raw(store)?;
        Ok(())
    }
}

macro_rules! wasm_list_tuple {
    ($($t:ident $i:tt),+) => {
        impl<$($t: WasmTy),+> WasmList for ($($t,)+) {
            fn types() -> Vec<ValType> {
                vec![$($t::TYPE),+]
            }
            #[inline]
            fn load(store: &Store, slots: &[ValRaw]) -> Self {
                ($($t::from_raw(store, slots[$i]),)+)
            }
            #[inline]
            fn store(self, store: &Store, slots: &mut [ValRaw]) -> Result<(), Error> {
                $(slots[$i] = self.$i.to_raw(store)?;)+
                Ok(())
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
wasm_list_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
wasm_list_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
wasm_list_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12);
wasm_list_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13);
wasm_list_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14);
wasm_list_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15);
