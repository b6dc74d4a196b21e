//! Every chapter and exercise, in the order a learner meets them.
//!
//! One exercise has one name in every top-level folder:
//! `exercises/<chapter>/<name>.rs`, `solutions/<chapter>/<name>.rs`, the tests in module
//! `<name>` of `tests/<chapter>.rs`, `benches/<chapter>.rs` and
//! `book/src/<chapter>/<name>.md`. `workbook verify` checks that all of them exist.

use std::path::{Path, PathBuf};

/// A chapter: a module under `exercises/` and `solutions/`, a test suite, a book part.
#[derive(Debug)]
pub struct Chapter {
    /// Module and file name: `ch01_processes`.
    pub name: &'static str,
    /// Human title: "Processes".
    pub title: &'static str,
    pub exercises: &'static [Exercise],
}

/// One exercise of a chapter.
#[derive(Debug)]
pub struct Exercise {
    /// File and test-module name: `two_files`.
    pub name: &'static str,
    /// Whether its tests include a loom model check (`<name>::loom_*`).
    pub loom: bool,
}

const fn ex(name: &'static str, loom: bool) -> Exercise {
    Exercise { name, loom }
}

/// The workbook, in order.
pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        name: "ch01_processes",
        title: "Processes",
        exercises: &[
            ex("two_files", true),
            ex("pids", false),
            ex("isolation", false),
            ex("terminate", false),
        ],
    },
    Chapter {
        name: "ch02_threads",
        title: "Threads",
        exercises: &[
            ex("player", true),
            ex("named", false),
            ex("my_thread", false),
            ex("scoped", false),
            ex("detached", false),
        ],
    },
    Chapter {
        name: "ch03_locks",
        title: "Locks",
        exercises: &[
            ex("balance", true),
            ex("transfer", true),
            ex("reentrant", true),
            ex("printing", true),
        ],
    },
    Chapter {
        name: "ch04_queues",
        title: "Queues and pipes",
        exercises: &[
            ex("bounded_queue", true),
            ex("writer_reader", false),
            ex("pipe", false),
        ],
    },
    Chapter {
        name: "ch05_sync",
        title: "Synchronization primitives",
        exercises: &[
            ex("event", true),
            ex("semaphore", true),
            ex("barrier", true),
            ex("condition", true),
            ex("print_lock", false),
        ],
    },
    Chapter {
        name: "ch06_thread_local",
        title: "Thread-local storage",
        exercises: &[ex("students", true), ex("per_thread_counter", true)],
    },
    Chapter {
        name: "ch07_pools",
        title: "Pools: threads and processes",
        exercises: &[
            ex("thread_pool", true),
            ex("process_pool", false),
            ex("cpu_vs_io", false),
        ],
    },
    Chapter {
        name: "ch08_subprocess",
        title: "Subprocesses",
        exercises: &[
            ex("call", false),
            ex("communicate", false),
            ex("timeout", false),
        ],
    },
    Chapter {
        name: "ch09_distributed",
        title: "Distributed processes",
        exercises: &[
            ex("frames", false),
            ex("task_table", true),
            ex("master_worker", false),
        ],
    },
    Chapter {
        name: "ch10_interview",
        title: "Interview drill",
        exercises: &[
            ex("states", false),
            ex("zombie", false),
            ex("orphan", false),
            ex("fork_twice", false),
        ],
    },
];

/// The repository root (where `Cargo.toml` is).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

impl Chapter {
    /// The chapter's test suite: `tests/<chapter>.rs`.
    pub fn test_file(&self) -> PathBuf {
        root().join("tests").join(format!("{}.rs", self.name))
    }

    pub fn find(name: &str) -> Option<&'static Chapter> {
        CHAPTERS.iter().find(|chapter| chapter.name == name)
    }
}

impl Exercise {
    /// `<tree>/<chapter>/<name>.rs`, for tree `exercises` or `solutions`.
    pub fn source(&self, tree: &str, chapter: &Chapter) -> PathBuf {
        root()
            .join(tree)
            .join(chapter.name)
            .join(format!("{}.rs", self.name))
    }

    /// `book/src/<chapter>/<name>.md`.
    pub fn page(&self, chapter: &Chapter) -> PathBuf {
        root()
            .join("book/src")
            .join(chapter.name)
            .join(format!("{}.md", self.name))
    }
}
