//! Converting `.wast` arguments to Kiln values, and matching Kiln results against `.wast`
//! expected results (including the `nan:canonical` / `nan:arithmetic` patterns).

use kiln::{ExternRef, V128, Val};
use wast::WastArg;
use wast::WastRet;
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};

/// Converts an invocation argument.
///
/// # Errors
/// A description of the argument when Kiln cannot represent it (e.g. a GC reference).
pub fn arg_to_val(arg: &WastArg<'_>) -> Result<Val, String> {
    let core = match arg {
        WastArg::Core(c) => c,
        other => return Err(format!("unsupported argument {other:?}")),
    };
    Ok(match core {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(f32::from_bits(v.bits)),
        WastArgCore::F64(v) => Val::F64(f64::from_bits(v.bits)),
        WastArgCore::V128(v) => Val::V128(V128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(ht) => match heap_kind(ht) {
            Some(RefKind::Func) => Val::FuncRef(None),
            Some(RefKind::Extern) => Val::ExternRef(None),
            Some(RefKind::Exn) => Val::ExnRef(None),
            None => return Err(format!("unsupported null reference type {ht:?}")),
        },
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(ExternRef::new(*n))),
        other => return Err(format!("unsupported argument {other:?}")),
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum RefKind {
    Func,
    Extern,
    Exn,
}

fn heap_kind(ht: &HeapType<'_>) -> Option<RefKind> {
    match ht {
        HeapType::Abstract { shared: false, ty: AbstractHeapType::Func } => Some(RefKind::Func),
        HeapType::Abstract { shared: false, ty: AbstractHeapType::Extern } => Some(RefKind::Extern),
        HeapType::Abstract { shared: false, ty: AbstractHeapType::Exn } => Some(RefKind::Exn),
        _ => None,
    }
}

/// Renders a Kiln value in `.wast` syntax, with the bit pattern of floats.
pub fn show_val(v: &Val) -> String {
    match v {
        Val::I32(x) => format!("i32:{x} ({:#x})", *x as u32),
        Val::I64(x) => format!("i64:{x} ({:#x})", *x as u64),
        Val::F32(x) => format!("f32:{x:?} ({:#010x})", x.to_bits()),
        Val::F64(x) => format!("f64:{x:?} ({:#018x})", x.to_bits()),
        Val::V128(x) => format!("v128:{x}"),
        Val::FuncRef(None) => "ref.null func".to_string(),
        Val::FuncRef(Some(_)) => "ref.func <non-null>".to_string(),
        Val::ExternRef(None) => "ref.null extern".to_string(),
        Val::ExternRef(Some(e)) => match e.downcast_ref::<u32>() {
            Some(n) => format!("ref.extern {n}"),
            None => format!("ref.extern <foreign {e:?}>"),
        },
        Val::ExnRef(None) => "ref.null exn".to_string(),
        Val::ExnRef(Some(_)) => "ref.exn <non-null>".to_string(),
    }
}

/// Renders a list of values.
pub fn show_vals(vs: &[Val]) -> String {
    let parts: Vec<String> = vs.iter().map(show_val).collect();
    format!("[{}]", parts.join(", "))
}

/// Renders an expected result in `.wast` syntax.
pub fn show_ret(r: &WastRet<'_>) -> String {
    match r {
        WastRet::Core(c) => show_ret_core(c),
        other => format!("{other:?}"),
    }
}

fn show_nan<T>(p: &NanPattern<T>, show: impl Fn(&T) -> String) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".to_string(),
        NanPattern::ArithmeticNan => "nan:arithmetic".to_string(),
        NanPattern::Value(v) => show(v),
    }
}

fn show_ret_core(r: &WastRetCore<'_>) -> String {
    match r {
        WastRetCore::I32(x) => format!("i32:{x} ({:#x})", *x as u32),
        WastRetCore::I64(x) => format!("i64:{x} ({:#x})", *x as u64),
        WastRetCore::F32(p) => format!(
            "f32:{}",
            show_nan(p, |v| format!("{:?} ({:#010x})", f32::from_bits(v.bits), v.bits))
        ),
        WastRetCore::F64(p) => format!(
            "f64:{}",
            show_nan(p, |v| format!("{:?} ({:#018x})", f64::from_bits(v.bits), v.bits))
        ),
        WastRetCore::V128(p) => format!("v128:{}", show_v128_pattern(p)),
        WastRetCore::RefNull(Some(ht)) => match heap_kind(ht) {
            Some(RefKind::Func) => "ref.null func".to_string(),
            Some(RefKind::Extern) => "ref.null extern".to_string(),
            Some(RefKind::Exn) => "ref.null exn".to_string(),
            None => format!("ref.null {ht:?}"),
        },
        WastRetCore::RefNull(None) => "ref.null".to_string(),
        WastRetCore::RefExtern(Some(n)) => format!("ref.extern {n}"),
        WastRetCore::RefExtern(None) => "ref.extern".to_string(),
        WastRetCore::RefFunc(_) => "ref.func".to_string(),
        WastRetCore::Either(alts) => {
            let parts: Vec<String> = alts.iter().map(show_ret_core).collect();
            format!("(either {})", parts.join(" "))
        }
        other => format!("{other:?}"),
    }
}

/// Renders a `v128` pattern as its `v128.const` lanes (lane 0 first; floats with their bits).
fn show_v128_pattern(p: &V128Pattern) -> String {
    fn join<T>(shape: &str, lanes: &[T], show: impl Fn(&T) -> String) -> String {
        let parts: Vec<String> = lanes.iter().map(show).collect();
        format!("{shape} {}", parts.join(" "))
    }
    match p {
        V128Pattern::I8x16(l) => join("i8x16", l, |x| x.to_string()),
        V128Pattern::I16x8(l) => join("i16x8", l, |x| x.to_string()),
        V128Pattern::I32x4(l) => join("i32x4", l, |x| format!("{:#010x}", *x as u32)),
        V128Pattern::I64x2(l) => join("i64x2", l, |x| format!("{:#018x}", *x as u64)),
        V128Pattern::F32x4(l) => join("f32x4", l, |p| show_nan(p, |v| format!("{:#010x}", v.bits))),
        V128Pattern::F64x2(l) => join("f64x2", l, |p| show_nan(p, |v| format!("{:#018x}", v.bits))),
    }
}

/// Whether `v` matches a `v128` pattern, lane by lane (float lanes with the NaN patterns).
fn v128_matches(v: V128, p: &V128Pattern) -> bool {
    match p {
        V128Pattern::I8x16(l) => v.i8x16() == *l,
        V128Pattern::I16x8(l) => v.i16x8() == *l,
        V128Pattern::I32x4(l) => v.i32x4() == *l,
        V128Pattern::I64x2(l) => v.i64x2() == *l,
        V128Pattern::F32x4(l) => v.u32x4().iter().zip(l).all(|(&bits, p)| match p {
            NanPattern::CanonicalNan => f32_is_canonical_nan(bits),
            NanPattern::ArithmeticNan => f32_is_arithmetic_nan(bits),
            NanPattern::Value(e) => e.bits == bits,
        }),
        V128Pattern::F64x2(l) => v.u64x2().iter().zip(l).all(|(&bits, p)| match p {
            NanPattern::CanonicalNan => f64_is_canonical_nan(bits),
            NanPattern::ArithmeticNan => f64_is_arithmetic_nan(bits),
            NanPattern::Value(e) => e.bits == bits,
        }),
    }
}

/// Renders a list of expected results.
pub fn show_rets(rs: &[WastRet<'_>]) -> String {
    let parts: Vec<String> = rs.iter().map(show_ret).collect();
    format!("[{}]", parts.join(", "))
}

/// Whether `bits` is a canonical NaN of f32 (sign ignored).
pub fn f32_is_canonical_nan(bits: u32) -> bool {
    bits & 0x7fff_ffff == 0x7fc0_0000
}

/// Whether `bits` is an arithmetic NaN of f32: a NaN with the quiet bit set.
pub fn f32_is_arithmetic_nan(bits: u32) -> bool {
    bits & 0x7fc0_0000 == 0x7fc0_0000
}

/// Whether `bits` is a canonical NaN of f64 (sign ignored).
pub fn f64_is_canonical_nan(bits: u64) -> bool {
    bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000
}

/// Whether `bits` is an arithmetic NaN of f64: a NaN with the quiet bit set.
pub fn f64_is_arithmetic_nan(bits: u64) -> bool {
    bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000
}

/// Whether an actual value matches an expected result.
pub fn val_matches(actual: &Val, expected: &WastRet<'_>) -> bool {
    match expected {
        WastRet::Core(c) => core_matches(actual, c),
        _ => false,
    }
}

fn core_matches(actual: &Val, expected: &WastRetCore<'_>) -> bool {
    match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => e == a,
        (WastRetCore::I64(e), Val::I64(a)) => e == a,
        (WastRetCore::F32(p), Val::F32(a)) => {
            let bits = a.to_bits();
            match p {
                NanPattern::CanonicalNan => f32_is_canonical_nan(bits),
                NanPattern::ArithmeticNan => f32_is_arithmetic_nan(bits),
                NanPattern::Value(v) => v.bits == bits,
            }
        }
        (WastRetCore::F64(p), Val::F64(a)) => {
            let bits = a.to_bits();
            match p {
                NanPattern::CanonicalNan => f64_is_canonical_nan(bits),
                NanPattern::ArithmeticNan => f64_is_arithmetic_nan(bits),
                NanPattern::Value(v) => v.bits == bits,
            }
        }
        (WastRetCore::V128(p), Val::V128(a)) => v128_matches(*a, p),
        (WastRetCore::RefNull(ht), Val::FuncRef(None)) => {
            ht.as_ref().is_none_or(|ht| heap_kind(ht) == Some(RefKind::Func))
        }
        (WastRetCore::RefNull(ht), Val::ExternRef(None)) => {
            ht.as_ref().is_none_or(|ht| heap_kind(ht) == Some(RefKind::Extern))
        }
        (WastRetCore::RefNull(ht), Val::ExnRef(None)) => {
            ht.as_ref().is_none_or(|ht| heap_kind(ht) == Some(RefKind::Exn))
        }
        (WastRetCore::RefExtern(e), Val::ExternRef(Some(a))) => match e {
            None => true,
            Some(n) => a.downcast_ref::<u32>() == Some(n),
        },
        (WastRetCore::RefFunc(_), Val::FuncRef(Some(_))) => true,
        (WastRetCore::Either(alts), a) => alts.iter().any(|alt| core_matches(a, alt)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_classes() {
        assert!(f32_is_canonical_nan(0x7fc0_0000));
        assert!(f32_is_canonical_nan(0xffc0_0000));
        assert!(!f32_is_canonical_nan(0x7fc0_0001));
        assert!(f32_is_arithmetic_nan(0x7fc0_0001));
        assert!(!f32_is_arithmetic_nan(0x7fa0_0000));
        assert!(!f32_is_arithmetic_nan(0x3fc0_0000));
        assert!(f64_is_canonical_nan(0xfff8_0000_0000_0000));
        assert!(!f64_is_canonical_nan(0x7ff8_0000_0000_0001));
        assert!(f64_is_arithmetic_nan(0x7ffc_0000_0000_0000));
        assert!(!f64_is_arithmetic_nan(0x7ff4_0000_0000_0000));
    }
}
