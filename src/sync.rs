//! The one place exercise files take threads, locks, atomics and channels from.
//!
//! A file names them through its chapter: `use super::sync::{Arc, Mutex};`. In the
//! chapter's suite the file is compiled twice (see `build.rs`): once where `super::sync`
//! is this module, std's own types; and, for a loom-checked exercise, once more where it
//! is `grader::loom::sync`, which offers the same names over loom, so loom model-checks
//! the learner's own code.
//!
//! [`sync_facade!`](crate::sync_facade) lists the names both flavours share.

/// Declares the facade's shared items over a runtime crate: `std` or `loom`.
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

/// Std-only: loom has no `Barrier` of its own.
pub use std::sync::Barrier;
