//! Parsing command-line arguments into wasm values and printing results.

use kiln::{V128, Val, ValType};

/// Parses `text` as a value of type `ty`: decimal or `0x` hex integers (negative allowed),
/// floats in Rust syntax (`1.5`, `-inf`, `nan`), a `v128` as one 128-bit integer (lane 0
/// in the least significant bits, e.g. `0x000000040000000300000002_00000001` without the
/// underscore).
pub fn parse(text: &str, ty: ValType) -> Result<Val, String> {
    let bad = || format!("cannot parse \"{text}\" as {ty}");
    let int = |t: &str| -> Option<i128> {
        let (neg, t) = t.strip_prefix('-').map(|r| (true, r)).unwrap_or((false, t));
        let v = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            Some(h) => i128::from_str_radix(h, 16).ok()?,
            None => t.parse::<i128>().ok()?,
        };
        Some(if neg { -v } else { v })
    };
    match ty {
        ValType::I32 => {
            let v = int(text)
                .filter(|v| (i32::MIN as i128..=u32::MAX as i128).contains(v))
                .ok_or_else(bad)?;
            Ok(Val::I32(v as i64 as i32))
        }
        ValType::I64 => {
            let v = int(text)
                .filter(|v| (i64::MIN as i128..=u64::MAX as i128).contains(v))
                .ok_or_else(bad)?;
            Ok(Val::I64(v as i64))
        }
        ValType::F32 => text.parse::<f32>().map(Val::F32).map_err(|_| bad()),
        ValType::F64 => text.parse::<f64>().map(Val::F64).map_err(|_| bad()),
        ValType::V128 => {
            let bits = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
                Some(h) => u128::from_str_radix(h, 16).ok(),
                None => text.parse::<u128>().ok(),
            };
            bits.map(|b| Val::V128(V128::from_bits(b))).ok_or_else(bad)
        }
        ValType::Ref(_) if text == "null" => Ok(Val::default_for(ty)),
        _ => Err(format!("cannot pass a {ty} on the command line")),
    }
}

/// Formats a result value the way `kiln run --invoke` prints it (a `v128` as 32 hex
/// digits, lane 0 last).
pub fn format(v: &Val) -> String {
    match v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(x) => x.to_string(),
        Val::F64(x) => x.to_string(),
        Val::V128(x) => format!("{:#034x}", x.bits()),
        Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) => "null".to_string(),
        Val::ExnRef(Some(_)) => "exnref".to_string(),
        Val::FuncRef(Some(_)) => "funcref".to_string(),
        Val::ExternRef(Some(_)) => "externref".to_string(),
    }
}
