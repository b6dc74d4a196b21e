// An `Rc` moved to another thread: its owners' count is a plain integer, so two
// threads cloning and dropping at once would lose counts. `Rc` is not `Send`, and
// `thread::spawn` takes only closures that are. Expected: rc_to_a_thread.stderr.

use std::rc::Rc;
use std::thread;

fn main() {
    let words = Rc::new(vec!["pear"]);
    let mine = Rc::clone(&words);
    thread::spawn(move || println!("{}", mine.len()));
    println!("{}", words.len());
}
