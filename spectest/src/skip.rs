//! Assertions the spec-suite runs do not execute, each with the reason. Only for genuine
//! limitations (e.g. a feature an engine does not have yet), never to hide a bug.
//! `kiln wast` applies the same list to the spec suite's own files, found by the end of
//! their path (`.../wasm-v3/ref_null.wast`), and prints each skipped file's reason; its
//! `--no-skip-list` runs everything. `kiln-spectest --dir` skips nothing.

use kiln::Engine;

/// One skipped assertion.
#[derive(Clone, Copy, Debug)]
pub struct Skip {
    /// The file, as `<set dir>/<name>`, e.g. `wasm-v2/float_exprs.wast`.
    pub file: &'static str,
    /// The 1-based line of the directive.
    pub line: usize,
    /// The engine it applies to, or `None` for every engine.
    pub engine: Option<Engine>,
    /// Why it is skipped.
    pub reason: &'static str,
}

/// Why the garbage-collection cases of the `wasm-v3` set are skipped.
pub const GC_LATER: &str = "GC: later issue";

/// A `wasm-v3` directive that needs garbage collection (struct, array and `i31` types, the
/// `any`/`eq` hierarchy), skipped on both engines until GC lands (its own issue).
const fn gc(file: &'static str, line: usize) -> Skip {
    Skip { file, line, engine: None, reason: GC_LATER }
}

/// The skip list of the spec suite: only the `wasm-v3` directives that need garbage
/// collection (the modules of `ref_null.wast` and `type-rec.wast` that declare GC types,
/// and the assertions on them); every other set runs whole.
pub const SKIPS: &[Skip] = &[
    gc("wasm-v3/ref_null.wast", 1),
    gc("wasm-v3/ref_null.wast", 16),
    gc("wasm-v3/ref_null.wast", 17),
    gc("wasm-v3/ref_null.wast", 18),
    gc("wasm-v3/ref_null.wast", 19),
    gc("wasm-v3/ref_null.wast", 20),
    gc("wasm-v3/ref_null.wast", 23),
    gc("wasm-v3/ref_null.wast", 55),
    gc("wasm-v3/ref_null.wast", 56),
    gc("wasm-v3/ref_null.wast", 57),
    gc("wasm-v3/ref_null.wast", 58),
    gc("wasm-v3/ref_null.wast", 59),
    gc("wasm-v3/ref_null.wast", 60),
    gc("wasm-v3/ref_null.wast", 61),
    gc("wasm-v3/ref_null.wast", 62),
    gc("wasm-v3/ref_null.wast", 63),
    gc("wasm-v3/ref_null.wast", 64),
    gc("wasm-v3/ref_null.wast", 65),
    gc("wasm-v3/ref_null.wast", 66),
    gc("wasm-v3/ref_null.wast", 67),
    gc("wasm-v3/ref_null.wast", 68),
    gc("wasm-v3/ref_null.wast", 69),
    gc("wasm-v3/ref_null.wast", 70),
    gc("wasm-v3/ref_null.wast", 71),
    gc("wasm-v3/ref_null.wast", 72),
    gc("wasm-v3/ref_null.wast", 73),
    gc("wasm-v3/ref_null.wast", 74),
    gc("wasm-v3/ref_null.wast", 75),
    gc("wasm-v3/ref_null.wast", 76),
    gc("wasm-v3/ref_null.wast", 77),
    gc("wasm-v3/ref_null.wast", 78),
    gc("wasm-v3/ref_null.wast", 79),
    gc("wasm-v3/ref_null.wast", 80),
    gc("wasm-v3/ref_null.wast", 81),
    gc("wasm-v3/type-rec.wast", 39),
    gc("wasm-v3/type-rec.wast", 71),
    gc("wasm-v3/type-rec.wast", 78),
    gc("wasm-v3/type-rec.wast", 93),
    gc("wasm-v3/type-rec.wast", 103),
    gc("wasm-v3/type-rec.wast", 114),
    gc("wasm-v3/type-rec.wast", 124),
    gc("wasm-v3/type-rec.wast", 137),
    gc("wasm-v3/type-rec.wast", 141),
    gc("wasm-v3/type-rec.wast", 143),
    gc("wasm-v3/type-rec.wast", 148),
    gc("wasm-v3/type-rec.wast", 167),
    gc("wasm-v3/type-rec.wast", 174),
    gc("wasm-v3/type-rec.wast", 176),
    gc("wasm-v3/type-rec.wast", 183),
    gc("wasm-v3/type-rec.wast", 185),
    gc("wasm-v3/type-rec.wast", 192),
    gc("wasm-v3/type-rec.wast", 197),
    gc("wasm-v3/type-rec.wast", 204),
    gc("wasm-v3/type-rec.wast", 216),
];

/// Whether `file` (a `<set dir>/<name>` of the suite, or a path ending in one) is the file
/// `skip` names.
fn names(skip: &Skip, file: &str) -> bool {
    file.strip_suffix(skip.file).is_some_and(|dir| dir.is_empty() || dir.ends_with('/'))
}

/// The entry of `skips` for `file:line` on `engine`, if any. `file` is `<set dir>/<name>`
/// or a path that ends in it.
pub fn lookup(
    skips: &'static [Skip],
    file: &str,
    line: usize,
    engine: Engine,
) -> Option<&'static Skip> {
    skips.iter().find(|s| s.line == line && s.engine.is_none_or(|e| e == engine) && names(s, file))
}

/// The distinct reasons of the entries of `skips` for `file` (as in [`lookup`]) on
/// `engine`, in list order.
pub fn reasons(skips: &'static [Skip], file: &str, engine: Engine) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for s in skips.iter().filter(|s| s.engine.is_none_or(|e| e == engine) && names(s, file)) {
        if !out.contains(&s.reason) {
            out.push(s.reason);
        }
    }
    out
}
