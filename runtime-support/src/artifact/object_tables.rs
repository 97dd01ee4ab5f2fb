//! The per-item tables of a relocatable object, and how the loader turns them into the
//! [`CodeTables`](crate::vm::CodeTables) every loaded module has.
//!
//! - `.kiln.traps`: every trap site, as 12-byte records `(item: u32, offset: u32,
//!   code: u32)` sorted by item then offset. `item` is the code item's number in
//!   `.kiln.meta` (and its code symbol), `offset` the trapping instruction's offset from
//!   the item's start, `code` the trap's number ([`trap_code_number`]).
//! - `.kiln.addrmap`: the address map, as 16-byte records `(item: u32, code_start: u32,
//!   code_end: u32, wasm_offset: u32)` sorted by item then `code_start`; code offsets from
//!   the item's start, `wasm_offset` in the module binary.
//!
//! All fields little-endian.

use super::object_meta::{ItemKind, ObjectMeta};
use crate::trap::TrapCode;
use crate::vm::{CodeKind, EncodedTables};

const TRAP_RECORD: usize = 12;
const ADDRESS_RECORD: usize = 16;

/// The number of a trap code in `.kiln.traps`: one more than its stable runtime number
/// ([`TrapCode::to_u32`]), so 1 is `unreachable` and 0 never names a trap.
pub fn trap_code_number(code: TrapCode) -> u32 {
    code.to_u32() + 1
}

/// The trap code numbered `number` in `.kiln.traps`, if any.
pub fn trap_code_from_number(number: u32) -> Option<TrapCode> {
    TrapCode::from_u32(number.checked_sub(1)?)
}

/// One record of `.kiln.traps`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrapRecord {
    /// The code item (its number in `.kiln.meta`).
    pub item: u32,
    /// Offset of the trapping instruction from the item's start, in bytes.
    pub offset: u32,
    /// Which trap.
    pub code: TrapCode,
}

/// One record of `.kiln.addrmap`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressRecord {
    /// The code item (its number in `.kiln.meta`).
    pub item: u32,
    /// First code byte of the range, from the item's start.
    pub code_start: u32,
    /// One past the last code byte of the range, from the item's start.
    pub code_end: u32,
    /// Offset in the module binary of the wasm instruction the range came from.
    pub wasm_offset: u32,
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

fn put(out: &mut Vec<u8>, words: &[u32]) {
    for w in words {
        out.extend_from_slice(&w.to_le_bytes());
    }
}

/// Encodes trap records (already sorted by item then offset) as `.kiln.traps`.
pub fn encode_traps(records: &[TrapRecord]) -> Vec<u8> {
    let mut out = Vec::with_capacity(records.len() * TRAP_RECORD);
    for r in records {
        put(&mut out, &[r.item, r.offset, trap_code_number(r.code)]);
    }
    out
}

/// Decodes a `.kiln.traps` section.
///
/// # Errors
/// A message when its length is not a multiple of 12 or a trap number is unknown.
pub fn decode_traps(bytes: &[u8]) -> Result<Vec<TrapRecord>, String> {
    if !bytes.len().is_multiple_of(TRAP_RECORD) {
        return Err(format!(
            "`.kiln.traps`: {} bytes is not a whole number of records",
            bytes.len()
        ));
    }
    bytes
        .chunks_exact(TRAP_RECORD)
        .map(|r| {
            let number = u32_at(r, 8);
            Ok(TrapRecord {
                item: u32_at(r, 0),
                offset: u32_at(r, 4),
                code: trap_code_from_number(number)
                    .ok_or_else(|| format!("`.kiln.traps`: unknown trap number {number}"))?,
            })
        })
        .collect()
}

/// Encodes address records (already sorted by item then code start) as `.kiln.addrmap`.
pub fn encode_address_map(records: &[AddressRecord]) -> Vec<u8> {
    let mut out = Vec::with_capacity(records.len() * ADDRESS_RECORD);
    for r in records {
        put(&mut out, &[r.item, r.code_start, r.code_end, r.wasm_offset]);
    }
    out
}

/// Decodes a `.kiln.addrmap` section.
///
/// # Errors
/// A message when its length is not a multiple of 16.
pub fn decode_address_map(bytes: &[u8]) -> Result<Vec<AddressRecord>, String> {
    if !bytes.len().is_multiple_of(ADDRESS_RECORD) {
        return Err(format!(
            "`.kiln.addrmap`: {} bytes is not a whole number of records",
            bytes.len()
        ));
    }
    Ok(bytes
        .chunks_exact(ADDRESS_RECORD)
        .map(|r| AddressRecord {
            item: u32_at(r, 0),
            code_start: u32_at(r, 4),
            code_end: u32_at(r, 8),
            wasm_offset: u32_at(r, 12),
        })
        .collect())
}

