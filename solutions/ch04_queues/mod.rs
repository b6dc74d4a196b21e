//! Chapter 4 — queues and pipes: a bounded queue, writer/reader processes, pipes.

pub mod bounded_queue;
pub mod pipe;
pub mod writer_reader;
