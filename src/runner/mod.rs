//! The learner-facing runner behind the `workbook` binary, and `workbook verify`.
//!
//! The runner never decides by itself whether an exercise is done: it runs `cargo test`
//! and reads what libtest printed ([`cargo`]).
//!
//! - [`exercises`]: exercise names (friendly matching) and states read from test runs;
//! - [`learner`]: `list`, `next`, `check`, `hint`, `solution`, `reset`;
//! - [`watch`]: re-checks on every save; [`quiz`]: the interview drill;
//! - [`git`]: the pristine exercise files; [`ui`]: colour and progress.

pub mod cargo;
pub mod exercises;
pub mod git;
pub mod learner;
pub mod quiz;
pub mod ui;
pub mod verify;
pub mod watch;
