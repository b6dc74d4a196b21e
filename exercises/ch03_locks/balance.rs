//! # The balance: two threads, one variable, lost updates
//!
//! The seed's program: two threads run `balance = balance + n; balance = balance -
//! n` 2,000,000 times each (n = 5 and n = 8). Every change is undone at once, so the
//! balance should stay 0 — and without a lock it does not: `balance + n` reads, then
//! the write stores, and the other thread's write in between is lost.
//!
//! The `Account` below is that program in safe Rust: the balance is an atomic, but
//! `deposit` *loads* it and then *stores* the sum — two steps, with room between
//! them. It compiles, and a run often even prints `balance: 0` (`cargo run -- run
//! balance`); whether it does is up to the scheduler. A test that passes by luck
//! proves nothing, so the grader is a loom model check: loom runs two threads
//! through *every* interleaving and finds the one that loses an update.
//!
//! Your tasks:
//! 1. Keep the balance inside a `Mutex` (from `super::sync`) instead of an atomic,
//!    so every read-change-write happens with the lock held.
//! 2. `update`: run `f` on the balance while nobody else can touch it, and return
//!    what `f` returns — the seed's `lock.acquire(); change_it(n); lock.release()`
//!    in one call. Two `update`s from two threads never overlap.
//! 3. `deposit`: no deposit may be lost, whatever the other threads do.
//! 4. `change_it` adds `n` and takes it away again as *one* step: a thread that
//!    reads the balance while another runs `change_it` must never see it changed.
//!
//! Graded by: `cargo test --test ch03_locks balance` (the `loom_*` tests are the
//! race's grader: each runs two threads through every interleaving).

use super::sync::atomic::{AtomicI64, Ordering};
use super::sync::{thread, Arc};

/// A bank balance shared by many threads.
#[derive(Debug)]
pub struct Account {
    balance: AtomicI64,
}

impl Account {
    pub fn new(balance: i64) -> Self {
        Account {
            balance: AtomicI64::new(balance),
        }
    }

    /// The balance now.
    pub fn balance(&self) -> i64 {
        self.balance.load(Ordering::SeqCst)
    }

    /// `balance = balance + n`.
    pub fn deposit(&self, n: i64) {
        let now = self.balance.load(Ordering::SeqCst);
        // Another thread may store its own sum right here; one of the two is then
        // lost.
        self.balance.store(now + n, Ordering::SeqCst);
    }

    /// The seed's `change_it(n)`: add `n`, then take it away again.
    pub fn change_it(&self, n: i64) {
        self.deposit(n);
        self.deposit(-n);
    }

    /// Runs `f` on the balance with nobody else touching it; returns what `f`
    /// returns.
    pub fn update<R>(&self, f: impl FnOnce(&mut i64) -> R) -> R {
        let _ = f;
        todo!(
            "lock the balance, let f change it, unlock (a Mutex guard does the \
             unlocking)"
        )
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// The seed's `run_thread(n)`: `change_it(n)` over and over.
pub fn run_thread(account: &Account, n: i64, rounds: usize) {
    for _ in 0..rounds {
        account.change_it(n);
    }
}

/// The seed's program: two threads, `n = 5` and `n = 8`, on one account starting at
/// 0; returns the final balance (0 when nothing was lost).
pub fn seed_program(rounds: usize) -> i64 {
    let account = Arc::new(Account::new(0));
    let threads: Vec<_> = [5, 8]
        .into_iter()
        .map(|n| {
            let account = Arc::clone(&account);
            thread::spawn(move || run_thread(&account, n, rounds))
        })
        .collect();
    for thread in threads {
        thread.join().expect("a balance thread panicked");
    }
    account.balance()
}

/// Bad input for the program.
#[derive(Debug, thiserror::Error)]
pub enum BalanceError {
    #[error("usage: balance [ROUNDS] (a whole number, default 2000000)")]
    Usage,
}

/// The program (`cargo run -- run balance [ROUNDS]`): runs the seed's program
/// and prints the final balance.
pub fn main(args: &[String]) -> Result<(), BalanceError> {
    let rounds = match args {
        [] => 2_000_000,
        [rounds] => rounds.parse().map_err(|_| BalanceError::Usage)?,
        _ => return Err(BalanceError::Usage),
    };
    println!("balance: {}", seed_program(rounds));
    Ok(())
}
