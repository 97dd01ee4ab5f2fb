//! Host values behind `externref`s. A store keeps each value it has handed to wasm in an
//! arena; the raw reference wasm sees is the arena index plus one (0 is `ref.null extern`).
//! Values live as long as the store (there is no collector yet).

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

/// An opaque host value that wasm can hold as an `externref`.
#[derive(Clone)]
pub struct ExternRef(Arc<dyn Any + Send + Sync>);

impl ExternRef {
    /// Wraps a host value.
    pub fn new<T: Any + Send + Sync>(value: T) -> Self {
        Self(Arc::new(value))
    }

    /// The value, if it is a `T`.
    pub fn downcast_ref<T: Any>(&self) -> Option<&T> {
        self.0.downcast_ref()
    }

    /// Whether two references point to the same host value.
    pub fn ptr_eq(&self, other: &ExternRef) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    fn key(&self) -> usize {
        Arc::as_ptr(&self.0) as *const () as usize
    }
}

impl std::fmt::Debug for ExternRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ExternRef({:#x})", self.key())
    }
}

/// A store's arena of externref values.
#[derive(Default)]
pub struct ExternRefs {
    values: Vec<ExternRef>,
    index: HashMap<usize, usize>,
}

impl ExternRefs {
    /// The raw (non-zero) reference for `value`, adding it to the arena on first use.
    pub fn to_raw(&mut self, value: &ExternRef) -> usize {
        if let Some(&i) = self.index.get(&value.key()) {
            return i + 1;
        }
        self.values.push(value.clone());
        self.index.insert(value.key(), self.values.len() - 1);
        self.values.len()
    }

    /// The value behind a raw reference (`None` for null or an unknown handle).
    pub fn from_raw(&self, raw: usize) -> Option<ExternRef> {
        raw.checked_sub(1).and_then(|i| self.values.get(i)).cloned()
    }
}
