//! A known new parent for orphans (chapter 10's `orphan` and `fork_twice` tests).

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use nix::errno::Errno;

use crate::fifo::open_fifo_writer;

/// Entry `grader::adopter FIFO ENTRY ARGS...`: a deterministic new parent
/// for orphans (chapter 10's `orphan` and `fork_twice` tests).
///
/// 1. Becomes a *child subreaper* (`PR_SET_CHILD_SUBREAPER`): an orphan below it is
///    re-parented to it instead of to pid 1 (or to whichever subreaper the test runner sits
///    under), so the test knows who the new parent must be; prints `adopter=<pid>`.
/// 2. Runs entry point ENTRY with ARGS and waits for it: once that has been reaped, any
///    process it left behind has already been re-parented.
/// 3. Only then opens FIFO for writing and writes `go` (the rendezvous the orphans wait
///    for), giving up if no process is left that could read it.
/// 4. Reaps every adopted process, printing `reaped=<pid>` for each: no zombie is left.
pub fn adopter(args: &[String]) -> io::Result<()> {
    let [fifo, entry, rest @ ..] = args else {
        return Err(io::Error::other("usage: adopter FIFO ENTRY [ARGS...]"));
    };
    nix::sys::prctl::set_child_subreaper(true).map_err(io::Error::from)?;
    println!("adopter={}", std::process::id());
    io::stdout().flush()?;
    let status = workbook::process::entry(entry).args(rest).status()?;
    println!("entry exited: {status}");
    io::stdout().flush()?;
    if let Some(mut writer) = open_writer_while_children(Path::new(fifo))? {
        writer.write_all(b"go\n")?;
    }
    loop {
        match nix::sys::wait::waitpid(None, None) {
            Ok(status) => {
                if let Some(pid) = status.pid() {
                    println!("reaped={pid}");
                }
            }
            Err(Errno::ECHILD) => return Ok(()),
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Opens `fifo` for writing once a reader opened it; `None` when no child is left alive to
/// open it (reaping, and reporting, any that exited meanwhile).
fn open_writer_while_children(fifo: &Path) -> io::Result<Option<File>> {
    use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
    open_fifo_writer(fifo, || loop {
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) => return Ok(true),
            Ok(status) => {
                if let Some(pid) = status.pid() {
                    println!("reaped={pid}");
                }
            }
            Err(Errno::ECHILD) => {
                println!("adopter: no process left to wake");
                return Ok(false);
            }
            Err(e) => return Err(e.into()),
        }
    })
}
