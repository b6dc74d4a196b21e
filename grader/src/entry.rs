//! Child processes of a chapter binary: the side that serves an entry (see
//! `workbook::process`), and the tests' way to run a chapter's programs.

use std::io::{self, Write};
use std::process::{Command, Output, Stdio};

use nix::sys::signal::{signal, SigHandler, Signal};
use workbook::process::{Entry, DOOR};

use crate::{watchdog, Group, Reaper};

/// Entries the grader itself offers in every chapter binary (not the learner's).
pub const GRADER_ENTRIES: &[Entry] = &[Entry {
    name: "grader::adopter",
    run: |args| Ok(crate::adopter::adopter(args)?),
}];

/// Runs before `main` in every chapter binary (the build script's hook): when the binary
/// was started as `PROGRAM __entry NAME ARGS...` ([`workbook::process::entry`]), runs
/// entry `NAME` with `ARGS` and exits with its status; otherwise returns and the tests (or
/// benches) run as usual.
pub fn serve_if_asked(entries: &[Entry]) {
    let mut args = std::env::args_os().map(|a| a.to_string_lossy().into_owned());
    let _program = args.next();
    if args.next().as_deref() != Some(DOOR) {
        return;
    }
    // What the Rust runtime would have done before `main`: a write to a closed pipe is an
    // error (`EPIPE`), not a silent death by SIGPIPE.
    // SAFETY: SIG_IGN installs no handler code.
    unsafe {
        let _ = signal(Signal::SIGPIPE, SigHandler::SigIgn);
    }
    let Some(name) = args.next() else {
        eprintln!("{DOOR}: which entry? (`PROGRAM {DOOR} NAME ARGS...`)");
        std::process::exit(2);
    };
    let rest: Vec<String> = args.collect();
    let code = run(entries, &name, &rest);
    let _ = io::stdout().flush();
    std::process::exit(code)
}

/// Runs entry `name` and turns its outcome into an exit status: 0, 1 for an error
/// (printed on stderr), 101 for a panic, 2 for an unknown name.
///
/// A program's `main` (an entry without `::`) runs on a new thread called `main`, as a
/// Rust program's does; any other entry runs right here, on the process's first thread
/// (this hook runs before `main`, so std has not named it), so that what `/proc` says of
/// the process is what the entry does.
fn run(entries: &[Entry], name: &str, args: &[String]) -> i32 {
    if held(name) {
        if let Err(code) = hold_until_waited_for(name) {
            return code;
        }
    }
    if let Some(code) = faked_exit(name) {
        // A stand-in that fails on purpose: read what it is sent, then exit with `code`.
        let _ = io::copy(&mut io::stdin(), &mut io::sink());
        return code;
    }
    let all = || entries.iter().chain(GRADER_ENTRIES);
    let Some(entry) = all().find(|e| e.name == name).copied() else {
        eprintln!("no entry point called `{name}`; this program has:");
        for entry in all() {
            eprintln!("  {}", entry.name);
        }
        return 2;
    };
    let body = {
        let (name, args) = (name.to_owned(), args.to_vec());
        move || match (entry.run)(&args) {
            Ok(()) => 0,
            Err(err) => {
                eprintln!("{name}: {err}");
                1
            }
        }
    };
    let outcome = if name.contains("::") {
        std::panic::catch_unwind(body)
    } else {
        match std::thread::Builder::new().name("main".into()).spawn(body) {
            Ok(thread) => thread.join(),
            Err(e) => {
                eprintln!("{name}: cannot start its thread: {e}");
                return 1;
            }
        }
    };
    outcome.unwrap_or(101)
}

/// The variable that turns entries into stand-ins which fail: `NAME=CODE[,NAME=CODE…]`.
/// A test sets it on a program whose children must fail (`writer_reader` with a writer
/// that exits 3); the children inherit it.
pub const FAKE_EXIT_ENV: &str = "WORKBOOK_FAKE_EXIT";

/// The variable that holds entries back until their parent waits for them: `NAME[,NAME…]`.
/// A test sets it on a program that must wait for children still running (`shared_counter`):
/// each held child starts only once its parent is blocked waiting for a child, or has
/// exited without waiting — then the child outlives it, and the test sees who reaped it.
pub const HOLD_ENV: &str = "WORKBOOK_HOLD_UNTIL_WAITED";

fn held(name: &str) -> bool {
    std::env::var(HOLD_ENV).is_ok_and(|names| names.split(',').any(|n| n.trim() == name))
}

/// The rendezvous of [`HOLD_ENV`], with the kernel: the parent is blocked in `wait4` or
/// `waitid` (`/proc`), or it is no longer this process's parent. `Err(3)` when it did
/// neither within [`limit`](crate::limit).
fn hold_until_waited_for(name: &str) -> Result<(), i32> {
    let parent = nix::unistd::getppid();
    let waited_or_gone =
        || nix::unistd::getppid() != parent || crate::waiting_for_a_child(parent.as_raw() as u32);
    if crate::eventually(waited_or_gone) {
        return Ok(());
    }
    eprintln!(
        "{name}: held until my parent was blocked waiting for a child; within {:?} it \
         neither waited nor exited",
        crate::limit()
    );
    Err(3)
}

fn faked_exit(name: &str) -> Option<i32> {
    let fakes = std::env::var(FAKE_EXIT_ENV).ok()?;
    fakes.split(',').find_map(|fake| {
        let (entry, code) = fake.split_once('=')?;
        (entry.trim() == name).then(|| code.trim().parse().ok())?
    })
}

/// Entry `name` of this chapter binary with `args` and stdin closed: an exercise's
/// program, as a learner would run it. Run it through [`Group`] (or [`run_program`]) so
/// nothing outlives the test.
pub fn program(name: &str, args: &[&str]) -> Command {
    let mut cmd = workbook::process::entry(name);
    cmd.args(args).stdin(Stdio::null());
    cmd
}

/// Runs [`program`] in its own process group and returns its output (see
/// [`Group::output`]: a hang fails within [`limit`](crate::limit), and nothing is left
/// running).
#[track_caller]
pub fn run_program(name: &str, args: &[&str]) -> Output {
    Group::spawn(&mut program(name, args))
        .expect("cannot start the chapter's program")
        .output(name)
}

/// Starts entry `name` with stdin and stdout piped and waits (under the watchdog) for it
/// to print `ready`: from then on the child has set itself up (signal dispositions, a lock
/// taken…), so what the test does next does not depend on timing. The [`Reaper`] kills
/// and reaps the child if the test ends before it did.
#[track_caller]
pub fn spawn_ready(name: &str) -> Reaper {
    let mut cmd = workbook::process::entry(name);
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child = Reaper(crate::spawn::spawn(cmd).expect("cannot start the chapter's program"));
    let stdout = child.stdout.take().expect("piped stdout");
    let line = watchdog(&format!("{name} to print `ready`"), move || {
        let mut line = String::new();
        io::BufRead::read_line(&mut io::BufReader::new(stdout), &mut line).map(|_| line)
    });
    let line = line.unwrap_or_else(|e| panic!("reading {name}'s stdout: {e}"));
    assert_eq!(line, "ready\n", "{name} must announce itself with `ready`");
    child
}
