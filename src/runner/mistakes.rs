//! `workbook verify --mistakes`: every mistake in the catalogues is caught on every run,
//! every alternative passes.
//!
//! Each entry's source replaces the exercise's file in a scratch copy of `solutions/`
//! (`TARGET/mistakes/tree`), whose chapter is built into a target folder of its own
//! (`TARGET/mistakes/target`, so the main build stays as it is); then the exercise's
//! tests run `RUNS` times for a mistake (each run must fail, the tests it names among the
//! failures; after the first run, only the named tests run again) and `ALTERNATIVE_RUNS`
//! times for an alternative (each must pass).

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;

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

/// Grades every catalogue of `chapters`; returns the rows and the problems found.
pub fn check(root: &Path, chapters: &[&Chapter]) -> (Vec<Row>, Vec<String>) {
    let mut problems = Vec::new();
    // Beside the build this runner uses (its own target folder, when one is set).
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| root.join(dir))
        .unwrap_or_else(|| root.join("target"))
        .join("mistakes");
    let tree = base.join("tree");
    let target = base.join("target");
    if let Err(e) = copy_tree(&root.join("solutions"), &tree) {
        return (
            Vec::new(),
            vec![format!("cannot copy solutions/ to {}: {e}", tree.display())],
        );
    }
    let env: [(&str, &OsStr); 2] = [
        ("WORKBOOK_TREE_DIR", tree.as_os_str()),
        ("CARGO_TARGET_DIR", target.as_os_str()),
    ];
    let mut rows = Vec::new();
    for chapter in chapters {
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
                match grade(root, &env, &chapter.name, &exercise.name, entry, is_mistake) {
                    Ok(()) if is_mistake => row.caught += 1,
                    Ok(()) => row.passing += 1,
                    Err(problem) => problems.push(format!("{id}: {problem}")),
                }
            }
            let _ = std::fs::write(&file, pristine);
        }
        rows.push(row);
    }
    (rows, problems)
}

/// Builds the patched chapter and runs the exercise's tests the number of times asked.
fn grade(
    root: &Path,
    env: &[(&str, &OsStr)],
    chapter: &str,
    exercise: &str,
    entry: &Entry,
    is_mistake: bool,
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
    let again: Vec<&TestName> = if is_mistake && !entry.caught_by.is_empty() {
        tests
            .iter()
            .filter(|t| entry.caught_by.contains(&t.0))
            .collect()
    } else {
        tests.iter().collect()
    };
    let jobs: Vec<(&Path, &TestName)> = tests
        .iter()
        .chain((1..runs).flat_map(|_| again.iter().copied()))
        .map(|t| (exe.as_path(), t))
        .collect();
    // A wrong solution that hangs meets a short watchdog; an alternative the usual one.
    let timeout: &[(&str, &str)] = if is_mistake {
        &[("WORKBOOK_TIMEOUT_SECS", "2")]
    } else {
        &[]
    };
    let bar = ui::steps(jobs.len(), entry.name.clone());
    let outcomes = exec::run_tests(root, &jobs, timeout, exec::parallelism(), &|_, _| {
        bar.inc(1)
    });
    bar.finish_and_clear();
    let (first, rest) = outcomes.split_at(tests.len().min(outcomes.len()));
    let per_run: Vec<BTreeMap<&str, &Outcome>> =
        std::iter::once(tests.iter().map(|t| t.0.as_str()).zip(first).collect())
            .chain(
                rest.chunks(again.len().max(1))
                    .map(|run| again.iter().map(|t| t.0.as_str()).zip(run).collect()),
            )
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
