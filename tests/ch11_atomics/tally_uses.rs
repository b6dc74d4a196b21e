// The rest of the program that
// `send_sync::compile_tally_is_send_and_sync_and_its_clones_share_the_counts`
// compiles: the exercise file is put in above it as `mod send_sync`, under
// `#![forbid(unsafe_code)]`.

use std::thread;

use send_sync::Tally;

/// What the exercise file reaches as `super::sync`.
use workbook::sync;

/// Compiles only for types that may move to and be shared between threads.
fn send_and_sync<T: Send + Sync + 'static>() {}

fn main() {
    send_and_sync::<Tally>();
    let tally = Tally::new();
    let clone = tally.clone();
    thread::spawn(move || {
        clone.add("pear");
        clone.add("pear");
        clone.add("apple");
    })
    .join()
    .expect("the thread that counts through a clone panicked");
    assert_eq!(
        (tally.get("pear"), tally.get("apple"), tally.get("plum")),
        (2, 1, 0),
        "three words counted through a clone on another thread: the original must \
         see them (a clone shares the counts)"
    );
    tally.add("plum");
    let totals = tally.totals();
    assert_eq!(totals.len(), 3, "totals: {totals:?}");
}
