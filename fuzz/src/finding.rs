//! What a failing case reports, and the input it ran on (saved, shrunk, replayed).

use std::cell::RefCell;

/// A failing case: what went wrong, and the input to save.
#[derive(Debug)]
pub struct Finding {
    /// One line: a kind tag (`mismatch`, `panic`, `accepts-invalid` ...), a colon, details.
    pub message: String,
    /// The module or artifact the case ran on, if it has one.
    pub input: Option<Input>,
}

/// A case's input: bytes and the file extension they are saved with.
#[derive(Clone, Debug)]
pub struct Input {
    /// The bytes (a module, an artifact, or a recorded call sequence).
    pub bytes: Vec<u8>,
    /// `wasm`, `kiln`, `o` or `txt`.
    pub ext: &'static str,
}

impl Finding {
    /// A finding with `message` on `input`.
    pub fn new(message: impl Into<String>, input: Option<Input>) -> Self {
        Finding { message: message.into().replace('\n', " | "), input }
    }

    /// The kind tag: the message up to its first colon.
    pub fn kind(&self) -> &str {
        kind_of(&self.message)
    }
}

/// The kind tag of a finding message.
pub fn kind_of(message: &str) -> &str {
    message.split(':').next().unwrap_or(message)
}

thread_local! {
    static CURRENT: RefCell<Option<Input>> = const { RefCell::new(None) };
}

/// Records the input the running case works on, so that a panic (which unwinds past the
/// target) still saves it.
pub fn set_current_input(bytes: &[u8], ext: &'static str) {
    CURRENT.with(|c| *c.borrow_mut() = Some(Input { bytes: bytes.to_vec(), ext }));
}

/// Takes the input recorded by [`set_current_input`].
pub fn take_current_input() -> Option<Input> {
    CURRENT.with(|c| c.borrow_mut().take())
}
