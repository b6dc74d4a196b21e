// `Arc` fixes the owners' count, but shares the `RefCell` inside: two threads
// could `borrow_mut` it at once, and `RefCell` tracks borrows without atomics.
// `RefCell` is not `Sync`, so `Arc<RefCell<_>>` is not `Send`.
// Expected: arc_of_refcell.stderr.

use std::cell::RefCell;
use std::sync::Arc;
use std::thread;

fn main() {
    let total = Arc::new(RefCell::new(0u64));
    let mine = Arc::clone(&total);
    thread::spawn(move || *mine.borrow_mut() += 1);
    *total.borrow_mut() += 1;
}
