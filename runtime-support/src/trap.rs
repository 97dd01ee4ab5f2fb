//! Traps: the error value a wasm execution ends with (DESIGN.md principle 5).

use crate::module::{ModuleInfo, SourceLocation};
use std::fmt;

/// Why execution trapped. [`TrapCode::message`] gives the spec's message text.
///
/// Each code's discriminant is its stable number in the trap tables of compiled code and
/// artifacts ([`TrapCode::to_u32`]): part of the runtime ABI, so a number never changes
/// meaning and new codes take new numbers.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrapCode {
    /// `unreachable` executed.
    Unreachable = 0,
    /// A load, store or bulk memory operation out of the memory's bounds.
    MemoryOutOfBounds = 1,
    /// A table access (get, set, fill, copy, init) out of the table's bounds.
    TableOutOfBounds = 2,
    /// `call_indirect` with an index beyond the table's size.
    UndefinedElement = 3,
    /// `call_indirect` through a null table entry.
    UninitializedElement = 4,
    /// `call_indirect` whose callee has another signature.
    IndirectCallTypeMismatch = 5,
    /// Integer division or remainder by zero.
    IntegerDivideByZero = 6,
    /// Signed division overflow (`INT_MIN / -1`) or a float-to-int result out of range.
    IntegerOverflow = 7,
    /// A float-to-int conversion of NaN.
    InvalidConversionToInteger = 8,
    /// The wasm call stack ran out (deep or infinite recursion).
    CallStackExhausted = 9,
    /// The embedder interrupted execution (epoch deadline or timeout).
    Interrupted = 10,
    /// A host function failed; the trap's message says how.
    HostError = 11,
    /// `ref.as_non_null` (or `br_on_non_null`'s cast) of a null reference (typed function
    /// references).
    NullReference = 12,
    /// `call_ref` or `return_call_ref` of a null function reference.
    NullFunctionReference = 13,
    /// `throw_ref` of a null exception reference (exception handling).
    NullExceptionReference = 14,
    /// The store's fuel ran out ([`crate::vm::VMStoreContext::fuel`]).
    OutOfFuel = 15,
    /// An atomic access (threads proposal) to an address that is not a multiple of its
    /// size.
    UnalignedAtomic = 16,
    /// `memory.atomic.wait32/64` on a memory that is not shared (threads proposal).
    ExpectedSharedMemory = 17,
}

impl TrapCode {
    /// The message text the WebAssembly spec test suite uses for this trap.
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::UndefinedElement => "undefined element",
            TrapCode::UninitializedElement => "uninitialized element",
            TrapCode::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapCode::IntegerDivideByZero => "integer divide by zero",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::InvalidConversionToInteger => "invalid conversion to integer",
            TrapCode::CallStackExhausted => "call stack exhausted",
            TrapCode::Interrupted => "interrupted",
            TrapCode::OutOfFuel => "all fuel consumed",
            TrapCode::HostError => "host error",
            TrapCode::NullReference => "null reference",
            TrapCode::NullFunctionReference => "null function reference",
            TrapCode::NullExceptionReference => "null exception reference",
            TrapCode::UnalignedAtomic => "unaligned atomic",
            TrapCode::ExpectedSharedMemory => "expected shared memory",
        }
    }
}

impl TrapCode {
    /// Every trap code, by number (`ALL[n].to_u32() == n`).
    pub const ALL: [TrapCode; 18] = [
        TrapCode::Unreachable,
        TrapCode::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds,
        TrapCode::UndefinedElement,
        TrapCode::UninitializedElement,
        TrapCode::IndirectCallTypeMismatch,
        TrapCode::IntegerDivideByZero,
        TrapCode::IntegerOverflow,
        TrapCode::InvalidConversionToInteger,
        TrapCode::CallStackExhausted,
        TrapCode::Interrupted,
        TrapCode::HostError,
        TrapCode::NullReference,
        TrapCode::NullFunctionReference,
        TrapCode::NullExceptionReference,
        TrapCode::OutOfFuel,
        TrapCode::UnalignedAtomic,
        TrapCode::ExpectedSharedMemory,
    ];

    /// The code's stable number in trap tables of compiled code and artifacts (its
    /// discriminant; part of the runtime ABI).
    pub const fn to_u32(self) -> u32 {
        self as u32
    }

