//! The learner's runner and `verify`, behind the `workbook` binary.
//!
//! The runner never contains the learner's code and never decides by itself whether an
//! exercise is done: it builds the chapter's test binary with cargo ([`compile`]), runs
//! each test in a process of its own ([`exec`], [`libtest`]) and reads the outcome.
//!
//! - [`workbook`]: the manifest's exercises; [`names`]: what a learner may type for one;
//! - [`grade`]: cached verdicts ([`cache`]), untouched files ([`git`]), real runs;
//!   [`verdict`]: what a run means;
//! - [`learner`]: `list`, `next`, `check`, `run`, `solution`, `reset`; [`hints`],
//!   [`watch`], [`quiz`];
//! - [`verify`] and [`layout`]: proof that the tests are honest; [`catalogue`] and
//!   [`mistakes`]: the common mistakes, proven caught; [`derived`]: the files
//!   made from the manifest (`sync`); [`ui`]: colour and progress;
//! - [`i18n`]: the language the runner speaks and its messages; [`po`]: the book's
//!   translation, for hints and the quiz in Chinese;
//! - [`figures`]: the book's measured figures (`book/figures/`), imported from criterion
//!   ([`figures_import`], [`figures_cmd`]) and drawn on the pages ([`figures_render`],
//!   [`chart`]).

pub mod cache;
pub mod catalogue;
pub mod chart;
pub mod compile;
pub mod derived;
pub mod exec;
pub mod figures;
pub mod figures_cmd;
pub mod figures_import;
pub mod figures_render;
pub mod git;
pub mod grade;
pub mod hints;
pub mod i18n;
pub mod layout;
pub mod learner;
pub mod libtest;
pub mod mistakes;
pub mod names;
pub mod po;
pub mod quiz;
pub mod ui;
pub mod verdict;
pub mod verify;
pub mod watch;
pub mod workbook;
