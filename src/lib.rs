//! # The concurrency workbook
//!
//! Exercises live in `exercises/` (what you edit) and reference solutions in `solutions/`
//! (same paths, same public API). This library compiles `exercises/` by default and
//! `solutions/` with the cargo feature `solutions`; either way every chapter is reachable
//! at the same path, e.g. `workbook::ch01_processes::two_files`.
//!
//! Besides the chapters the library holds the glue every chapter shares:
//! - [`sync`]: the one facade for threads, locks, atomics and channels (std normally,
//!   loom inside the model checks);
//! - [`process`]: how an exercise starts a child process (a named entry point of the
//!   `workbook` binary);
//! - [`harness`]: the grading harness (watchdog, rendezvous, FIFOs, process hygiene);
//! - [`catalog`]: the list of chapters and exercises;
//! - [`runner`]: the learner-facing runner and `verify`.

// Exercise files name the library `workbook::…` (never `crate::…`) for everything except
// the sync facade, so the same file also compiles inside a loom test crate, where
// `crate::sync` is loom's.
extern crate self as workbook;

pub mod catalog;
pub mod entries;
pub mod harness;
pub mod process;
pub mod runner;
pub mod sync;

#[cfg_attr(not(feature = "solutions"), path = "../exercises/mod.rs")]
#[cfg_attr(feature = "solutions", path = "../solutions/mod.rs")]
mod tree;

pub use tree::*;

/// `"solutions"` when built with `--features solutions`, else `"exercises"`.
pub const TREE: &str = if cfg!(feature = "solutions") {
    "solutions"
} else {
    "exercises"
};
