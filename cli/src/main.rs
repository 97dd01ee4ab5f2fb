//! `kiln`: compile, run and inspect WebAssembly modules and Kiln artifacts, make signing
//! keys, and run `.wast` scripts, from the command line.

mod commands;
mod values;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Kiln: a WebAssembly runtime.
#[derive(Parser)]
#[command(name = "kiln", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a module ahead of time to a `.kiln` artifact.
    Compile(commands::compile::CompileArgs),
    /// Run a module or an artifact: call `--invoke NAME` with ARGS, or its `_start` function.
    Run(commands::run::RunArgs),
    /// Print a module's or an artifact's imports, exports, functions and sizes (and an
    /// artifact's header).
    Inspect(commands::inspect::InspectArgs),
    /// Run WebAssembly spec-format `.wast` scripts (files, or directories of `*.wast`).
    Wast(commands::wast::WastArgs),
    /// Make an Ed25519 key pair (NAME.key, NAME.pub) to sign artifacts with and to trust.
    Keygen(commands::keygen::KeygenArgs),
}

/// Restores the default action of SIGPIPE (Rust ignores it), so `kiln ... | head` ends
/// quietly when the reader goes away, like other command-line tools, instead of panicking
/// in `println!`.
#[cfg(unix)]
fn default_sigpipe() {
    // SAFETY: called first thing in `main`, before any other thread exists; SIG_DFL is a
    // valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    #[cfg(unix)]
    default_sigpipe();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compile(a) => commands::compile::compile(a),
        Command::Run(a) => commands::run::run(a),
        Command::Inspect(a) => commands::inspect::inspect(a),
        Command::Wast(a) => commands::wast::wast(a),
        Command::Keygen(a) => commands::keygen::keygen(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
