//! The learner's commands: `list`, `next`, `check`, `hint`, `solution`, `reset`.
//!
//! Every state shown here comes from running `cargo test` on the chapter's suite
//! ([`exercises::run_chapter`]): the runner keeps no record of its own of what is done.

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anstream::{eprintln, println};

use super::exercises::{self, Ref, State, Status};
use super::git;
use super::ui::{self, paint, BAD, BOLD, DIM, GOOD, WARN};
use crate::catalog::{Chapter, CHAPTERS};

/// Exit status for a refused request (bad name, missing confirmation, no git).
pub const USAGE: u8 = 2;

/// Resolves a name or prints why not (with the close matches).
pub fn resolve_or_explain(query: &str) -> Result<Ref, ExitCode> {
    exercises::resolve(query).map_err(|e| {
        eprintln!("{} {e}", paint(BAD, "error:"));
        ExitCode::from(USAGE)
    })
}

/// How many chapter suites `list` runs at once. Most of a failing suite's time is spent
/// waiting (for watchdogs, for children), so a few at a time finish sooner even on 2 cores.
const SUITES_AT_ONCE: usize = 3;

/// Runs the suites of `chapters`, one cargo run per chapter, a few at a time, showing
/// progress as each finishes; returns the statuses in workbook order.
fn statuses(chapters: &[&'static Chapter]) -> Vec<Status> {
    let total = chapters.len();
    let finished = std::sync::atomic::AtomicUsize::new(0);
    let mut all = Vec::new();
    for batch in chapters.chunks(SUITES_AT_ONCE) {
        ui::progress(format!(
            "running the tests of {}",
            batch.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
        ));
        let results: Vec<Vec<Status>> = std::thread::scope(|s| {
            let runs: Vec<_> = batch
                .iter()
                .map(|chapter| {
                    let finished = &finished;
                    s.spawn(move || {
                        let statuses = exercises::run_chapter(chapter, None);
                        let n = finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                        ui::progress(format!("{} checked ({n}/{total})", chapter.name));
                        statuses
                    })
                })
                .collect();
            runs.into_iter()
                .map(|run| run.join().unwrap_or_default())
                .collect()
        });
        all.extend(results.into_iter().flatten());
    }
    all
}

/// The first exercise (in workbook order) that is not done, running chapter after chapter
/// only until one has such an exercise.
pub fn find_next(after: Option<&Ref>) -> Option<Status> {
    let start = after.map_or(0, |r| r.index().saturating_add(1));
    for chapter in exercises::chapters() {
        let refs: Vec<Ref> = exercises::all()
            .into_iter()
            .filter(|r| r.chapter.name == chapter.name && r.index() >= start)
            .collect();
        if refs.is_empty() {
            continue;
        }
        ui::progress(format!("running the tests of {}", chapter.name));
        let found = exercises::run_chapter(chapter, None)
            .into_iter()
            .filter(|s| s.exercise.index() >= start)
            .find(|s| s.state != State::Done);
        if found.is_some() {
            return found;
        }
    }
    None
}

/// `workbook list [CHAPTER]`.
pub fn list(chapter: Option<&str>) -> ExitCode {
    let chapters: Vec<&'static Chapter> = match chapter {
        None => exercises::chapters(),
        Some(name) => match CHAPTERS
            .iter()
            .find(|c| c.name == name || c.name.starts_with(&format!("{name}_")))
        {
            Some(c) => vec![c],
            None => {
                let known: Vec<_> = CHAPTERS.iter().map(|c| c.name).collect();
                eprintln!(
                    "{} no chapter `{name}`; chapters are: {}",
                    paint(BAD, "error:"),
                    known.join(", ")
                );
                return ExitCode::from(USAGE);
            }
        },
    };
    let statuses = statuses(&chapters);
    let mut next: Option<&Status> = None;
    for chapter in &chapters {
        let mine: Vec<&Status> = statuses
            .iter()
            .filter(|s| s.exercise.chapter.name == chapter.name)
            .collect();
        let done = mine.iter().filter(|s| s.state == State::Done).count();
        println!(
            "\n{} {} {} {done}/{}",
            paint(BOLD, chapter.name),
            paint(DIM, format!("({})", chapter.title)),
            ui::bar(done, mine.len(), 20),
            mine.len()
        );
        if let Some(error) = mine.first().and_then(|s| s.build_error.as_ref()) {
            println!(
                "  {} {}",
                paint(BAD, "does not compile:"),
                first_error(error)
            );
        }
        for status in mine {
            println!(
                "  {:<12} {}",
                state_label(status.state),
                status.exercise.id()
            );
            if status.state != State::Done && next.is_none() {
                next = Some(status);
            }
        }
    }
    let done = statuses.iter().filter(|s| s.state == State::Done).count();
    println!(
        "\n{} {} {done}/{} exercises done",
        paint(BOLD, "overall"),
        ui::bar(done, statuses.len(), 30),
        statuses.len()
    );
    match next {
        Some(status) => println!(
            "next: {}  ({}; `cargo run -- next` shows what to do)",
            paint(BOLD, status.exercise.id()),
            status.exercise.file()
        ),
        None => println!("{}", paint(GOOD, "every exercise is done!")),
    }
    ExitCode::SUCCESS
}

