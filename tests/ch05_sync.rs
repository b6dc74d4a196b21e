//! Chapter 5 — synchronization primitives. `cargo test --test ch05_sync [EXERCISE]`.
//!
//! Each module is one exercise; `loom_*` tests model-check the exercise file itself.

use std::sync::Arc;
use std::thread;

use grader::program;
use grader::Group;

use grader::loom_check;

grader::chapter!(ch05_sync);

/// Joins every handle, failing with `what` if a thread panicked.
fn join_all<T>(handles: Vec<thread::JoinHandle<T>>, what: &str) -> Vec<T> {
    handles
        .into_iter()
        .map(|h| h.join().unwrap_or_else(|_| panic!("{what} panicked")))
        .collect()
}

mod event {
    use super::*;
    use crate::ch05_sync::event::Event;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn is_set_follows_set_and_clear() {
        let event = Event::new();
        assert!(!event.is_set(), "a new event is not set");
        event.set();
        assert!(event.is_set(), "set() sets it");
        event.set();
        assert!(event.is_set(), "setting twice is harmless");
        event.clear();
        assert!(!event.is_set(), "clear() clears it");
    }

    /// A waiter that comes after `set` must not sleep: the flag says it may go.
    #[test]
    fn wait_after_set_returns_at_once() {
        grader::watchdog(
            "Event::wait after set (does wait look at the flag?)",
            || {
                let event = Event::new();
                assert!(!event.is_set());
                event.set();
                event.wait();
                event.wait();
            },
        );
    }

    #[test]
    fn wait_timeout_reports_whether_the_event_was_set() {
        grader::watchdog("Event::wait_timeout", || {
            let event = Event::new();
            assert!(
                !event.wait_timeout(Duration::from_millis(1)),
                "not set: wait_timeout must return false after the timeout"
            );
            event.set();
            assert!(event.wait_timeout(grader::limit()), "set: true at once");
            event.clear();
            assert!(
                !event.wait_timeout(Duration::from_millis(1)),
                "cleared again"
            );
        });
    }

    /// Three waiters, one `set`: every one of them must go on.
    #[test]
    fn set_wakes_every_waiter() {
        let event = Arc::new(Event::new());
        assert!(!event.is_set());
        let (done_tx, done_rx) = mpsc::channel();
        let waiters: Vec<_> = (0..3)
            .map(|i| {
                let (event, done) = (Arc::clone(&event), done_tx.clone());
                thread::spawn(move || {
                    event.wait();
                    let _ = done.send(i);
                })
            })
            .collect();
        event.set();
        let woken = grader::watchdog("three waiters after one set", move || {
            let mut woken: Vec<i32> = (0..3).map(|_| done_rx.recv().unwrap()).collect();
            woken.sort_unstable();
            woken
        });
        assert_eq!(woken, [0, 1, 2], "every waiter goes on");
        join_all(waiters, "a waiter");
    }

    /// Loom: a waiter and a setter in every order. If `set` comes first, the waiter must
    /// not sleep at all; and `wait` returns only once the event is set, whatever wakes it
    /// (the facade's condition variable also wakes waiters spuriously, as std allows).
    #[test]
    fn loom_waiter_after_set_does_not_block() {
        loom_check("Event wait/set in either order", || {
            use crate::model::event::Event;
            use crate::model::sync::atomic::{AtomicBool, Ordering};
            use crate::model::sync::{thread, Arc};
            let event = Arc::new(Event::new());
            let setting = Arc::new(AtomicBool::new(false));
            let waiter = {
                let (event, setting) = (event.clone(), setting.clone());
                thread::spawn(move || {
                    event.wait();
                    assert!(
                        setting.load(Ordering::SeqCst),
                        "wait returned before anyone set the event: after a wake-up, check \
                         the flag again"
                    );
                })
            };
            setting.store(true, Ordering::SeqCst);
            event.set();
            waiter.join().unwrap();
        });
    }

