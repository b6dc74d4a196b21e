//! `workbook verify`: proof that the tests are honest.
//!
//! 1. Every chapter test passes against `solutions/`.
//! 2. Every chapter test FAILS against the untouched `exercises/`: one that passes there is
//!    vacuous (it cannot tell a stub from a solution) and is reported by name.
//! 3. The same holds for the loom model checks (tests named `<exercise>::loom_*`), and an
//!    exercise declared as loom-checked in the catalog must have at least one.
//! 4. Every exercise has its files in every folder and at least one test; every test
//!    belongs to an exercise; the exercise and its solution declare the same public items.
//! 5. Test suites that are not chapters (the runner's own) pass in both modes.
//!
//! It ends with a per-chapter table and the line `verify: N passed, M failed`, where a
//! check is one test's two verdicts, one file-layout rule, or one non-chapter suite.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::cargo::{self, SuiteRun, Tree, Verdict};
use crate::catalog::{self, Chapter, Exercise, CHAPTERS};

/// Options of `workbook verify`.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Only these chapters (all when empty).
    pub chapters: Vec<String>,
}

/// One chapter's line in the table.
#[derive(Debug, Default)]
struct Row {
    chapter: &'static str,
    tests: usize,
    fail_on_exercises: usize,
    pass_on_solutions: usize,
    loom: usize,
    loom_ok: usize,
}

/// The outcome: problems found and the number of checks that held.
#[derive(Debug, Default)]
pub struct Report {
    pub passed: usize,
    pub problems: Vec<String>,
}

impl Report {
    fn check(&mut self, ok: bool, problem: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
        } else {
            self.problems.push(problem());
        }
    }
}

/// Runs the whole verification and prints its report; returns whether it all held.
pub fn run(options: &Options) -> bool {
    let chapters = match select(&options.chapters) {
        Ok(chapters) => chapters,
        Err(message) => {
            eprintln!("{message}");
            return false;
        }
    };
    let mut report = Report::default();
    check_layout(&chapters, &mut report);

    for tree in [Tree::Solutions, Tree::Exercises] {
        println!("verify: building the {} tree…", tree.name());
        if let Err(message) = cargo::build(tree, true) {
            report.problems.push(message);
            return finish(&[], report);
        }
    }

    let mut rows = Vec::new();
    for chapter in &chapters {
        println!(
            "verify: {} — running against solutions/ and exercises/…",
            chapter.name
        );
        let solutions = cargo::run_suite(chapter.name, Tree::Solutions, None);
        let exercises = cargo::run_suite(chapter.name, Tree::Exercises, None);
        rows.push(check_chapter(chapter, &solutions, &exercises, &mut report));
    }
    if options.chapters.is_empty() {
        check_other_suites(&mut report);
    }
    finish(&rows, report)
}

fn select(names: &[String]) -> Result<Vec<&'static Chapter>, String> {
    if names.is_empty() {
        return Ok(CHAPTERS.iter().collect());
    }
    names
        .iter()
        .map(|name| {
            Chapter::find(name).ok_or_else(|| {
                let known: Vec<_> = CHAPTERS.iter().map(|c| c.name).collect();
                format!(
                    "verify: no chapter `{name}`; chapters are: {}",
                    known.join(", ")
                )
            })
        })
        .collect()
}

/// Every exercise has a stub, a solution, a book page; every chapter has a test suite.
fn check_layout(chapters: &[&'static Chapter], report: &mut Report) {
    for chapter in chapters {
        let suite = chapter.test_file();
        report.check(suite.exists(), || {
            format!("{}: missing {}", chapter.name, suite.display())
        });
        for exercise in chapter.exercises {
            for path in [
                exercise.source("exercises", chapter),
                exercise.source("solutions", chapter),
                exercise.page(chapter),
            ] {
                report.check(path.exists(), || {
                    format!(
                        "{}::{}: missing {}",
                        chapter.name,
                        exercise.name,
                        path.display()
                    )
                });
            }
            check_same_api(chapter, exercise, report);
        }
    }
}

/// The exercise and its solution declare the same public items, line for line (bodies may
/// differ): the tests compile against both, and a learner's file can always be swapped for
/// the solution.
fn check_same_api(chapter: &Chapter, exercise: &Exercise, report: &mut Report) {
    let read = |tree| std::fs::read_to_string(exercise.source(tree, chapter)).ok();
    let (Some(stub), Some(solution)) = (read("exercises"), read("solutions")) else {
        return; // a missing file is already reported
    };
    let (stub, solution) = (public_items(&stub), public_items(&solution));
    report.check(stub == solution, || {
        let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
            a.difference(b).cloned().collect::<Vec<_>>().join(" | ")
        };
        format!(
            "{}::{}: the exercise and the solution differ in their public API: only in \
             exercises/: [{}]; only in solutions/: [{}]",
            chapter.name,
            exercise.name,
            only(&stub, &solution),
            only(&solution, &stub)
        )
    });
}

/// The declaration lines of a file's public items (`pub fn …`, `pub struct …`, …), trimmed.
fn public_items(source: &str) -> BTreeSet<String> {
    const KINDS: [&str; 9] = [
        "fn ", "struct ", "enum ", "const ", "static ", "trait ", "type ", "mod ", "use ",
    ];
    source
        .lines()
        .map(str::trim)
        .filter(|line| {
            line.strip_prefix("pub ")
                .is_some_and(|rest| KINDS.iter().any(|kind| rest.starts_with(kind)))
        })
        .map(str::to_owned)
        .collect()
}

