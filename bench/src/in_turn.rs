//! Running the engines a table compares in turn, so that their ratios see the same machine.

/// Runs `run` on each of `engines` in turn, one run of each per round, for `samples` rounds,
/// so that the engines a ratio compares see the same machine: a slow spell of a shared host
/// slows all of them, not only the one that happened to run then. For each engine, in
/// order: `None` where it is `None` (not prepared), else the results of its runs in order,
/// or its first error (an engine that fails is not run again).
pub fn in_turn<P, R>(
    engines: &[Option<&P>],
    samples: usize,
    mut run: impl FnMut(&P) -> Result<R, String>,
) -> Vec<Option<Result<Vec<R>, String>>> {
    let mut out: Vec<_> =
        engines.iter().map(|e| e.map(|_| Ok(Vec::with_capacity(samples)))).collect();
    for _ in 0..samples {
        for (engine, results) in engines.iter().zip(&mut out) {
            let (Some(p), Some(Ok(runs))) = (engine, &mut *results) else { continue };
            match run(p) {
                Ok(r) => runs.push(r),
                Err(e) => *results = Some(Err(e)),
            }
        }
    }
    out
}
