//! Chapter 9 — distributed processes: a master hands tasks to workers over TCP.

pub mod frames;
pub mod master_worker;
pub mod task_table;
