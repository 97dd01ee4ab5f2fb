//! `kiln-spectest [--engine interpreter|compiler] [--set v1|v2|all] [--filter SUBSTR] [--verbose]`:
//! runs the spec suite and prints the failures and the table (every engine in
//! [`kiln_spectest::ENGINES`] unless `--engine` is given).

use kiln_spectest::{RunOptions, SpecSet, parse_engine, report, run_suite_filtered};

fn usage() -> ! {
    eprintln!(
        "usage: kiln-spectest [--engine interpreter|compiler] [--set v1|v2|all] [--filter SUBSTR] [--verbose]"
    );
    std::process::exit(2)
}

fn main() {
    let mut engines = Vec::new();
    let mut sets = vec![SpecSet::V1, SpecSet::V2];
    let mut verbose = false;
    let mut filter: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--engine" => match args.next().as_deref().and_then(parse_engine) {
                Some(e) => engines.push(e),
                None => usage(),
            },
            "--set" => {
                sets = match args.next().as_deref() {
                    Some("v1") => vec![SpecSet::V1],
                    Some("v2") => vec![SpecSet::V2],
                    Some("all") => vec![SpecSet::V1, SpecSet::V2],
                    _ => usage(),
                }
            }
            "--filter" => filter = Some(args.next().unwrap_or_else(|| usage())),
            "--verbose" | "-v" => verbose = true,
            _ => usage(),
        }
    }
    if engines.is_empty() {
        engines.extend(kiln_spectest::ENGINES);
    }
    let mut suites = Vec::new();
    for &set in &sets {
        let mut per_set = Vec::new();
        for &engine in &engines {
            let opts = RunOptions { verbose, ..RunOptions::new(engine) };
            let suite = run_suite_filtered(opts, set, |name| {
                filter.as_deref().is_none_or(|f| name.contains(f))
            });
            for f in suite.failures() {
                println!("FAIL [{}] {f}", report::engine_name(engine));
            }
            per_set.push(suite);
        }
        println!("\n== {} ==", set.dir());
        print!("{}", report::table(&per_set));
        suites.extend(per_set);
    }
    if sets.len() > 1 {
        println!("\n== total ==");
        let (p, f, s) = suites
            .iter()
            .fold((0, 0, 0), |(a, b, c), x| (a + x.passed(), b + x.failed(), c + x.skipped()));
        println!("{}", report::totals_line(p, f, s));
    }
    let failed: usize = suites.iter().map(|s| s.failed()).sum();
    std::process::exit(if failed == 0 { 0 } else { 1 });
}