    /// Loom: two waiters, one `set`: both must wake.
    #[test]
    fn loom_set_wakes_both_waiters() {
        loom_check("Event set with two waiters", || {
            use crate::model::event::Event;
            use crate::model::sync::atomic::{AtomicBool, Ordering};
            use crate::model::sync::{thread, Arc};
            let event = Arc::new(Event::new());
            let setting = Arc::new(AtomicBool::new(false));
            let waiters: Vec<_> = (0..2)
                .map(|_| {
                    let (event, setting) = (event.clone(), setting.clone());
                    thread::spawn(move || {
                        event.wait();
                        assert!(setting.load(Ordering::SeqCst), "wait returned before set");
                    })
                })
                .collect();
            setting.store(true, Ordering::SeqCst);
            event.set();
            for waiter in waiters {
                waiter.join().unwrap();
            }
        });
    }
}

mod semaphore {
    use super::*;
    use crate::ch05_sync::semaphore::Semaphore;
    use grader::PeakCounter;
    use std::sync::{mpsc, Barrier};

    #[test]
    fn try_acquire_takes_only_what_is_there_and_a_dropped_permit_comes_back() {
        let sem = Semaphore::new(2);
        assert_eq!(sem.available(), 2);
        let a = sem.try_acquire().expect("first of two permits");
        let b = sem.try_acquire().expect("second of two permits");
        assert!(sem.try_acquire().is_none(), "no third permit");
        assert_eq!(sem.available(), 0);
        drop(a);
        assert_eq!(sem.available(), 1, "dropping a permit releases it");
        let c = sem.try_acquire().expect("the released permit");
        drop((b, c));
        assert_eq!(sem.available(), 2);
    }

    /// Six threads, two permits. Inside, each thread meets a partner at a two-party barrier,
    /// which proves two *can* be inside together (it is not a mutex); the peak counter
    /// proves never more than two were.
    #[test]
    fn at_most_n_inside_at_once_and_n_do_get_in_together() {
        let sem = Arc::new(Semaphore::new(2));
        assert_eq!(sem.available(), 2);
        let peak = grader::watchdog("six threads through a Semaphore(2)", {
            let sem = Arc::clone(&sem);
            move || {
                let peak = Arc::new(PeakCounter::new());
                let pair = Arc::new(Barrier::new(2));
                let threads: Vec<_> = (0..6)
                    .map(|_| {
                        let (sem, peak, pair) = (sem.clone(), peak.clone(), pair.clone());
                        thread::spawn(move || {
                            let _permit = sem.acquire();
                            let _inside = peak.enter();
                            pair.wait();
                        })
                    })
                    .collect();
                join_all(threads, "a thread holding a permit");
                peak.peak()
            }
        });
        assert_eq!(peak, 2, "a Semaphore(2) let {peak} threads in at once");
        assert_eq!(sem.available(), 2, "every permit came back");
    }

    /// A waiter on an empty semaphore goes on when somebody calls `release`.
    #[test]
    fn release_wakes_a_waiter() {
        let sem = Arc::new(Semaphore::new(0));
        assert_eq!(sem.available(), 0);
        let (got_tx, got_rx) = mpsc::channel();
        let waiter = {
            let sem = Arc::clone(&sem);
            thread::spawn(move || {
                let permit = sem.acquire();
                got_tx.send(()).unwrap();
                drop(permit);
            })
        };
        sem.release();
        grader::watchdog("a waiter after release", move || got_rx.recv().unwrap());
        join_all(vec![waiter], "the waiter");
        assert_eq!(
            sem.available(),
            1,
            "the waiter's permit came back when dropped"
        );
    }

    #[test]
    fn a_permit_comes_back_even_when_its_holder_panics() {
        let sem = Semaphore::new(1);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _permit = sem.acquire();
            panic!("the holder fails");
        }));
        assert!(result.is_err());
        assert_eq!(
            sem.available(),
            1,
            "the permit must be released by its Drop"
        );
    }

    /// Loom: one permit, held by the main thread while two others queue for it; when it is
    /// released, exactly one at a time may be inside.
    #[test]
    fn loom_two_waiters_one_permit() {
        loom_check("Semaphore(1) with two waiters", || {
            use crate::model::semaphore::Semaphore;
            use crate::model::sync::atomic::{AtomicUsize, Ordering};
            use crate::model::sync::{thread, Arc};
            let sem = Arc::new(Semaphore::new(1));
            let inside = Arc::new(AtomicUsize::new(0));
            let held = sem.acquire();
            let waiters: Vec<_> = (0..2)
                .map(|_| {
                    let (sem, inside) = (sem.clone(), inside.clone());
                    thread::spawn(move || {
                        let _permit = sem.acquire();
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        assert_eq!(now, 1, "two threads inside a Semaphore(1)");
                        inside.fetch_sub(1, Ordering::SeqCst);
                    })
                })
                .collect();
            drop(held);
            for waiter in waiters {
                waiter.join().unwrap();
            }
        });
    }
}

