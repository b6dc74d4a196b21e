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
    // ch02_threads
    Entry {
        name: "ch02_threads::named",
        run: |args| Ok(crate::ch02_threads::named::main(args)?),
    },
    Entry {
        name: "ch02_threads::detached",
        run: |args| Ok(crate::ch02_threads::detached::main(args)?),
    },
    // ch03_locks
    Entry {
        name: "ch03_locks::balance",
        run: |args| Ok(crate::ch03_locks::balance::main(args)?),
    },
    // ch04_queues
    Entry {
        name: "ch04_queues::writer_reader",
        run: |_| Ok(crate::ch04_queues::writer_reader::main()?),
    },
    Entry {
        name: "ch04_queues::writer_reader::writer",
        run: |_| Ok(crate::ch04_queues::writer_reader::writer()?),
    },
    Entry {
        name: "ch04_queues::writer_reader::reader",
        run: |_| Ok(crate::ch04_queues::writer_reader::reader()?),
    },
    Entry {
        name: "ch04_queues::pipe",
        run: |_| Ok(crate::ch04_queues::pipe::main()?),
    },
    Entry {
        name: "ch04_queues::pipe::proc1",
        run: |_| Ok(crate::ch04_queues::pipe::proc1_main()?),
    },
    Entry {
        name: "ch04_queues::pipe::proc2",
        run: |_| Ok(crate::ch04_queues::pipe::proc2_main()?),
    },
    // ch05_sync
    Entry {
        name: "ch05_sync::print_lock",
        run: |args| Ok(crate::ch05_sync::print_lock::main(args)?),
    },
    Entry {
        name: "ch05_sync::print_lock::worker",
        run: |args| Ok(crate::ch05_sync::print_lock::worker(args)?),
    },
    // ch07_pools
    Entry {
        name: "ch07_pools::process_pool::worker",
        run: |_| Ok(crate::ch07_pools::process_pool::worker()?),
    },
    // ch08_subprocess
    Entry {
        name: "ch08_subprocess::call",
        run: |args| Ok(crate::ch08_subprocess::call::main(args)?),
    },
    Entry {
        name: "ch08_subprocess::call::exit_with",
        run: |args| Ok(crate::ch08_subprocess::call::exit_with(args)?),
    },
    Entry {
        name: "ch08_subprocess::call::die_by_signal",
        run: |args| Ok(crate::ch08_subprocess::call::die_by_signal(args)?),
    },
    Entry {
        name: "ch08_subprocess::communicate::echo",
        run: |args| Ok(crate::ch08_subprocess::communicate::echo(args)?),
    },
    Entry {
        name: "ch08_subprocess::communicate::ignore_input",
        run: |args| Ok(crate::ch08_subprocess::communicate::ignore_input(args)?),
    },
    Entry {
        name: "ch08_subprocess::timeout::sleeper",
        run: |args| Ok(crate::ch08_subprocess::timeout::sleeper(args)?),
    },
    // ch09_distributed
    Entry {
        name: "ch09_distributed::master_worker::master",
        run: |args| Ok(crate::ch09_distributed::master_worker::master(args)?),
    },
    Entry {
        name: "ch09_distributed::master_worker::worker",
        run: |args| Ok(crate::ch09_distributed::master_worker::worker(args)?),
    },
    // ch10_interview
    Entry {
        name: "ch10_interview::adopter",
        run: |args| Ok(crate::harness::adopter(args)?),
    },
    Entry {
        name: "ch10_interview::states::spinner",
        run: |_| Ok(crate::ch10_interview::states::spinner()?),
    },
    Entry {
        name: "ch10_interview::states::sleeper",
        run: |_| Ok(crate::ch10_interview::states::sleeper()?),
    },
    Entry {
        name: "ch10_interview::zombie::quick_exit",
        run: |_| crate::ch10_interview::zombie::quick_exit(),
    },
    Entry {
        name: "ch10_interview::orphan::parent",
        run: |args| Ok(crate::ch10_interview::orphan::parent(args)?),
    },
    Entry {
        name: "ch10_interview::orphan::child",
        run: |args| Ok(crate::ch10_interview::orphan::child(args)?),
    },
    Entry {
        name: "ch10_interview::fork_twice::run",
        run: |args| Ok(crate::ch10_interview::fork_twice::run(args)?),
    },
    Entry {
        name: "ch10_interview::fork_twice::middle",
        run: |args| Ok(crate::ch10_interview::fork_twice::middle(args)?),
    },
    Entry {
        name: "ch10_interview::fork_twice::worker",
        run: |args| Ok(crate::ch10_interview::fork_twice::worker(args)?),
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
