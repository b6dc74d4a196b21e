//! # The concurrency workbook: what exercise files may use
//!
//! The exercises themselves are not in this library: each chapter's files are compiled
//! into that chapter's own test suite and bench (see `build.rs`), so a half-edited file in
//! one chapter never stops another chapter, or the runner. This library is the small glue
//! an exercise file may reach for:
//!
//! - [`sync`]: threads, locks, atomics and channels. A file names them `super::sync::…`;
//!   in the suite's loom copy of the same file that path is loom's, with the same names;
//! - [`process`]: how an exercise starts a child process that runs one of its own
//!   functions (the Rust stand-in for Python's `Process(target=f)`);
//! - [`panic_message`]: the text of a caught panic.
//!
//! The grader (watchdog, rendezvous, process hygiene, loom runner) is the `grader` crate,
//! used by the suites only; the runner is the `workbook` binary.

pub mod process;
pub mod sync;

/// The message of a caught panic payload (`&str` or `String`), e.g. from
/// `JoinHandle::join`'s `Err` or `std::panic::catch_unwind`.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_owned()
    }
}
