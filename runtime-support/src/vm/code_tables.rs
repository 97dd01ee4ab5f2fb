//! The per-function tables of a module's native code, read in place (DESIGN.md principle 3):
//! straight out of a mapped artifact, or out of a buffer the compiler just built. The trap
//! handler's hot path (is this PC a trap site?) and the backtrace's cold path (which wasm
//! offset is this PC?) both read them; nothing is decoded at load.
//!
//! The code is a sequence of records: the wasm functions in function-index order, then (when
//! there are any) one record for all the trampolines together, which backtraces never show.
//! Layout (little-endian):
//!
//! - functions: a 16-byte head `records: u32, first_func_index: u32, wasm_records: u32, 0`,
//!   then `records + 1` entries of [`FUNCTION_ENTRY_BYTES`]: `start` (code offset of the
//!   record's first byte), `traps` (byte offset of its trap sites in the trap-site table),
//!   `addrs` (byte offset of its part of the address map), each `u32`. The extra last entry
//!   is `(code length, trap-site table length, address-map length)`, so record `i` spans
//!   `start[i]..start[i + 1]` of the code (alignment padding included) and the byte ranges
//!   up to the next entry's of the other two tables.
//! - trap sites (hot): per record, sorted by offset, the trapping instructions' offsets from
//!   the record's start — `u16` each when the record spans at most 64 KiB, else `u32` — then
//!   as many trap codes, one byte each ([`TrapCode::to_u32`]). A lookup is two binary
//!   searches, in place.
//! - entries: the array-call entry of every defined function, then the wasm-to-array
//!   trampoline of every module type (code offsets, `u32`). A function's wasm-call entry is
//!   its record's start.
//! - address map (cold: verified on first use, see [`crate::artifact::cold`]): per record,
//!   only the points a backtrace asks about — for each trap site, in trap-site order, its
//!   wasm offset plus one (0: none), as a LEB128 zigzag difference from the previous point's
//!   (the first from 0); then each call site as the LEB128 difference of its code offset
//!   from the previous call site's (the first from the record's start) and the zigzag
//!   difference of its wasm offset plus one from the previous point's. A call site's
//!   code offset is the byte before the call's return address, which is what a backtrace
//!   looks up for a caller's frame. A lookup at offset `o` answers the point at the largest
//!   code offset at or before `o`.

use crate::artifact::cold::ColdSections;
use crate::leb128::{self, Reader};
use crate::trap::TrapCode;
use std::ops::Range;
use std::sync::Arc;

/// Bytes shared between loaded code and its source: a mapped artifact file or an owned
/// buffer.
pub type SharedBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Size of the function table's head in bytes.
pub const FUNCTION_HEAD_BYTES: usize = 16;
/// Size of one function-table entry in bytes.
pub const FUNCTION_ENTRY_BYTES: usize = 12;
/// Largest record whose trap-site offsets are stored as `u16`, in bytes.
const SHORT_RECORD: u32 = 1 << 16;

/// What a piece of compiled code is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    /// The wasm-call entry of a defined function (by function index).
    Wasm(u32),
    /// A trampoline (never shown in backtraces).
    Trampoline,
}

/// One record of the function table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunctionRecord {
    /// What the code is.
    pub kind: CodeKind,
    /// Offset of its first byte in the code, in bytes.
    pub start: u32,
    /// Its length in bytes (up to the next record's start).
    pub len: u32,
    traps: (u32, u32),
    addrs: (u32, u32),
}

/// The four tables, encoded, as the compiler's link step produces them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EncodedTables {
    /// The function table (head and entries, without the last entry until
    /// [`EncodedTables::set_entries`]).
    pub functions: Vec<u8>,
    /// Trap sites.
    pub trap_sites: Vec<u8>,
    /// The address map.
    pub address_map: Vec<u8>,
    /// Entry offsets.
    pub entries: Vec<u8>,
    /// The record being built: the trampolines' (which are merged into one).
    open: Option<OpenRecord>,
    records: u32,
    wasm_records: u32,
    first_func_index: u32,
    code_end: u32,
}

/// A record whose tables are still being collected (the trampolines' record).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct OpenRecord {
    start: u32,
    traps: Vec<(u32, TrapCode)>,
}

fn put(out: &mut Vec<u8>, words: &[u32]) {
    for w in words {
        out.extend_from_slice(&w.to_le_bytes());
    }
}

