//! Assertions the spec-suite runs do not execute, each with the reason. Only for genuine
//! limitations (e.g. a feature an engine does not have yet), never to hide a bug. Runs of
//! other scripts (`kiln wast`, `kiln-spectest --dir`) skip nothing.

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

/// Why the directives of a module with an explicit recursion group are skipped: the
/// validator accepts `rec` only with GC.
const GC_LATER: &str = "GC: later issue (a `rec` type group needs the GC proposal)";

/// The skip list of the spec suite.
pub const SKIPS: &[Skip] = &[
    // tag.wast's link-time typing checks declare their tag types in `rec` groups.
    Skip { file: "exceptions/tag.wast", line: 30, engine: None, reason: GC_LATER },
    Skip { file: "exceptions/tag.wast", line: 38, engine: None, reason: GC_LATER },
    Skip { file: "exceptions/tag.wast", line: 40, engine: None, reason: GC_LATER },
    Skip { file: "exceptions/tag.wast", line: 48, engine: None, reason: GC_LATER },
];

/// The entry of `skips` for `file:line` on `engine`, if any.
pub fn lookup(
    skips: &'static [Skip],
    file: &str,
    line: usize,
    engine: Engine,
) -> Option<&'static Skip> {
    skips.iter().find(|s| s.file == file && s.line == line && s.engine.is_none_or(|e| e == engine))
}
