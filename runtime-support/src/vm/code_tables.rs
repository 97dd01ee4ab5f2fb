//! The per-function tables of a module's native code, as fixed-layout little-endian arrays
//! that are read in place (DESIGN.md principle 3): straight out of a mapped artifact, or out
//! of a buffer the compiler just built. The trap handler's hot path (is this PC a trap
//! site?) and the backtrace's cold path (which wasm offset is this PC?) both read them.
//!
//! Layout (all fields `u32`, little-endian):
//! - functions, [`FUNCTION_RECORD_BYTES`] each, sorted by `start`, not overlapping:
//!   `start, len, func_index (u32::MAX for a trampoline), traps_start, traps_end,
//!   addrs_start, addrs_end, reserved (0)`; offsets in bytes from the start of the code,
//!   `traps_*`/`addrs_*` index ranges of the two arrays below;
//! - trap sites, [`TRAP_RECORD_BYTES`] each: `code_offset` (from the function's start),
//!   `trap` ([`TrapCode::to_u32`]), sorted by offset within each function;
//! - address map, [`ADDRESS_RECORD_BYTES`] each: `code_start, code_end` (from the
//!   function's start), `wasm_offset` (in the module binary), sorted by start; the
//!   compiler writes only the records backtraces look up (those answering its trap sites
//!   and the byte before each call's return address), so a lookup elsewhere may answer an
//!   earlier instruction's offset;
//! - entries: the wasm-call entry of every defined function, then its array-call entry,
//!   then the wasm-to-array trampoline of every module type (code offsets).

use crate::trap::TrapCode;
use std::ops::Range;
use std::sync::Arc;

/// Bytes shared between loaded code and its source: a mapped artifact file or an owned
/// buffer.
pub type SharedBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Size of one function record in bytes.
pub const FUNCTION_RECORD_BYTES: usize = 32;
/// Size of one trap-site record in bytes.
pub const TRAP_RECORD_BYTES: usize = 8;
/// Size of one address-map record in bytes.
pub const ADDRESS_RECORD_BYTES: usize = 12;

/// `func_index` of a trampoline's function record.
const TRAMPOLINE: u32 = u32::MAX;

/// What a piece of compiled code is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    /// The wasm-call entry of a defined function (by function index).
    Wasm(u32),
    /// A trampoline (never shown in backtraces).
    Trampoline,
}

/// One decoded function record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunctionRecord {
    /// What the code is.
    pub kind: CodeKind,
    /// Offset of its first byte in the code, in bytes.
    pub start: u32,
    /// Its length in bytes.
    pub len: u32,
    traps: (u32, u32),
    addrs: (u32, u32),
}

/// The four tables, encoded, as the compiler's link step produces them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EncodedTables {
    /// Function records.
    pub functions: Vec<u8>,
    /// Trap-site records.
    pub trap_sites: Vec<u8>,
    /// Address-map records.
    pub address_map: Vec<u8>,
    /// Entry offsets.
    pub entries: Vec<u8>,
}

impl EncodedTables {
    /// Appends a function record with its trap sites `(offset from the function's start,
    /// trap)` and address map `(code start, code end, wasm offset)`, both sorted by offset.
    /// Functions must be pushed in increasing `start` order.
    pub fn push_function(
        &mut self,
        kind: CodeKind,
        start: u32,
        len: u32,
        trap_sites: impl IntoIterator<Item = (u32, TrapCode)>,
        address_map: impl IntoIterator<Item = (u32, u32, u32)>,
    ) {
        let traps_start = (self.trap_sites.len() / TRAP_RECORD_BYTES) as u32;
        for (off, trap) in trap_sites {
            put(&mut self.trap_sites, &[off, trap.to_u32()]);
        }
        let traps_end = (self.trap_sites.len() / TRAP_RECORD_BYTES) as u32;
        let addrs_start = (self.address_map.len() / ADDRESS_RECORD_BYTES) as u32;
        for (s, e, w) in address_map {
            put(&mut self.address_map, &[s, e, w]);
        }
        let addrs_end = (self.address_map.len() / ADDRESS_RECORD_BYTES) as u32;
        let index = match kind {
            CodeKind::Wasm(f) => f,
            CodeKind::Trampoline => TRAMPOLINE,
        };
        put(
            &mut self.functions,
            &[start, len, index, traps_start, traps_end, addrs_start, addrs_end, 0],
        );
    }

