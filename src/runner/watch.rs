//! `cargo run -- watch`: check the exercise being edited on every save, move on when it passes.
//!
//! File events come from `notify` (debounced); where they never arrive (some network or
//! container file systems) `--manual` re-checks when Enter is pressed, which also works in
//! automatic mode. A check is a `cargo test` run whose tests sit under the grading
//! harness's watchdog, so a deadlocked exercise ends as a verdict, never as a frozen runner.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use anstream::println;
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};

use super::exercises::{self, Ref, State};
use super::learner::{self, print_verdict};
use super::ui::{self, paint, BOLD, DIM, GOOD, WARN};

/// What wakes the watcher up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wake {
    /// A file was saved.
    Saved(PathBuf),
    /// Enter was pressed.
    Recheck,
    /// `q` was typed, or standard input ended in manual mode.
    Quit,
}

/// Which exercise a saved file is, if any (`…/exercises/<chapter>/<name>.rs`).
pub fn exercise_of(path: &Path) -> Option<Ref> {
    let name = path.file_stem()?.to_str()?;
    let chapter = path.parent()?.file_name()?.to_str()?;
    let tree = path.parent()?.parent()?.file_name()?;
    if tree != "exercises" || path.extension()? != "rs" {
        return None;
    }
    exercises::all()
        .into_iter()
        .find(|r| r.chapter.name == chapter && r.exercise.name == name)
}

fn read_keys(tx: Sender<Wake>, manual: bool) {
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
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
fn watch_files(tx: Sender<Wake>) -> Option<impl Drop> {
    let handler = move |result: DebounceEventResult| {
        if let Ok(events) = result {
            for event in events {
                let _ = tx.send(Wake::Saved(event.path));
            }
        }
    };
    let mut debouncer = match new_debouncer(Duration::from_millis(300), handler) {
        Ok(d) => d,
        Err(e) => {
            println!(
                "{}",
                paint(WARN, format!("file events unavailable ({e}): manual mode"))
            );
            return None;
        }
    };
    let dir = exercises::root().join("exercises");
    if let Err(e) = debouncer.watcher().watch(&dir, RecursiveMode::Recursive) {
        println!(
            "{}",
            paint(
                WARN,
                format!("cannot watch {} ({e}): manual mode", dir.display())
            )
        );
        return None;
    }
    Some(debouncer)
}

/// Whether a `Quit` is waiting (before moving on); other wakes that arrived meanwhile are
/// dropped: the next check sees every change anyway.
fn quit_pending(rx: &Receiver<Wake>) -> bool {
    rx.try_iter().any(|wake| wake == Wake::Quit)
}

/// `workbook watch [EXERCISE] [--manual]`.
pub fn run(start: Option<&str>, manual: bool) -> ExitCode {
    let (tx, rx) = mpsc::channel();
    let _watcher = if manual {
        None
    } else {
        watch_files(tx.clone())
    };
    let manual = manual || _watcher.is_none();
    read_keys(tx, manual);

    let mut current = match start {
        Some(query) => match learner::resolve_or_explain(query) {
            Ok(r) => r,
            Err(code) => return code,
        },
        None => match learner::find_next(None) {
            Some(status) => status.exercise,
            None => return all_done(),
        },
    };
    loop {
        ui::progress(format!("checking {}", current.id()));
        let status = exercises::check(current);
        print_verdict(&status);
        if status.state == State::Done {
            if quit_pending(&rx) {
                return bye();
            }
            match exercises::all()
                .into_iter()
                .find(|r| r.index() == current.index() + 1)
            {
                Some(next) => {
                    println!(
                        "{} moving on to {}",
                        paint(GOOD, "→"),
                        paint(BOLD, next.id())
                    );
                    current = next;
                    continue;
                }
                None => return all_done(),
            }
        }
        let how = if manual {
            "press Enter to check again"
        } else {
            "save the file to check again, or press Enter"
        };
        println!(
            "{}",
            paint(
                DIM,
                format!("editing {} — {how}; q + Enter quits", current.file())
            )
        );
        loop {
            match rx.recv() {
                Ok(Wake::Quit) | Err(_) => return bye(),
                Ok(Wake::Recheck) => break,
                Ok(Wake::Saved(path)) => {
                    if let Some(edited) = exercise_of(&path) {
                        current = edited;
                        break;
                    }
                }
            }
        }
    }
}

fn all_done() -> ExitCode {
    println!(
        "{}",
        paint(GOOD, "every exercise is done! Try `cargo run -- quiz`.")
    );
    ExitCode::SUCCESS
}

fn bye() -> ExitCode {
    println!("bye — `cargo run -- watch` picks up where you left off");
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exercise_files_map_to_exercises() {
        let root = exercises::root();
        let r = exercise_of(&root.join("exercises/ch01_processes/pids.rs")).unwrap();
        assert_eq!(r.id(), "ch01_processes::pids");
        assert!(exercise_of(&root.join("solutions/ch01_processes/pids.rs")).is_none());
        assert!(exercise_of(&root.join("exercises/ch01_processes/pids.rs.swp")).is_none());
        assert!(exercise_of(&root.join("exercises/ch01_processes/nope.rs")).is_none());
    }
}
