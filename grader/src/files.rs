//! Temporary files for tests: they remove themselves — when dropped, when the watchdog
//! gives up on the test body that made them, and, when a test process was killed before
//! either, at the next start of a suite: each directory's name carries the id of the
//! process that made it (`workbook-PID-…`), and a directory whose process is gone is
//! removed by the first [`temp_dir`] of the next.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Once};

/// What every directory made here is called: `workbook-PID-…`.
const PREFIX: &str = "workbook-";

/// Writes `contents` to a file called `name` inside `dir` and returns its path.
pub fn write_file(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    path
}

/// A fresh temporary directory that removes itself when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    static SWEEP: Once = Once::new();
    SWEEP.call_once(|| remove_orphans(&std::env::temp_dir()));
    let dir = tempfile::Builder::new()
        .prefix(&format!("{PREFIX}{}-", std::process::id()))
        .tempdir()
        .expect("cannot create a temporary directory");
    SCOPE.with(|scope| {
        if let Some(scope) = &*scope.borrow() {
            scope.made(dir.path());
        }
    });
    dir
}

/// Removes the directories in `parent` that a process now gone made with [`temp_dir`].
pub fn remove_orphans(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(maker) else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The process id in a name `workbook-PID-…`.
fn maker(name: &str) -> Option<u32> {
    let (pid, _) = name.strip_prefix(PREFIX)?.split_once('-')?;
    pid.parse().ok()
}

thread_local! {
    /// The directories the current watchdog body makes, if this thread runs one.
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

/// The temporary directories one watchdog body makes on its own thread: removed when the
/// watchdog gives up on that body, whose thread then never drops them.
#[derive(Clone, Default)]
pub(crate) struct Scope(Arc<Mutex<Vec<PathBuf>>>);

impl Scope {
    /// Makes this scope the current thread's: its [`temp_dir`]s are recorded here.
    pub(crate) fn enter(&self) {
        SCOPE.with(|scope| *scope.borrow_mut() = Some(self.clone()));
    }

    fn made(&self, dir: &Path) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(dir.to_owned());
    }

    /// Removes every directory made in this scope that is still there.
    pub(crate) fn remove_all(&self) {
        for dir in self.0.lock().unwrap_or_else(|e| e.into_inner()).drain(..) {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_their_maker() {
        assert_eq!(maker("workbook-123-AbC9"), Some(123));
        assert_eq!(maker("workbook-fifo-AbC9"), None);
        assert_eq!(maker("workbook-AbC9"), None);
        assert_eq!(maker("other-123-x"), None);
    }

    #[test]
    fn a_gone_makers_directory_is_removed_a_live_ones_kept() {
        let parent = tempfile::tempdir().unwrap();
        // No process has an id this large (the kernel's limit is 2^22).
        let orphan = parent.path().join("workbook-4294967294-x");
        let ours = parent
            .path()
            .join(format!("workbook-{}-x", std::process::id()));
        let other = parent.path().join("somebody-else");
        for dir in [&orphan, &ours, &other] {
            std::fs::create_dir(dir).unwrap();
        }
        std::fs::write(orphan.join("file"), "left behind").unwrap();
        remove_orphans(parent.path());
        assert!(!orphan.exists(), "the orphan stays");
        assert!(
            ours.exists() && other.exists(),
            "a live process's directory goes"
        );
    }

    #[test]
    fn a_body_the_watchdog_gives_up_on_leaves_no_directory() {
        let (made, heard) = std::sync::mpsc::channel();
        let outcome = std::panic::catch_unwind(|| {
            crate::watchdog_for::<(), _>(
                std::time::Duration::from_secs(2),
                "a body that never ends",
                move || {
                    let dir = temp_dir();
                    made.send(dir.path().to_owned()).unwrap();
                    loop {
                        std::thread::park();
                    }
                },
            )
        });
        assert!(outcome.is_err(), "the watchdog gave up");
        let dir = heard.recv().unwrap();
        assert!(!dir.exists(), "{} is still there", dir.display());
    }
}