fn word(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

impl EncodedTables {
    /// Finished tables from their encoded bytes (as an artifact holds them).
    pub fn from_parts(
        functions: Vec<u8>,
        trap_sites: Vec<u8>,
        address_map: Vec<u8>,
        entries: Vec<u8>,
    ) -> Self {
        Self { functions, trap_sites, address_map, entries, ..Self::default() }
    }

    /// Appends the code at `start..start + len` with its trap sites `(offset from start,
    /// trap)` and its address map `(code start, code end, wasm offset)` (offsets from
    /// `start`), both sorted by code offset. For a wasm function, only the address map's
    /// answers at the trap sites and at `call_sites` (the byte before each call's return
    /// address, from `start`) are kept: what backtraces look up. Code must be pushed in
    /// increasing `start` order: the wasm functions by consecutive function index, then
    /// the trampolines (merged into one record).
    ///
    /// # Errors
    /// When the order is broken.
    pub fn push_function(
        &mut self,
        kind: CodeKind,
        start: u32,
        len: u32,
        trap_sites: impl IntoIterator<Item = (u32, TrapCode)>,
        address_map: &[(u32, u32, u32)],
        call_sites: impl IntoIterator<Item = u32>,
    ) -> Result<(), String> {
        let end = start.checked_add(len).ok_or("code longer than 4 GiB")?;
        if start < self.code_end {
            return Err(format!("code at {start:#x} overlaps the code before it"));
        }
        self.code_end = end;
        match kind {
            CodeKind::Trampoline => {
                let open = self.open.get_or_insert_with(|| OpenRecord { start, traps: Vec::new() });
                let base = start - open.start;
                open.traps.extend(trap_sites.into_iter().map(|(o, t)| (base + o, t)));
                Ok(())
            }
            CodeKind::Wasm(f) => {
                if self.open.is_some() {
                    return Err(format!("function {f} comes after the trampolines"));
                }
                if self.records == 0 {
                    self.first_func_index = f;
                } else if f != self.first_func_index + self.records {
                    return Err(format!("function {f} is out of order"));
                }
                let traps: Vec<(u32, TrapCode)> = trap_sites.into_iter().collect();
                let answer = |o: u32| {
                    let i = address_map.partition_point(|e| e.0 <= o);
                    i.checked_sub(1).map(|i| address_map[i].2)
                };
                let mut points: Vec<(u32, u32)> =
                    call_sites.into_iter().filter_map(|o| Some((o, answer(o)?))).collect();
                points.sort_unstable();
                points.dedup_by_key(|p| p.0);
                self.wasm_records += 1;
                // Points store `wasm offset + 1`, 0 for a trap site the map does not cover.
                self.push_record(start, &traps, len, |out| {
                    let mut prev = 0i64;
                    for (o, _) in &traps {
                        let w = answer(*o).map_or(0, |w| i64::from(w) + 1);
                        leb128::put_signed(out, w - prev);
                        prev = w;
                    }
                    let mut prev_code = 0u32;
                    for (o, w) in points {
                        leb128::put(out, u64::from(o - prev_code));
                        leb128::put_signed(out, i64::from(w) + 1 - prev);
                        (prev_code, prev) = (o, i64::from(w) + 1);
                    }
                });
                Ok(())
            }
        }
    }

    /// Appends a record's function entry and its trap sites and address map (written by
    /// `addrs`).
    fn push_record(
        &mut self,
        start: u32,
        traps: &[(u32, TrapCode)],
        len: u32,
        addrs: impl FnOnce(&mut Vec<u8>),
    ) {
        if self.functions.is_empty() {
            self.functions.resize(FUNCTION_HEAD_BYTES, 0);
        }
        put(
            &mut self.functions,
            &[start, self.trap_sites.len() as u32, self.address_map.len() as u32],
        );
        for (o, _) in traps {
            if len <= SHORT_RECORD {
                self.trap_sites.extend_from_slice(&(*o as u16).to_le_bytes());
            } else {
                self.trap_sites.extend_from_slice(&o.to_le_bytes());
            }
        }
        self.trap_sites.extend(traps.iter().map(|(_, t)| t.to_u32() as u8));
        addrs(&mut self.address_map);
        self.records += 1;
    }

    /// Closes the tables (the trampolines' record, the function table's head and last
    /// entry, for code of `code_len` bytes) and sets the entries: the array-call entry of
    /// each defined function and the wasm-to-array trampoline of each module type.
    pub fn set_entries(&mut self, code_len: u32, array_call: &[u32], wasm_to_array: &[u32]) {
        if let Some(open) = self.open.take() {
            let len = code_len.saturating_sub(open.start);
            self.push_record(open.start, &open.traps, len, |_| {});
        }
        if self.functions.is_empty() {
            self.functions.resize(FUNCTION_HEAD_BYTES, 0);
        }
        let head = [self.records, self.first_func_index, self.wasm_records, 0];
        for (i, w) in head.iter().enumerate() {
            self.functions[4 * i..4 * i + 4].copy_from_slice(&w.to_le_bytes());
        }
        put(
            &mut self.functions,
            &[code_len, self.trap_sites.len() as u32, self.address_map.len() as u32],
        );
        self.entries.clear();
        put(&mut self.entries, array_call);
        put(&mut self.entries, wasm_to_array);
    }

    /// Every wasm offset the address map holds (for the source-line table).
    pub fn wasm_offsets(&self) -> Vec<u32> {
        let mut out = Vec::new();
        let t = TableView { functions: &self.functions, trap_sites: &self.trap_sites };
        for i in 0..t.records() {
            let Some(r) = t.record(i) else { continue };
            let Some(b) = self.address_map.get(r.addrs.0 as usize..r.addrs.1 as usize) else {
                continue;
            };
            let mut reader = Reader::new(b);
            let mut prev = 0i64;
            let mut push = |prev: i64| {
                if let Ok(w) = u32::try_from(prev - 1) {
                    out.push(w);
                }
            };
            for _ in 0..t.trap_count(&r) {
                let Some(d) = reader.get_signed() else { break };
                prev += d;
                push(prev);
            }
            while !reader.is_empty() {
                let (Some(_), Some(d)) = (reader.get(), reader.get_signed()) else { break };
                prev += d;
                push(prev);
            }
        }
        out
    }

    /// The tables concatenated into one buffer, with the range of each (for
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

/// Where each table lies in a [`SharedBytes`] buffer (byte ranges).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableRanges {
    /// The function table.
    pub functions: Range<usize>,
    /// Trap sites.
    pub trap_sites: Range<usize>,
    /// The address map.
    pub address_map: Range<usize>,
    /// Entry offsets.
    pub entries: Range<usize>,
}

/// Reads of the function and trap-site tables, bounds-checked (`None` where they are
/// inconsistent).
#[derive(Clone, Copy)]
struct TableView<'a> {
    functions: &'a [u8],
    trap_sites: &'a [u8],
}

