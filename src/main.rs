//! The `workbook` binary: the learner's runner, `verify`, and the entry points that child
//! processes of the exercises run.
//!
//! `cargo run` with no arguments is `workbook list`: where you are and what comes next.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use workbook::runner::{learner, quiz, ui, verify, watch};

#[derive(Parser)]
#[command(
    name = "workbook",
    version,
    about = "The Rust concurrency workbook: where you are, what to do next, and a check of \
             your work (plain `cargo test` underneath).",
    after_help = "Exercise names: `ch01_processes::two_files`, or just `two_files` when unique."
)]
struct Cli {
    /// Plain output without colour (also automatic when the output is not a terminal, or
    /// when NO_COLOR is set).
    #[arg(long, global = true)]
    no_color: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Every chapter and exercise with its state (done / failing / not started), from a
    /// real test run; progress bars; the next exercise. The default command.
    List {
        /// Only this chapter (e.g. ch01_processes, or ch01).
        chapter: Option<String>,
    },
    /// The next exercise to do: its file, its instructions, the command that grades it.
    Next,
    /// Runs an exercise's tests (loom checks included) and says what failed, briefly.
    Check {
        /// The exercise (default: the next one not done).
        exercise: Option<String>,
    },
    /// The hints for an exercise (the `## Hints` section of its book page).
    Hint { exercise: String },
    /// The reference solution of an exercise, after asking.
    Solution {
        exercise: String,
        /// Do not ask (needed when standard input is not a terminal).
        #[arg(long, short)]
        yes: bool,
    },
    /// Restores an exercise file to its pristine (committed) version; your version is kept
    /// in .workbook/backup/. Other files are left alone.
    Reset { exercise: String },
    /// Re-checks on every save of an exercise file and moves on when it passes.
    Watch {
        /// Start with this exercise (default: the next one not done).
        exercise: Option<String>,
        /// No file events: press Enter to re-check (for file systems without them).
        #[arg(long)]
        manual: bool,
    },
    /// The interview drill: chapter 10's questions one at a time.
    Quiz {
        /// Start at question N.
        #[arg(long, default_value_t = 1)]
        from: usize,
    },
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
    let cli = Cli::parse();
    if cli.no_color {
        ui::disable_colour();
    }
    match cli.command.unwrap_or(Command::List { chapter: None }) {
        Command::List { chapter } => learner::list(chapter.as_deref()),
        Command::Next => learner::next(),
        Command::Check { exercise } => learner::check(exercise.as_deref()),
        Command::Hint { exercise } => learner::hint(&exercise),
        Command::Solution { exercise, yes } => learner::solution(&exercise, yes),
        Command::Reset { exercise } => learner::reset(&exercise),
        Command::Watch { exercise, manual } => watch::run(exercise.as_deref(), manual),
        Command::Quiz { from } => quiz::run(from),
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