mod barrier {
    use super::*;
    use crate::ch05_sync::barrier::Barrier;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const PARTIES: usize = 3;
    const ROUNDS: usize = 5;

    #[test]
    fn one_round_lets_everyone_through_and_names_one_leader() {
        let leaders = grader::watchdog("one round of a Barrier(3)", || {
            let barrier = Arc::new(Barrier::new(PARTIES));
            let threads: Vec<_> = (0..PARTIES)
                .map(|_| {
                    let barrier = barrier.clone();
                    thread::spawn(move || barrier.wait())
                })
                .collect();
            join_all(threads, "a party")
        });
        assert_eq!(
            leaders.iter().filter(|&&leader| leader).count(),
            1,
            "exactly one party is the leader: {leaders:?}"
        );
    }

    /// Several rounds; every party counts its arrival at round k, and after passing the
    /// barrier checks that all had arrived at round k.
    #[test]
    fn several_rounds_and_nobody_passes_a_round_early() {
        let leaders = grader::watchdog("five rounds of a Barrier(3)", || {
            let barrier = Arc::new(Barrier::new(PARTIES));
            let arrived: Arc<Vec<AtomicUsize>> =
                Arc::new((0..ROUNDS).map(|_| AtomicUsize::new(0)).collect());
            let threads: Vec<_> = (0..PARTIES)
                .map(|_| {
                    let (barrier, arrived) = (barrier.clone(), arrived.clone());
                    thread::spawn(move || {
                        let mut leader_rounds = Vec::new();
                        for (round, count) in arrived.iter().enumerate() {
                            count.fetch_add(1, Ordering::SeqCst);
                            if barrier.wait() {
                                leader_rounds.push(round);
                            }
                            let here = count.load(Ordering::SeqCst);
                            assert_eq!(
                                here, PARTIES,
                                "passed round {round} when only {here} had arrived"
                            );
                        }
                        leader_rounds
                    })
                })
                .collect();
            join_all(threads, "a party")
        });
        let mut rounds: Vec<usize> = leaders.into_iter().flatten().collect();
        rounds.sort_unstable();
        assert_eq!(
            rounds,
            (0..ROUNDS).collect::<Vec<_>>(),
            "one leader per round"
        );
    }

    /// Loom: two parties, two rounds. The barrier must be reusable in every interleaving,
    /// including the one where a party is back for round 2 before the other has woken up
    /// from round 1.
    #[test]
    fn loom_two_parties_two_rounds() {
        loom_check("Barrier(2) over two rounds", || {
            use crate::model::barrier::Barrier;
            use crate::model::sync::atomic::{AtomicUsize, Ordering};
            use crate::model::sync::{thread, Arc};
            let barrier = Arc::new(Barrier::new(2));
            let arrived = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
            let party = {
                let (barrier, arrived) = (barrier.clone(), arrived.clone());
                move || {
                    let mut leads = 0;
                    for count in arrived.iter() {
                        count.fetch_add(1, Ordering::SeqCst);
                        leads += usize::from(barrier.wait());
                        assert_eq!(count.load(Ordering::SeqCst), 2, "passed a round early");
                    }
                    leads
                }
            };
            let other = thread::spawn(party.clone());
            let leads = party() + other.join().unwrap();
            assert_eq!(leads, 2, "one leader per round");
        });
    }
}

mod condition {
    use super::*;
    use crate::ch05_sync::condition::{wait_until, Buffer};
    use std::sync::{mpsc, Mutex};
    use std::time::Duration;
    use workbook::sync::Condvar;

    #[test]
    fn try_take_is_none_on_empty_and_fifo_after_puts() {
        let buffer = Buffer::new();
        assert_eq!(buffer.try_take(), None);
        for i in 0..3 {
            buffer.put(i);
        }
        let taken: Vec<_> = (0..3).map(|_| buffer.try_take()).collect();
        assert_eq!(taken, [Some(0), Some(1), Some(2)], "first in, first out");
        assert_eq!(buffer.try_take(), None);
    }

