//! # my_process: "subclass Process, override run" as a trait
//!
//! Seed 001: besides `Process(target=f, args=…)`, "也可以继承Process, 覆盖run方法"
//! — subclass `Process` and override `run`; `start()` then runs `run` in a new
//! process, `join()` waits for it. Rust has no subclassing; a base class whose
//! method you override is a *trait* with a *provided method*: [`Process`] (given)
//! asks each type for `run` and for how to send itself to the child, and
//! provides `start` in terms of them.
//!
//! 1. `start(entry, args)`: the function the trait's `start` calls. Start entry
//!    `entry` (`workbook::process::entry`) with `args` and return at once, while
//!    the child runs, with a [`Handle`] that owns the child.
//! 2. `Handle` (Python's started `Process`): `pid()`; `is_alive()` — whether the
//!    child still runs, and a child that has exited is reaped right there (no
//!    zombie while you keep the handle); `terminate()` — send SIGTERM, as Python
//!    does (`nix::sys::signal::kill`), nothing if it already exited; `join()` —
//!    wait for the child and reap it: `Ok` if it exited with 0, else
//!    [`ProcessError::Failed`] with its status.
//! 3. `impl Process for Sleeper`, after the example of `Reader` below: `to_args`
//!    and `from_args` (bad arguments are [`ProcessError::Usage`]), and `run`,
//!    the seed's sleeper: print `Process ID# PID`, `Parent Process ID# PPID`,
//!    `NAME will sleep for SECONDS seconds` (one line each), then sleep.
//! 4. `main(NAME SECONDS)`, the seed's program: start a `Sleeper`, print `in
//!    parent process after child process start` and `parent process about to
//!    join child process`, join it, print `in parent process after child process
//!    join` and `the parent's parent process: PPID`.
//!
//! Replace the `_todo` field with your own.
//!
//! Run it yourself: `cargo run -- run my_process bob 2`.
//! Graded by: `cargo test --test ch13_shared_memory my_process`.

use std::path::PathBuf;
use std::process::ExitStatus;

/// What `start` returns: the running child (Python's started `Process` object).
pub struct Handle {
    _todo: (),
}

/// Starts entry `entry` with `args` in a child process.
fn start(entry: &str, args: Vec<String>) -> Result<Handle, ProcessError> {
    let _ = (entry, args);
    todo!("spawn the entry with its arguments, keep the Child in a Handle")
}

impl Handle {
    /// The child's process id.
    pub fn pid(&self) -> u32 {
        todo!("the child's id")
    }

    /// Whether the child is still running; a child that has exited is reaped here.
    pub fn is_alive(&mut self) -> Result<bool, ProcessError> {
        todo!("ask without waiting")
    }

    /// Asks the child to stop, with SIGTERM (Python's `terminate()`).
    pub fn terminate(&mut self) -> Result<(), ProcessError> {
        todo!("SIGTERM, unless it has exited")
    }

    /// Waits for the child to exit and reaps it (Python's `join()`); a child that
    /// did not exit with 0 is [`ProcessError::Failed`].
    pub fn join(self) -> Result<(), ProcessError> {
        todo!("wait, then look at the status")
    }
}

/// The seed's `sleeper(name, seconds)`, as a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sleeper {
    pub name: String,
    pub seconds: u64,
}

impl Process for Sleeper {
    const ENTRY: &'static str = "my_process::sleeper";

    fn to_args(&self) -> Vec<String> {
        todo!("the name and the seconds, as strings")
    }

    fn from_args(args: &[String]) -> Result<Self, ProcessError> {
        let _ = args;
        todo!("the other way round; Usage if they do not fit")
    }

    fn run(&self) -> Result<(), ProcessError> {
        todo!("the seed's three lines, then sleep")
    }
}

/// The seed's program: start a sleeper, say so, join it, say so.
pub fn main(args: &[String]) -> Result<(), ProcessError> {
    let _ = args;
    todo!("start, two lines, join, two lines")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// Entry point of the seed's program: `my_process NAME SECONDS`.
pub const MAIN: &str = "my_process";

/// What can go wrong, as a type.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("usage: my_process NAME SECONDS")]
    Usage,
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("the child failed ({status})")]
    Failed { status: ExitStatus },
}

/// Python's `multiprocessing.Process`, as a trait: implement `run` (and say how
/// to send `self` to the child), and `start` runs it in a child process.
pub trait Process: Sized {
    /// The entry point (listed in `workbook.toml`) whose child rebuilds this type
    /// with `from_args` and calls `run`: see [`run_child`].
    const ENTRY: &'static str;

    /// What the child needs to rebuild `self`: a fresh program cannot be handed
    /// an object, as `fork` hands Python's child a copy of it, so it is sent as
    /// arguments.
    fn to_args(&self) -> Vec<String>;

    /// Rebuilds the value `to_args` described.
    fn from_args(args: &[String]) -> Result<Self, ProcessError>;

    /// The work, done in the child (Python: override `run`).
    fn run(&self) -> Result<(), ProcessError>;

    /// Starts a child process that runs `run` (Python's `start()`); returns at once.
    fn start(&self) -> Result<Handle, ProcessError> {
        start(Self::ENTRY, self.to_args())
    }
}

/// The child's side of every [`Process`]: rebuild it from the arguments, run it.
pub fn run_child<P: Process>(args: &[String]) -> Result<(), ProcessError> {
    P::from_args(args)?.run()
}

/// A process that prints a file: the example of a [`Process`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    pub path: PathBuf,
}

impl Process for Reader {
    const ENTRY: &'static str = "my_process::reader";

    fn to_args(&self) -> Vec<String> {
        vec![self.path.to_string_lossy().into_owned()]
    }

    fn from_args(args: &[String]) -> Result<Self, ProcessError> {
        match args {
            [path] => Ok(Reader { path: path.into() }),
            _ => Err(ProcessError::Usage),
        }
    }

    fn run(&self) -> Result<(), ProcessError> {
        let what = format!("reading {}", self.path.display());
        let text = std::fs::read_to_string(&self.path)
            .map_err(|source| ProcessError::Io { what, source })?;
        print!("{text}");
        Ok(())
    }
}

/// Entry `my_process::sleeper`: a [`Sleeper`] in a child.
pub fn sleeper(args: &[String]) -> Result<(), ProcessError> {
    run_child::<Sleeper>(args)
}

/// Entry `my_process::reader`: a [`Reader`] in a child.
pub fn reader(args: &[String]) -> Result<(), ProcessError> {
    run_child::<Reader>(args)
}