fn state_label(state: State) -> String {
    let style = match state {
        State::Done => GOOD,
        State::Failing => BAD,
        State::NotStarted => DIM,
    };
    // Pad before painting: colour codes have no width on screen.
    paint(style, format!("{:<11}", state.label()))
}

/// `workbook next`.
pub fn next() -> ExitCode {
    let Some(status) = find_next(None) else {
        println!(
            "{}",
            paint(GOOD, "every exercise is done! Try `cargo run -- quiz`.")
        );
        return ExitCode::SUCCESS;
    };
    let r = status.exercise;
    println!(
        "next: {} ({}, {} of {} tests pass)",
        paint(BOLD, r.id()),
        status.state.label(),
        status.passed,
        status.total
    );
    println!("file: {}", r.file());
    println!("graded by: {}", paint(BOLD, r.test_command()));
    println!("hints: cargo run -- hint {}\n", r.exercise.name);
    match exercises::instructions(&exercises::root().join(r.file())) {
        Some(text) => println!("{text}"),
        None => println!("(no instructions found at the top of {})", r.file()),
    }
    ExitCode::SUCCESS
}

/// `workbook check [EXERCISE]`.
pub fn check(query: Option<&str>) -> ExitCode {
    let status = match query {
        Some(query) => match resolve_or_explain(query) {
            Ok(r) => {
                ui::progress(format!("checking {} (`{}`)", r.id(), r.test_command()));
                exercises::check(r)
            }
            Err(code) => return code,
        },
        None => match find_next(None) {
            Some(status) => status,
            None => {
                println!("{}", paint(GOOD, "every exercise is done!"));
                return ExitCode::SUCCESS;
            }
        },
    };
    print_verdict(&status);
    if status.state == State::Done {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The friendly verdict: passed, or which test failed and its first message.
pub fn print_verdict(status: &Status) {
    let r = status.exercise;
    if let Some(error) = &status.build_error {
        println!(
            "{} {}: the code does not compile (or the suite did not run):\n{}",
            paint(BAD, "✗"),
            r.id(),
            first_error(error)
        );
        println!(
            "{}",
            paint(DIM, format!("full output: {}", r.test_command()))
        );
        return;
    }
    if status.total == 0 {
        println!("{} {}: no tests ran", paint(WARN, "?"), r.id());
        return;
    }
    let loom = if status.loom_total > 0 {
        format!(", loom checks {}/{}", status.loom_passed, status.loom_total)
    } else {
        String::new()
    };
    if status.state == State::Done {
        println!(
            "{} {}: all {} tests pass{loom}",
            paint(GOOD, "✓"),
            r.id(),
            status.total
        );
        return;
    }
    println!(
        "{} {}: {} of {} tests pass{loom}",
        paint(BAD, "✗"),
        r.id(),
        status.passed,
        status.total
    );
    if let Some(first) = status.failures.first() {
        println!("  failed: {}", paint(BOLD, &first.test));
        if !first.message.is_empty() {
            println!("  {}", first.message);
        }
        if first.looks_stuck() {
            println!(
                "  {}",
                paint(
                    WARN,
                    "this looks like a deadlock or a hang: the grader's watchdog gave up \
                     waiting (a lock never released, a thread never joined, two parties \
                     waiting on each other?)"
                )
            );
        } else if first.is_loom() {
            println!(
                "  {}",
                paint(
                    WARN,
                    "loom found an interleaving of threads where this goes wrong"
                )
            );
        }
        let others: Vec<&str> = status.failures[1..]
            .iter()
            .map(|f| f.test.as_str())
            .collect();
        if !others.is_empty() {
            println!("  also failing: {}", others.join(", "));
        }
    }
    println!(
        "{}",
        paint(
            DIM,
            format!(
                "full output: {}   hints: cargo run -- hint {}",
                r.test_command(),
                r.exercise.name
            )
        )
    );
}

/// The first compiler error of cargo's output (a dozen lines at most).
fn first_error(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("error"))
        .unwrap_or(0);
    let block: Vec<&str> = lines[start..]
        .iter()
        .take(12)
        .take_while(|l| !l.is_empty())
        .copied()
        .collect();
    block.join("\n")
}

/// `workbook hint EXERCISE`.
pub fn hint(query: &str) -> ExitCode {
    let r = match resolve_or_explain(query) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let page = std::fs::read_to_string(exercises::root().join(r.page())).unwrap_or_default();
    match exercises::hints(&page) {
        Some(hints) => {
            println!("{} {}\n\n{hints}", paint(BOLD, "Hints for"), r.id());
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "{} {} has no `## Hints` section; read the page itself",
                paint(BAD, "error:"),
                r.page()
            );
            ExitCode::FAILURE
        }
    }
}