fn check_chapter(
    chapter: &'static Chapter,
    solutions: &SuiteRun,
    exercises: &SuiteRun,
    report: &mut Report,
) -> Row {
    let mut row = Row {
        chapter: chapter.name,
        ..Row::default()
    };
    for (tree, run) in [("solutions", solutions), ("exercises", exercises)] {
        if let Some(error) = &run.build_error {
            report.problems.push(format!(
                "{}: the suite did not run against {tree}/:\n{error}",
                chapter.name
            ));
            return row;
        }
    }
    let names: BTreeSet<&String> = solutions
        .verdicts
        .keys()
        .chain(exercises.verdicts.keys())
        .collect();
    for name in names {
        let exercise = name.split("::").next().unwrap_or_default();
        let is_loom = name
            .rsplit("::")
            .next()
            .is_some_and(|last| last.starts_with("loom_"));
        let on_solutions = solutions.verdicts.get(name.as_str()).copied();
        let on_exercises = exercises.verdicts.get(name.as_str()).copied();
        row.tests += 1;
        row.loom += usize::from(is_loom);
        report.check(chapter.exercises.iter().any(|e| e.name == exercise), || {
            format!(
                "{}: test `{name}` is not inside a module named after an exercise",
                chapter.name
            )
        });
        let passes = on_solutions == Some(Verdict::Passed);
        let fails = on_exercises == Some(Verdict::Failed);
        row.pass_on_solutions += usize::from(passes);
        row.fail_on_exercises += usize::from(fails);
        row.loom_ok += usize::from(is_loom && passes && fails);
        let message = |run: &SuiteRun| run.messages.get(name.as_str()).cloned().unwrap_or_default();
        report.check(passes, || {
            format!(
                "{}: `{name}` does not pass on solutions/ ({on_solutions:?}): {}",
                chapter.name,
                message(solutions)
            )
        });
        report.check(fails, || match on_exercises {
            Some(Verdict::Passed) => format!(
                "{}: `{name}` is VACUOUS: it passes on the untouched exercise",
                chapter.name
            ),
            other => format!(
                "{}: `{name}` did not fail on exercises/ ({other:?})",
                chapter.name
            ),
        });
    }
    for exercise in chapter.exercises {
        let prefix = format!("{}::", exercise.name);
        let tests = solutions.verdicts.keys().filter(|n| n.starts_with(&prefix));
        let (all, loom): (Vec<_>, Vec<_>) = tests.partition(|n| !n.contains("::loom_"));
        report.check(!all.is_empty() || !loom.is_empty(), || {
            format!("{}::{}: no tests", chapter.name, exercise.name)
        });
        if exercise.loom {
            report.check(!loom.is_empty(), || {
                format!(
                    "{}::{}: declared loom-checked, but no `{}::loom_*` test ran",
                    chapter.name, exercise.name, exercise.name
                )
            });
        }
    }
    row
}

/// Test suites that are not chapters (e.g. `tests/runner.rs`) must pass in both modes.
fn check_other_suites(report: &mut Report) {
    let Ok(entries) = std::fs::read_dir(catalog::root().join("tests")) else {
        return;
    };
    let mut suites: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            name.strip_suffix(".rs").map(str::to_owned)
        })
        .filter(|name| Chapter::find(name).is_none())
        .collect();
    suites.sort();
    for suite in suites {
        for tree in [Tree::Solutions, Tree::Exercises] {
            println!("verify: {suite} (not a chapter) against {}/…", tree.name());
            let run = cargo::run_suite(&suite, tree, None);
            let failed: Vec<_> = run
                .verdicts
                .iter()
                .filter(|(_, v)| **v == Verdict::Failed)
                .map(|(n, _)| n.as_str())
                .collect();
            report.check(run.build_error.is_none() && failed.is_empty(), || {
                format!(
                    "{suite} against {}/: {}",
                    tree.name(),
                    run.build_error
                        .clone()
                        .unwrap_or_else(|| format!("failed: {}", failed.join(", ")))
                )
            });
        }
    }
}

fn finish(rows: &[Row], report: Report) -> bool {
    println!("{}", table(rows));
    for problem in &report.problems {
        println!("PROBLEM: {problem}");
    }
    println!(
        "verify: {} passed, {} failed",
        report.passed,
        report.problems.len()
    );
    report.problems.is_empty()
}

fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{:<22} {:>6} {:>20} {:>20} {:>14}",
        "chapter", "tests", "fail on exercises", "pass on solutions", "loom (honest)"
    );
    for row in rows {
        let _ = writeln!(
            out,
            "{:<22} {:>6} {:>20} {:>20} {:>14}",
            row.chapter,
            row.tests,
            format!("{}/{}", row.fail_on_exercises, row.tests),
            format!("{}/{}", row.pass_on_solutions, row.tests),
            format!("{}/{}", row.loom_ok, row.loom),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::public_items;

    #[test]
    fn public_items_are_the_pub_declaration_lines_only() {
        let source = "pub fn a(x: u8) -> u8 {\n    todo!()\n}\nfn private() {}\n\
                      pub(crate) fn hidden() {}\n    pub fn method(&self) {}\n\
                      pub struct S {\n    pub field: u8,\n}\n";
        let items: Vec<_> = public_items(source).into_iter().collect();
        assert_eq!(
            items,
            [
                "pub fn a(x: u8) -> u8 {",
                "pub fn method(&self) {}",
                "pub struct S {"
            ]
        );
    }
}
