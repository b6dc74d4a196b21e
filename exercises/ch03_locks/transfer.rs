//! # Transfers: two locks, and the order you take them in
//!
//! The seed's balance needs one lock. A bank needs one per account, and a transfer
//! must hold *two* — the account it takes money from and the account it gives it to
//! — for as long as it moves the money, so that no one sees it in neither account
//! or in both.
//!
//! `transfer` below takes the `from` lock, then the `to` lock. Run `transfer(0, 1,
//! …)` on one thread and `transfer(1, 0, …)` on another: each can get its first lock
//! and then wait forever for the other's — a deadlock. On a real machine that
//! happens only now and then; the loom model check finds it every time. And
//! `transfer(3, 3, …)` locks the same account twice, which std's `Mutex` never
//! allows: it blocks (or panics) for good.
//!
//! Your task: fix `transfer` so that it can never deadlock.
//! 1. Take the two locks in one global order that every thread agrees on, whichever
//!    way the money goes — `balances` (given, below) included: it takes every lock
//!    in account order, 0 first.
//! 2. Hold both locks while the money moves: a `balances` running at the same time
//!    always sees the same total.
//! 3. A transfer from an account to itself is [`TransferError::SameAccount`]; an
//!    unknown account is [`TransferError::NoSuchAccount`], and that is checked
//!    first (`transfer(7, 7, …)` on a bank of two accounts is `NoSuchAccount(7)`).
//!
//! A failed transfer changes nothing (`move_money`, given, sees to that once both
//! balances are in hand), and the total amount of money never changes.
//! Graded by: `cargo test --test ch03_locks transfer`.

use super::sync::{Mutex, MutexGuard};

impl Bank {
    /// Moves `amount` from account `from` to account `to`.
    pub fn transfer(
        &self,
        from: usize,
        to: usize,
        amount: u64,
    ) -> Result<(), TransferError> {
        let (from_account, to_account) = (self.account(from)?, self.account(to)?);
        let mut from_balance = lock(from_account);
        let mut to_balance = lock(to_account);
        move_money((from, &mut from_balance), (to, &mut to_balance), amount)
    }
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Why a transfer did not happen. A failed transfer changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferError {
    #[error("there is no account {0}")]
    NoSuchAccount(usize),
    #[error("cannot transfer from account {0} to itself")]
    SameAccount(usize),
    #[error("account {from} holds {balance}, cannot send {amount}")]
    Insufficient {
        from: usize,
        balance: u64,
        amount: u64,
    },
    #[error("account {to} cannot hold {amount} more")]
    Overflow { to: usize, amount: u64 },
}

/// Accounts numbered from 0, each balance behind a lock of its own.
#[derive(Debug)]
pub struct Bank {
    accounts: Vec<Mutex<u64>>,
}

impl Bank {
    pub fn new(balances: &[u64]) -> Self {
        Bank {
            accounts: balances.iter().map(|&b| Mutex::new(b)).collect(),
        }
    }

    /// How many accounts there are.
    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// The balance of account `id`.
    pub fn balance(&self, id: usize) -> Result<u64, TransferError> {
        Ok(*lock(self.account(id)?))
    }

    /// Every balance, read while holding every lock (taken in account order, 0
    /// first), so no transfer is half-way through.
    pub fn balances(&self) -> Vec<u64> {
        let guards: Vec<_> = self.accounts.iter().map(lock).collect();
        guards.iter().map(|guard| **guard).collect()
    }

    /// The lock of account `id`, or `NoSuchAccount`.
    fn account(&self, id: usize) -> Result<&Mutex<u64>, TransferError> {
        self.accounts
            .get(id)
            .ok_or(TransferError::NoSuchAccount(id))
    }
}

/// Takes a lock; a poisoned one (a panic while it was held) still holds a valid
/// balance, because every balance is changed in one step.
fn lock(account: &Mutex<u64>) -> MutexGuard<'_, u64> {
    account.lock().unwrap_or_else(|e| e.into_inner())
}

/// Moves `amount` from `from_balance` to `to_balance`, or changes nothing.
fn move_money(
    (from, from_balance): (usize, &mut u64),
    (to, to_balance): (usize, &mut u64),
    amount: u64,
) -> Result<(), TransferError> {
    if *from_balance < amount {
        return Err(TransferError::Insufficient {
            from,
            balance: *from_balance,
            amount,
        });
    }
    *to_balance = to_balance
        .checked_add(amount)
        .ok_or(TransferError::Overflow { to, amount })?;
    *from_balance -= amount;
    Ok(())
}
