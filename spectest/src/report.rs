//! Results: per assertion failures, per file counts, per suite totals, and the table.

use kiln::Engine;
use std::fmt::Write as _;

/// One failed directive.
#[derive(Clone, Debug)]
pub struct Failure {
    /// The file, as [`FileReport::file`].
    pub file: String,
    /// 1-based line of the directive; 0 when the failure concerns the whole file (it
    /// cannot be read, for instance).
    pub line: usize,
    /// The directive kind, e.g. `assert_return`.
    pub kind: &'static str,
    /// What happened, with actual and expected values.
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}: {}", self.file, self.kind, self.message)
        } else {
            write!(f, "{}:{}: {}: {}", self.file, self.line, self.kind, self.message)
        }
    }
}

/// The outcome of one file on one engine.
#[derive(Clone, Debug, Default)]
pub struct FileReport {
    /// The file: `<set dir>/<name>` for the spec suite, else its path.
    pub file: String,
    /// Directives that passed.
    pub passed: usize,
    /// Directives that failed.
    pub failed: usize,
    /// Directives skipped by the skip list.
    pub skipped: usize,
    /// The failures, in file order.
    pub failures: Vec<Failure>,
}

impl FileReport {
    /// An empty report for `file`.
    pub fn new(file: impl Into<String>) -> Self {
        Self { file: file.into(), ..Self::default() }
    }

    /// `<file>: N passed, N failed` (and `, N skipped` when some were).
    pub fn summary(&self) -> String {
        let skipped =
            if self.skipped > 0 { format!(", {} skipped", self.skipped) } else { String::new() };
        format!("{}: {} passed, {} failed{skipped}", self.file, self.passed, self.failed)
    }

    /// Records a failure.
    pub fn fail(&mut self, line: usize, kind: &'static str, message: impl Into<String>) {
        self.failed += 1;
        self.failures.push(Failure {
            file: self.file.clone(),
            line,
            kind,
            message: message.into(),
        });
    }
}

/// The outcome of a set of files on one engine.
#[derive(Clone, Debug)]
pub struct SuiteReport {
    /// The engine the files ran on.
    pub engine: Engine,
    /// Per file, in run order.
    pub files: Vec<FileReport>,
}

impl SuiteReport {
    /// Total passed.
    pub fn passed(&self) -> usize {
        self.files.iter().map(|f| f.passed).sum()
    }
    /// Total failed.
    pub fn failed(&self) -> usize {
        self.files.iter().map(|f| f.failed).sum()
    }
    /// Total skipped.
    pub fn skipped(&self) -> usize {
        self.files.iter().map(|f| f.skipped).sum()
    }
    /// Every failure, in run order.
    pub fn failures(&self) -> impl Iterator<Item = &Failure> {
        self.files.iter().flat_map(|f| f.failures.iter())
    }
}

/// The engine's column label.
pub fn engine_name(engine: Engine) -> &'static str {
    match engine {
        Engine::Auto => "auto",
        Engine::Compiler => "compiler",
        Engine::Interpreter => "interpreter",
    }
}

/// The totals line: `N passed, N failed, N skipped`.
pub fn totals_line(passed: usize, failed: usize, skipped: usize) -> String {
    format!("{passed} passed, {failed} failed, {skipped} skipped")
}

/// Renders the table: one row per file, a `passed failed skipped` group of columns per
/// engine (suites of the same engine, e.g. two spec versions, share columns), then one
/// totals line per engine when there are several, and finally the overall totals line.
pub fn table(suites: &[SuiteReport]) -> String {
    let mut engines: Vec<Engine> = Vec::new();
    let mut files: Vec<&str> = Vec::new();
    for s in suites {
        if !engines.contains(&s.engine) {
            engines.push(s.engine);
        }
        for f in &s.files {
            if !files.contains(&f.file.as_str()) {
                files.push(&f.file);
            }
        }
    }
    let lookup = |engine: Engine, file: &str| {
        suites
            .iter()
            .filter(|s| s.engine == engine)
            .flat_map(|s| s.files.iter())
            .find(|f| f.file == file)
    };
    let fw = files.iter().map(|f| f.len()).max().unwrap_or(4).max(4);
    let mut out = String::new();
    let _ = write!(out, "{:<fw$}", "file");
    for e in &engines {
        let _ = write!(out, " | {:>26}", engine_name(*e));
    }
    out.push('\n');
    let _ = write!(out, "{:<fw$}", "");
    for _ in &engines {
        let _ = write!(out, " | {:>8} {:>8} {:>8}", "passed", "failed", "skipped");
    }
    out.push('\n');
    let _ = writeln!(out, "{}", "-".repeat(fw + engines.len() * 29));
    for file in &files {
        let _ = write!(out, "{file:<fw$}");
        for e in &engines {
            match lookup(*e, file) {
                Some(r) => {
                    let mark = if r.failed > 0 { "*" } else { " " };
                    let _ =
                        write!(out, " | {:>8} {:>7}{mark} {:>8}", r.passed, r.failed, r.skipped);
                }
                None => {
                    let _ = write!(out, " | {:>8} {:>8} {:>8}", "-", "-", "-");
                }
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", "-".repeat(fw + engines.len() * 29));
    let (mut p, mut f, mut s) = (0, 0, 0);
    for e in &engines {
        let ours = suites.iter().filter(|x| x.engine == *e);
        let (ep, ef, es) =
            ours.fold((0, 0, 0), |(a, b, c), x| (a + x.passed(), b + x.failed(), c + x.skipped()));
        if engines.len() > 1 {
            let _ = writeln!(out, "{}: {}", engine_name(*e), totals_line(ep, ef, es));
        }
        p += ep;
        f += ef;
        s += es;
    }
    let _ = writeln!(out, "{}", totals_line(p, f, s));
    out
}
