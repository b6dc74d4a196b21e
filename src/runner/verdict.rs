//! An exercise's verdict: every test's outcome (or the compile error that stopped them),
//! what that makes of the exercise, and which failure says the most.

use serde::{Deserialize, Serialize};

use super::compile::CompileError;
use super::i18n::text;
use super::libtest::{Outcome, TestName};

/// Where an exercise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Done,
    Failing,
    NotStarted,
}

impl State {
    /// Its word in the runner's language.
    pub fn label(self) -> &'static str {
        match self {
            State::Done => text::DONE,
            State::Failing => text::FAILING,
            State::NotStarted => text::NOT_STARTED,
        }
        .get()
    }
}

/// What grading one exercise found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Every test of the exercise, in the suite's order, with its outcome.
    pub tests: Vec<(TestName, Outcome)>,
    /// Set when the chapter did not compile, so no test could run.
    pub compile: Option<CompileError>,
}

impl Verdict {
    pub fn broken(error: CompileError) -> Verdict {
        Verdict {
            tests: Vec::new(),
            compile: Some(error),
        }
    }

    pub fn done(&self) -> bool {
        self.compile.is_none() && !self.tests.is_empty() && self.tests.iter().all(|t| t.1.passed())
    }

    pub fn passed(&self) -> usize {
        self.tests.iter().filter(|t| t.1.passed()).count()
    }

    pub fn loom(&self) -> (usize, usize) {
        let loom = self.tests.iter().filter(|t| t.0.is_loom());
        let (passed, total) = loom.fold((0, 0), |(p, t), x| (p + usize::from(x.1.passed()), t + 1));
        (passed, total)
    }

    /// The failures, the most telling first: a loom finding, then a hang or a vanished
    /// process, then a wrong value, and last a `todo!` the test merely ran into.
    pub fn failures(&self) -> Vec<&(TestName, Outcome)> {
        let mut failures: Vec<_> = self.tests.iter().filter(|t| !t.1.passed()).collect();
        failures.sort_by_key(|(name, outcome)| rank(name, outcome));
        failures
    }
}

fn rank(name: &TestName, outcome: &Outcome) -> u8 {
    let message = outcome.message();
    let todo = message.contains("not yet implemented") || message.contains("not implemented");
    match outcome {
        _ if todo => 4,
        Outcome::Failed { .. } if name.is_loom() => 0,
        Outcome::TimedOut { .. } | Outcome::Vanished { .. } => 1,
        Outcome::Failed { message } if message.contains(grader_stuck()) => 1,
        _ => 2,
    }
}

/// The watchdog's words for a hang (`grader::STUCK`), without depending on the grader.
fn grader_stuck() -> &'static str {
    "no progress after"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(name: &str, message: &str) -> (TestName, Outcome) {
        (
            TestName(name.into()),
            Outcome::Failed {
                message: message.into(),
            },
        )
    }

    #[test]
    fn a_loom_finding_leads_and_a_todo_comes_last() {
        let verdict = Verdict {
            tests: vec![
                failed("a::first", "not yet implemented: lock it"),
                failed(
                    "a::values",
                    "assertion `left == right` failed\n  left: 1\n right: 2",
                ),
                (TestName("a::ok".into()), Outcome::Passed),
                failed(
                    "a::loom_lost",
                    "loom found an interleaving where a deposit is lost",
                ),
                failed("a::hangs", "no progress after 5s waiting for the reader"),
            ],
            compile: None,
        };
        let order: Vec<&str> = verdict.failures().iter().map(|f| f.0 .0.as_str()).collect();
        assert_eq!(order, ["a::loom_lost", "a::hangs", "a::values", "a::first"]);
        assert_eq!((verdict.passed(), verdict.loom()), (1, (0, 1)));
        assert!(!verdict.done());
    }
}