    /// Sets the entries: wasm-call and array-call entry of each defined function (same
    /// length), and the wasm-to-array trampoline of each module type.
    pub fn set_entries(&mut self, wasm_call: &[u32], array_call: &[u32], wasm_to_array: &[u32]) {
        self.entries.clear();
        put(&mut self.entries, wasm_call);
        put(&mut self.entries, array_call);
        put(&mut self.entries, wasm_to_array);
    }

    /// The four tables concatenated into one buffer, with the range of each (for
    /// [`CodeTables::new`]).
    pub fn into_shared(self) -> (SharedBytes, TableRanges) {
        let mut buf = Vec::with_capacity(
            self.functions.len()
                + self.trap_sites.len()
                + self.address_map.len()
                + self.entries.len(),
        );
        let mut take = |v: &[u8]| {
            let start = buf.len();
            buf.extend_from_slice(v);
            start..buf.len()
        };
        let ranges = TableRanges {
            functions: take(&self.functions),
            trap_sites: take(&self.trap_sites),
            address_map: take(&self.address_map),
            entries: take(&self.entries),
        };
        (Arc::new(buf), ranges)
    }
}

fn put(out: &mut Vec<u8>, words: &[u32]) {
    for w in words {
        out.extend_from_slice(&w.to_le_bytes());
    }
}

/// Where each table lies in a [`SharedBytes`] buffer (byte ranges).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableRanges {
    /// Function records.
    pub functions: Range<usize>,
    /// Trap-site records.
    pub trap_sites: Range<usize>,
    /// Address-map records.
    pub address_map: Range<usize>,
    /// Entry offsets.
    pub entries: Range<usize>,
}

/// Validated, read-in-place code tables of one module.
pub struct CodeTables {
    bytes: SharedBytes,
    ranges: TableRanges,
    num_functions: usize,
    num_defined: usize,
    num_types: usize,
    code_len: usize,
}

impl std::fmt::Debug for CodeTables {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeTables")
            .field("ranges", &self.ranges)
            .field("num_functions", &self.num_functions)
            .finish_non_exhaustive()
    }
}

/// The bytes behind a [`SharedBytes`].
pub fn bytes_of(b: &SharedBytes) -> &[u8] {
    (**b).as_ref()
}

fn word(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i * 4], b[i * 4 + 1], b[i * 4 + 2], b[i * 4 + 3]])
}

impl CodeTables {
    /// Checks the tables in `bytes` at `ranges` against code of `code_len` bytes and a
    /// module with `num_defined` defined functions and `num_types` types: every record is in
    /// bounds, functions are sorted and disjoint, trap sites and address maps sorted and
    /// inside their function, trap codes known, entries inside the code.
    ///
    /// # Errors
    /// A message naming the first inconsistency.
    pub fn new(
        bytes: SharedBytes,
        ranges: TableRanges,
        code_len: usize,
        num_defined: u32,
        num_types: u32,
    ) -> Result<Self, String> {
        let total = bytes_of(&bytes).len();
        for (name, r, unit) in [
            ("function table", &ranges.functions, FUNCTION_RECORD_BYTES),
            ("trap table", &ranges.trap_sites, TRAP_RECORD_BYTES),
            ("address map", &ranges.address_map, ADDRESS_RECORD_BYTES),
            ("entry table", &ranges.entries, 4),
        ] {
            if r.start > r.end || r.end > total || r.len() % unit != 0 {
                return Err(format!("{name} has a bad size or lies outside its section"));
            }
        }
        let num_defined = num_defined as usize;
        if ranges.entries.len() != 4 * (2 * num_defined + num_types as usize) {
            return Err("entry table does not match the module's functions and types".into());
        }
        let t = Self {
            num_functions: ranges.functions.len() / FUNCTION_RECORD_BYTES,
            bytes,
            ranges,
            num_defined,
            num_types: num_types as usize,
            code_len,
        };
        t.check_records()?;
        Ok(t)
    }

