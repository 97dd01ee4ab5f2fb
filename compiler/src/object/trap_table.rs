//! The `.kiln.traps` section: every trap site of an object's code, as a fixed little-endian
//! array of 12-byte records `(item: u32, offset: u32, code: u32)` sorted by item then
//! offset. `item` is the code item's number in `.kiln.meta` (and its code symbol), `offset`
//! the trapping instruction's offset from the item's symbol, `code` the trap's number
//! ([`trap_code_number`]).

use super::meta::u32_at;
use crate::settings::error;
use kiln_runtime_support::{CompileError, TrapCode};

const RECORD: usize = 12;

/// The number of a trap code in `.kiln.traps`: one more than its stable runtime number
/// ([`TrapCode::to_u32`]), so 1 is `unreachable` and 0 never names a trap.
pub fn trap_code_number(code: TrapCode) -> u32 {
    code.to_u32() + 1
}

/// The trap code numbered `number`, if any.
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

/// Encodes trap records (already sorted by item then offset).
pub fn encode_traps(records: &[TrapRecord]) -> Vec<u8> {
    let mut out = Vec::with_capacity(records.len() * RECORD);
    for r in records {
        for v in [r.item, r.offset, trap_code_number(r.code)] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out
}

/// Decodes a `.kiln.traps` section.
///
/// # Errors
/// When its length is not a multiple of 12 or a trap number is unknown.
pub fn decode_traps(bytes: &[u8]) -> Result<Vec<TrapRecord>, CompileError> {
    if !bytes.len().is_multiple_of(RECORD) {
        return Err(error(format!(
            "`.kiln.traps`: {} bytes is not a whole number of records",
            bytes.len()
        )));
    }
    bytes
        .chunks_exact(RECORD)
        .map(|r| {
            let number = u32_at(r, 8);
            Ok(TrapRecord {
                item: u32_at(r, 0),
                offset: u32_at(r, 4),
                code: trap_code_from_number(number)
                    .ok_or_else(|| error(format!("`.kiln.traps`: unknown trap number {number}")))?,
            })
        })
        .collect()
}
