//! # philosophers: five forks, no deadlock
//!
//! The dining philosophers: five sit at a round table, with one fork between each
//! two neighbours. To eat, a philosopher needs both forks beside it, so two
//! neighbours never eat at once, while two who are not neighbours can. The
//! obvious program — everyone picks up the fork on the left, then the one on the
//! right — works for a while and then stops for ever: if all five take their
//! left fork at the same moment, each waits for a right fork that its neighbour
//! holds. That is a *deadlock*, the seeds' "互相等待" (waiting for each other),
//! and it is why lock order is an interview question.
//!
//! Build it with one `Mutex<()>` per fork:
//! - `Table::new(seats)`: at least 2 seats, else [`TableError::TooFewSeats`].
//!   Seat `i` eats with fork `i` on its left and fork `(i + 1) % seats` on its
//!   right.
//! - `pick_up(who)`: waits until seat `who` holds both its forks and returns a
//!   [`Plate`] that holds them; dropping the plate puts both down. A seat that is
//!   not at the table is [`TableError::NoSuchSeat`]. Philosophers who are not
//!   neighbours must be able to eat at the same time (so: no single lock for the
//!   whole table). No busy retrying: wait for a fork by locking it.
//! - `dinner(seats, meals, eat)`: one thread per seat (`thread::scope`), each
//!   picking up its forks and calling `eat(who, meal)` `meals` times; returns the
//!   meals each seat ate. Every philosopher gets every meal: nobody may wait for
//!   ever.
//!
//! Write the obvious version first if you like, then run the loom checks: loom
//! tries every interleaving and prints where each thread was stuck. Then break
//! the cycle — by the order in which forks are taken, or with a waiter that lets
//! at most `seats - 1` philosophers reach for forks at once.
//!
//! Take `Mutex`, `Condvar` and `thread` from `super::sync` only: the loom checks
//! replace them. Replace the `_todo` fields with your own.
//!
//! Graded by: `cargo test --test ch12_channels philosophers`.

use std::marker::PhantomData;

/// A round table: seat `i` eats with fork `i` on its left and fork `i + 1` (round
/// the table) on its right.
pub struct Table {
    _todo: (),
}

/// Both forks of one seat: the philosopher eats while it holds this; dropping it
/// puts both forks down.
pub struct Plate<'a> {
    _todo: PhantomData<&'a Table>,
}

impl Table {
    /// A table for `seats` philosophers (at least 2) with as many forks.
    pub fn new(seats: usize) -> Result<Table, TableError> {
        let _ = seats;
        todo!("one Mutex per fork")
    }

    pub fn seats(&self) -> usize {
        todo!("how many seats")
    }

    /// The philosopher at seat `who` picks up both forks, waiting as long as a
    /// neighbour has one.
    pub fn pick_up(&self, who: usize) -> Result<Plate<'_>, TableError> {
        let _ = who;
        todo!("lock both forks of seat `who`, without a deadlock")
    }
}

/// A dinner: one thread per seat, each eating `meals` times; `eat(who, meal)` runs
/// while `who` holds both forks. Returns how many meals each seat ate.
pub fn dinner(
    seats: usize,
    meals: usize,
    eat: impl Fn(usize, usize) + Sync,
) -> Result<Vec<usize>, TableError> {
    let _ = (seats, meals, eat);
    todo!("a table, a scoped thread per seat, every meal eaten")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// What can be wrong with a table or a seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("a table needs at least 2 seats, not {0}")]
    TooFewSeats(usize),
    #[error("there is no seat {who} at a table of {seats}")]
    NoSuchSeat { who: usize, seats: usize },
}
