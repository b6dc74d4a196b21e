//! # Every thread its own student — solution
//!
//! The one idea: a `thread_local!` slot is one variable *per thread*. Each thread
//! that touches `STUDENT` gets its own fresh `None`, so binding a student on one
//! thread can never be seen, or overwritten, by another — no lock, because nothing
//! is shared. `run` starts every thread first and joins them in the order of the
//! names, so the order of the greetings never depends on which thread was quicker.

use std::cell::RefCell;

use super::sync::thread;

super::sync::thread_local! {
    /// This thread's student; `None` until the thread binds one.
    static STUDENT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Binds `name` as the current thread's student (Python: `local_school.student =
/// name`).
pub fn bind_student(name: &str) {
    STUDENT.with(|slot| *slot.borrow_mut() = Some(name.to_owned()));
}

/// The current thread's student (Python: `local_school.student`).
pub fn current_student() -> Result<String, StudentError> {
    STUDENT.with(|slot| slot.borrow().clone()).ok_or_else(|| {
        StudentError::NotBound {
            thread: thread_name(),
        }
    })
}

/// The seed's program: one thread per student, named `Thread-1`, `Thread-2`, …;
/// returns their greetings in the order of `names`.
pub fn run(names: &[&str]) -> Result<Vec<String>, StudentError> {
    let threads: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let name = (*name).to_owned();
            let student = name.clone();
            let handle = thread::Builder::new()
                .name(format!("Thread-{}", i + 1))
                .spawn(move || process_thread(&name))
                .expect("cannot spawn a student thread");
            (student, handle)
        })
        .collect();
    threads
        .into_iter()
        .map(|(student, handle)| {
            handle
                .join()
                .map_err(|_| StudentError::ThreadPanicked { student })?
        })
        .collect()
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
