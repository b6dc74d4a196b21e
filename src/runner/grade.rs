//! Grading: what is known of an exercise without running anything (its cached verdict,
//! or that it is untouched), and grading for real — one cargo build for every chapter
//! needed, then each test of the asked exercises in a process of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::cache::{Cache, Keys};
use super::compile::{self, Built};
use super::exec;
use super::git;
use super::i18n::text as t;
use super::libtest::{self, TestName};
use super::ui;
use super::verdict::{State, Verdict};
use super::workbook::{Ex, Workbook};
use crate::manifest::Tree;

/// What is known of an exercise before running anything.
#[derive(Debug, Clone)]
pub enum Known {
    /// The file is the committed one and no verdict says otherwise: not started. (`verify`
    /// proves in CI that every untouched exercise fails.)
    NotStarted,
    Graded(Verdict),
    /// It changed since it was last graded (or never was).
    Unknown,
}

/// Grades exercises of one workbook, remembering verdicts between runs.
pub struct Grader<'a> {
    pub workbook: &'a Workbook,
    cache: Cache,
    keys: Keys,
    changed: Option<BTreeSet<String>>,
}

impl<'a> Grader<'a> {
    pub fn new(workbook: &'a Workbook) -> Grader<'a> {
        Grader {
            workbook,
            cache: Cache::load(workbook),
            keys: Keys::new(workbook),
            changed: git::changed_exercises(&workbook.root),
        }
    }

    /// Looks again at which files differ from the committed ones (they change while
    /// `watch` runs).
    pub fn refresh(&mut self) {
        self.changed = git::changed_exercises(&self.workbook.root);
    }

    /// Whether `ex`'s file is the committed one (`None`: git cannot say).
    pub fn pristine(&self, ex: &Ex) -> Option<bool> {
        Some(!self.changed.as_ref()?.contains(&ex.file()))
    }

    /// What is known of `ex` without running it.
    pub fn known(&self, ex: &Ex) -> Known {
        let key = self.keys.of(self.workbook, ex);
        let cached = self.cache.get(self.workbook, ex, &key);
        match cached {
            Some(verdict) if verdict.done() => Known::Graded(verdict.clone()),
            _ if self.workbook.tree == Tree::Exercises && self.pristine(ex) == Some(true) => {
                Known::NotStarted
            }
            Some(verdict) => Known::Graded(verdict.clone()),
            None => Known::Unknown,
        }
    }

    /// Each exercise's state, grading only those not known yet.
    pub fn states(&mut self, exs: &[&'a Ex]) -> Vec<(State, Option<Verdict>)> {
        let known: Vec<Known> = exs.iter().map(|ex| self.known(ex)).collect();
        let unknown: Vec<&Ex> = exs
            .iter()
            .zip(&known)
            .filter(|(_, k)| matches!(k, Known::Unknown))
            .map(|(ex, _)| *ex)
            .collect();
        let mut graded: BTreeMap<usize, Verdict> = self
            .grade(&unknown)
            .into_iter()
            .zip(&unknown)
            .map(|(v, ex)| (ex.index, v))
            .collect();
        exs.iter()
            .zip(known)
            .map(|(ex, known)| match known {
                Known::NotStarted => (State::NotStarted, None),
                Known::Graded(v) => (state_of(&v), Some(v)),
                Known::Unknown => {
                    let v = graded.remove(&ex.index).expect("graded above");
                    (state_of(&v), Some(v))
                }
            })
            .collect()
    }

    /// Grades `exs` for real and remembers the verdicts.
    pub fn grade(&mut self, exs: &[&Ex]) -> Vec<Verdict> {
        if exs.is_empty() {
            return Vec::new();
        }
        let mut chapters: Vec<&str> = exs.iter().map(|e| e.chapter.as_str()).collect();
        chapters.dedup();
        let built = match compile::build(&self.workbook.root, self.workbook.tree, &chapters) {
            Ok(built) => built,
            Err(message) => {
                let error = compile::CompileError {
                    place: "cargo".into(),
                    message,
                    rendered: String::new(),
                };
                return exs.iter().map(|_| Verdict::broken(error.clone())).collect();
            }
        };
        let verdicts = self.run(exs, &built);
        for (ex, verdict) in exs.iter().zip(&verdicts) {
            let key = self.keys.of(self.workbook, ex);
            self.cache.put(self.workbook, ex, key, verdict.clone());
        }
        if let Err(e) = self.cache.save() {
            anstream::eprintln!("{}", ui::paint(ui::WARN, t::WARNING.fill(&[&e])));
        }
        verdicts
    }

    /// Runs the tests of `exs` from the binaries in `built`.
    fn run(&self, exs: &[&Ex], built: &Built) -> Vec<Verdict> {
        let mut lists: BTreeMap<&str, Result<(PathBuf, Vec<TestName>), Verdict>> = BTreeMap::new();
        for ex in exs {
            lists.entry(ex.chapter.as_str()).or_insert_with(|| {
                let exe = built
                    .result(&ex.chapter)
                    .map_err(|e| Verdict::broken(e.clone()))?;
                let tests = libtest::list(exe).map_err(|message| {
                    Verdict::broken(compile::CompileError {
                        place: exe.display().to_string(),
                        message,
                        rendered: String::new(),
                    })
                })?;
                Ok((exe.to_path_buf(), tests))
            });
        }
        let mut jobs = Vec::new();
        for ex in exs {
            if let Some(Ok((exe, tests))) = lists.get(ex.chapter.as_str()) {
                for test in tests.iter().filter(|t| t.exercise() == ex.name) {
                    jobs.push((exe.as_path(), test));
                }
            }
        }
        let ids: Vec<String> = exs.iter().map(|e| e.id()).collect();
        let what = if ids.len() <= 6 {
            ids.join(", ")
        } else {
            t::N_EXERCISES.fill(&[&ids.len()])
        };
        ui::note(t::GRADING.fill(&[&what, &jobs.len()]));
        let bar = ui::steps(jobs.len(), t::TESTING.fill(&[&what]));
        let outcomes = exec::run_tests(
            &self.workbook.root,
            &jobs,
            &[],
            exec::parallelism(),
            &|_, _| bar.inc(1),
        );
        bar.finish_and_clear();
        let mut results = jobs.iter().zip(outcomes);
        exs.iter()
            .map(|ex| match &lists[ex.chapter.as_str()] {
                Err(broken) => broken.clone(),
                Ok((_, tests)) => {
                    let mine = tests.iter().filter(|t| t.exercise() == ex.name).count();
                    Verdict {
                        tests: results
                            .by_ref()
                            .take(mine)
                            .map(|((_, name), outcome)| ((*name).clone(), outcome))
                            .collect(),
                        compile: None,
                    }
                }
            })
            .collect()
    }
}

pub fn state_of(verdict: &Verdict) -> State {
    if verdict.done() {
        State::Done
    } else {
        State::Failing
    }
}