    /// The record checks of [`CodeTables::new`], over the tables' bytes in place (one pass
    /// over each table; no allocation).
    fn check_records(&self) -> Result<(), String> {
        let traps = self.slice(&self.ranges.trap_sites);
        let addrs = self.slice(&self.ranges.address_map);
        let num_traps = (traps.len() / TRAP_RECORD_BYTES) as u32;
        let num_addrs = (addrs.len() / ADDRESS_RECORD_BYTES) as u32;
        let code_len = self.code_len as u64;
        let mut prev_end = 0u64;
        for (i, rec) in
            self.slice(&self.ranges.functions).chunks_exact(FUNCTION_RECORD_BYTES).enumerate()
        {
            let w = |k| word(rec, k);
            let (start, len) = (w(0), w(1));
            let end = u64::from(start) + u64::from(len);
            if u64::from(start) < prev_end || end > code_len {
                return Err(format!(
                    "function record {i} overlaps another or lies outside the code"
                ));
            }
            prev_end = end;
            let (ts, te, as_, ae) = (w(3), w(4), w(5), w(6));
            if ts > te || te > num_traps || as_ > ae || ae > num_addrs {
                return Err(format!("function record {i} names table entries that do not exist"));
            }
            let mut last = 0;
            let records = traps[ts as usize * TRAP_RECORD_BYTES..te as usize * TRAP_RECORD_BYTES]
                .chunks_exact(TRAP_RECORD_BYTES);
            for (j, r) in records.enumerate() {
                let (off, code) = (word(r, 0), word(r, 1));
                if off >= len || off < last || TrapCode::from_u32(code).is_none() {
                    return Err(format!(
                        "trap site {} is unsorted, outside its function or unknown",
                        ts as usize + j
                    ));
                }
                last = off;
            }
            let mut last = 0;
            let records = addrs
                [as_ as usize * ADDRESS_RECORD_BYTES..ae as usize * ADDRESS_RECORD_BYTES]
                .chunks_exact(ADDRESS_RECORD_BYTES);
            for (j, r) in records.enumerate() {
                let (s, e) = (word(r, 0), word(r, 1));
                if s < last || s > e || e > len {
                    return Err(format!(
                        "address map entry {} is unsorted or outside its function",
                        as_ as usize + j
                    ));
                }
                last = s;
            }
        }
        let entries = self.slice(&self.ranges.entries);
        if entries.chunks_exact(4).any(|e| u64::from(word(e, 0)) >= code_len) {
            return Err("an entry point lies outside the code".into());
        }
        Ok(())
    }

    fn slice(&self, r: &Range<usize>) -> &[u8] {
        &bytes_of(&self.bytes)[r.clone()]
    }

    fn trap_record(&self, j: u32) -> (u32, u32) {
        let b = self.slice(&self.ranges.trap_sites);
        let j = j as usize * 2;
        (word(b, j), word(b, j + 1))
    }

    fn addr_record(&self, j: u32) -> (u32, u32, u32) {
        let b = self.slice(&self.ranges.address_map);
        let j = j as usize * 3;
        (word(b, j), word(b, j + 1), word(b, j + 2))
    }

    /// A copy of the four tables, encoded (to write them into an artifact again).
    pub fn to_encoded(&self) -> EncodedTables {
        EncodedTables {
            functions: self.slice(&self.ranges.functions).to_vec(),
            trap_sites: self.slice(&self.ranges.trap_sites).to_vec(),
            address_map: self.slice(&self.ranges.address_map).to_vec(),
            entries: self.slice(&self.ranges.entries).to_vec(),
        }
    }

    /// Length of the code these tables describe, in bytes.
    pub fn code_len(&self) -> usize {
        self.code_len
    }

    /// `(defined functions, types)` of the module these tables were checked against.
    pub fn module_shape(&self) -> (u32, u32) {
        (self.num_defined as u32, self.num_types as u32)
    }

    /// Number of function records (functions and trampolines).
    pub fn num_functions(&self) -> usize {
        self.num_functions
    }

    /// Function record `i` (`i < num_functions()`).
    pub fn function(&self, i: usize) -> FunctionRecord {
        let b = self.slice(&self.ranges.functions);
        let w = |k| word(b, i * 8 + k);
        FunctionRecord {
            kind: match w(2) {
                TRAMPOLINE => CodeKind::Trampoline,
                f => CodeKind::Wasm(f),
            },
            start: w(0),
            len: w(1),
            traps: (w(3), w(4)),
            addrs: (w(5), w(6)),
        }
    }

