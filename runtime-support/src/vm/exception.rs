//! Exceptions in flight and caught (`exnref` values), held by their store.
//!
//! An exception is a tag and its payload. A store keeps the exceptions wasm threw in an
//! arena; the raw `exnref` value wasm sees is the arena index plus one (0 is
//! `ref.null exn`), like an externref. An exception caught by `catch` or `catch_all` (no
//! reference handed to wasm) is released at once, so throw-and-catch loops reuse entries;
//! one whose reference was handed out (`catch_ref`, `catch_all_ref`, a host) lives as long as
//! the store (there is no collector yet).

use super::{VMTag, ValRaw};

/// One exception: the tag it was thrown with and the payload, one [`ValRaw`] per parameter
/// of the tag's type (a `v128` in one value).
#[derive(Debug)]
pub struct ExnObject {
    /// The tag (owned by the store).
    pub tag: *const VMTag,
    /// The payload values.
    pub payload: Box<[ValRaw]>,
    /// Whether a reference to it was handed out (it may not be released then).
    exposed: bool,
}

/// A store's arena of exceptions.
#[derive(Debug, Default)]
pub struct Exceptions {
    slots: Vec<Option<ExnObject>>,
    free: Vec<u32>,
}

impl Exceptions {
    /// Adds a new exception; returns its raw (non-zero) reference.
    pub fn alloc(&mut self, tag: *const VMTag, payload: Box<[ValRaw]>) -> u64 {
        let obj = ExnObject { tag, payload, exposed: false };
        match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = Some(obj);
                i as u64 + 1
            }
            None => {
                self.slots.push(Some(obj));
                self.slots.len() as u64
            }
        }
    }

    /// The exception behind raw reference `raw` (`None` for null or an unknown handle).
    pub fn get(&self, raw: u64) -> Option<&ExnObject> {
        let i = usize::try_from(raw.checked_sub(1)?).ok()?;
        self.slots.get(i)?.as_ref()
    }

    /// Marks the exception as referenced from outside the unwinder (a wasm `exnref` or the
    /// host), so [`Self::release`] keeps it.
    pub fn expose(&mut self, raw: u64) {
        if let Some(Some(o)) = raw.checked_sub(1).and_then(|i| self.slots.get_mut(i as usize)) {
            o.exposed = true;
        }
    }

    /// Frees the exception unless a reference to it was handed out.
    pub fn release(&mut self, raw: u64) {
        let Some(i) = raw.checked_sub(1) else { return };
        if let Some(slot) = self.slots.get_mut(i as usize)
            && slot.as_ref().is_some_and(|o| !o.exposed)
        {
            *slot = None;
            self.free.push(i as u32);
        }
    }

    /// How many exceptions the arena holds (for tests of the release rule).
    pub fn live(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}
