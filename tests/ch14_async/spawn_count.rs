// The rest of the program `blocking::compile_spawn_takes_count_and_rejects_a_std_guard_across_await`
// compiles: the exercise file is put in above it as `mod blocking`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What the exercise file reaches as `super::sync`.
use workbook::sync;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("cannot build a tokio runtime");
    let counts = Arc::new(Mutex::new(HashMap::new()));
    runtime.block_on(async {
        // `tokio::spawn` may move a task to another worker thread at any `.await`:
        // it takes only `Send` futures.
        let tasks: Vec<_> = ["Apple", "apple ", "pear", "APPLE"]
            .into_iter()
            .map(|word| tokio::spawn(blocking::count(Arc::clone(&counts), word.into())))
            .collect();
        for task in tasks {
            task.await.expect("a count task failed");
        }
    });
    let counts = counts.lock().unwrap();
    assert_eq!(counts.get("apple"), Some(&3), "counts: {counts:?}");
    assert_eq!(counts.get("pear"), Some(&1), "counts: {counts:?}");
}