    /// The function containing code offset `off`, if any (binary search; no allocation).
    pub fn function_at(&self, off: u32) -> Option<FunctionRecord> {
        let (mut lo, mut hi) = (0usize, self.num_functions);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.function(mid).start <= off {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let f = self.function(lo.checked_sub(1)?);
        (off < f.start + f.len).then_some(f)
    }

    /// The trap raised by the instruction at code offset `off`, if it is a trap site.
    pub fn trap_at(&self, off: u32) -> Option<TrapCode> {
        let f = self.function_at(off)?;
        let rel = off - f.start;
        let (mut lo, mut hi) = f.traps;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (o, code) = self.trap_record(mid);
            match o.cmp(&rel) {
                std::cmp::Ordering::Equal => return TrapCode::from_u32(code),
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        None
    }

    /// The function index and the wasm offset of the instruction that generated the code
    /// at offset `off`, when it lies in a wasm function.
    pub fn wasm_location(&self, off: u32) -> Option<(u32, Option<u32>)> {
        let f = self.function_at(off)?;
        let CodeKind::Wasm(func) = f.kind else { return None };
        let rel = off - f.start;
        let (mut lo, mut hi) = f.addrs;
        let first = lo;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.addr_record(mid).0 <= rel {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let wasm = (lo > first).then(|| self.addr_record(lo - 1).2);
        Some((func, wasm))
    }

    /// Number of trap sites.
    pub fn num_trap_sites(&self) -> usize {
        self.ranges.trap_sites.len() / TRAP_RECORD_BYTES
    }

    fn entry(&self, i: usize) -> u32 {
        word(self.slice(&self.ranges.entries), i)
    }

    /// Code offset of the wasm-call entry of defined function `defined_index`.
    pub fn wasm_call(&self, defined_index: u32) -> u32 {
        assert!((defined_index as usize) < self.num_defined, "defined function index out of range");
        self.entry(defined_index as usize)
    }

    /// Code offset of the array-call entry of defined function `defined_index`.
    pub fn array_call(&self, defined_index: u32) -> u32 {
        assert!((defined_index as usize) < self.num_defined, "defined function index out of range");
        self.entry(self.num_defined + defined_index as usize)
    }

    /// Code offset of the wasm-to-array trampoline serving module type `ty`.
    pub fn wasm_to_array(&self, ty: u32) -> u32 {
        self.entry(2 * self.num_defined + ty as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables() -> EncodedTables {
        let mut t = EncodedTables::default();
        t.push_function(
            CodeKind::Wasm(1),
            0,
            32,
            [(4, TrapCode::Unreachable), (9, TrapCode::IntegerDivideByZero)],
            [(0, 4, 100), (4, 12, 104)],
        );
        t.push_function(CodeKind::Trampoline, 32, 16, [], []);
        t.set_entries(&[0], &[32], &[32]);
        t
    }

    #[test]
    fn lookups_read_the_encoded_records() {
        let (bytes, ranges) = tables().into_shared();
        let t = CodeTables::new(bytes, ranges, 48, 1, 1).unwrap();
        assert_eq!(t.num_functions(), 2);
        assert_eq!(t.trap_at(9), Some(TrapCode::IntegerDivideByZero));
        assert_eq!(t.trap_at(8), None);
        assert_eq!(t.wasm_location(5), Some((1, Some(104))));
        assert_eq!(t.wasm_location(40), None);
        assert_eq!(t.function_at(48), None);
        assert_eq!((t.wasm_call(0), t.array_call(0), t.wasm_to_array(0)), (0, 32, 32));
    }

    #[test]
    fn inconsistent_tables_are_rejected() {
        let (bytes, ranges) = tables().into_shared();
        assert!(
            CodeTables::new(bytes.clone(), ranges.clone(), 40, 1, 1).is_err(),
            "code too short"
        );
        assert!(CodeTables::new(bytes.clone(), ranges.clone(), 48, 2, 1).is_err(), "entry count");
        let mut v = bytes_of(&bytes).to_vec();
        v[ranges.trap_sites.start + 4] = 99; // unknown trap code
        assert!(CodeTables::new(Arc::new(v), ranges, 48, 1, 1).is_err());
    }
}
