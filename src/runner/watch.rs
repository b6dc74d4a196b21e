//! `cargo run -- watch`: checks the exercise the learner saves, each time it changes, and
//! moves on when it passes.
//!
//! A save is a *content* change of an exercise file, never a mere file event: the watcher
//! also reports opens and reads (the runner's own builds read every file), so on any event
//! the files are compared with what they held before, and only a file that really changed
//! is checked. Waiting for events costs no CPU. Where file events never arrive (some
//! network or container file systems) `--manual` checks when Enter is pressed, which also
//! works in automatic mode. A closed terminal (SIGHUP) or Ctrl-C ends the watch and
//! everything it started (see `exec`).

use std::collections::BTreeMap;
use std::io::BufRead;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use anstream::println;
use notify::{RecursiveMode, Watcher};

use super::grade::{Grader, Known};
use super::i18n::text as t;
use super::learner::{self, print_verdict};
use super::ui::{paint, BOLD, DIM, GOOD, WARN};
use super::workbook::{Ex, Workbook};

/// What wakes the watcher up.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Wake {
    /// Something happened under `exercises/` (maybe a save, maybe only a read).
    Touched,
    /// Enter was pressed.
    Recheck,
    /// `q` was typed, or standard input ended in manual mode.
    Quit,
}

/// How long the files must stay quiet after an event before they are compared: an editor
/// writes a file in several steps.
const QUIET: Duration = Duration::from_millis(150);

fn read_keys(tx: Sender<Wake>, manual: bool) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            let wake = match line.trim() {
                "q" | "quit" | "exit" => Wake::Quit,
                _ => Wake::Recheck,
            };
            if tx.send(wake).is_err() {
                return;
            }
        }
        if manual {
            let _ = tx.send(Wake::Quit);
        }
    });
}

/// Starts the file watcher; `None` (with a message) when events are unavailable.
fn watch_files(workbook: &Workbook, tx: Sender<Wake>) -> Option<notify::RecommendedWatcher> {
    let handler = move |event: notify::Result<notify::Event>| {
        if event.is_ok() {
            let _ = tx.send(Wake::Touched);
        }
    };
    let mut watcher = match notify::recommended_watcher(handler) {
        Ok(w) => w,
        Err(e) => {
            println!("{}", paint(WARN, t::NO_FILE_EVENTS.fill(&[&e])));
            return None;
        }
    };
    let dir = workbook.path("exercises");
    if let Err(e) = watcher.watch(&dir, RecursiveMode::Recursive) {
        let message = t::CANNOT_WATCH.fill(&[&dir.display(), &e]);
        println!("{}", paint(WARN, message));
        return None;
    }
    Some(watcher)
}

/// The exercise files' contents, to tell a save from a read.
struct Snapshot(BTreeMap<usize, Vec<u8>>);

impl Snapshot {
    fn take(workbook: &Workbook) -> Snapshot {
        Snapshot(
            workbook
                .exercises()
                .iter()
                .map(|ex| {
                    (
                        ex.index,
                        std::fs::read(workbook.path(&ex.file())).unwrap_or_default(),
                    )
                })
                .collect(),
        )
    }

    /// The exercises whose content changed since the last look, in workbook order.
    fn saved<'a>(&mut self, workbook: &'a Workbook) -> Vec<&'a Ex> {
        let now = Snapshot::take(workbook);
        let changed = workbook
            .exercises()
            .iter()
            .filter(|ex| self.0.get(&ex.index) != now.0.get(&ex.index))
            .collect();
        *self = now;
        changed
    }
}

/// `workbook watch [EXERCISE] [--manual]`.
pub fn run(workbook: &Workbook, start: Option<&str>, manual: bool) -> ExitCode {
    let (tx, rx) = mpsc::channel();
    let watcher = if manual {
        None
    } else {
        watch_files(workbook, tx.clone())
    };
    let manual = manual || watcher.is_none();
    read_keys(tx, manual);
    let mut snapshot = Snapshot::take(workbook);
    let mut grader = Grader::new(workbook);
    let mut current = match start {
        Some(query) => match learner::resolve_or_explain(workbook, query) {
            Ok(ex) => ex,
            Err(code) => return code,
        },
        None => match learner::find_next(&mut grader, 0) {
            Some((ex, _)) => ex,
            None => return all_done(),
        },
    };
    let mut check_now = show_known(&mut grader, current);
    loop {
        if check_now {
            let verdict = grader.grade(&[current]).remove(0);
            print_verdict(workbook, current, &verdict);
            if verdict.done() {
                match workbook.after(current) {
                    Some(next) => {
                        let next_one = t::MOVING_ON.fill(&[&paint(BOLD, next.id())]);
                        println!("{} {next_one}", paint(GOOD, "→"));
                        current = next;
                        check_now = show_known(&mut grader, current);
                        continue;
                    }
                    None => return all_done(),
                }
            }
        }
        let how = if manual {
            t::PRESS_ENTER
        } else {
            t::SAVE_OR_ENTER
        };
        println!("{}", paint(DIM, t::EDITING.fill(&[&current.file(), &how])));
        match wait(&rx, workbook, &mut snapshot) {
            Wait::Quit => return bye(),
            Wait::Recheck => check_now = true,
            Wait::Saved(ex) => {
                current = ex;
                check_now = true;
            }
        }
    }
}

/// Shows what is known of `ex` without running anything; true when it must be checked
/// (it changed since it was last graded).
fn show_known(grader: &mut Grader, ex: &Ex) -> bool {
    grader.refresh();
    match grader.known(ex) {
        Known::Unknown => true,
        Known::NotStarted => {
            println!(
                "{} {}",
                paint(DIM, "·"),
                t::IS_NOT_STARTED.fill(&[&ex.id()])
            );
            false
        }
        Known::Graded(verdict) => {
            print_verdict(grader.workbook, ex, &verdict);
            false
        }
    }
}

enum Wait<'a> {
    Quit,
    Recheck,
    Saved(&'a Ex),
}

/// Blocks until a real save, Enter or quit. Events that turn out to be reads are
/// dropped after one look at the files.
fn wait<'a>(rx: &Receiver<Wake>, workbook: &'a Workbook, snapshot: &mut Snapshot) -> Wait<'a> {
    loop {
        match rx.recv() {
            Ok(Wake::Quit) | Err(_) => return Wait::Quit,
            Ok(Wake::Recheck) => return Wait::Recheck,
            Ok(Wake::Touched) => {
                // Let the burst of events of one save end, then compare.
                loop {
                    match rx.recv_timeout(QUIET) {
                        Ok(Wake::Touched) => continue,
                        Ok(Wake::Quit) | Err(RecvTimeoutError::Disconnected) => return Wait::Quit,
                        Ok(Wake::Recheck) => return Wait::Recheck,
                        Err(RecvTimeoutError::Timeout) => break,
                    }
                }
                if let Some(last) = snapshot.saved(workbook).pop() {
                    return Wait::Saved(last);
                }
            }
        }
    }
}

fn all_done() -> ExitCode {
    println!("{}", paint(GOOD, t::ALL_DONE_QUIZ));
    ExitCode::SUCCESS
}

fn bye() -> ExitCode {
    println!("{}", t::BYE);
    ExitCode::SUCCESS
}
