//! `workbook verify`: proof that the tests are honest.
//!
//! 1. The files agree with the manifest (`layout`): every exercise has its stub, solution,
//!    test module and page; nothing unlisted exists; both trees declare the same public
//!    API and the same given code; the derived files are current.
//! 2. Every chapter test passes against `solutions/`.
//! 3. Every chapter test FAILS against the untouched `exercises/`, with a message (a
//!    panic, not a hang or a vanished process): one that passes there is vacuous.
//! 4. Every test belongs to a listed exercise; every exercise has tests; a loom-checked
//!    exercise has `loom_*` checks and only those have them.
//!
//! Both trees are built once each; then every test runs in a process of its own, several
//! at a time. It ends with a per-chapter table and `verify: N passed, M failed`, where a
//! check is one test on one tree, one test's place, or one layout rule.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anstream::{eprintln, println};

use super::compile;
use super::exec;
use super::layout;
use super::libtest::{self, Outcome, TestName};
use super::ui;
use super::workbook::Workbook;
use crate::manifest::{Chapter, Tree};

/// One chapter's line in the table.
#[derive(Debug, Default)]
struct Row {
    chapter: String,
    tests: usize,
    fail_on_exercises: usize,
    pass_on_solutions: usize,
    loom: usize,
    loom_honest: usize,
}

