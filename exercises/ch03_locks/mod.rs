//! Chapter 3 — locks: the lost update, lock order, non-reentrant locks, tidy printing.

pub mod balance;
pub mod printing;
pub mod reentrant;
pub mod transfer;
