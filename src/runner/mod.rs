//! The learner-facing runner behind the `workbook` binary, and `workbook verify`.
//!
//! The runner never decides by itself whether an exercise is done: it runs `cargo test`
//! and reads what libtest printed ([`cargo`]).

pub mod cargo;
pub mod verify;
