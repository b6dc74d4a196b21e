//! The watchdog: a test body that blocks on a learner's bug fails within seconds, with a
//! message saying what it was waiting for — and, when a thread died of a panic meanwhile
//! (a worker the body was waiting on, say), which one and what it said — instead of
//! hanging `cargo test`.
//!
//! Timeouts here are failure detectors only: a correct solution never waits for one.

use std::sync::{mpsc, Mutex, Once};
use std::thread;
use std::time::Duration;

use crate::files::Scope;

/// How long a grader waits for progress before it calls a test stuck: 5 s, or
/// `WORKBOOK_TIMEOUT_SECS` on a very slow machine. A correct solution never comes close.
pub fn limit() -> Duration {
    std::env::var("WORKBOOK_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or(Duration::from_secs(5))
}

/// How long one loom model check may take (they explore thousands of interleavings).
pub fn loom_limit() -> Duration {
    limit() * 12
}

/// The watchdog's verdict, so the runner can tell a hang from a wrong answer.
pub const STUCK: &str = "no progress after";

/// Runs `body` on its own thread and returns its result; fails the calling test if the body
/// panics (with the body's own message) or makes no progress within [`limit`].
///
/// `what` names the step, as in "`two_files` reading both files".
#[track_caller]
pub fn watchdog<T, F>(what: &str, body: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    watchdog_for(limit(), what, body)
}

/// [`watchdog`] with an explicit limit.
#[track_caller]
pub fn watchdog_for<T, F>(limit: Duration, what: &str, body: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    let panics_before = panics().len();
    let name = thread::current().name().unwrap_or("watchdog").to_owned();
    // The body's temporary directories: a body given up on never drops them.
    let made = Scope::default();
    let scope = made.clone();
    thread::Builder::new()
        .name(name)
        .spawn(move || {
            scope.enter();
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
            let _ = tx.send(result);
        })
        .expect("watchdog: cannot spawn the test body");
    match rx.recv_timeout(limit) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => {
            made.remove_all();
            let meanwhile: Vec<String> = panics()[panics_before..].to_vec();
            if meanwhile.is_empty() {
                panic!("{STUCK} {limit:?}: still waiting for {what}")
            }
            panic!(
                "{STUCK} {limit:?}: still waiting for {what}; meanwhile {} died of a panic, \
                 so what it should have done never happened:\n{}",
                if meanwhile.len() == 1 {
                    "a thread"
                } else {
                    "threads"
                },
                meanwhile.join("\n")
            )
        }
    }
}

/// Polls `ready` until it holds; false if it still does not after [`limit`]. For a
/// condition only the kernel can tell (a thread asleep, a process gone), never as a
/// stand-in for a rendezvous the code under test could offer.
pub fn eventually(mut ready: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + limit();
    while !ready() {
        if std::time::Instant::now() >= deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(1));
    }
    true
}

/// Every panic of this process so far, as `thread 'NAME' panicked at PLACE: MESSAGE`.
/// Recording starts with the first watchdog; the usual report is still printed.
fn panics() -> std::sync::MutexGuard<'static, Vec<String>> {
    static PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let thread = thread::current();
            let name = thread.name().unwrap_or("<unnamed>");
            let message = workbook::panic_message(info.payload());
            let place = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            if let Ok(mut panics) = PANICS.lock() {
                panics.push(format!("  thread '{name}' panicked{place}: {message}"));
            }
            previous(info);
        }));
    });
    PANICS.lock().unwrap_or_else(|e| e.into_inner())
}
