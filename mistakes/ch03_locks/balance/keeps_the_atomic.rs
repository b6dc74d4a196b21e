//! A wrong solution of `balance`: the atomic kept, `update` as load, f, store.

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
        self.update(|balance| *balance += n);
    }

    /// The seed's `change_it(n)`: add `n`, then take it away again.
    pub fn change_it(&self, n: i64) {
        self.update(|balance| {
            *balance += n;
            *balance -= n;
        });
    }

    /// Each step is atomic: the load, `f`, the store. The three together are not.
    pub fn update<R>(&self, f: impl FnOnce(&mut i64) -> R) -> R {
        let mut balance = self.balance.load(Ordering::SeqCst);
        let result = f(&mut balance);
        self.balance.store(balance, Ordering::SeqCst);
        result
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
