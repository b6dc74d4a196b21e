//! `workbook verify --mistakes`: every mistake in the catalogues is caught on every run,
//! every alternative passes.
//!
//! Each entry's source replaces the exercise's file in a scratch copy of `solutions/`
//! (`TARGET/mistakes/tree`), whose chapter is built into a target folder of its own
//! (`TARGET/mistakes/target`, so the main build stays as it is); then the exercise's
//! tests run `RUNS` times for a mistake (each run must fail, the tests it names among the
//! failures; after the first run, only the named tests run again) and `ALTERNATIVE_RUNS`
//! times for an alternative (each must pass). A loom check is deterministic — it explores
//! the same interleavings every time — so it runs once and its verdict counts for every run.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anstream::println;

use super::catalogue::{self, Entry};
use super::compile;
use super::exec;
use super::libtest::{self, Outcome, TestName};
use super::ui;
use crate::manifest::{Chapter, Tree};

/// Runs per mistake: each must fail.
pub const RUNS: usize = 10;
/// Runs per alternative: each must pass.
const ALTERNATIVE_RUNS: usize = 3;

/// One chapter's counts.
#[derive(Debug, Default)]
pub struct Row {
    pub chapter: String,
    pub mistakes: usize,
    pub caught: usize,
    pub alternatives: usize,
    pub passing: usize,
}

/// Grades every catalogue of `chapters`; returns the rows (in the order of `chapters`)
/// and the problems found.
///
/// Building a patched chapter is mostly one compiler thread, so the chapters are shared
/// among [`streams`] streams, each grading one chapter at a time in a scratch tree and a
/// target folder of its own (`TARGET/mistakes/tree`, `…/target`; `tree-2`, `target-2`,
/// … for the others), its tests on its share of the runner's parallel test processes.
pub fn check(root: &Path, chapters: &[&Chapter]) -> (Vec<Row>, Vec<String>) {
    // Beside the build this runner uses (its own target folder, when one is set).
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| root.join(dir))
        .unwrap_or_else(|| root.join("target"))
        .join("mistakes");
    let streams = streams().clamp(1, chapters.len().max(1));
    let parallel = (exec::parallelism() / streams).max(1);
    let next = AtomicUsize::new(0);
    let graded: Mutex<Vec<Option<Graded>>> = Mutex::new(chapters.iter().map(|_| None).collect());
    let failed_to_start = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for stream in 1..=streams {
            let (base, next, graded) = (&base, &next, &graded);
            let failed_to_start = &failed_to_start;
            s.spawn(move || {
                let suffix = if stream == 1 {
                    String::new()
                } else {
                    format!("-{stream}")
                };
                let tree = base.join(format!("tree{suffix}"));
                let target = base.join(format!("target{suffix}"));
                if let Err(e) = copy_tree(&root.join("solutions"), &tree) {
                    // The other streams take this one's chapters.
                    lock(failed_to_start)
                        .push(format!("cannot copy solutions/ to {}: {e}", tree.display()));
                    return;
                }
                let env: [(&str, &OsStr); 2] = [
                    ("WORKBOOK_TREE_DIR", tree.as_os_str()),
                    ("CARGO_TARGET_DIR", target.as_os_str()),
                ];
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(chapter) = chapters.get(i) else {
                        return;
                    };
                    let result = check_chapter(root, &tree, &env, chapter, parallel);
                    lock(graded)[i] = Some(result);
                }
            });
        }
    });
    let mut problems = lock(&failed_to_start).clone();
    let mut rows = Vec::new();
    for (row, found) in lock(&graded).drain(..).flatten() {
        rows.push(row);
        problems.extend(found);
    }
    (rows, problems)
}

