//! Chapter 8 — subprocesses: exit status, talking to a child through pipes, deadlines.

pub mod call;
pub mod communicate;
pub mod timeout;
