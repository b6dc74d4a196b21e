//! # Every thread its own student
//!
//! The seed (tutorial 003, "ThreadLocal"): a global `local_school =
//! threading.local()`. Each thread binds `local_school.student = name`, then calls
//! `process_student()`, which prints `Hello, <student> (in <thread name>)` — Willard
//! in Thread-1, WenYu in Thread-2 — without the student ever being passed down as an
//! argument.
//!
//! The code below keeps the student in ONE global slot, as a plain Python global (or
//! a `static`) would. Run two threads that both bind before either reads and they
//! greet the same student: whoever bound last. Make the slot per-thread.
//!
//! Your tasks:
//! 1. Replace the global `STUDENT` with a slot that each thread has its own copy of:
//!    `super::sync::thread_local!`, not std's own macro (the loom check runs your
//!    file with loom's, and sees only that one). Keep the functions' signatures.
//!    Reading before binding stays a clear [`StudentError::NotBound`] naming the
//!    thread — not a panic.
//! 2. `run`: the seed's program. One thread per name, named `Thread-1`, `Thread-2`,
//!    … in the order of `names` (`super::sync::thread::Builder`); each calls
//!    `process_thread`. Return the greetings in the order of `names`, whichever
//!    thread finishes first. `process_thread` panics on a name that is not letters
//!    only (`""`, `"R2-D2"`): report a thread that panicked as
//!    [`StudentError::ThreadPanicked`] carrying that thread's own name from `names`
//!    — when several panicked, the one that comes first in `names` — and never
//!    panic in `run` itself.
//!
//! `StudentError`, `process_student` and `process_thread` are given at the end.
//! Graded by: `cargo test --test ch06_thread_local students` (the `loom_*` tests run
//! your file under loom's threads and thread-locals).

use super::sync::thread;

/// THE BUG: one slot for the whole program, shared by every thread. (A `static`
/// needs a lock that can be built at compile time, which only std's has; your
/// per-thread slot needs no lock at all.)
static STUDENT: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Binds `name` as the current thread's student (Python: `local_school.student =
/// name`).
pub fn bind_student(name: &str) {
    *STUDENT.lock().unwrap_or_else(|e| e.into_inner()) = Some(name.to_owned());
}

/// The current thread's student (Python: `local_school.student`).
pub fn current_student() -> Result<String, StudentError> {
    STUDENT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .ok_or_else(|| StudentError::NotBound {
            thread: thread_name(),
        })
}

/// The seed's program: one thread per student, named `Thread-1`, `Thread-2`, …;
/// returns their greetings in the order of `names`.
pub fn run(names: &[&str]) -> Result<Vec<String>, StudentError> {
    let _ = names;
    todo!(
        "one named thread per student, each calling process_thread; greetings in \
         order"
    )
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Reading before binding, and a student thread that panicked: clear errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StudentError {
    #[error("no student is bound on thread `{thread}`: call bind_student first")]
    NotBound { thread: String },
    #[error("the thread for student {student:?} panicked")]
    ThreadPanicked { student: String },
}

/// The name `process_student` prints for the current thread.
pub fn thread_name() -> String {
    thread::current().name().unwrap_or("<unnamed>").to_owned()
}

/// The deeper function: greets the current thread's student without being handed it.
pub fn process_student() -> Result<String, StudentError> {
    let student = current_student()?;
    Ok(format!("Hello, {student} (in {})", thread_name()))
}

/// One thread's work in the seed: bind, then call down. Panics unless the name is
/// letters only, and at least one (`""` and `"R2-D2"` are no student's name), as a
/// thread's work may: `run` must report it.
pub fn process_thread(name: &str) -> Result<String, StudentError> {
    assert!(
        !name.is_empty() && name.chars().all(char::is_alphabetic),
        "process_thread: {name:?} is no student's name (letters only, at least one)"
    );
    bind_student(name);
    process_student()
}
