//! The `workbook` binary: the learner's runner, `verify`, and the entry points that child
//! processes of the exercises run.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use workbook::runner::verify;

#[derive(Parser)]
#[command(name = "workbook", version, about = "The Rust concurrency workbook")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Prove the tests honest: every test passes on solutions/ and fails on the untouched
    /// exercises/, loom checks included; prints a table per chapter.
    Verify {
        /// Only these chapters (e.g. ch01_processes).
        chapters: Vec<String>,
    },
    /// Run an exercise's entry point (how exercises start child processes).
    #[command(name = "__entry", hide = true)]
    Entry {
        name: String,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Verify { chapters } => {
            if verify::run(&verify::Options { chapters }) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Entry { name, args } => workbook::entries::run(&name, &args),
    }
}
