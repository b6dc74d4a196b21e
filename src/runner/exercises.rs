//! Exercise names (`chNN_topic::name`, with friendly matching) and exercise states, which
//! come from running the chapter's tests with cargo — never from a record of our own.

use std::path::{Path, PathBuf};

use super::cargo::{self, SuiteRun, Tree, Verdict};
use super::git;
use crate::catalog::{Chapter, Exercise, CHAPTERS};

/// The project the runner works on: `WORKBOOK_ROOT` if set (the runner's own tests point it
/// at a scratch checkout), else the workbook this binary was built from.
pub fn root() -> PathBuf {
    std::env::var_os("WORKBOOK_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::catalog::root().to_path_buf())
}

/// The tree the runner grades: the one this binary was built from (`cargo run` grades
/// `exercises/`; `cargo run --features solutions` grades the reference solutions).
pub fn tree() -> Tree {
    if cfg!(feature = "solutions") {
        Tree::Solutions
    } else {
        Tree::Exercises
    }
}

/// One exercise of one chapter.
#[derive(Debug, Clone, Copy)]
pub struct Ref {
    pub chapter: &'static Chapter,
    pub exercise: &'static Exercise,
}

impl PartialEq for Ref {
    fn eq(&self, other: &Self) -> bool {
        self.chapter.name == other.chapter.name && self.exercise.name == other.exercise.name
    }
}

impl Ref {
    /// `ch01_processes::two_files`.
    pub fn id(&self) -> String {
        format!("{}::{}", self.chapter.name, self.exercise.name)
    }

    /// `exercises/ch01_processes/two_files.rs` (relative to the root).
    pub fn file(&self) -> String {
        format!("exercises/{}/{}.rs", self.chapter.name, self.exercise.name)
    }

    /// `solutions/ch01_processes/two_files.rs` (relative to the root).
    pub fn solution(&self) -> String {
        format!("solutions/{}/{}.rs", self.chapter.name, self.exercise.name)
    }

    /// `book/src/ch01_processes/two_files.md` (relative to the root).
    pub fn page(&self) -> String {
        format!("book/src/{}/{}.md", self.chapter.name, self.exercise.name)
    }

    /// The libtest filter that selects exactly this exercise's tests (loom checks included).
    pub fn filter(&self) -> String {
        format!("{}::", self.exercise.name)
    }

    /// The command that grades it.
    pub fn test_command(&self) -> String {
        format!("cargo test --test {} {}", self.chapter.name, self.filter())
    }

    /// Its position in the whole workbook.
    pub fn index(&self) -> usize {
        all().iter().position(|r| r == self).unwrap_or(usize::MAX)
    }
}

/// The chapters `list`, `next` and `watch` go through: all of them, or those named in
/// `WORKBOOK_CHAPTERS` (comma-separated; to focus on some, and for the runner's own tests).
pub fn chapters() -> Vec<&'static Chapter> {
    let only = std::env::var("WORKBOOK_CHAPTERS").unwrap_or_default();
    let only: Vec<&str> = only
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    CHAPTERS
        .iter()
        .filter(|c| only.is_empty() || only.contains(&c.name))
        .collect()
}

/// Every exercise, in the order a learner meets them.
pub fn all() -> Vec<Ref> {
    CHAPTERS
        .iter()
        .flat_map(|chapter| {
            chapter
                .exercises
                .iter()
                .map(move |exercise| Ref { chapter, exercise })
        })
        .collect()
}

/// Why a name did not pick one exercise.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("no exercise called `{query}`{}", suggest(.close))]
    Unknown { query: String, close: Vec<String> },
    #[error("`{query}` could be any of: {}; say which with its chapter", .matches.join(", "))]
    Ambiguous { query: String, matches: Vec<String> },
}

fn suggest(close: &[String]) -> String {
    if close.is_empty() {
        "; `cargo run -- list` shows them all".to_owned()
    } else {
        format!("; did you mean: {}?", close.join(", "))
    }
}