impl TableView<'_> {
    fn head(&self, i: usize) -> u32 {
        word(self.functions, 4 * i).unwrap_or(0)
    }

    fn records(&self) -> usize {
        self.head(0) as usize
    }

    fn entry(&self, i: usize) -> Option<(u32, u32, u32)> {
        let at = FUNCTION_HEAD_BYTES + i * FUNCTION_ENTRY_BYTES;
        Some((
            word(self.functions, at)?,
            word(self.functions, at + 4)?,
            word(self.functions, at + 8)?,
        ))
    }

    fn record(&self, i: usize) -> Option<FunctionRecord> {
        let (start, traps, addrs) = self.entry(i)?;
        let (end, traps_end, addrs_end) = self.entry(i + 1)?;
        let wasm = self.head(2) as usize;
        Some(FunctionRecord {
            kind: if i < wasm {
                CodeKind::Wasm(self.head(1).checked_add(i as u32)?)
            } else {
                CodeKind::Trampoline
            },
            start,
            len: end.checked_sub(start)?,
            traps: (traps, traps_end),
            addrs: (addrs, addrs_end),
        })
    }

    /// The width of `r`'s trap-site offsets in bytes.
    fn width(r: &FunctionRecord) -> usize {
        if r.len <= SHORT_RECORD { 2 } else { 4 }
    }

    fn trap_count(&self, r: &FunctionRecord) -> usize {
        (r.traps.1.saturating_sub(r.traps.0) as usize) / (Self::width(r) + 1)
    }

    /// `r`'s trap sites: offsets and codes.
    fn traps(&self, r: &FunctionRecord) -> Option<(&[u8], &[u8])> {
        let b = self.trap_sites.get(r.traps.0 as usize..r.traps.1 as usize)?;
        let w = Self::width(r);
        if b.len() % (w + 1) != 0 {
            return None;
        }
        Some(b.split_at(b.len() / (w + 1) * w))
    }

    /// The index in `r`'s trap sites of the last one at or before `rel`, and its offset.
    fn trap_at_or_before(&self, r: &FunctionRecord, rel: u32) -> Option<(usize, u32)> {
        let (offsets, _) = self.traps(r)?;
        let w = Self::width(r);
        let at = |k: usize| -> u32 {
            let b = &offsets[k * w..k * w + w];
            if w == 2 {
                u32::from(u16::from_le_bytes([b[0], b[1]]))
            } else {
                u32::from_le_bytes([b[0], b[1], b[2], b[3]])
            }
        };
        let n = offsets.len() / w;
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if at(mid) <= rel {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let k = lo.checked_sub(1)?;
        Some((k, at(k)))
    }
}