#[derive(Debug, Default)]
struct Report {
    passed: usize,
    problems: Vec<String>,
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

/// `workbook verify [--mistakes] [CHAPTER...]`.
pub fn run(root: &std::path::Path, only: &[String], mistakes: bool) -> ExitCode {
    let trees = [Tree::Solutions, Tree::Exercises];
    let workbooks: Vec<Workbook> = match trees.iter().map(|t| Workbook::at(root, *t)).collect() {
        Ok(w) => w,
        Err(e) => {
            eprintln!("verify: {e}");
            return ExitCode::FAILURE;
        }
    };
    let manifest = &workbooks[0].manifest;
    let mut chapters: Vec<&Chapter> = Vec::new();
    for name in only {
        match manifest.chapter(name) {
            Some(c) => chapters.push(c),
            None => {
                let known: Vec<_> = manifest.chapters.iter().map(|c| c.name.as_str()).collect();
                eprintln!(
                    "verify: no chapter `{name}`; chapters are: {}",
                    known.join(", ")
                );
                return ExitCode::from(2);
            }
        }
    }
    if chapters.is_empty() {
        chapters = manifest.chapters.iter().collect();
    }
    let names: Vec<&str> = chapters.iter().map(|c| c.name.as_str()).collect();

    let mut report = Report::default();
    let (passed, problems) = layout::problems(&workbooks[0], &names);
    report.passed += passed;
    report.problems.extend(problems);
    if mistakes {
        let (rows, problems) = super::mistakes::check(root, &chapters);
        report.passed += rows.iter().map(|r| r.caught + r.passing).sum::<usize>();
        report.problems.extend(problems);
        println!("{}", super::mistakes::table(&rows));
        return finish(&[], report);
    }

    // Build both trees, then list every chapter binary's tests.
    let mut binaries: BTreeMap<(Tree, String), (PathBuf, Vec<TestName>)> = BTreeMap::new();
    for tree in trees {
        println!("verify: building the {} tree…", tree.dir());
        let built = match compile::build(root, tree, &names) {
            Ok(b) => b,
            Err(e) => {
                report.problems.push(e);
                return finish(&[], report);
            }
        };
        for chapter in &names {
            match built.result(chapter) {
                Ok(exe) => match libtest::list(exe) {
                    Ok(tests) => {
                        binaries.insert((tree, chapter.to_string()), (exe.to_path_buf(), tests));
                    }
                    Err(e) => report.problems.push(format!("{chapter}: {e}")),
                },
                Err(error) => report.problems.push(format!(
                    "{chapter} does not compile against {}/: {error}\n{}",
                    tree.dir(),
                    error.rendered
                )),
            }
        }
    }

    // Every test, on both trees, each in a process of its own.
    let mut jobs: Vec<(Tree, &str, &PathBuf, &TestName)> = Vec::new();
    for ((tree, chapter), (exe, tests)) in &binaries {
        for test in tests {
            jobs.push((*tree, chapter.as_str(), exe, test));
        }
    }
    let pairs: Vec<(&std::path::Path, &TestName)> = jobs
        .iter()
        .map(|(_, _, exe, t)| (exe.as_path(), *t))
        .collect();
    println!("verify: running {} tests…", pairs.len());
    let bar = ui::steps(pairs.len(), "verify");
    let outcomes = exec::run_tests(root, &pairs, &[], exec::parallelism(), &|_, _| bar.inc(1));
    bar.finish_and_clear();
    let mut results: BTreeMap<(Tree, &str, &TestName), &Outcome> = BTreeMap::new();
    for ((tree, chapter, _, test), outcome) in jobs.iter().zip(&outcomes) {
        results.insert((*tree, chapter, test), outcome);
    }

    let mut rows = Vec::new();
    for chapter in &chapters {
        let name = chapter.name.as_str();
        let (Some((_, on_solutions)), Some((_, on_exercises))) = (
            binaries.get(&(Tree::Solutions, name.to_owned())),
            binaries.get(&(Tree::Exercises, name.to_owned())),
        ) else {
            continue; // its compile error is reported already
        };
        let mut row = Row {
            chapter: name.to_owned(),
            ..Row::default()
        };
        report.check(on_solutions == on_exercises, || {
            format!("{name}: the two trees' suites list different tests")
        });
        for test in on_solutions {
            let exercise = chapter.exercise(test.exercise());
            row.tests += 1;
            row.loom += usize::from(test.is_loom());
            report.check(exercise.is_some(), || {
                format!("{name}: test `{test}` is not inside a module named after an exercise")
            });
            if let Some(exercise) = exercise {
                report.check(!test.is_loom() || exercise.loom, || {
                    format!(
                        "{name}: `{test}` is a loom check, but workbook.toml does not say \
                         `loom = true` for {}",
                        exercise.name
                    )
                });
            }
            let solved = results.get(&(Tree::Solutions, name, test));
            let untouched = results.get(&(Tree::Exercises, name, test));
            let passes = solved.is_some_and(|o| o.passed());
            let fails = matches!(untouched, Some(Outcome::Failed { .. }));
            row.pass_on_solutions += usize::from(passes);
            row.fail_on_exercises += usize::from(fails);
            row.loom_honest += usize::from(test.is_loom() && passes && fails);
            report.check(passes, || {
                format!(
                    "{name}: `{test}` does not pass on solutions/: {}",
                    solved.map(|o| o.message()).unwrap_or_default()
                )
            });
            report.check(fails, || match untouched {
                Some(Outcome::Passed) => {
                    format!("{name}: `{test}` is VACUOUS: it passes on the untouched exercise")
                }
                Some(other) => format!(
                    "{name}: `{test}` must fail on the untouched exercise with a message, \
                     but: {}",
                    other.message()
                ),
                None => format!("{name}: `{test}` did not run on exercises/"),
            });
        }
        for exercise in &chapter.exercises {
            let mine: Vec<&TestName> = on_solutions
                .iter()
                .filter(|t| t.exercise() == exercise.name)
                .collect();
            report.check(!mine.is_empty(), || {
                format!("{name}::{}: no tests", exercise.name)
            });
            if exercise.loom {
                report.check(mine.iter().any(|t| t.is_loom()), || {
                    format!(
                        "{name}::{}: declared loom-checked, but it has no `{}::loom_*` test",
                        exercise.name, exercise.name
                    )
                });
            }
        }
        rows.push(row);
    }
    finish(&rows, report)
}

fn finish(rows: &[Row], report: Report) -> ExitCode {
    if !rows.is_empty() {
        println!("{}", table(rows));
    }
    for problem in &report.problems {
        println!("PROBLEM: {problem}");
    }
    println!(
        "verify: {} passed, {} failed",
        report.passed,
        report.problems.len()
    );
    if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
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
            format!("{}/{}", row.loom_honest, row.loom),
        );
    }
    out
}
