//! The learner's commands: `list`, `next`, `check`, `run`, `solution`, `reset`.
//!
//! States come from grading (`grade`): a cached verdict when nothing that decides it
//! changed, "not started" for an untouched file, a real run otherwise.

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anstream::{eprintln, println};

use super::compile;
use super::exec;
use super::git;
use super::grade::Grader;
use super::i18n::{self, text as t};
use super::names;
use super::po::Catalogue;
use super::ui::{self, paint, BAD, BOLD, DIM, GOOD, WARN};
use super::verdict::{State, Verdict};
use super::workbook::{Ex, Workbook};

/// Exit status for a refused request (bad name, missing confirmation, no git).
pub const USAGE: u8 = 2;

/// Resolves a name or prints why not (with the close matches).
pub fn resolve_or_explain<'a>(workbook: &'a Workbook, query: &str) -> Result<&'a Ex, ExitCode> {
    names::resolve(workbook, query).map_err(|e| {
        eprintln!("{} {}", paint(BAD, t::ERROR), names::explain(&e));
        ExitCode::from(USAGE)
    })
}

/// The first exercise (in workbook order, from `from`) that is not done.
pub fn find_next<'a>(grader: &mut Grader<'a>, from: usize) -> Option<(&'a Ex, State)> {
    let workbook = grader.workbook;
    let focus = workbook.focus();
    for chapter in focus {
        let exs: Vec<&Ex> = workbook
            .of_chapter(chapter)
            .filter(|e| e.index >= from)
            .collect();
        let states = grader.states(&exs);
        if let Some((ex, (state, _))) = exs.iter().zip(states).find(|(_, s)| s.0 != State::Done) {
            return Some((ex, state));
        }
    }
    None
}

/// `workbook list [CHAPTER]`.
pub fn list(workbook: &Workbook, chapter: Option<&str>) -> ExitCode {
    let chapters: Vec<&str> = match chapter {
        None => workbook.focus(),
        Some(name) => match workbook.find_chapter(name) {
            Some(c) => vec![c],
            None => {
                let known: Vec<_> = workbook
                    .manifest
                    .chapters
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect();
                eprintln!(
                    "{} {}",
                    paint(BAD, t::ERROR),
                    t::NO_CHAPTER_OF.fill(&[&name, &known.join(", ")])
                );
                return ExitCode::from(USAGE);
            }
        },
    };
    let exs: Vec<&Ex> = chapters
        .iter()
        .flat_map(|c| workbook.of_chapter(c))
        .collect();
    let mut grader = Grader::new(workbook);
    let states = grader.states(&exs);
    let mut next: Option<&Ex> = None;
    for chapter in &chapters {
        let mine: Vec<_> = exs
            .iter()
            .zip(&states)
            .filter(|(ex, _)| ex.chapter == *chapter)
            .collect();
        let done = mine.iter().filter(|(_, s)| s.0 == State::Done).count();
        println!(
            "\n{} {} {} {done}/{}",
            paint(BOLD, chapter),
            paint(DIM, format!("({})", workbook.title(chapter))),
            ui::bar(done, mine.len(), 20),
            mine.len()
        );
        for (ex, (state, verdict)) in mine {
            let why = match verdict.as_ref().and_then(|v| v.compile.as_ref()) {
                Some(error) => paint(DIM, t::DOES_NOT_COMPILE_BECAUSE.fill(&[error])),
                None => String::new(),
            };
            println!("  {} {}{why}", state_label(*state), ex.id());
            if *state != State::Done && next.is_none() {
                next = Some(ex);
            }
        }
    }
    let done = states.iter().filter(|s| s.0 == State::Done).count();
    println!(
        "\n{} {} {}",
        paint(BOLD, t::OVERALL),
        ui::bar(done, states.len(), 30),
        t::EXERCISES_DONE.fill(&[&done, &states.len()])
    );
    match next {
        Some(ex) => println!(
            "{}",
            t::LIST_NEXT.fill(&[&paint(BOLD, ex.id()), &ex.file()])
        ),
        None => println!("{}", paint(GOOD, t::ALL_DONE)),
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
    paint(style, i18n::pad(state.label(), 11))
}

/// `workbook next`.
pub fn next(workbook: &Workbook) -> ExitCode {
    let mut grader = Grader::new(workbook);
    let Some((ex, state)) = find_next(&mut grader, 0) else {
        println!("{}", paint(GOOD, t::ALL_DONE_QUIZ));
        return ExitCode::SUCCESS;
    };
    println!("{}", t::NEXT.fill(&[&paint(BOLD, ex.id()), &state.label()]));
    println!("{}", t::FILE.fill(&[&ex.file()]));
    println!("{}", t::GRADED_BY.fill(&[&paint(BOLD, ex.test_command())]));
    println!("{}", t::CHECK_IT.fill(&[&ex.name]));
    let book = Catalogue::for_workbook(workbook);
    match instructions(&workbook.path(&ex.file()), book.as_ref()) {
        Some(text) => println!("{text}"),
        None => println!("{}", t::NO_INSTRUCTIONS.fill(&[&ex.file()])),
    }
    ExitCode::SUCCESS
}

/// The `//!` doc comment at the top of a source file: the exercise's instructions, from
/// the book's translation when there is one.
pub fn instructions(path: &std::path::Path, book: Option<&Catalogue>) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let header: Vec<&str> = text.lines().take_while(|l| l.starts_with("//!")).collect();
    if header.is_empty() {
        return None;
    }
    // The book includes the file, so its translation holds the header as one entry.
    let raw = format!("{}\n", header.join("\n"));
    let shown = book.and_then(|b| b.entry(&raw)).unwrap_or(&raw);
    let lines: Vec<&str> = shown
        .lines()
        .map(|line| {
            let line = line.trim_start_matches("//!");
            line.strip_prefix(' ').unwrap_or(line)
        })
        .collect();
    Some(lines.join("\n"))
}