/// A point of the address map ([`CodeTables::points`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MapPoint {
    /// Code offset from the record's start: a trap site's instruction, or the last byte of a
    /// call instruction (the byte before its return address; not an instruction boundary).
    pub code: u32,
    /// The wasm offset of the instruction that generated it.
    pub wasm: u32,
    /// Whether it is a call site (else a trap site).
    pub call: bool,
}

/// Validated, read-in-place code tables of one module.
pub struct CodeTables {
    bytes: SharedBytes,
    ranges: TableRanges,
    num_defined: usize,
    num_types: usize,
    code_len: usize,
    /// The cold address map's digest check, for tables loaded from an artifact.
    cold: Option<Arc<ColdSections>>,
}

impl std::fmt::Debug for CodeTables {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeTables")
            .field("ranges", &self.ranges)
            .field("num_functions", &self.num_functions())
            .finish_non_exhaustive()
    }
}

/// The bytes behind a [`SharedBytes`].
pub fn bytes_of(b: &SharedBytes) -> &[u8] {
    (**b).as_ref()
}

impl CodeTables {
    /// Checks the tables in `bytes` at `ranges` against code of `code_len` bytes and a
    /// module with `num_imported` imported and `num_defined` defined functions and
    /// `num_types` types: the function table's head names them; its entries are in order,
    /// inside the code and the other tables; the entries lie inside the code. The trap sites
    /// and the address map are not read: lookups bounds-check every read, and the address
    /// map, when `cold` is given, is verified against its digest on first use.
    ///
    /// # Errors
    /// A message naming the first inconsistency.
    pub fn new(
        bytes: SharedBytes,
        ranges: TableRanges,
        code_len: usize,
        num_imported: u32,
        num_defined: u32,
        num_types: u32,
        cold: Option<Arc<ColdSections>>,
    ) -> Result<Self, String> {
        let total = bytes_of(&bytes).len();
        for (name, r) in [
            ("function table", &ranges.functions),
            ("trap table", &ranges.trap_sites),
            ("address map", &ranges.address_map),
            ("entry table", &ranges.entries),
        ] {
            if r.start > r.end || r.end > total {
                return Err(format!("{name} lies outside its section"));
            }
        }
        let num_defined = num_defined as usize;
        if ranges.entries.len() != 4 * (num_defined + num_types as usize) {
            return Err("entry table does not match the module's functions and types".into());
        }
        let t = Self { bytes, ranges, num_defined, num_types: num_types as usize, code_len, cold };
        t.check_functions(num_imported)?;
        let entries = t.slice(&t.ranges.entries);
        if entries
            .chunks_exact(4)
            .any(|e| u64::from(word(e, 0).unwrap_or(u32::MAX)) >= code_len as u64)
        {
            return Err("an entry point lies outside the code".into());
        }
        Ok(t)
    }

    /// The function-table checks of [`CodeTables::new`] (one pass; no allocation).
    fn check_functions(&self, num_imported: u32) -> Result<(), String> {
        let view = self.view();
        let f = view.functions;
        let records = view.records();
        let trampolines = records.checked_sub(self.num_defined);
        if f.len() < FUNCTION_HEAD_BYTES
            || (self.num_defined > 0 && view.head(1) != num_imported)
            || view.head(2) as usize != self.num_defined
            || !matches!(trampolines, Some(0 | 1))
            || view.head(3) != 0
            || Some(f.len())
                != records
                    .checked_add(1)
                    .and_then(|n| n.checked_mul(FUNCTION_ENTRY_BYTES))
                    .map(|n| n + FUNCTION_HEAD_BYTES)
        {
            return Err("function table does not match the module's functions".into());
        }
        let mut prev = (0u32, 0u32, 0u32);
        for i in 0..=records {
            let e = view.entry(i).ok_or("function table is truncated")?;
            if e.0 < prev.0 || e.1 < prev.1 || e.2 < prev.2 {
                return Err(format!("function table entry {i} is out of order"));
            }
            prev = e;
        }
        let ends = (
            self.code_len as u32,
            self.ranges.trap_sites.len() as u32,
            self.ranges.address_map.len() as u32,
        );
        if u64::from(prev.0) != self.code_len as u64 || (prev.1, prev.2) != (ends.1, ends.2) {
            return Err("function table does not end where the code and tables end".into());
        }
        Ok(())
    }

