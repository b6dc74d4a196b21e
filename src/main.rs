//! The `workbook` binary: the learner's runner and `verify`.
//!
//! It contains none of the learner's code: each chapter's files compile only into that
//! chapter's own test binary, which the runner builds with cargo and runs, one test per
//! process. So the runner works whatever state the exercise files are in.
//!
//! `cargo run` with no arguments is `workbook list`: where you are and what comes next.

mod manifest;
mod runner;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use runner::workbook::Workbook;
use runner::{derived, exec, figures_cmd, hints, i18n, learner, quiz, ui, verify, watch};

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
    /// The language of the learner's commands: en or zh (简体中文; also zh-CN). Default:
    /// the first of LC_ALL, LC_MESSAGES, LANG that is set (zh… means Chinese).
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<i18n::Lang>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Every chapter and exercise with its state (done / failing / not started); only
    /// what changed since it was last graded is run again. The default command.
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
    /// The next hint for an exercise (each call shows one more).
    Hint {
        exercise: String,
        /// Every hint at once.
        #[arg(long)]
        all: bool,
    },
    /// Runs an exercise's program by hand: `run two_files a.txt b.txt`.
    Run {
        /// Build it optimised (`cargo test --release`), to see how fast it is.
        #[arg(long)]
        release: bool,
        /// Then say on stderr how long it ran (`time: SECONDS s`), from its start to its
        /// exit, the build not counted.
        #[arg(long)]
        time: bool,
        /// The program: an exercise with a `main` (`two_files`), or one of its child
        /// sides (`two_files::reader`).
        program: String,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
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
    /// Checks the exercise you save, each time its content changes; moves on when it passes.
    Watch {
        /// Start with this exercise (default: the next one not done).
        exercise: Option<String>,
        /// No file events: press Enter to check again (for file systems without them).
        #[arg(long)]
        manual: bool,
    },
    /// The interview drill: every chapter's questions, shuffled, the ones you did not know
    /// last time first; or one chapter's, in order.
    Quiz {
        /// Only this chapter's questions (e.g. ch03_locks, or ch03).
        chapter: Option<String>,
        /// The shuffle's seed (the same seed, the same order).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Proves the tests honest: every test passes on solutions/ and fails on the untouched
    /// exercises/, loom checks included; and the files agree with workbook.toml.
    Verify {
        /// Only these chapters (e.g. ch01_processes).
        chapters: Vec<String>,
        /// Instead: apply every mistake of the catalogues (`mistakes/`) and require each
        /// to fail on every run, and every correct alternative to pass.
        #[arg(long)]
        mistakes: bool,
    },
    /// Writes the files derived from workbook.toml (the book's SUMMARY.md, the README's
    /// chapter table) and the pages' sections made from data (common mistakes, figures).
    Sync,
    /// The book's measured figures: criterion's results into book/figures/CHAPTER.json,
    /// which `sync` turns into each page's tables and charts.
    Figures {
        #[command(subcommand)]
        action: FiguresAction,
    },
}

#[derive(Subcommand)]
enum FiguresAction {
    /// Runs a chapter's benchmarks (`cargo bench --features solutions --bench CHAPTER
    /// -- ARGS`) and imports what they measured, with that command.
    Bench {
        /// The chapter (e.g. ch03_locks, or ch03).
        chapter: String,
        /// Describe the machine yourself (default: CPU model, CPUs, kernel).
        #[arg(long)]
        machine: Option<String>,
        /// Criterion's arguments: `-- --warm-up-time 1 --measurement-time 3 ch03/balance`.
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// Imports what criterion holds now for a chapter (its groups `chNN/…`), from a bench
    /// run of your own.
    Import {
        /// The chapter (e.g. ch03_locks, or ch03).
        chapter: String,
        /// The exact command you measured with, recorded with the figures.
        #[arg(long)]
        command: String,
        /// Describe the machine yourself (default: CPU model, CPUs, kernel).
        #[arg(long)]
        machine: Option<String>,
        /// Criterion's folder (default: $CRITERION_HOME, else $CARGO_TARGET_DIR/criterion,
        /// else target/criterion).
        #[arg(long)]
        from: Option<std::path::PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.no_color {
        ui::disable_colour();
    }
    i18n::init(cli.lang);
    exec::guard_this_process();
    let workbook = match Workbook::open() {
        Ok(w) => w,
        Err(e) => {
            anstream::eprintln!("{} {e}", ui::paint(ui::BAD, i18n::text::ERROR));
            return ExitCode::FAILURE;
        }
    };
    let wb = &workbook;
    match cli.command.unwrap_or(Command::List { chapter: None }) {
        Command::List { chapter } => learner::list(wb, chapter.as_deref()),
        Command::Next => learner::next(wb),
        Command::Check { exercise } => learner::check(wb, exercise.as_deref()),
        Command::Hint { exercise, all } => hints::hint(wb, &exercise, all),
        Command::Run {
            release,
            time,
            program,
            args,
        } => learner::run(wb, &program, &args, release, time),
        Command::Solution { exercise, yes } => learner::solution(wb, &exercise, yes),
        Command::Reset { exercise } => learner::reset(wb, &exercise),
        Command::Watch { exercise, manual } => watch::run(wb, exercise.as_deref(), manual),
        Command::Quiz { chapter, seed } => quiz::run(wb, chapter.as_deref(), seed),
        Command::Verify { chapters, mistakes } => verify::run(&wb.root, &chapters, mistakes),
        Command::Sync => derived::sync(wb),
        Command::Figures { action } => match action {
            FiguresAction::Bench {
                chapter,
                machine,
                args,
            } => figures_cmd::bench(wb, &chapter, machine.as_deref(), &args),
            FiguresAction::Import {
                chapter,
                command,
                machine,
                from,
            } => figures_cmd::import(wb, &chapter, &command, machine.as_deref(), from.as_deref()),
        },
    }
}