/// `workbook check [EXERCISE]`: grades it now, whatever the cache says.
pub fn check(workbook: &Workbook, query: Option<&str>) -> ExitCode {
    let mut grader = Grader::new(workbook);
    let ex = match query {
        Some(query) => match resolve_or_explain(workbook, query) {
            Ok(ex) => ex,
            Err(code) => return code,
        },
        None => match find_next(&mut grader, 0) {
            Some((ex, _)) => ex,
            None => {
                println!("{}", paint(GOOD, t::ALL_DONE));
                return ExitCode::SUCCESS;
            }
        },
    };
    let verdict = grader.grade(&[ex]).pop().expect("one verdict per exercise");
    print_verdict(workbook, ex, &verdict);
    if verdict.done() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The short verdict: passed, or the most telling failure with its message.
pub fn print_verdict(workbook: &Workbook, ex: &Ex, verdict: &Verdict) {
    if let Some(error) = &verdict.compile {
        let whose = if error.place.starts_with(&ex.file())
            || error
                .place
                .starts_with(&ex.source(crate::manifest::Tree::Solutions))
        {
            t::CODE_DOES_NOT_COMPILE.get().to_owned()
        } else {
            t::CHAPTER_DOES_NOT_COMPILE.fill(&[&ex.chapter])
        };
        println!("{} {}: {whose}", paint(BAD, "✗"), ex.id());
        println!("  {}", paint(BOLD, error));
        for line in error.rendered.lines().skip(1).take(14) {
            println!("  {line}");
        }
        println!("{}", paint(DIM, t::FULL_OUTPUT.fill(&[&ex.test_command()])));
        return;
    }
    let total = verdict.tests.len();
    if total == 0 {
        println!("{} {}", paint(WARN, "?"), t::NO_TESTS_RAN.fill(&[&ex.id()]));
        return;
    }
    let (loom_passed, loom_total) = verdict.loom();
    let loom = if loom_total > 0 {
        t::LOOM_CHECKS.fill(&[&loom_passed, &loom_total])
    } else {
        String::new()
    };
    if verdict.done() {
        let all = t::ALL_PASS.fill(&[&ex.id(), &total, &loom]);
        println!("{} {all}", paint(GOOD, "✓"));
        return;
    }
    let some = t::SOME_PASS.fill(&[&ex.id(), &verdict.passed(), &total, &loom]);
    println!("{} {some}", paint(BAD, "✗"));
    let failures = verdict.failures();
    if let Some((test, outcome)) = failures.first() {
        println!("{}", t::FAILED.fill(&[&paint(BOLD, test)]));
        let root = format!("{}/", workbook.root.display());
        for line in outcome.message().replace(&root, "").lines() {
            println!("    {line}");
        }
        if test.is_loom() && !outcome.message().contains("not yet implemented") {
            println!("  {}", paint(WARN, t::LOOM_WRONG));
        }
        let others: Vec<String> = failures[1..].iter().map(|f| f.0.to_string()).collect();
        if !others.is_empty() {
            println!("{}", t::ALSO_FAILING.fill(&[&others.join(", ")]));
        }
    }
    let full = t::FULL_OUTPUT_HINTS.fill(&[&ex.test_command(), &ex.name]);
    println!("{}", paint(DIM, full));
}

/// `workbook run [--release] [--time] ENTRY [ARGS...]`: an exercise's program, by hand;
/// `--release` builds the chapter optimised, `--time` says on stderr how long the program
/// ran (wall clock, from its start to its exit; the build is not counted).
pub fn run(
    workbook: &Workbook,
    entry: &str,
    args: &[String],
    release: bool,
    time: bool,
) -> ExitCode {
    let owner = workbook
        .exercises()
        .iter()
        .find(|ex| ex.entry_names().iter().any(|e| e == entry));
    let Some(ex) = owner else {
        let all: Vec<String> = workbook
            .exercises()
            .iter()
            .flat_map(Ex::entry_names)
            .collect();
        eprintln!(
            "{} {}",
            paint(BAD, t::ERROR),
            t::NO_PROGRAM.fill(&[&entry, &all.join(", ")])
        );
        return ExitCode::from(USAGE);
    };
    let build = if release {
        compile::build_release
    } else {
        compile::build
    };
    let built = match build(&workbook.root, workbook.tree, &[&ex.chapter]) {
        Ok(built) => built,
        Err(message) => {
            eprintln!("{} {message}", paint(BAD, t::ERROR));
            return ExitCode::FAILURE;
        }
    };
    let exe = match built.result(&ex.chapter) {
        Ok(exe) => exe.to_path_buf(),
        Err(error) => {
            let broken = t::CHAPTER_DOES_NOT_COMPILE.fill(&[&ex.chapter]);
            eprintln!("{} {broken}: {error}", paint(BAD, t::ERROR));
            return ExitCode::FAILURE;
        }
    };
    let mut cmd = workbook::process::entry_in(&exe, entry);
    cmd.args(args);
    let started = std::time::Instant::now();
    let ran = exec::run_in_foreground(&mut cmd);
    if time && ran.is_ok() {
        let secs = started.elapsed().as_secs_f64();
        eprintln!("time: {secs:.6} s ({entry}, from its start to its exit)");
    }
    match ran {
        Ok(status) => ExitCode::from(status.code().map_or(1, |c| c as u8)),
        Err(e) => {
            eprintln!("{} cannot start {entry}: {e}", paint(BAD, t::ERROR));
            ExitCode::FAILURE
        }
    }
}

/// `workbook solution EXERCISE [--yes]`: only after the learner said yes.
pub fn solution(workbook: &Workbook, query: &str, yes: bool) -> ExitCode {
    let ex = match resolve_or_explain(workbook, query) {
        Ok(ex) => ex,
        Err(code) => return code,
    };
    if !yes {
        if !io::stdin().is_terminal() {
            eprintln!(
                "{} {}",
                paint(BAD, t::REFUSED),
                t::SOLUTION_NEEDS_YES.fill(&[&ex.name])
            );
            return ExitCode::from(USAGE);
        }
        eprint!("{}", t::SOLUTION_ASK.fill(&[&ex.id()]));
        let _ = io::stderr().flush();
        let mut answer = String::new();
        let _ = io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "是") {
            eprintln!("{}", t::NOT_SHOWN);
            return ExitCode::SUCCESS;
        }
    }
    let path = ex.source(crate::manifest::Tree::Solutions);
    match std::fs::read_to_string(workbook.path(&path)) {
        Ok(text) => {
            println!("{}\n", paint(DIM, format!("// {path}")));
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "{} {}",
                paint(BAD, t::ERROR),
                t::CANNOT_READ.fill(&[&path, &e])
            );
            ExitCode::FAILURE
        }
    }
}

