//! Entry points a child process can run: the Rust stand-in for Python's
//! `Process(target=...)` (see [`process`](crate::process)).
//!
//! Each is a plain function in an exercise file taking the command-line arguments after
//! its name. The table lives here, outside `exercises/`, so a learner never edits it.

use std::error::Error;
use std::process::ExitCode;

/// What an entry point returns: `Err` is printed on stderr and becomes exit status 1.
pub type EntryResult = Result<(), Box<dyn Error>>;

/// An entry point: a name and the function that runs it.
pub struct Entry {
    pub name: &'static str,
    pub run: fn(&[String]) -> EntryResult,
}

/// Every entry point, by chapter.
pub const ENTRIES: &[Entry] = &[
    // ch01_processes
    Entry {
        name: "ch01_processes::two_files",
        run: |args| Ok(crate::ch01_processes::two_files::main(args)?),
    },
    Entry {
        name: "ch01_processes::two_files::reader",
        run: |args| Ok(crate::ch01_processes::two_files::reader(args)?),
    },
    Entry {
        name: "ch01_processes::pids::report",
        run: |_| Ok(crate::ch01_processes::pids::report()?),
    },
    Entry {
        name: "ch01_processes::terminate::endless_reader",
        run: |_| Ok(crate::ch01_processes::terminate::endless_reader(false)?),
    },
    Entry {
        name: "ch01_processes::terminate::stubborn_reader",
        run: |_| Ok(crate::ch01_processes::terminate::endless_reader(true)?),
    },
    // ch07_pools
    Entry {
        name: "ch07_pools::process_pool::worker",
        run: |_| Ok(crate::ch07_pools::process_pool::worker()?),
    },
];

/// Looks an entry point up by name.
pub fn find(name: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|entry| entry.name == name)
}

/// Runs entry point `name` with `args` and turns the outcome into an exit code.
pub fn run(name: &str, args: &[String]) -> ExitCode {
    let Some(entry) = find(name) else {
        eprintln!("workbook: no entry point called `{name}`; known entry points:");
        for entry in ENTRIES {
            eprintln!("  {}", entry.name);
        }
        return ExitCode::from(2);
    };
    match (entry.run)(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{name}: {err}");
            ExitCode::FAILURE
        }
    }
}
