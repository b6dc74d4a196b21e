// A std `MutexGuard` held across an `.await`, in a future that must be `Send` (as
// everything given to `tokio::spawn` must): the compiler rejects it. The expected
// error is in guard_across_await.stderr.

use std::future::Future;
use std::sync::{Arc, Mutex};

/// The bound `tokio::spawn` puts on its future.
fn spawn<F: Future + Send + 'static>(future: F) -> F {
    future
}

async fn lookup() {}

fn main() {
    let total = Arc::new(Mutex::new(0u64));
    spawn(async move {
        let mut guard = total.lock().unwrap();
        lookup().await;
        *guard += 1;
    });
}
