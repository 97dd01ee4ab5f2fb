//! Per-run counters of what the cases did (how many compared calls, loaded mutants ...),
//! printed at the end of a run with `KILN_FUZZ_STATS=1`, to show the targets are not
//! vacuous.

use std::cell::RefCell;
use std::collections::BTreeMap;

thread_local! {
    static COUNTS: RefCell<BTreeMap<&'static str, u64>> = const { RefCell::new(BTreeMap::new()) };
}

/// Counts one occurrence of `what`.
pub fn note(what: &'static str) {
    COUNTS.with(|c| *c.borrow_mut().entry(what).or_default() += 1);
}

/// Prints the counters to stderr when `KILN_FUZZ_STATS` is set.
pub fn print(target: &str) {
    if std::env::var_os("KILN_FUZZ_STATS").is_none() {
        return;
    }
    COUNTS.with(|c| {
        for (k, v) in c.borrow().iter() {
            eprintln!("{target} stats: {k}: {v}");
        }
    });
}