/// `workbook reset EXERCISE`: the pristine file back from git; the learner's version is
/// kept in `.workbook/backup/` (nothing is lost); no other file is touched.
pub fn reset(workbook: &Workbook, query: &str) -> ExitCode {
    let ex = match resolve_or_explain(workbook, query) {
        Ok(ex) => ex,
        Err(code) => return code,
    };
    let pristine = match git::pristine(&workbook.root, &ex.file()) {
        Ok(bytes) => bytes,
        Err(e) => {
            let why = t::CANNOT_RESET.fill(&[&ex.id(), &e]);
            eprintln!("{} {why}", paint(BAD, t::ERROR));
            return ExitCode::from(USAGE);
        }
    };
    let path = workbook.path(&ex.file());
    let current = std::fs::read(&path).ok();
    if current.as_deref() == Some(pristine.as_slice()) {
        println!("{}", t::ALREADY_PRISTINE.fill(&[&ex.file()]));
        return ExitCode::SUCCESS;
    }
    if let Some(current) = current {
        let backup = workbook
            .root
            .join(".workbook/backup")
            .join(&ex.chapter)
            .join(format!("{}.rs", ex.name));
        let saved = backup
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&backup, current));
        match saved {
            Ok(()) => println!("{}", t::SAVED_IN.fill(&[&backup.display()])),
            Err(e) => {
                let why = t::CANNOT_SAVE.fill(&[&backup.display(), &e]);
                eprintln!("{} {why}", paint(BAD, t::ERROR));
                return ExitCode::FAILURE;
            }
        }
    }
    match std::fs::write(&path, pristine) {
        Ok(()) => {
            let again = t::PRISTINE_AGAIN.fill(&[&ex.file()]);
            println!("{} {again}", paint(GOOD, t::RESET));
            ExitCode::SUCCESS
        }
        Err(e) => {
            let why = t::CANNOT_WRITE.fill(&[&ex.file(), &e]);
            eprintln!("{} {why}", paint(BAD, t::ERROR));
            ExitCode::FAILURE
        }
    }
}