    #[test]
    fn take_timeout_gives_up_on_empty_and_takes_what_is_there() {
        grader::watchdog("Buffer::take_timeout", || {
            let buffer = Buffer::new();
            assert_eq!(buffer.take_timeout(Duration::from_millis(1)), None);
            buffer.put("x");
            assert_eq!(buffer.take_timeout(grader::limit()), Some("x"));
        });
    }

    /// What the waiter in the next test reports to the test thread.
    #[derive(Debug, PartialEq)]
    enum Seen {
        /// The predicate was evaluated with this counter value.
        Checked(u32),
        /// `wait_until` returned with this counter value.
        Returned(u32),
    }

    /// `wait_until` must re-check its predicate after every wake-up. The waiter's predicate
    /// reports every evaluation, so the test knows exactly when to move on: it wakes the
    /// waiter while the predicate is still false (counter 1 of 3), and a waiter that returns
    /// then, instead of checking again, is caught every time.
    #[test]
    fn wait_until_rechecks_the_predicate_after_every_wake_up() {
        let shared = Arc::new((Mutex::new(0u32), Condvar::new()));
        let (seen_tx, seen_rx) = mpsc::channel();
        let waiter = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || {
                let (counter, condvar) = &*shared;
                let guard = counter.lock().unwrap();
                let checks = seen_tx.clone();
                let guard = wait_until(condvar, guard, move |n: &u32| {
                    let _ = checks.send(Seen::Checked(*n));
                    *n >= 3
                });
                let _ = seen_tx.send(Seen::Returned(*guard));
            })
        };
        let next = move || {
            seen_rx
                .recv_timeout(grader::limit())
                .expect("the waiter stopped reporting (stuck, or it panicked)")
        };
        // The first check happens under the lock, before the waiter sleeps: once the test
        // holds the lock after it, the waiter is asleep in `wait`.
        assert_eq!(next(), Seen::Checked(0));
        let bump = |to: u32| {
            *shared.0.lock().unwrap() = to;
            shared.1.notify_all();
        };
        bump(1);
        loop {
            match next() {
                Seen::Checked(1) => break,
                Seen::Checked(_) => continue, // a spurious wake-up: checked again, fine
                Seen::Returned(n) => panic!(
                    "wait_until returned with the counter at {n}, while its predicate \
                     (counter >= 3) was false: check the predicate again after every wake-up"
                ),
            }
        }
        bump(3);
        loop {
            match next() {
                Seen::Returned(n) => {
                    assert_eq!(n, 3);
                    break;
                }
                Seen::Checked(_) => continue,
            }
        }
        join_all(vec![waiter], "the waiter");
    }

    /// Two producers, two consumers, every item handed over exactly once.
    #[test]
    fn producers_and_consumers_hand_over_every_item_once() {
        let buffer = Arc::new(Buffer::new());
        let taken = grader::watchdog("two producers and two consumers", {
            let buffer = Arc::clone(&buffer);
            move || {
                let consumers: Vec<_> = (0..2)
                    .map(|_| {
                        let buffer = buffer.clone();
                        thread::spawn(move || (0..100).map(|_| buffer.take()).collect::<Vec<_>>())
                    })
                    .collect();
                let producers: Vec<_> = (0..2)
                    .map(|p| {
                        let buffer = buffer.clone();
                        thread::spawn(move || (0..100).for_each(|i| buffer.put(p * 100 + i)))
                    })
                    .collect();
                join_all(producers, "a producer");
                join_all(consumers, "a consumer")
            }
        });
        let mut all: Vec<u32> = taken.into_iter().flatten().collect();
        all.sort_unstable();
        assert_eq!(all, (0..200).collect::<Vec<_>>(), "every item exactly once");
        assert_eq!(buffer.try_take(), None, "nothing left over");
    }

    /// Loom: two consumers asleep, one `put`: only one of them may find the item; the
    /// other must go back to sleep until the second `put`.
    #[test]
    fn loom_two_consumers_one_item_at_a_time() {
        loom_check("Buffer take with two consumers", || {
            use crate::model::condition::Buffer;
            use crate::model::sync::{thread, Arc};
            let buffer = Arc::new(Buffer::new());
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let buffer = buffer.clone();
                    thread::spawn(move || buffer.take())
                })
                .collect();
            buffer.put(1);
            buffer.put(2);
            let mut got: Vec<i32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
            got.sort_unstable();
            assert_eq!(got, [1, 2]);
        });
    }
}

