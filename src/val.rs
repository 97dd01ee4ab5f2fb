//! Values passed to and from wasm.

use crate::error::Error;
use crate::func::Func;
use kiln_runtime_support::types::{HeapType, ValType};
use kiln_runtime_support::v128::V128;
use kiln_runtime_support::vm::{ExternRef, Store, VMFuncRef, ValRaw};
use std::sync::Arc;

/// A WebAssembly value.
#[derive(Clone, Debug)]
pub enum Val {
    /// An `i32` (also used for unsigned 32-bit values).
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`; NaN payloads are preserved bit for bit.
    F32(f32),
    /// An `f64`; NaN payloads are preserved bit for bit.
    F64(f64),
    /// A `v128` (SIMD).
    V128(V128),
    /// A `funcref`, or null.
    FuncRef(Option<Func>),
    /// An `externref`, or null.
    ExternRef(Option<ExternRef>),
    /// An `exnref` (a caught exception, exception handling), or null.
    ExnRef(Option<crate::ExnRef>),
}

impl Val {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FUNCREF,
            Val::ExternRef(_) => ValType::EXTERNREF,
            Val::ExnRef(_) => ValType::EXNREF,
        }
    }

    /// Whether the value has type `ty` (spec 3.0 section 4.3.1, "Values"): numbers match
    /// their own type; null matches every nullable reference type of its hierarchy; a
    /// function matches `func` and its own defined type (named by canonical id, as
    /// [`Func::ty`] and the types of imports and exports name it); a host reference matches
    /// `extern`.
    pub fn matches(&self, ty: ValType) -> bool {
        let ValType::Ref(r) = ty else { return self.ty() == ty };
        match self {
            Val::FuncRef(None) => r.nullable && r.is_func(),
            Val::FuncRef(Some(f)) => match r.heap {
                HeapType::Func => true,
                HeapType::Canonical(id) => f.type_id() == id,
                _ => false,
            },
            Val::ExternRef(None) => r.nullable && !r.is_func() && !r.is_exn(),
            Val::ExternRef(Some(_)) => r.heap == HeapType::Extern,
            Val::ExnRef(None) => r.nullable && r.is_exn(),
            Val::ExnRef(Some(_)) => r.heap == HeapType::Exn,
            _ => false,
        }
    }

    /// The `i32`, if this is one.
    pub fn i32(&self) -> Option<i32> {
        if let Val::I32(v) = self { Some(*v) } else { None }
    }
    /// The `i64`, if this is one.
    pub fn i64(&self) -> Option<i64> {
        if let Val::I64(v) = self { Some(*v) } else { None }
    }
    /// The `f32`, if this is one.
    pub fn f32(&self) -> Option<f32> {
        if let Val::F32(v) = self { Some(*v) } else { None }
    }
    /// The `f64`, if this is one.
    pub fn f64(&self) -> Option<f64> {
        if let Val::F64(v) = self { Some(*v) } else { None }
    }
    /// The `v128`, if this is one.
    pub fn v128(&self) -> Option<V128> {
        if let Val::V128(v) = self { Some(*v) } else { None }
    }

    /// The null reference of a reference type (also of a non-nullable one, which has no
    /// default value in wasm), or zero of a numeric type.
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0.0),
            ValType::F64 => Val::F64(0.0),
            ValType::V128 => Val::V128(V128::default()),
            ValType::Ref(r) if r.is_func() => Val::FuncRef(None),
            ValType::Ref(r) if r.is_exn() => Val::ExnRef(None),
            ValType::Ref(_) => Val::ExternRef(None),
        }
    }

    /// The raw form of this value for `store`, to be handed to wasm. Call with the store
    /// lock held. A function of an instance then lives as long as the store: nothing
    /// counts where wasm keeps the reference ([`kiln_runtime_support::instance::Lifecycle`]).
    ///
    /// # Errors
    /// [`Error::WrongRuntime`] for a funcref of another store: the store does not keep the
    /// function's instance alive, so storing its pointer could outlive it.
    pub(crate) fn to_raw(&self, store: &Store) -> Result<ValRaw, Error> {
        if let Val::FuncRef(Some(f)) = self {
            if !std::ptr::eq(Arc::as_ptr(&f.store), store) {
                return Err(Error::WrongRuntime);
            }
            if let Some(owner) = &f.owner {
                owner.data().lifecycle.mark_escaped();
            }
        }
        if let Val::ExnRef(Some(e)) = self
            && !std::ptr::eq(std::sync::Arc::as_ptr(&e.store), store)
        {
            return Err(Error::WrongRuntime);
        }
        Ok(match self {
            Val::I32(v) => ValRaw::from_bits(*v as u32 as u64),
            Val::I64(v) => ValRaw::from_bits(*v as u64),
            Val::F32(v) => ValRaw::from_bits(v.to_bits() as u64),
            Val::F64(v) => ValRaw::from_bits(v.to_bits()),
            Val::V128(v) => ValRaw::from_v128(v.bits()),
            Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) => ValRaw::from_bits(0),
            Val::ExnRef(Some(e)) => ValRaw::from_bits(e.raw),
            Val::FuncRef(Some(f)) => ValRaw::from_bits(f.funcref as u64),
            Val::ExternRef(Some(e)) => ValRaw::from_bits(store.externref_to_raw(e) as u64),
        })
    }

    /// The value of type `ty` behind `raw`. Call with the store lock held.
    pub(crate) fn from_raw(store: &Arc<Store>, raw: ValRaw, ty: ValType) -> Val {
        let bits = raw.bits();
        match ty {
            ValType::I32 => Val::I32(bits as u32 as i32),
            ValType::I64 => Val::I64(bits as i64),
            ValType::V128 => Val::V128(V128::from_bits(raw.v128())),
            ValType::F32 => Val::F32(f32::from_bits(bits as u32)),
            ValType::F64 => Val::F64(f64::from_bits(bits)),
            ValType::Ref(r) if r.is_func() => Val::FuncRef(
                (bits != 0)
                    .then(|| Func::from_funcref(store.clone(), bits as usize as *mut VMFuncRef)),
            ),
            ValType::Ref(r) if r.is_exn() => Val::ExnRef(crate::ExnRef::from_raw(store, bits)),
            ValType::Ref(_) => Val::ExternRef(store.externref_from_raw(bits as usize)),
        }
    }
}

impl From<i32> for Val {
    fn from(v: i32) -> Val {
        Val::I32(v)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I64(v)
    }
}
impl From<f32> for Val {
    fn from(v: f32) -> Val {
        Val::F32(v)
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::F64(v)
    }
}
impl From<V128> for Val {
    fn from(v: V128) -> Val {
        Val::V128(v)
    }
}