/// Finds the exercise a learner means: `ch01_processes::two_files`, `two_files`,
/// `ch01_processes/two_files`, `exercises/ch01_processes/two_files.rs`, any case.
pub fn resolve(query: &str) -> Result<Ref, NameError> {
    let wanted = normalise(query);
    let exercises = all();
    let exact: Vec<Ref> = exercises
        .iter()
        .copied()
        .filter(|r| r.id() == wanted || r.exercise.name == wanted)
        .collect();
    if let [one] = exact.as_slice() {
        return Ok(*one);
    }
    let candidates = if exact.is_empty() {
        // A unique part of a name is enough (`files`, `ch01::two`).
        exercises
            .iter()
            .copied()
            .filter(|r| !wanted.is_empty() && partial_match(r, &wanted))
            .collect()
    } else {
        exact
    };
    match candidates.as_slice() {
        [one] => Ok(*one),
        [] => Err(NameError::Unknown {
            query: query.to_owned(),
            close: close_matches(&wanted, &exercises),
        }),
        many => Err(NameError::Ambiguous {
            query: query.to_owned(),
            matches: many.iter().map(Ref::id).collect(),
        }),
    }
}

fn normalise(query: &str) -> String {
    let q = query.trim().to_lowercase().replace('\\', "/");
    let q = q.strip_prefix("exercises/").unwrap_or(&q);
    let q = q.strip_prefix("solutions/").unwrap_or(q);
    let q = q.strip_suffix(".rs").unwrap_or(q);
    q.replace('/', "::").trim_matches(':').to_owned()
}

fn partial_match(r: &Ref, wanted: &str) -> bool {
    match wanted.split_once("::") {
        Some((chapter, name)) => {
            r.chapter.name.starts_with(chapter) && r.exercise.name.contains(name)
        }
        None => r.exercise.name.contains(wanted),
    }
}

/// Up to five exercises whose names are close to `wanted` (edit distance).
fn close_matches(wanted: &str, exercises: &[Ref]) -> Vec<String> {
    let name = wanted.rsplit("::").next().unwrap_or(wanted);
    let mut scored: Vec<(f64, String)> = exercises
        .iter()
        .map(|r| {
            (
                strsim::normalized_damerau_levenshtein(name, r.exercise.name),
                r.id(),
            )
        })
        .filter(|(score, _)| *score >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(5).map(|(_, id)| id).collect()
}

/// Where an exercise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Done,
    Failing,
    NotStarted,
}

impl State {
    pub fn label(self) -> &'static str {
        match self {
            State::Done => "done",
            State::Failing => "failing",
            State::NotStarted => "not started",
        }
    }
}

/// One failing test and the first line of its message.
#[derive(Debug, Clone)]
pub struct Failure {
    pub test: String,
    pub message: String,
}

impl Failure {
    /// The grading harness's watchdog gave up (`harness::STUCK`), or loom found a deadlock.
    pub fn looks_stuck(&self) -> bool {
        self.message.contains(crate::harness::STUCK) || self.message.contains("deadlock")
    }

    pub fn is_loom(&self) -> bool {
        self.test.contains("::loom_")
    }
}

/// An exercise's state and the evidence for it.
#[derive(Debug, Clone)]
pub struct Status {
    pub exercise: Ref,
    pub state: State,
    pub passed: usize,
    pub total: usize,
    pub loom_passed: usize,
    pub loom_total: usize,
    pub failures: Vec<Failure>,
    /// The suite did not build (compile errors), with cargo's output.
    pub build_error: Option<String>,
}

/// Runs a chapter's suite (optionally only one exercise's tests) on the graded tree and
/// reads every exercise's state from the verdicts.
pub fn run_chapter(chapter: &'static Chapter, only: Option<&Ref>) -> Vec<Status> {
    let filter = only.map(Ref::filter);
    let run = cargo::run_suite_in(&root(), chapter.name, tree(), filter.as_deref());
    chapter
        .exercises
        .iter()
        .map(|exercise| Ref { chapter, exercise })
        .filter(|r| only.map_or(true, |o| o == r))
        .map(|r| status_from(r, &run))
        .collect()
}