mod print_lock {
    use super::*;
    use crate::ch05_sync::print_lock::{PrintLock, MAIN};
    use std::fs::File;
    use std::os::unix::fs::MetadataExt;
    use std::time::Duration;

    /// How many processes are blocked waiting for a `flock` on the file with this inode,
    /// from the kernel's own list (`->` marks a waiter).
    fn blocked_on(inode: u64) -> usize {
        let locks = std::fs::read_to_string("/proc/locks").expect("reading /proc/locks");
        let suffix = format!(":{inode} ");
        locks
            .lines()
            .filter(|line| line.contains("-> FLOCK") && line.contains(&suffix))
            .count()
    }

    fn assert_whole_lines(stdout: &str, count: usize) {
        let mut lines: Vec<&str> = stdout.lines().collect();
        lines.sort_unstable();
        let mut expected: Vec<String> = (0..count).map(|n| format!("Hello Num: {n}")).collect();
        expected.sort_unstable();
        assert_eq!(
            lines, expected,
            "every worker prints its own line, whole (pieces of lines mean the lock did not hold)"
        );
    }

    #[test]
    fn try_lock_fails_while_another_holder_has_the_lock() {
        let dir = grader::temp_dir();
        let path = dir.path().join("print.lock");
        let first = PrintLock::open(&path).expect("open the lock file");
        let second = PrintLock::open(&path).expect("open the lock file again");
        let guard = first.lock().expect("lock an unheld lock");
        assert!(
            second.try_lock().expect("try_lock").is_none(),
            "try_lock must fail while the lock is held"
        );
        drop(guard);
        let again = second.try_lock().expect("try_lock");
        assert!(
            again.is_some(),
            "after the guard is dropped, the lock is free"
        );
        assert!(first.try_lock().expect("try_lock").is_none());
    }

    /// The test takes the lock file itself (with `flock`), then starts three workers. The
    /// kernel's list of waiters (`/proc/locks`) must show all three blocked on the lock
    /// before the test lets go; a worker that printed without the lock would have finished
    /// instead.
    #[test]
    fn workers_wait_for_a_lock_held_by_another_process() {
        use nix::fcntl::{Flock, FlockArg};
        const WORKERS: usize = 3;
        let dir = grader::temp_dir();
        let path = dir.path().join("print.lock");
        let file = File::create(&path).unwrap();
        let inode = file.metadata().unwrap().ino();
        let held = Flock::lock(file, FlockArg::LockExclusive).expect("the test takes the lock");
        let mut group = Group::spawn(&mut program(
            MAIN,
            &[path.to_str().unwrap(), &WORKERS.to_string()],
        ))
        .expect("cannot start the workbook");
        let deadline = std::time::Instant::now() + grader::limit();
        while blocked_on(inode) < WORKERS {
            if !group.running() || std::time::Instant::now() > deadline {
                drop(held);
                let output = group.output("print_lock");
                panic!(
                    "the workers did not wait for the lock the test held (only {} were \
                     blocked on it); their output:\n{}{}",
                    blocked_on(inode),
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            // A poll interval, not a proof: the proof is the kernel's list of waiters.
            thread::sleep(Duration::from_millis(2));
        }
        drop(held);
        let output = group.output("print_lock after the test let go of the lock");
        assert!(
            output.status.success(),
            "print_lock failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_whole_lines(&String::from_utf8_lossy(&output.stdout), WORKERS);
    }

    /// The seed's program: twenty processes, each one line.
    #[test]
    fn the_seeds_twenty_workers_each_print_one_whole_line() {
        let dir = grader::temp_dir();
        let path = dir.path().join("print.lock");
        let output = Group::spawn(&mut program(MAIN, &[path.to_str().unwrap(), "20"]))
            .expect("cannot start the workbook")
            .output("print_lock with 20 workers");
        assert!(
            output.status.success(),
            "print_lock failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_whole_lines(&String::from_utf8_lossy(&output.stdout), 20);
    }
}