/// `workbook solution EXERCISE [--yes]`: only after the learner said yes.
pub fn solution(query: &str, yes: bool) -> ExitCode {
    let r = match resolve_or_explain(query) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if !yes {
        if !io::stdin().is_terminal() {
            eprintln!(
                "{} showing the solution needs a yes: run `cargo run -- solution {} --yes` \
                 (standard input is not a terminal, so the runner cannot ask)",
                paint(BAD, "refused:"),
                r.exercise.name
            );
            return ExitCode::from(USAGE);
        }
        eprint!(
            "Show the reference solution of {}? Trying first teaches more. [y/N] ",
            r.id()
        );
        let _ = io::stderr().flush();
        let mut answer = String::new();
        let _ = io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            eprintln!("not shown.");
            return ExitCode::SUCCESS;
        }
    }
    match std::fs::read_to_string(exercises::root().join(r.solution())) {
        Ok(text) => {
            println!("{}\n", paint(DIM, format!("// {}", r.solution())));
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{} cannot read {}: {e}", paint(BAD, "error:"), r.solution());
            ExitCode::FAILURE
        }
    }
}

/// `workbook reset EXERCISE`: the pristine file back from git; the learner's version is
/// kept in `.workbook/backup/` (nothing is lost); no other file is touched.
pub fn reset(query: &str) -> ExitCode {
    let r = match resolve_or_explain(query) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let root = exercises::root();
    let pristine = match git::pristine(&root, &r.file()) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{} cannot reset {}: {e}", paint(BAD, "error:"), r.id());
            return ExitCode::from(USAGE);
        }
    };
    let path = root.join(r.file());
    let current = std::fs::read(&path).ok();
    if current.as_deref() == Some(pristine.as_slice()) {
        println!("{} is already pristine; nothing changed", r.file());
        return ExitCode::SUCCESS;
    }
    if let Some(current) = current {
        let backup = root
            .join(".workbook/backup")
            .join(r.chapter.name)
            .join(format!("{}.rs", r.exercise.name));
        let saved = backup
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&backup, current));
        match saved {
            Ok(()) => println!("your version is saved in {}", backup.display()),
            Err(e) => {
                eprintln!(
                    "{} cannot save your version to {} ({e}); nothing was reset",
                    paint(BAD, "error:"),
                    backup.display()
                );
                return ExitCode::FAILURE;
            }
        }
    }
    match std::fs::write(&path, pristine) {
        Ok(()) => {
            println!("{} {} is pristine again", paint(GOOD, "reset:"), r.file());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{} cannot write {}: {e}", paint(BAD, "error:"), r.file());
            ExitCode::FAILURE
        }
    }
}
