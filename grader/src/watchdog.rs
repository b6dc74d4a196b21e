//! The watchdog: a test body that blocks on a learner's bug fails within seconds, with a
//! message saying what it was waiting for, instead of hanging `cargo test`.
//!
//! Timeouts here are failure detectors only: a correct solution never waits for one.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

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
    let name = thread::current().name().unwrap_or("watchdog").to_owned();
    thread::Builder::new()
        .name(name)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
            let _ = tx.send(result);
        })
        .expect("watchdog: cannot spawn the test body");
    match rx.recv_timeout(limit) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!(
            "{STUCK} {limit:?} in {what}: is a lock never released, a thread or child never \
             joined, a condition never notified, or two parties waiting on each other?"
        ),
    }
}
