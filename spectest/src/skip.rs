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

/// The skip list of the spec suite (empty: every set runs whole).
pub const SKIPS: &[Skip] = &[];

/// The entry of `skips` for `file:line` on `engine`, if any.
pub fn lookup(
    skips: &'static [Skip],
    file: &str,
    line: usize,
    engine: Engine,
) -> Option<&'static Skip> {
    skips.iter().find(|s| s.file == file && s.line == line && s.engine.is_none_or(|e| e == engine))
}