    fn slice(&self, r: &Range<usize>) -> &[u8] {
        &bytes_of(&self.bytes)[r.clone()]
    }

    fn view(&self) -> TableView<'_> {
        TableView {
            functions: self.slice(&self.ranges.functions),
            trap_sites: self.slice(&self.ranges.trap_sites),
        }
    }

    /// A copy of the four tables, encoded (to write them into an artifact again).
    pub fn to_encoded(&self) -> EncodedTables {
        EncodedTables::from_parts(
            self.slice(&self.ranges.functions).to_vec(),
            self.slice(&self.ranges.trap_sites).to_vec(),
            self.slice(&self.ranges.address_map).to_vec(),
            self.slice(&self.ranges.entries).to_vec(),
        )
    }

    /// Length of the code these tables describe, in bytes.
    pub fn code_len(&self) -> usize {
        self.code_len
    }

    /// `(defined functions, types)` of the module these tables were checked against.
    pub fn module_shape(&self) -> (u32, u32) {
        (self.num_defined as u32, self.num_types as u32)
    }

    /// Number of records (the wasm functions, plus one for the trampolines if any).
    pub fn num_functions(&self) -> usize {
        self.view().records()
    }

    /// Record `i` (`i < num_functions()`; `None` otherwise).
    pub fn function(&self, i: usize) -> Option<FunctionRecord> {
        if i >= self.num_functions() {
            return None;
        }
        self.view().record(i)
    }

    /// The record containing code offset `off`, if any (binary search; no allocation).
    pub fn function_at(&self, off: u32) -> Option<FunctionRecord> {
        let view = self.view();
        let (mut lo, mut hi) = (0usize, view.records());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if view.entry(mid)?.0 <= off {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let f = view.record(lo.checked_sub(1)?)?;
        (off - f.start < f.len).then_some(f)
    }

    /// The trap raised by the instruction at code offset `off`, if it is a trap site. Does
    /// not allocate (the signal handler calls it).
    pub fn trap_at(&self, off: u32) -> Option<TrapCode> {
        let f = self.function_at(off)?;
        let view = self.view();
        let (k, at) = view.trap_at_or_before(&f, off - f.start)?;
        if at != off - f.start {
            return None;
        }
        let (_, codes) = view.traps(&f)?;
        TrapCode::from_u32(u32::from(*codes.get(k)?))
    }

    /// The function index and the wasm offset of the instruction that generated the code
    /// at offset `off`, when it lies in a wasm function. The wasm offset is `None` when the
    /// address map has no point at or before `off` in the function, or fails its digest.
    pub fn wasm_location(&self, off: u32) -> Option<(u32, Option<u32>)> {
        let f = self.function_at(off)?;
        let CodeKind::Wasm(func) = f.kind else { return None };
        Some((func, self.wasm_offset(&f, off - f.start)))
    }

    fn wasm_offset(&self, f: &FunctionRecord, rel: u32) -> Option<u32> {
        if let Some(cold) = &self.cold {
            cold.verify().ok()?;
        }
        let view = self.view();
        let map =
            self.slice(&self.ranges.address_map).get(f.addrs.0 as usize..f.addrs.1 as usize)?;
        let trap = view.trap_at_or_before(f, rel);
        let mut r = Reader::new(map);
        let (mut prev, mut best) = (0i64, None::<(u32, i64)>);
        for k in 0..view.trap_count(f) {
            prev = prev.checked_add(r.get_signed()?)?;
            if trap.is_some_and(|(j, _)| j == k) {
                best = trap.map(|(_, at)| (at, prev));
            }
        }
        let mut code = 0u32;
        while !r.is_empty() {
            code = code.checked_add(u32::try_from(r.get()?).ok()?)?;
            prev = prev.checked_add(r.get_signed()?)?;
            if code > rel {
                break;
            }
            if best.is_none_or(|(at, _)| code > at) {
                best = Some((code, prev));
            }
        }
        best.and_then(|(_, w)| u32::try_from(w.checked_sub(1)?).ok())
    }

    /// Every point of record `f`'s address map, sorted by code offset: its trap sites and
    /// call sites (the code a backtrace or a debugger's line table can name). Points without
    /// a wasm offset are left out; a map that fails its digest or reads inconsistently gives
    /// what was read before.
    pub fn points(&self, f: &FunctionRecord) -> Vec<MapPoint> {
        let mut out = Vec::new();
        if self.cold.as_ref().is_some_and(|c| c.verify().is_err()) {
            return out;
        }
        let view = self.view();
        let Some(map) =
            self.slice(&self.ranges.address_map).get(f.addrs.0 as usize..f.addrs.1 as usize)
        else {
            return out;
        };
        let w = TableView::width(f);
        let offsets = view.traps(f).map_or(&[][..], |(o, _)| o);
        let mut r = Reader::new(map);
        let mut prev = 0i64;
        let mut push = |code: u32, wasm: i64, call: bool| {
            if let Some(wasm) = wasm.checked_sub(1).and_then(|w| u32::try_from(w).ok()) {
                out.push(MapPoint { code, wasm, call });
            }
        };
        for b in offsets.chunks_exact(w) {
            let code = if w == 2 {
                u32::from(u16::from_le_bytes([b[0], b[1]]))
            } else {
                u32::from_le_bytes([b[0], b[1], b[2], b[3]])
            };
            let Some(d) = r.get_signed() else { break };
            let Some(p) = prev.checked_add(d) else { break };
            prev = p;
            push(code, prev, false);
        }
        let mut code = 0u32;
        while !r.is_empty() {
            let Some(c) = r.get().and_then(|c| u32::try_from(c).ok()) else { break };
            let Some(d) = r.get_signed() else { break };
            let (Some(c), Some(p)) = (code.checked_add(c), prev.checked_add(d)) else { break };
            (code, prev) = (c, p);
            push(code, prev, true);
        }
        out.sort_by_key(|p| p.code);
        out
    }

    /// Number of trap sites.
    pub fn num_trap_sites(&self) -> usize {
        let view = self.view();
        (0..view.records()).filter_map(|i| view.record(i)).map(|r| view.trap_count(&r)).sum()
    }

    fn entry(&self, i: usize) -> u32 {
        word(self.slice(&self.ranges.entries), 4 * i).expect("entry index checked")
    }

    /// Code offset of the wasm-call entry of defined function `defined_index`.
    pub fn wasm_call(&self, defined_index: u32) -> u32 {
        assert!((defined_index as usize) < self.num_defined, "defined function index out of range");
        self.view().entry(defined_index as usize).expect("checked at construction").0
    }

    /// Code offset of the array-call entry of defined function `defined_index`.
    pub fn array_call(&self, defined_index: u32) -> u32 {
        assert!((defined_index as usize) < self.num_defined, "defined function index out of range");
        self.entry(defined_index as usize)
    }

    /// Code offset of the wasm-to-array trampoline serving module type `ty`.
    pub fn wasm_to_array(&self, ty: u32) -> u32 {
        assert!((ty as usize) < self.num_types, "type index out of range");
        self.entry(self.num_defined + ty as usize)
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
            &[(0, 4, 100), (4, 12, 104), (12, 20, 90), (20, 32, 120)],
            [13, 25],
        )
        .unwrap();
        t.push_function(CodeKind::Trampoline, 32, 16, [(3, TrapCode::CallStackExhausted)], &[], [])
            .unwrap();
        t.push_function(CodeKind::Trampoline, 48, 16, [], &[], []).unwrap();
        t.set_entries(64, &[32], &[48]);
        t
    }

    fn shared(t: EncodedTables) -> CodeTables {
        let (bytes, ranges) = t.into_shared();
        CodeTables::new(bytes, ranges, 64, 1, 1, 1, None).unwrap()
    }

    #[test]
    fn lookups_read_the_encoded_records() {
        let enc = tables();
        assert_eq!(enc.wasm_offsets(), vec![104, 104, 90, 120]);
        let t = shared(enc);
        assert_eq!(t.num_functions(), 2, "one record for the wasm function, one for trampolines");
        assert_eq!(t.num_trap_sites(), 3);
        assert_eq!(t.trap_at(9), Some(TrapCode::IntegerDivideByZero));
        assert_eq!(t.trap_at(4), Some(TrapCode::Unreachable));
        assert_eq!(t.trap_at(8), None);
        assert_eq!(t.trap_at(35), Some(TrapCode::CallStackExhausted));
        assert_eq!(t.trap_at(51), None);
        assert_eq!(t.wasm_location(9), Some((1, Some(104))), "a trap site");
        assert_eq!(t.wasm_location(4), Some((1, Some(104))));
        assert_eq!(t.wasm_location(13), Some((1, Some(90))), "a call site");
        assert_eq!(t.wasm_location(26), Some((1, Some(120))));
        assert_eq!(t.wasm_location(2), Some((1, None)), "before every point");
        assert_eq!(t.wasm_location(40), None, "a trampoline");
        assert_eq!(t.function_at(64), None);
        let wasm = t.function(0).unwrap();
        let points: Vec<_> = t.points(&wasm).iter().map(|p| (p.code, p.wasm, p.call)).collect();
        assert_eq!(points, [(4, 104, false), (9, 104, false), (13, 90, true), (25, 120, true)]);
        assert_eq!((t.wasm_call(0), t.array_call(0), t.wasm_to_array(0)), (0, 32, 48));
        let f = t.function(1).unwrap();
        assert_eq!((f.kind, f.start, f.len), (CodeKind::Trampoline, 32, 32));
    }

    #[test]
    fn long_records_use_wide_offsets() {
        let mut t = EncodedTables::default();
        t.push_function(
            CodeKind::Wasm(0),
            0,
            0x2_0000,
            [(0x1_8000, TrapCode::Unreachable)],
            &[(0, 0x2_0000, 7)],
            [],
        )
        .unwrap();
        t.set_entries(0x2_0000, &[0], &[]);
        assert_eq!(t.trap_sites.len(), 5);
        let (bytes, ranges) = t.into_shared();
        let t = CodeTables::new(bytes, ranges, 0x2_0000, 0, 1, 0, None).unwrap();
        assert_eq!(t.trap_at(0x1_8000), Some(TrapCode::Unreachable));
        assert_eq!(t.wasm_location(0x1_8000), Some((0, Some(7))));
    }

    #[test]
    fn inconsistent_tables_are_rejected_and_bad_records_read_as_nothing() {
        let (bytes, ranges) = tables().into_shared();
        let new = |b: SharedBytes, code, imported, defined| {
            CodeTables::new(b, ranges.clone(), code, imported, defined, 1, None)
        };
        assert!(new(bytes.clone(), 40, 1, 1).is_err(), "code too short");
        assert!(new(bytes.clone(), 64, 0, 1).is_err(), "first function index");
        assert!(new(bytes.clone(), 64, 1, 2).is_err(), "entry count");
        let mut v = bytes_of(&bytes).to_vec();
        v[ranges.functions.start + FUNCTION_HEAD_BYTES + 12] = 99; // entry 1 before entry 0
        assert!(new(Arc::new(v), 64, 1, 1).is_err());
        // A trap code this runtime does not know, and a truncated trap table: no trap.
        let mut v = bytes_of(&bytes).to_vec();
        v[ranges.trap_sites.start + 5] = 99;
        assert_eq!(new(Arc::new(v), 64, 1, 1).unwrap().trap_at(9), None);
        // A garbled address map answers no wasm offset, never a panic.
        let mut v = bytes_of(&bytes).to_vec();
        v[ranges.address_map.clone()].iter_mut().for_each(|b| *b = 0xff);
        assert_eq!(new(Arc::new(v), 64, 1, 1).unwrap().wasm_location(9), Some((1, None)));
    }

    #[test]
    fn out_of_order_code_is_an_error() {
        let mut t = EncodedTables::default();
        t.push_function(CodeKind::Wasm(3), 0, 16, [], &[], []).unwrap();
        assert!(t.push_function(CodeKind::Wasm(5), 16, 16, [], &[], []).is_err());
        t.push_function(CodeKind::Trampoline, 32, 16, [], &[], []).unwrap();
        assert!(t.push_function(CodeKind::Wasm(4), 48, 16, [], &[], []).is_err());
        assert!(t.push_function(CodeKind::Trampoline, 40, 16, [], &[], []).is_err());
    }
}
