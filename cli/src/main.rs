//! `kiln`: compile, run and inspect WebAssembly modules and Kiln artifacts from the command
//! line.

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compile(a) => commands::compile::compile(a),
        Command::Run(a) => commands::run::run(a),
        Command::Inspect(a) => commands::inspect::inspect(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
