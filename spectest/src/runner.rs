//! Runs one `.wast` script, given as a name and its text, against a fresh Kiln runtime
//! through the public `kiln` API: the runner `kiln-spectest` and `kiln wast` share.

use crate::directive::{Script, directive_kind, is_state_directive};
use crate::panic_capture;
use crate::report::FileReport;
use crate::skip::{self, Skip};
use crate::spectest_host::register_spectest;
use kiln::{CoreFeatures, Engine, Runtime, RuntimeConfig};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;
use wast::Wast;
use wast::parser::{self, ParseBuffer};

/// How to run a script.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    /// The engine.
    pub engine: Engine,
    /// The core features the runtime accepts.
    pub features: CoreFeatures,
    /// Translate every function for the interpreter when its module is compiled
    /// ([`RuntimeConfig::with_eager_translation`]) instead of on its first call.
    pub eager_translation: bool,
    /// Print every directive and its outcome as it runs.
    pub verbose: bool,
    /// Assertions not to run: [`skip::SKIPS`] for runs of the spec suite, none otherwise.
    pub skips: &'static [Skip],
}

impl RunOptions {
    /// Core 2.0 features on `engine`, lazy translation, quiet, nothing skipped.
    pub fn new(engine: Engine) -> Self {
        Self {
            engine,
            features: CoreFeatures::V2,
            eager_translation: false,
            verbose: false,
            skips: &[],
        }
    }
}

/// Runs every directive of the script `text` (named `name` in the report) in a fresh
/// runtime that has the `spectest` host module. A script that does not parse is one
/// failure (kind `parse`) at the line of the parse error.
pub fn run_script(opts: RunOptions, name: &str, text: &str) -> FileReport {
    run_script_with_progress(opts, name, text, &AtomicUsize::new(0))
}

/// As [`run_script`]; `progress` receives the line of the directive being run (for
/// timeout reports).
pub fn run_script_with_progress(
    opts: RunOptions,
    name: &str,
    text: &str,
    progress: &AtomicUsize,
) -> FileReport {
    let mut report = FileReport::new(name);
    let parse_failure = |report: &mut FileReport, e: wast::Error| {
        let (line, column) = e.span().linecol_in(text);
        let message = format!("cannot parse the script at column {}: {}", column + 1, e.message());
        report.fail(line + 1, "parse", message);
    };
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => {
            parse_failure(&mut report, e);
            return report;
        }
    };
    let directives = match parser::parse::<Wast<'_>>(&buf) {
        Ok(w) => w.directives,
        Err(e) => {
            parse_failure(&mut report, e);
            return report;
        }
    };
    let runtime = Runtime::with_config(
        RuntimeConfig::new()
            .with_engine(opts.engine)
            .with_core_features(opts.features)
            .with_eager_translation(opts.eager_translation),
    );
    if let Err(e) = register_spectest(&runtime) {
        report.fail(0, "spectest", format!("cannot register the spectest host module: {e}"));
        return report;
    }
    let mut script = Script::new(text, runtime);
    for directive in directives {
        let line = script.line(directive.span());
        progress.store(line, Ordering::Relaxed);
        let kind = directive_kind(&directive);
        let skip = skip::lookup(opts.skips, name, line, opts.engine);
        if skip.is_some() && !is_state_directive(&directive) {
            report.skipped += 1;
            continue;
        }
        let outcome = panic_capture::catch(|| script.run(directive)).and_then(|r| r);
        if opts.verbose {
            match &outcome {
                Ok(()) => println!("{name}:{line}: {kind}: ok"),
                Err(m) => println!("{name}:{line}: {kind}: FAILED: {m}"),
            }
            for note in &script.notes {
                println!("  note: {note}");
            }
        }
        script.notes.clear();
        match (outcome, skip) {
            (_, Some(_)) => report.skipped += 1,
            (Ok(()), None) => report.passed += 1,
            (Err(m), None) => report.fail(line, kind, m),
        }
    }
    report
}

/// The stack of the thread [`run_script_isolated`] runs a script on: deep enough for the
/// spec's deepest recursion on the compiled engine (which runs on the calling thread's stack).
const SCRIPT_THREAD_STACK: usize = 256 << 20;

/// Runs a script as [`run_script`] on its own thread, with a large stack, giving up after
/// `timeout` (if any): a script that does not finish is reported as one failure at the line
/// it was running (its thread is left behind).
pub fn run_script_isolated(
    opts: RunOptions,
    name: String,
    text: String,
    timeout: Option<Duration>,
) -> FileReport {
    let progress = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = channel();
    let thread_progress = progress.clone();
    let thread_name = name.clone();
    let spawned = std::thread::Builder::new()
        .name(name.clone())
        .stack_size(SCRIPT_THREAD_STACK)
        .spawn(move || {
            let report = run_script_with_progress(opts, &thread_name, &text, &thread_progress);
            let _ = tx.send(report);
        });
    let mut report = FileReport::new(name);
    if let Err(e) = spawned {
        report.fail(0, "thread", format!("cannot spawn a thread: {e}"));
        return report;
    }
    let received = match timeout {
        Some(t) => rx.recv_timeout(t),
        None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
    };
    let line = progress.load(Ordering::Relaxed);
    match received {
        Ok(r) => r,
        Err(RecvTimeoutError::Timeout) => {
            let t = timeout.unwrap_or_default();
            report.fail(line, "timeout", format!("the script did not finish within {t:?}"));
            report
        }
        Err(RecvTimeoutError::Disconnected) => {
            report.fail(line, "crash", "the runner thread died outside a directive");
            report
        }
    }
}
