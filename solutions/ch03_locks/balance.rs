//! # The balance — solution
//!
//! The one idea: the data lives *inside* the `Mutex`, so the only way to read or
//! change it is through a guard, and a read-change-write done through one guard
//! cannot be split by another thread.

use super::sync::{thread, Arc, Mutex, MutexGuard};

/// A bank balance shared by many threads.
#[derive(Debug)]
pub struct Account {
    balance: Mutex<i64>,
}

impl Account {
    pub fn new(balance: i64) -> Self {
        Account {
            balance: Mutex::new(balance),
        }
    }

    /// The balance now.
    pub fn balance(&self) -> i64 {
        *self.lock()
    }

    /// `balance = balance + n`.
    pub fn deposit(&self, n: i64) {
        self.update(|balance| *balance += n);
    }

    /// The seed's `change_it(n)`: add `n`, then take it away again.
    pub fn change_it(&self, n: i64) {
        self.update(|balance| {
            *balance += n;
            *balance -= n;
        });
    }

    /// Runs `f` on the balance with nobody else touching it; returns what `f`
    /// returns.
    pub fn update<R>(&self, f: impl FnOnce(&mut i64) -> R) -> R {
        f(&mut self.lock())
    }

    /// A panic in another thread's `f` poisons the lock. Any `i64` is a balance this
    /// type can hold, so poisoning is not a reason to stop here: take the guard
    /// anyway.
    fn lock(&self) -> MutexGuard<'_, i64> {
        self.balance.lock().unwrap_or_else(|e| e.into_inner())
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
