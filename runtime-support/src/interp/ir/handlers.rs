//! Exception handler regions of a translated function: where `try_table` and the legacy
//! `try` catch, read only when something throws (the code itself carries no trace of them,
//! so code that does not throw runs as fast as without exception handling).
//!
//! A region covers the wasm byte range of a `try_table`'s body, or of a legacy `try`'s body
//! up to its first `catch`, `catch_all` or `delegate`. The unwinder looks up the wasm offset
//! of the throwing instruction (a throw, or the call an exception came out of) and scans
//! the regions in order: they are sorted innermost first (by the position of their end),
//! so the first region that covers the offset and has a matching clause catches.

use super::Slot;

/// One `try_table` or legacy `try`.
#[derive(Clone, Debug)]
pub struct HandlerRegion {
    /// The first wasm byte offset covered.
    pub start: u32,
    /// One past the last wasm byte offset covered.
    pub end: u32,
    /// What it does with an exception thrown inside.
    pub action: RegionAction,
}

/// What a region does with an exception thrown inside it.
#[derive(Clone, Debug)]
pub enum RegionAction {
    /// Tries its catch clauses in order; an exception none matches goes on outwards.
    Catch(Box<[CatchClause]>),
    /// Legacy `delegate`: the search goes on at the region of this index (an enclosing
    /// one), or with the caller (`None`: the delegate names the function's label).
    Delegate(Option<u32>),
}

/// One catch clause.
#[derive(Clone, Copy, Debug)]
pub struct CatchClause {
    /// The module tag index it catches, or `None` for `catch_all` / `catch_all_ref`.
    pub tag: Option<u32>,
    /// Whether the payload values go to the slots from `dst` (typed by the tag).
    pub payload: bool,
    /// The first slot the payload goes to.
    pub dst: Slot,
    /// The slot the `exnref` goes to (`catch_ref`, `catch_all_ref`, and a legacy catch
    /// whose handler rethrows), or `None` (the exception is then released when caught).
    pub exnref: Option<Slot>,
    /// The index of the clause's [`super::Op::Landing`] instruction in the code.
    pub landing: u32,
}
