//! What `/proc` says about a process or thread: its state, its parent, the system call
//! it is blocked in, how often it went to sleep.

/// The state letter of process `pid` from `/proc/<pid>/stat` (`R`, `S`, `Z` for a zombie, …),
/// or `None` when no such process exists (it was reaped).
pub fn proc_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may contain spaces: the state follows the last ')'.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().next()?.chars().next()
}

/// The parent pid of process `pid` from `/proc/<pid>/stat`.
pub fn proc_parent(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
}

/// Whether a thread of process `pid` (only those whose name is `thread`, when given) is
/// blocked in one of the system calls `calls` (`/proc/PID/task/TID/syscall`; where that
/// cannot be read, whether the kernel function it sleeps in contains `wchan`). A
/// rendezvous with the kernel: "the parent is waiting for its child now".
pub fn blocked_in(pid: u32, thread: Option<&str>, calls: &[i64], wchan: &str) -> bool {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return false;
    };
    tasks.flatten().any(|task| {
        if let Some(name) = thread {
            let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
            if comm.trim_end() != name {
                return false;
            }
        }
        // `NUMBER ARGS…` while blocked in a system call, `running` otherwise.
        match std::fs::read_to_string(task.path().join("syscall")) {
            Ok(syscall) => syscall
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<i64>().ok())
                .is_some_and(|n| calls.contains(&n)),
            Err(_) => std::fs::read_to_string(task.path().join("wchan"))
                .is_ok_and(|found| found.contains(wchan)),
        }
    })
}

/// The calling thread's id, as the kernel knows it (`/proc/self/task/TID`).
pub fn tid() -> i32 {
    nix::unistd::gettid().as_raw()
}

/// Whether thread `tid` of this process has exited (gone from `/proc`).
pub fn thread_gone(tid: i32) -> bool {
    !std::path::Path::new(&format!("/proc/self/task/{tid}")).exists()
}

/// Whether thread `tid` of this process is asleep (blocked: in a join, say).
pub fn thread_asleep(tid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/self/task/{tid}/stat"))
        .ok()
        .and_then(|stat| {
            let after = stat[stat.rfind(')')? + 1..].to_owned();
            after.split_whitespace().next()?.chars().next()
        })
        == Some('S')
}

/// How often thread `tid` of this process has gone to sleep so far
/// (`voluntary_ctxt_switches`): it went back to waiting when the count grows.
pub fn sleeps_of(tid: i32) -> u64 {
    std::fs::read_to_string(format!("/proc/self/task/{tid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("voluntary_ctxt_switches:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Whether a thread of process `pid` is blocked waiting for a child (`wait4` or
/// `waitid`, in the kernel's `do_wait`).
pub fn waiting_for_a_child(pid: u32) -> bool {
    use nix::libc::{SYS_wait4, SYS_waitid};
    blocked_in(pid, None, &[SYS_wait4, SYS_waitid], "do_wait")
}

/// Whether process `pid` is gone, a zombie, or already exiting (`PF_EXITING` in its
/// `/proc/PID/stat` flags): a process sent SIGKILL is one of these at once, though it
/// may take a moment to be a zombie.
pub fn dying_or_gone(pid: u32) -> bool {
    const PF_EXITING: u64 = 0x4;
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return true;
    };
    let Some(end) = stat.rfind(')') else {
        return true;
    };
    let fields: Vec<&str> = stat[end + 1..].split_whitespace().collect();
    let state = fields.first().copied().unwrap_or("X");
    let flags: u64 = fields.get(6).and_then(|f| f.parse().ok()).unwrap_or(0);
    matches!(state, "Z" | "X") || flags & PF_EXITING != 0
}
