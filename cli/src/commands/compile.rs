//! `kiln compile`: a module binary to a `.kiln` artifact (or, with `--emit obj`, a
//! relocatable ELF object).

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use kiln::aot::{AotOptions, CpuTarget, Emit};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

/// Modules with at least this many functions get a progress bar (on a terminal).
const PROGRESS_MIN_FUNCTIONS: usize = 64;

/// `--cpu`.
#[derive(Clone, Copy, ValueEnum)]
pub enum Cpu {
    /// A baseline every CPU of the target has (x86-64-v2, armv8.0-a).
    Baseline,
    /// Every feature of this host's CPU (host target only).
    Native,
}

/// `--emit`.
#[derive(Clone, Copy, ValueEnum)]
pub enum EmitKind {
    /// A `.kiln` blob that `kiln run` and `Runtime::load_artifact` map.
    Blob,
    /// A relocatable ELF object (for tools and linkers; `kiln run` loads it too).
    Obj,
}

/// Arguments of `kiln compile`.
#[derive(Args)]
pub struct CompileArgs {
    /// The module to compile (.wasm).
    module: PathBuf,
    /// Where to write the artifact (default: the input with extension `.kiln`, or `.o`
    /// with `--emit obj`).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Target triple (default: this host), e.g. aarch64-unknown-linux-gnu.
    #[arg(long)]
    target: Option<String>,
    /// CPU features the code may use.
    #[arg(long, value_enum, default_value = "baseline")]
    cpu: Cpu,
    /// What to write.
    #[arg(long, value_enum, default_value = "blob")]
    emit: EmitKind,
    /// Compile interruption checks in, so `kiln run --timeout` can stop the artifact.
    #[arg(long)]
    interruptible: bool,
    /// Compile fuel checks in, so `kiln run --fuel N` can run the artifact.
    #[arg(long)]
    fuel: bool,
    /// The features the module may use: v1, v2, v3, all, or a comma list of those and proposal
    /// names (e.g. `v2,multi-memory,memory64`), as `kiln wast --features`.
    #[arg(long, value_name = "LIST", default_value = "v3", value_parser = kiln_spectest::features::parse)]
    features: kiln::CoreFeatures,
    /// Sign the artifact with this secret key (NAME.key from `kiln keygen`), so runtimes
    /// that trust NAME.pub load it.
    #[arg(long, value_name = "KEY")]
    sign: Option<PathBuf>,
}

/// Compiles the module and writes the artifact atomically; prints where it went.
pub fn compile(a: CompileArgs) -> Result<ExitCode, String> {
    let wasm = super::read_module(&a.module)?;
    let key = a.sign.as_deref().map(super::keygen::read_secret_key).transpose()?;
    if kiln::is_artifact(&wasm) {
        return Err(format!("{} is already a Kiln artifact", a.module.display()));
    }
    let extension = match a.emit {
        EmitKind::Blob => "kiln",
        EmitKind::Obj => "o",
    };
    let out = a.output.unwrap_or_else(|| a.module.with_extension(extension));
    let options = AotOptions {
        target: a.target,
        cpu: match a.cpu {
            Cpu::Baseline => CpuTarget::Baseline,
            Cpu::Native => CpuTarget::Native,
        },
        emit: match a.emit {
            EmitKind::Blob => Emit::Blob,
            EmitKind::Obj => Emit::Obj,
        },
        interruption: a.interruptible,
        fuel: a.fuel,
        features: a.features,
        ..AotOptions::default()
    };
    let show = std::io::stderr().is_terminal();
    let bar: Mutex<Option<ProgressBar>> = Mutex::new(None);
    let progress = |done: usize, total: usize| {
        if !show || total < PROGRESS_MIN_FUNCTIONS {
            return;
        }
        let mut bar = bar.lock().unwrap_or_else(|e| e.into_inner());
        let b = bar.get_or_insert_with(|| {
            let b = ProgressBar::new(total as u64);
            if let Ok(style) =
                ProgressStyle::with_template("compiling {bar:40} {pos}/{len} functions ({eta})")
            {
                b.set_style(style);
            }
            b
        });
        // Threads report out of order; the bar only moves forward.
        if done as u64 > b.position() {
            b.set_position(done as u64);
        }
    };
    let result = kiln::aot::compile_artifact_with_progress(&wasm, &options, &progress);
    if let Some(b) = bar.lock().unwrap_or_else(|e| e.into_inner()).take() {
        b.finish_and_clear();
    }
    let mut blob = result.map_err(|e| format!("{}: {e}", a.module.display()))?;
    if let Some(key) = &key {
        kiln::sign_artifact(&mut blob, key).map_err(|e| format!("signing: {e}"))?;
    }
    kiln::write_atomically(&out, &blob)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    match &key {
        Some(k) => println!(
            "wrote {} ({} bytes), signed by {}",
            out.display(),
            blob.len(),
            k.public_key().fingerprint()
        ),
        None => println!("wrote {} ({} bytes)", out.display(), blob.len()),
    }
    Ok(ExitCode::SUCCESS)
}
