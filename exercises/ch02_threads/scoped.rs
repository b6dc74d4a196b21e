//! # Scoped threads: borrow instead of `global`
//!
//! The seed's threads use module-level globals (`global balance`, the `lists`
//! dict), but Python does not need them: `args=` and closures hand a thread any
//! object, and the object lives as long as someone refers to it (`global` is only
//! for *rebinding* a module-level name). Rust has no garbage collector, so a
//! borrow must end before its owner does. `std::thread::spawn` cannot promise
//! that — the thread may outlive the caller — so its closure must be `'static`:
//! it owns what it uses (`move`, `Arc`).
//!
//! `std::thread::scope` removes the problem: every thread spawned in a scope is
//! joined before the scope returns, so the threads may borrow local data — shared
//! (`&[T]`) or even mutable, as long as no two threads borrow the same part
//! (`chunks_mut`).
//!
//! Your tasks, both on top of [`part_size`] (given at the end of the file), which
//! says how big a part is (for `parts` of 0 it is [`ScopedError::ZeroParts`]; empty
//! data means no parts and no threads). Run each part on its own scoped thread,
//! every part's thread running at the same time:
//! 1. `map_in_parts`: run `f` on every chunk of `data`; return the results in chunk
//!    order.
//! 2. `fill_in_parts`: set `out[i] = f(i)` for every index, each chunk of `out`
//!    written by its thread through a `&mut` borrow of that chunk.
//!
//! A thread that panics is not lost: once every thread has finished, return
//! [`ScopedError::Panicked`] with its part's index and the panic message
//! (`workbook::panic_message`); if several panicked, the first part in order. Take
//! `thread` from `super::sync` (`super::sync::thread::scope`).
//! Graded by: `cargo test --test ch02_threads scoped`.

/// `f` on every chunk of `data`, one scoped thread per chunk; results in chunk
/// order.
pub fn map_in_parts<T, R, F>(
    data: &[T],
    parts: usize,
    f: F,
) -> Result<Vec<R>, ScopedError>
where
    T: Sync,
    R: Send,
    F: Fn(&[T]) -> R + Sync,
{
    let _ = (data, parts, f);
    todo!("split data into chunks and map each chunk on its own scoped thread")
}

/// `out[i] = f(i)` for every `i`, one scoped thread per chunk of `out`.
pub fn fill_in_parts<T, F>(
    out: &mut [T],
    parts: usize,
    f: F,
) -> Result<(), ScopedError>
where
    T: Send,
    F: Fn(usize) -> T + Sync,
{
    let _ = (out, parts, f);
    todo!("split out with chunks_mut and fill each chunk on its own scoped thread")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// What can go wrong, as a type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopedError {
    #[error("cannot split the work into 0 parts")]
    ZeroParts,
    #[error("the thread of part {part} panicked: {message}")]
    Panicked { part: usize, message: String },
}

/// How many items each part gets: `len` split into at most `parts` contiguous chunks
/// of equal size, the last one possibly shorter; [`ScopedError::ZeroParts`] for no
/// parts at all.
pub fn part_size(len: usize, parts: usize) -> Result<usize, ScopedError> {
    if parts == 0 {
        return Err(ScopedError::ZeroParts);
    }
    Ok(len.div_ceil(parts).max(1))
}
