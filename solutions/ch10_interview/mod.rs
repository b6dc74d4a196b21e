//! Chapter 10 — interview drill: process states, zombies, orphans, the double fork.

pub mod fork_twice;
pub mod orphan;
pub mod states;
pub mod zombie;
