//! The embedder's say over a store's resources (wasmtime's `ResourceLimiter`): consulted
//! before any memory or table of the store grows (also to its initial size when an
//! instance creates it) and before each instantiation.

/// Decides whether a store's memories and tables may grow and whether more instances may
/// be created. Methods return `true` to allow; the defaults allow everything. A refused
/// `memory.grow` or `table.grow` returns -1 to wasm (the spec's failure result) and a
/// refused host-side growth or instantiation is a resource error. Called with the store
/// lock held, on whichever thread runs the store: keep state in atomics or a `Mutex`.
pub trait ResourceLimiter: Send + Sync {
    /// A memory is about to grow from `current` to `desired` pages of 64 KiB (`current` is
    /// 0 when an instance creates it).
    fn memory_growing(&self, current: u64, desired: u64) -> bool {
        let _ = (current, desired);
        true
    }

    /// A table is about to grow from `current` to `desired` elements (`current` is 0 when
    /// an instance creates it).
    fn table_growing(&self, current: u64, desired: u64) -> bool {
        let _ = (current, desired);
        true
    }

    /// A module is about to be instantiated while the store holds `instances` instances.
    fn instantiating(&self, instances: usize) -> bool {
        let _ = instances;
        true
    }
}
