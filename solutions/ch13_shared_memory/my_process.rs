//! # my_process: "subclass Process, override run" as a trait — solution
//!
//! The one idea: *a base class with a method to override is a trait with a
//! provided method*: `start` is written once, in the trait, in terms of what each
//! type must provide (`run`, and how to send itself to the child); a `Handle` owns
//! the child, so the only way to be done with it — `join` — reaps it.

use std::path::PathBuf;
use std::process::{Child, ExitStatus};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

/// What `start` returns: the running child (Python's started `Process` object).
pub struct Handle {
    child: Child,
}

/// Starts entry `entry` with `args` in a child process.
fn start(entry: &str, args: Vec<String>) -> Result<Handle, ProcessError> {
    workbook::process::entry(entry)
        .args(args)
        .spawn()
        .map(|child| Handle { child })
        .map_err(|source| ProcessError::Io {
            what: format!("starting {entry}"),
            source,
        })
}

impl Handle {
    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the child is still running; a child that has exited is reaped here.
    pub fn is_alive(&mut self) -> Result<bool, ProcessError> {
        self.child
            .try_wait()
            .map(|status| status.is_none())
            .map_err(io("asking after the child"))
    }

    /// Asks the child to stop, with SIGTERM (Python's `terminate()`).
    pub fn terminate(&mut self) -> Result<(), ProcessError> {
        if !self.is_alive()? {
            return Ok(());
        }
        let pid = Pid::from_raw(self.child.id() as i32);
        kill(pid, Signal::SIGTERM).map_err(|e| io("sending SIGTERM")(e.into()))
    }

    /// Waits for the child to exit and reaps it (Python's `join()`); a child that
    /// did not exit with 0 is [`ProcessError::Failed`].
    pub fn join(self) -> Result<(), ProcessError> {
        let mut child = self.child;
        let status = child.wait().map_err(io("waiting for the child"))?;
        if status.success() {
            Ok(())
        } else {
            Err(ProcessError::Failed { status })
        }
    }
}

fn io(what: &str) -> impl FnOnce(std::io::Error) -> ProcessError + '_ {
    move |source| ProcessError::Io {
        what: what.into(),
        source,
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
        vec![self.name.clone(), self.seconds.to_string()]
    }

    fn from_args(args: &[String]) -> Result<Self, ProcessError> {
        let [name, seconds] = args else {
            return Err(ProcessError::Usage);
        };
        let seconds = seconds.parse().map_err(|_| ProcessError::Usage)?;
        Ok(Sleeper {
            name: name.clone(),
            seconds,
        })
    }

    fn run(&self) -> Result<(), ProcessError> {
        println!("Process ID# {}", std::process::id());
        println!("Parent Process ID# {}", std::os::unix::process::parent_id());
        println!("{} will sleep for {} seconds", self.name, self.seconds);
        std::thread::sleep(std::time::Duration::from_secs(self.seconds));
        Ok(())
    }
}

/// The seed's program: start a sleeper, say so, join it, say so.
pub fn main(args: &[String]) -> Result<(), ProcessError> {
    let sleeper = Sleeper::from_args(args)?;
    let child = sleeper.start()?;
    println!("in parent process after child process start");
    println!("parent process about to join child process");
    child.join()?;
    println!("in parent process after child process join");
    println!(
        "the parent's parent process: {}",
        std::os::unix::process::parent_id()
    );
    Ok(())
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