/// Checks one exercise: runs only its tests (loom checks included).
pub fn check(r: Ref) -> Status {
    run_chapter(r.chapter, Some(&r))
        .pop()
        .unwrap_or_else(|| status_from(r, &SuiteRun::default()))
}

fn status_from(r: Ref, run: &SuiteRun) -> Status {
    let prefix = r.filter();
    let mut status = Status {
        exercise: r,
        state: State::Failing,
        passed: 0,
        total: 0,
        loom_passed: 0,
        loom_total: 0,
        failures: Vec::new(),
        build_error: run.build_error.clone(),
    };
    for (test, verdict) in run.verdicts.iter().filter(|(t, _)| t.starts_with(&prefix)) {
        let loom = test.contains("::loom_");
        status.total += 1;
        status.loom_total += usize::from(loom);
        match verdict {
            Verdict::Passed => {
                status.passed += 1;
                status.loom_passed += usize::from(loom);
            }
            Verdict::Failed => status.failures.push(Failure {
                test: test.clone(),
                message: run.messages.get(test).cloned().unwrap_or_default(),
            }),
            Verdict::Ignored => {}
        }
    }
    let all_pass = status.build_error.is_none() && status.total > 0 && status.failures.is_empty();
    status.state = if all_pass {
        State::Done
    } else if tree() == Tree::Exercises && git::is_pristine(&root(), &r.file()) == Some(true) {
        State::NotStarted
    } else {
        State::Failing
    };
    status
}

/// The `//!` doc comment at the top of a source file: the exercise's instructions.
pub fn instructions(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let lines: Vec<&str> = text
        .lines()
        .take_while(|line| line.starts_with("//!"))
        .map(|line| {
            line.trim_start_matches("//!")
                .strip_prefix(' ')
                .unwrap_or(line.trim_start_matches("//!"))
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The `## Hints` section of a book page (up to the next `## ` heading).
pub fn hints(page: &str) -> Option<String> {
    let start = page.lines().position(|line| line.trim() == "## Hints")?;
    let section: Vec<&str> = page
        .lines()
        .skip(start + 1)
        .take_while(|line| !line.starts_with("## ") && !line.starts_with("# "))
        .collect();
    let text = section.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_in_every_friendly_form() {
        for query in [
            "ch01_processes::two_files",
            "two_files",
            "TWO_FILES",
            "ch01_processes/two_files",
            "exercises/ch01_processes/two_files.rs",
            "ch01::two",
        ] {
            assert_eq!(
                resolve(query).unwrap().id(),
                "ch01_processes::two_files",
                "{query}"
            );
        }
    }

    #[test]
    fn a_typo_gets_close_matches_and_nonsense_gets_none() {
        match resolve("two_flies") {
            Err(NameError::Unknown { close, .. }) => {
                assert!(
                    close.contains(&"ch01_processes::two_files".to_owned()),
                    "{close:?}"
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            resolve("zzzzzzzzzzzz"),
            Err(NameError::Unknown {
                query: "zzzzzzzzzzzz".into(),
                close: vec![]
            })
        );
    }

    #[test]
    fn a_watchdog_timeout_or_a_loom_deadlock_reads_as_stuck() {
        let failure = |test: &str, message: String| Failure {
            test: test.to_owned(),
            message,
        };
        let stuck = failure(
            "a::b",
            format!("{} 5s in a::b: is a lock…", crate::harness::STUCK),
        );
        assert!(stuck.looks_stuck() && !stuck.is_loom());
        let loom = failure("a::loom_c", "loom found … deadlock".to_owned());
        assert!(loom.looks_stuck() && loom.is_loom());
        assert!(!failure("a::b", "assertion failed: 1 == 2".to_owned()).looks_stuck());
    }

    #[test]
    fn hints_are_the_section_up_to_the_next_heading() {
        let page = "# T\n\n## Hints\n\n1. one\n2. two\n\n## After\nno\n";
        assert_eq!(hints(page).as_deref(), Some("1. one\n2. two"));
        assert_eq!(hints("# T\nnothing"), None);
    }
}
