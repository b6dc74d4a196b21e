// A `Mutex` makes its contents `Sync` only if they may be moved between threads
// (`Mutex<T>: Sync` needs `T: Send`): whoever locks it gets `&mut T`, and could
// `clone` the `Rc` inside on any thread. Expected: mutex_of_rc.stderr.

use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let shared = Arc::new(Mutex::new(Rc::new(0u64)));
    let mine = Arc::clone(&shared);
    thread::spawn(move || {
        let rc = Rc::clone(&mine.lock().unwrap());
        println!("{rc}");
    });
}