/// Builds the code tables of an object's `.text` (`code_len` bytes) from its item table,
/// trap sites and address map: a record per function item (offsets in `.text`) and one for
/// the trampolines, the array-call entry of every defined function, and the wasm-to-array
/// trampoline of every type. [`CodeTables::new`](crate::vm::CodeTables::new) then checks the records against
/// the code and the module.
///
/// # Errors
/// A message when the trap or address records are not sorted by item or name an item that
/// does not exist, when the items are not the functions in index order then the
/// trampolines, when a defined function lacks its function or array-entry item (or has
/// two), or when a type's wasm-to-array entry is not a wasm-to-array item.
pub fn code_tables(
    meta: &ObjectMeta,
    traps: &[TrapRecord],
    addrs: &[AddressRecord],
    code_len: u32,
) -> Result<EncodedTables, String> {
    let n = meta.items.len() as u32;
    if traps.windows(2).any(|w| w[0].item > w[1].item) || traps.last().is_some_and(|t| t.item >= n)
    {
        return Err("trap records are unsorted or name an unknown item".into());
    }
    if addrs.windows(2).any(|w| w[0].item > w[1].item) || addrs.last().is_some_and(|a| a.item >= n)
    {
        return Err("address records are unsorted or name an unknown item".into());
    }
    let defined = meta.num_defined_funcs as usize;
    let mut wasm_call = vec![None; defined];
    let mut array_call = vec![None; defined];
    let mut tables = EncodedTables::default();
    let (mut t, mut a) = (0, 0);
    for (i, item) in meta.items.iter().enumerate() {
        let i = i as u32;
        let t_end = t + traps[t..].iter().take_while(|r| r.item == i).count();
        let a_end = a + addrs[a..].iter().take_while(|r| r.item == i).count();
        let kind = match item.kind {
            ItemKind::Function => CodeKind::Wasm(item.index),
            _ => CodeKind::Trampoline,
        };
        let slot = match item.kind {
            ItemKind::Function => Some(&mut wasm_call),
            ItemKind::ArrayEntry => Some(&mut array_call),
            _ => None,
        };
        if let Some(slot) = slot {
            let d = item
                .index
                .checked_sub(meta.num_imported_funcs)
                .map(|d| d as usize)
                .filter(|d| *d < defined)
                .ok_or_else(|| {
                    format!("item {i} names function {}, which is not defined", item.index)
                })?;
            if slot[d].replace(item.text_offset).is_some() {
                return Err(format!(
                    "function {} has two items of kind {:?}",
                    item.index, item.kind
                ));
            }
        }
        let map: Vec<(u32, u32, u32)> =
            addrs[a..a_end].iter().map(|r| (r.code_start, r.code_end, r.wasm_offset)).collect();
        // Every range of the object's full map is a point of the loaded one.
        let points: Vec<u32> = map.iter().map(|r| r.0).collect();
        tables.push_function(
            kind,
            item.text_offset,
            item.size,
            traps[t..t_end].iter().map(|r| (r.offset, r.code)),
            &map,
            points,
        )?;
        (t, a) = (t_end, a_end);
    }
    let missing = |what: &str| format!("a defined function has no {what} item");
    if wasm_call.iter().any(Option::is_none) {
        return Err(missing("function"));
    }
    let array_call = array_call
        .into_iter()
        .collect::<Option<Vec<u32>>>()
        .ok_or_else(|| missing("array-entry"))?;
    let wasm_to_array = meta
        .wasm_to_array
        .iter()
        .map(|&item| match meta.items.get(item as usize) {
            Some(r) if r.kind == ItemKind::WasmToArray => Ok(r.text_offset),
            _ => Err(format!(
                "wasm-to-array entry names item {item}, not a wasm-to-array trampoline"
            )),
        })
        .collect::<Result<Vec<u32>, String>>()?;
    tables.set_entries(code_len, &array_call, &wasm_to_array);
    Ok(tables)
}

#[cfg(test)]
mod tests {
    use super::super::object_meta::sample;
    use super::*;
    use crate::vm::CodeTables;

    #[test]
    fn records_round_trip() {
        let traps = vec![
            TrapRecord { item: 0, offset: 4, code: TrapCode::Unreachable },
            TrapRecord { item: 0, offset: 9, code: TrapCode::IntegerDivideByZero },
        ];
        assert_eq!(decode_traps(&encode_traps(&traps)).unwrap(), traps);
        assert!(decode_traps(&[0; 11]).is_err());
        assert!(decode_traps(&[0; 12]).is_err(), "trap number 0 names no trap");
        let addrs = vec![AddressRecord { item: 0, code_start: 0, code_end: 4, wasm_offset: 100 }];
        assert_eq!(decode_address_map(&encode_address_map(&addrs)).unwrap(), addrs);
        assert!(decode_address_map(&[0; 15]).is_err());
    }

    #[test]
    fn tables_come_out_as_the_blob_linker_writes_them() {
        let meta = sample();
        let traps = [TrapRecord { item: 0, offset: 9, code: TrapCode::IntegerDivideByZero }];
        let addrs = [AddressRecord { item: 0, code_start: 0, code_end: 12, wasm_offset: 104 }];
        let (bytes, ranges) = code_tables(&meta, &traps, &addrs, 80).unwrap().into_shared();
        let t = CodeTables::new(bytes, ranges, 80, 1, 1, 1, None).unwrap();
        assert_eq!(t.num_functions(), 2, "the function and the trampolines");
        assert_eq!(t.trap_at(9), Some(TrapCode::IntegerDivideByZero));
        assert_eq!(t.wasm_location(5), Some((1, Some(104))));
        assert_eq!((t.wasm_call(0), t.array_call(0), t.wasm_to_array(0)), (0, 48, 64));

        let unknown = [traps[0], TrapRecord { item: 9, ..traps[0] }];
        assert!(code_tables(&meta, &unknown, &addrs, 80).is_err(), "unknown item");
        let unsorted = [TrapRecord { item: 1, ..traps[0] }, traps[0]];
        assert!(code_tables(&meta, &unsorted, &addrs, 80).is_err(), "unsorted");
        let mut bad = meta.clone();
        bad.wasm_to_array = vec![0];
        assert!(code_tables(&bad, &traps, &addrs, 80).is_err(), "entry is not a trampoline");
        let mut bad = meta.clone();
        bad.items[2].kind = ItemKind::Function;
        assert!(code_tables(&bad, &traps, &addrs, 80).is_err(), "two function items");
        let mut bad = meta;
        bad.items[0].index = 0;
        assert!(code_tables(&bad, &traps, &addrs, 80).is_err(), "an imported function");
    }
}