    /// The code numbered `n` by [`TrapCode::to_u32`], if any.
    pub const fn from_u32(n: u32) -> Option<TrapCode> {
        if (n as usize) < Self::ALL.len() { Some(Self::ALL[n as usize]) } else { None }
    }
}

// `ALL` lists the codes by number, so `from_u32` inverts `to_u32`.
const _: () = {
    let mut n = 0;
    while n < TrapCode::ALL.len() {
        assert!(TrapCode::ALL[n].to_u32() as usize == n, "TrapCode::ALL out of number order");
        n += 1;
    }
};

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// One wasm frame of a trap's backtrace, innermost first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameInfo {
    /// The module's name (from `ModuleConfig` or the name section), if it has one.
    pub module: Option<String>,
    /// The function's index in the module's function index space.
    pub func_index: u32,
    /// The function's name from the name section, if present.
    pub func_name: Option<String>,
    /// The function's signature, as `(i32) -> (i64)`.
    pub signature: String,
    /// Byte offset in the module binary of the instruction executing in this frame.
    pub wasm_offset: Option<u32>,
    /// The source file, line and column of that instruction, when the module carries
    /// DWARF (custom sections `.debug_line` etc.) that covers it.
    pub source: Option<SourceLocation>,
}

impl FrameInfo {
    /// The frame of function `func_index` of `info` executing the instruction at
    /// `wasm_offset` (a byte offset in the module binary), in the module instance named
    /// `module`. Names the function from the name section and looks the offset up in the
    /// module's DWARF (read on first use).
    pub fn new(
        info: &ModuleInfo,
        module: Option<String>,
        func_index: u32,
        wasm_offset: Option<u32>,
    ) -> Self {
        FrameInfo {
            module,
            func_index,
            func_name: info.func_name(func_index).map(str::to_string),
            signature: info.func_type(func_index).to_string(),
            wasm_offset,
            source: wasm_offset.and_then(|o| info.source_location(o)),
        }
    }
}

impl fmt::Display for FrameInfo {
    /// Formats as `0x2a - mod!name (func[3] (i32) -> (i32))`, followed by
    /// ` at file.c:12:5` when the source location is known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.wasm_offset {
            Some(o) => write!(f, "{o:#x} - ")?,
            None => write!(f, "?? - ")?,
        }
        let module = self.module.as_deref().unwrap_or("<unknown>");
        match &self.func_name {
            Some(n) => write!(f, "{module}!{n}")?,
            None => write!(f, "{module}!<wasm function {}>", self.func_index)?,
        }
        write!(f, " (func[{}] {})", self.func_index, self.signature)?;
        if let Some(source) = &self.source {
            write!(f, " at {source}")?;
        }
        Ok(())
    }
}

/// The error value a host function failed with, kept with its type.
pub type HostError = std::sync::Arc<dyn std::error::Error + Send + Sync>;

/// A trap: the code, the spec message (or a host's message), and the wasm backtrace; for a
/// host function's error, that error itself ([`Trap::host_error`]).
#[derive(Clone, Debug)]
pub struct Trap {
    code: TrapCode,
    message: String,
    backtrace: Vec<FrameInfo>,
    host_error: Option<HostError>,
}

/// Traps are equal when their code, message and backtrace are (host errors are compared
/// by their messages).
impl PartialEq for Trap {
    fn eq(&self, other: &Self) -> bool {
        (self.code, &self.message, &self.backtrace)
            == (other.code, &other.message, &other.backtrace)
    }
}
impl Eq for Trap {}

impl Trap {
    /// A trap with the spec's message for `code` and no backtrace yet.
    pub fn new(code: TrapCode) -> Self {
        Self { code, message: code.message().to_string(), backtrace: Vec::new(), host_error: None }
    }

    /// A trap raised by a host function, with its own message.
    pub fn host(message: impl Into<String>) -> Self {
        Self {
            code: TrapCode::HostError,
            message: message.into(),
            backtrace: Vec::new(),
            host_error: None,
        }
    }

    /// The trap of a panic caught in host code: a [`TrapCode::HostError`] trap whose message
    /// is `"<what> panicked: <the panic's message>"` (`no message` when the payload is not
    /// a string), e.g. `what` = `"host function"`.
    pub fn host_panic(what: &str, payload: &(dyn std::any::Any + Send)) -> Self {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        Self::host(format!("{what} panicked: {msg}"))
    }