/// How many chapters are graded at once: one per core (at most four; a stream's target
/// folder holds a debug build of every dependency), or `WORKBOOK_MISTAKE_STREAMS`.
fn streams() -> usize {
    std::env::var("WORKBOOK_MISTAKE_STREAMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(4)))
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A chapter's row and the problems found in it.
type Graded = (Row, Vec<String>);

/// Grades one chapter's catalogues in `tree` (a copy of `solutions/`), built with `env`.
fn check_chapter(
    root: &Path,
    tree: &Path,
    env: &[(&str, &OsStr)],
    chapter: &Chapter,
    parallel: usize,
) -> Graded {
    let mut problems = Vec::new();
    let mut row = Row {
        chapter: chapter.name.clone(),
        ..Row::default()
    };
    for exercise in &chapter.exercises {
        let catalogue = match catalogue::load(root, &chapter.name, &exercise.name) {
            Ok(Some(c)) => c,
            Ok(None) => continue,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let file = tree
            .join(&chapter.name)
            .join(format!("{}.rs", exercise.name));
        let pristine = std::fs::read_to_string(&file).unwrap_or_default();
        let entries = catalogue
            .mistakes
            .iter()
            .map(|m| (m, true))
            .chain(catalogue.alternatives.iter().map(|a| (a, false)));
        for (entry, is_mistake) in entries {
            let id = format!("{}::{} {}", chapter.name, exercise.name, entry.name);
            row.mistakes += usize::from(is_mistake);
            row.alternatives += usize::from(!is_mistake);
            let source = match entry.source(root, &chapter.name, &exercise.name) {
                Ok(s) => s,
                Err(e) => {
                    problems.push(format!("{}::{}: {e}", chapter.name, exercise.name));
                    continue;
                }
            };
            if let Err(e) = std::fs::write(&file, source) {
                problems.push(format!("{id}: cannot write {}: {e}", file.display()));
                continue;
            }
            println!("mistakes: {id}");
            match grade(
                root,
                env,
                &chapter.name,
                &exercise.name,
                entry,
                is_mistake,
                parallel,
            ) {
                Ok(()) if is_mistake => row.caught += 1,
                Ok(()) => row.passing += 1,
                Err(problem) => problems.push(format!("{id}: {problem}")),
            }
        }
        let _ = std::fs::write(&file, pristine);
    }
    (row, problems)
}

/// Builds the patched chapter and runs the exercise's tests the number of times asked.
fn grade(
    root: &Path,
    env: &[(&str, &OsStr)],
    chapter: &str,
    exercise: &str,
    entry: &Entry,
    is_mistake: bool,
    parallel: usize,
) -> Result<(), String> {
    let built = compile::build_with(root, Tree::Solutions, &[chapter], env)?;
    let exe = match built.result(chapter) {
        Ok(exe) => exe.to_path_buf(),
        Err(error) if is_mistake => {
            return Err(format!(
                "does not compile ({error}): a catalogued mistake must compile, or it \
                 teaches nothing the compiler does not"
            ))
        }
        Err(error) => return Err(format!("the alternative does not compile: {error}")),
    };
    let tests: Vec<TestName> = libtest::list(&exe)?
        .into_iter()
        .filter(|t| t.exercise() == exercise)
        .collect();
    for wanted in &entry.caught_by {
        if !tests.iter().any(|t| &t.0 == wanted) {
            return Err(format!(
                "`caught_by` names `{wanted}`, which is not a test of {exercise}"
            ));
        }
    }
    let runs = if is_mistake { RUNS } else { ALTERNATIVE_RUNS };
    // The first run is of every test of the exercise. After it, a mistake's verdict rests
    // on its `caught_by` tests alone (each run must fail them), so only they run again.
    // A loom check explores the same interleavings every time, so its verdict on the first
    // run is its verdict on every run: it is counted again, not run again.
    let counted =
        |t: &&TestName| !is_mistake || entry.caught_by.is_empty() || entry.caught_by.contains(&t.0);
    let again: Vec<&TestName> = tests
        .iter()
        .filter(counted)
        .filter(|t| !t.is_loom())
        .collect();
    let runs_again = if again.is_empty() { 0 } else { runs - 1 };
    let jobs: Vec<(&Path, &TestName)> = tests
        .iter()
        .chain((0..runs_again).flat_map(|_| again.iter().copied()))
        .map(|t| (exe.as_path(), t))
        .collect();
    // A wrong solution that hangs meets a short watchdog; an alternative the usual one.
    let timeout: &[(&str, &str)] = if is_mistake {
        &[("WORKBOOK_TIMEOUT_SECS", "2")]
    } else {
        &[]
    };
    let bar = ui::steps(jobs.len(), entry.name.clone());
    let outcomes = exec::run_tests(root, &jobs, timeout, parallel, &|_, _| bar.inc(1));
    bar.finish_and_clear();
    let (first, rest) = outcomes.split_at(tests.len().min(outcomes.len()));
    let first: BTreeMap<&str, &Outcome> = tests.iter().map(|t| t.0.as_str()).zip(first).collect();
    let loom: Vec<(&str, &Outcome)> = tests
        .iter()
        .filter(counted)
        .filter(|t| t.is_loom())
        .filter_map(|t| Some((t.0.as_str(), *first.get(t.0.as_str())?)))
        .collect();
    // Where loom checks alone decide, the first run is the only one: it is every run.
    let per_run: Vec<BTreeMap<&str, &Outcome>> = std::iter::once(first.clone())
        .chain(rest.chunks(again.len().max(1)).map(|run| {
            again
                .iter()
                .map(|t| t.0.as_str())
                .zip(run)
                .chain(loom.iter().copied())
                .collect()
        }))
        .collect();
    if is_mistake {
        for (i, run) in per_run.iter().enumerate() {
            let failed: Vec<&str> = run
                .iter()
                .filter(|(_, o)| !o.passed())
                .map(|(t, _)| *t)
                .collect();
            if failed.is_empty() {
                return Err(format!(
                    "SLIPS THROUGH: every test passed on run {} of {runs}",
                    i + 1
                ));
            }
            let missed: Vec<&String> = entry
                .caught_by
                .iter()
                .filter(|t| !failed.contains(&t.as_str()))
                .collect();
            if !missed.is_empty() {
                return Err(format!(
                    "on run {} of {runs}, {} passed although the catalogue says it catches \
                     this (failed: {})",
                    i + 1,
                    missed
                        .iter()
                        .map(|t| t.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    failed.join(", ")
                ));
            }
        }
    } else {
        for (i, run) in per_run.iter().enumerate() {
            if let Some((test, outcome)) = run.iter().find(|(_, o)| !o.passed()) {
                return Err(format!(
                    "a correct alternative is REJECTED: `{test}` failed on run {} of {runs}: {}",
                    i + 1,
                    outcome.message()
                ));
            }
        }
    }
    Ok(())
}

/// Copies `from` (a tree of chapter folders) to `to`, replacing what is there.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if to.exists() {
        std::fs::remove_dir_all(to)?;
    }
    for chapter in std::fs::read_dir(from)? {
        let chapter = chapter?.path();
        if !chapter.is_dir() {
            continue;
        }
        let target = to.join(chapter.file_name().unwrap_or_default());
        std::fs::create_dir_all(&target)?;
        for file in std::fs::read_dir(&chapter)? {
            let file = file?.path();
            if file.is_file() {
                std::fs::copy(&file, target.join(file.file_name().unwrap_or_default()))?;
            }
        }
    }
    Ok(())
}

/// The table of `verify --mistakes`.
pub fn table(rows: &[Row]) -> String {
    let mut out = format!(
        "\n{:<22} {:>28} {:>22}\n",
        "chapter",
        format!("mistakes caught ({RUNS}/{RUNS} runs)"),
        "alternatives pass"
    );
    for row in rows {
        out.push_str(&format!(
            "{:<22} {:>28} {:>22}\n",
            row.chapter,
            format!("{}/{}", row.caught, row.mistakes),
            format!("{}/{}", row.passing, row.alternatives)
        ));
    }
    out
}
