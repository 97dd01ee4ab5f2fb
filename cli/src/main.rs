//! `kiln`: run and inspect WebAssembly modules from the command line.

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
    /// Run a module: call `--invoke NAME` with ARGS, or its `_start` function.
    Run(commands::run::RunArgs),
    /// Print a module's imports, exports, functions and sizes.
    Inspect(commands::inspect::InspectArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
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