    /// A trap carrying the error a host function failed with: its message is the error's
    /// `Display`, and the error stays reachable, with its type, through
    /// [`Trap::host_error`] and `source()`.
    pub fn from_host_error(error: Box<dyn std::error::Error + Send + Sync>) -> Self {
        Self {
            code: TrapCode::HostError,
            message: error.to_string(),
            backtrace: Vec::new(),
            host_error: Some(error.into()),
        }
    }

    /// The error a host function failed with, if this trap carries one.
    pub fn host_error(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.host_error.as_deref()
    }

    /// What trapped.
    pub fn code(&self) -> TrapCode {
        self.code
    }

    /// The message: the spec's text for wasm traps, the host's for host errors.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Wasm frames active when the trap happened, innermost first.
    pub fn backtrace(&self) -> &[FrameInfo] {
        &self.backtrace
    }

    /// Appends a frame (the unwinder calls this, innermost frame first).
    pub fn push_frame(&mut self, frame: FrameInfo) {
        self.backtrace.push(frame);
    }
}

impl From<TrapCode> for Trap {
    fn from(code: TrapCode) -> Self {
        Trap::new(code)
    }
}

/// How many frames of a run of identical frames a backtrace prints before folding the
/// rest into one line.
const FOLD_AFTER: usize = 3;

impl fmt::Display for Trap {
    /// Formats as `wasm trap: <message>` and, when there are frames, a `wasm backtrace:`
    /// section with one numbered line per frame. A run of more than four identical frames
    /// (deep recursion) prints its first three, then one line such as
    /// `... 49,990 more frames of mod!f`, and numbering goes on after the run.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm trap: {}", self.message)?;
        if self.backtrace.is_empty() {
            return Ok(());
        }
        write!(f, "\nwasm backtrace:")?;
        let mut i = 0;
        while i < self.backtrace.len() {
            let frame = &self.backtrace[i];
            let run = self.backtrace[i..].iter().take_while(|g| *g == frame).count();
            let shown = if run > FOLD_AFTER + 1 { FOLD_AFTER } else { run };
            for k in i..i + shown {
                write!(f, "\n  {k:>3}: {frame}")?;
            }
            if shown < run {
                let module = frame.module.as_deref().unwrap_or("<unknown>");
                let name = match &frame.func_name {
                    Some(n) => n.clone(),
                    None => format!("<wasm function {}>", frame.func_index),
                };
                write!(
                    f,
                    "\n       ... {} more frames of {module}!{name}",
                    thousands(run - shown)
                )?;
            }
            i += run;
        }
        Ok(())
    }
}

/// `n` with a comma between each group of three digits (`49,990`).
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl std::error::Error for Trap {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.host_error.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(func_index: u32, offset: u32) -> FrameInfo {
        FrameInfo {
            module: Some("m".into()),
            func_index,
            func_name: Some(format!("f{func_index}")),
            signature: "() -> ()".into(),
            wasm_offset: Some(offset),
            source: None,
        }
    }

    #[test]
    fn runs_of_identical_frames_are_folded() {
        let mut t = Trap::new(TrapCode::CallStackExhausted);
        t.push_frame(frame(1, 0x10));
        for _ in 0..50_000 {
            t.push_frame(frame(2, 0x20));
        }
        t.push_frame(frame(3, 0x30));
        let text = t.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2 + 1 + 3 + 1 + 1, "{text}");
        assert!(lines[3].starts_with("    1: 0x20 - m!f2"), "{text}");
        assert!(lines[5].starts_with("    3: 0x20 - m!f2"), "{text}");
        assert_eq!(lines[6], "       ... 49,997 more frames of m!f2");
        assert!(lines[7].starts_with("  50001: 0x30 - m!f3"), "{text}");
    }

    #[test]
    fn short_runs_are_printed_whole() {
        let mut t = Trap::new(TrapCode::Unreachable);
        for _ in 0..4 {
            t.push_frame(frame(2, 0x20));
        }
        assert_eq!(t.to_string().lines().count(), 2 + 4);
        assert!(!t.to_string().contains("more frames"));
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
