//! The one place exercises take threads, locks, atomics and channels from.
//!
//! In the library this is `std`. Inside a chapter's loom check the *same exercise file* is
//! compiled a second time in the test crate, where `crate::sync` is built by the same macro
//! over `loom` instead, so loom model-checks the learner's own code (see
//! [`loom_models!`](crate::loom_models)).
//!
//! Only what std and loom both provide is listed in [`sync_facade!`](crate::sync_facade).
//! Std-only tools (`Barrier`, `sync_channel`, `thread::scope`, `thread::sleep`) are reached
//! through the same paths (`crate::sync::thread::scope`), so code that uses them still works
//! in the library but fails to compile under loom, which has no such thing: keep the
//! shared-state core of a loom-checked exercise free of them.

/// Declares the facade's items over a runtime crate: `std` or `loom`.
#[doc(hidden)]
#[macro_export]
macro_rules! sync_facade {
    ($rt:ident) => {
        pub use $rt::hint;
        pub use $rt::sync::atomic;
        pub use $rt::sync::mpsc;
        pub use $rt::sync::{
            Arc, Condvar, LockResult, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard,
            WaitTimeoutResult,
        };
        pub use $rt::thread;
        pub use $rt::thread_local;
    };
}

sync_facade!(std);

/// Std-only: loom has no working `Barrier` (use [`Condvar`] in loom-checked code).
pub use std::sync::Barrier;

/// Compiles exercise files a second time inside a test crate, over loom, and defines
/// `loom_check` there to model-check them.
///
/// Invoke it once at the root of a chapter suite. Each line names a module and the file's
/// path in both trees (relative to `tests/`); the feature `solutions` picks the tree, as it
/// does for the library:
///
/// ```ignore
/// workbook::loom_models! {
///     model_two_files => "../exercises/ch01_processes/two_files.rs",
///                        "../solutions/ch01_processes/two_files.rs";
/// }
///
/// #[test]
/// fn loom_done_after_every_worker() {
///     loom_check("two_files::run_workers", || { /* loom threads over model_two_files */ });
/// }
/// ```
///
/// The files' `crate::sync` resolves to a `sync` module this macro puts at the test crate
/// root, built by [`sync_facade!`] over loom. `loom_check` runs the model in a child
/// process under a deadline ([`loom_limit`](crate::harness::loom_limit)), with loom's
/// preemption bound set to 3 unless `LOOM_MAX_PREEMPTIONS` says otherwise.
#[macro_export]
macro_rules! loom_models {
    ($($module:ident => $exercise:literal, $solution:literal;)+) => {
        /// This test crate's `crate::sync`: loom's, so the files below are model-checked.
        #[allow(unused_imports)]
        mod sync {
            $crate::sync_facade!(loom);
        }
        $(
            #[cfg_attr(not(feature = "solutions"), path = $exercise)]
            #[cfg_attr(feature = "solutions", path = $solution)]
            #[allow(dead_code, unused_imports, clippy::all)]
            mod $module;
        )+

        /// Model-checks `model` with loom: every interleaving of its threads, up to the
        /// preemption bound (3 unless `LOOM_MAX_PREEMPTIONS` says otherwise). The model runs
        /// in a child process of its own (see `workbook::harness::run_loom_model`); the test
        /// fails with loom's finding when an interleaving panics or deadlocks.
        #[allow(dead_code)]
        fn loom_check<F>(what: &str, model: F)
        where
            F: Fn() + Send + Sync + 'static,
        {
            if !$crate::harness::in_loom_model_process() {
                return $crate::harness::run_loom_model(what);
            }
            let mut builder = ::loom::model::Builder::new();
            if builder.preemption_bound.is_none() {
                builder.preemption_bound = Some(3);
            }
            builder.check(model);
        }
    };
}
