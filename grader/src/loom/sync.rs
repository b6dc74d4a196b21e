//! The loom flavour of `workbook::sync`: the same names over loom's threads and locks, so
//! an exercise file that names `super::sync::Mutex` compiles unchanged in the suite's
//! loom copy.

workbook::sync_facade!(loom);
