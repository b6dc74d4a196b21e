//! Chapter 5 — synchronization primitives. `cargo test --test ch05_sync [EXERCISE]`.
//!
//! Each module is one exercise; `loom_*` tests model-check the exercise file itself.

use std::sync::Arc;
use std::thread;

use grader::program;
use grader::Group;
use grader::{asleep_or_finished, spawn_watched};

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
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    /// An hour: a timeout no test ever reaches.
    const AN_HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn is_set_follows_set_and_clear() {
        grader::watchdog("Event::set, is_set and clear on one thread", || {
            let event = Event::new();
            assert!(!event.is_set(), "a new event is not set");
            event.set();
            assert!(event.is_set(), "set() sets it");
            event.set();
            assert!(event.is_set(), "setting twice is harmless");
            event.clear();
            assert!(!event.is_set(), "clear() clears it");
        });
    }

    /// A waiter that comes after `set` must not sleep: the flag says it may go. (Twice on
    /// one thread: the tests' `Condvar` wakes every other wait without a notification, so
    /// a `wait` that sleeps before looking at the flag is caught by the second call.)
    #[test]
    fn wait_after_set_returns_at_once() {
        grader::watchdog(
            "Event::wait on an event that is already set (does wait look at the flag \
             before it sleeps?)",
            || {
                let event = Event::new();
                event.set();
                event.wait();
                event.wait();
                assert!(event.is_set(), "wait does not clear the flag");
            },
        );
    }

    /// Not set: `false`, and only once the timeout has passed. Set: `true` at once. Four
    /// calls, with every wait of the thread waking at once (`grader::spurious::every_wait`):
    /// one early return fails the test, so a wait that gives up at its first wake-up cannot
    /// pass by being slow on a busy machine.
    #[test]
    fn wait_timeout_reports_whether_the_event_was_set() {
        grader::watchdog("Event::wait_timeout on one thread", || {
            let event = Event::new();
            let spurious = grader::spurious::every_wait();
            for round in 0..4 {
                let timeout = Duration::from_millis(25);
                let start = Instant::now();
                assert!(
                    !event.wait_timeout(timeout),
                    "nobody set the event: wait_timeout must return false"
                );
                let waited = start.elapsed();
                assert!(
                    waited >= timeout,
                    "wait_timeout({timeout:?}) gave up after {waited:?}, before its time \
                     was up (call {} on this thread): a wake-up is no reason to give up; \
                     wait again for what is left of the time",
                    round + 1
                );
            }
            drop(spurious);
            event.set();
            assert!(event.wait_timeout(AN_HOUR), "set: true, at once");
            event.clear();
            assert!(
                !event.wait_timeout(Duration::from_millis(1)),
                "cleared again: false"
            );
        });
    }

    /// Under `grader::spurious::every_wait`, every wait of the waiting thread returns at
    /// once without a notification: `wait_timeout` is woken again and again and never finds
    /// the flag set. It must still give up by its one deadline, and not before it. One that
    /// starts its clock again after every wake-up never gives up, and the watchdog says so.
    #[test]
    fn wait_timeout_keeps_one_deadline_however_often_it_is_woken() {
        const TIMEOUT: Duration = Duration::from_millis(25);
        let calls = grader::watchdog(
            "Event::wait_timeout(25 ms) to give up while every wait of it wakes at once \
             without the flag set (does it start its clock again after every wake-up? Fix \
             the deadline once, before the first wait, and wait for what is left of it)",
            || {
                let event = Event::new();
                let _spurious = grader::spurious::every_wait();
                (0..3)
                    .map(|_| {
                        let start = Instant::now();
                        (event.wait_timeout(TIMEOUT), start.elapsed())
                    })
                    .collect::<Vec<_>>()
            },
        );
        for (set, waited) in calls {
            assert!(!set, "nobody set the event: wait_timeout must return false");
            assert!(
                waited >= TIMEOUT,
                "wait_timeout({TIMEOUT:?}) gave up after {waited:?}, before its time was \
                 up: a wake-up that finds the flag unset is no reason to give up"
            );
        }
    }

    /// Three waiters on an unset event must fall asleep in `wait` (the test watches
    /// `/proc`) and none may return; then one `set` must let every one of them go on. A
    /// `wait` that sleeps under `if` returns after the facade's first (spurious) wake-up;
    /// a `set` that wakes one waiter leaves two asleep.
    #[test]
    fn waiters_sleep_until_set_and_set_wakes_every_one() {
        const WAITERS: usize = 3;
        let event = Arc::new(Event::new());
        let woken = Arc::new(AtomicUsize::new(0));
        let (waiters, tids) = spawn_watched(WAITERS, {
            let (event, woken) = (Arc::clone(&event), Arc::clone(&woken));
            move |_| {
                event.wait();
                woken.fetch_add(1, Ordering::SeqCst);
            }
        });
        let what = "three waiters on an unset event to fall asleep in wait, then every one \
                    of them to go on after one set (does set wake every waiter?)";
        grader::watchdog(what, {
            let event = Arc::clone(&event);
            move || {
                for (waiter, &tid) in waiters.iter().zip(&tids) {
                    asleep_or_finished(tid, waiter);
                }
                let early = woken.load(Ordering::SeqCst);
                assert_eq!(
                    early, 0,
                    "{early} of {WAITERS} waiters returned from wait although nobody had \
                     set the event: a wake-up does not mean the flag is set; look at it \
                     again after every wake-up"
                );
                event.set();
                join_all(waiters, "a waiter");
            }
        });
        assert!(event.is_set(), "wait does not clear the flag");
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
                        "wait returned before anyone set the event: a wake-up is not \
                         proof; look at the flag again after every wake-up"
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
                        assert!(
                            setting.load(Ordering::SeqCst),
                            "wait returned before anyone set the event"
                        );
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

    /// Loom: a waiter in `wait_timeout` with all the time in the world, and a setter. In
    /// every order it must return `true` (time does not pass in a model, so it can only
    /// give up early by mistake).
    #[test]
    fn loom_wait_timeout_sees_a_set_within_its_time() {
        loom_check("Event::wait_timeout with a set in its time", || {
            use crate::model::event::Event;
            use crate::model::sync::{thread, Arc};
            let event = Arc::new(Event::new());
            let waiter = {
                let event = event.clone();
                thread::spawn(move || event.wait_timeout(AN_HOUR))
            };
            event.set();
            assert!(
                waiter.join().unwrap(),
                "wait_timeout(an hour) returned false although the event was set within \
                 its time: wait until the flag is set or the deadline has passed, \
                 whatever wakes it in between"
            );
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
        grader::watchdog(
            "Semaphore::try_acquire on one thread (does it wait when no permit is free? \
             It must return None at once)",
            || {
                let sem = Semaphore::new(2);
                assert_eq!(sem.available(), 2, "a new Semaphore(2) has 2 free permits");
                let a = sem.try_acquire().expect("first of two permits");
                let b = sem.try_acquire().expect("second of two permits");
                assert!(sem.try_acquire().is_none(), "no third permit");
                assert_eq!(sem.available(), 0);
                drop(a);
                assert_eq!(sem.available(), 1, "dropping a permit releases it");
                let c = sem.try_acquire().expect("the released permit");
                drop((b, c));
                assert_eq!(sem.available(), 2);
            },
        );
    }

    /// A `Semaphore(2)` whose two permits the test holds; four threads race into
    /// `acquire`. Each must fall asleep there (the test watches `/proc`) with nobody
    /// inside. Then the test gives its permits back: inside, each thread meets a partner at
    /// a two-party barrier, which proves that two *do* get in together, and the peak
    /// counter proves that never more than two were inside at once.
    #[test]
    fn at_most_n_inside_while_threads_race_and_n_do_get_in_together() {
        const THREADS: usize = 4;
        let what = "four threads at a Semaphore(2) whose permits the test holds to fall \
                    asleep in acquire, then to get through in pairs once the permits are \
                    back (do two get in at once? does every release wake a waiter?)";
        let (peak, sem) = grader::watchdog(what, || {
            let sem = Arc::new(Semaphore::new(2));
            let held = (sem.acquire(), sem.acquire());
            let peak = Arc::new(PeakCounter::new());
            let pair = Arc::new(Barrier::new(2));
            let (threads, tids) = spawn_watched(THREADS, {
                let (sem, peak, pair) = (sem.clone(), peak.clone(), pair.clone());
                move |_| {
                    let _permit = sem.acquire();
                    let _inside = peak.enter();
                    pair.wait();
                }
            });
            for (thread, &tid) in threads.iter().zip(&tids) {
                asleep_or_finished(tid, thread);
            }
            let got_in = peak.peak();
            let returned = threads.iter().filter(|t| t.is_finished()).count();
            assert!(
                got_in == 0 && returned == 0,
                "with both permits of a Semaphore(2) held, {got_in} thread(s) got past \
                 acquire anyway ({returned} returned or panicked): a wake-up does not mean \
                 a permit is free; look at the count again after every wake-up"
            );
            drop(held);
            join_all(threads, "a thread holding a permit");
            (peak.peak(), sem)
        });
        assert_eq!(peak, 2, "a Semaphore(2) let {peak} threads in at once");
        assert_eq!(sem.available(), 2, "every permit came back");
    }

    /// A waiter on an empty semaphore goes on when somebody calls `release`.
    #[test]
    fn release_wakes_a_waiter() {
        let sem = Arc::new(Semaphore::new(0));
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
        grader::watchdog(
            "a thread in acquire on a Semaphore(0) to go on after one release",
            move || got_rx.recv().expect("the waiter died"),
        );
        join_all(vec![waiter], "the waiter");
        assert_eq!(
            sem.available(),
            1,
            "the waiter's permit came back when dropped"
        );
    }

    #[test]
    fn a_permit_comes_back_even_when_its_holder_panics() {
        let sem = Arc::new(Semaphore::new(1));
        let result = grader::watchdog("acquire on a Semaphore(1) with a free permit", {
            let sem = Arc::clone(&sem);
            move || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let _permit = sem.acquire();
                    panic!("the holder fails");
                }))
                .is_err()
            }
        });
        assert!(result);
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
                        assert_eq!(
                            now, 1,
                            "two threads inside a Semaphore(1): take a permit only when \
                             you see one free, under the same lock"
                        );
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

    /// Loom: two threads race in `try_acquire` for one permit; at most one may hold it at
    /// a time, and the count comes back to 1.
    #[test]
    fn loom_two_try_acquire_one_permit() {
        loom_check("Semaphore(1) with two threads in try_acquire", || {
            use crate::model::semaphore::Semaphore;
            use crate::model::sync::atomic::{AtomicUsize, Ordering};
            use crate::model::sync::{thread, Arc};
            let sem = Arc::new(Semaphore::new(1));
            let inside = Arc::new(AtomicUsize::new(0));
            let racers: Vec<_> = (0..2)
                .map(|_| {
                    let (sem, inside) = (sem.clone(), inside.clone());
                    thread::spawn(move || {
                        if let Some(_permit) = sem.try_acquire() {
                            let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                            assert_eq!(
                                now, 1,
                                "two threads got the one permit from try_acquire: check \
                                 and take under one lock"
                            );
                            inside.fetch_sub(1, Ordering::SeqCst);
                        }
                    })
                })
                .collect();
            for racer in racers {
                racer.join().unwrap();
            }
            assert_eq!(sem.available(), 1, "the permit came back");
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
        let leaders = grader::watchdog(
            "three threads to get through one round of a Barrier(3) (does the last \
             arrival wake the others, and can they tell that the round is over?)",
            || {
                let barrier = Arc::new(Barrier::new(PARTIES));
                let threads: Vec<_> = (0..PARTIES)
                    .map(|_| {
                        let barrier = barrier.clone();
                        thread::spawn(move || barrier.wait())
                    })
                    .collect();
                join_all(threads, "a party")
            },
        );
        assert_eq!(
            leaders.iter().filter(|&&leader| leader).count(),
            1,
            "exactly one party is the leader: {leaders:?}"
        );
    }

    /// Two parties of a `Barrier(3)` arrive and must fall asleep in `wait` (the test
    /// watches `/proc`) without passing; the test is the third to arrive, and then all
    /// three go on. A wait under `if` returns after the facade's first (spurious) wake-up.
    #[test]
    fn early_arrivals_sleep_until_the_last_one_comes() {
        let what = "two parties of a Barrier(3) to fall asleep in wait, then all three to \
                    go on once the third arrives";
        let leaders = grader::watchdog(what, || {
            let barrier = Arc::new(Barrier::new(PARTIES));
            let (early, tids) = spawn_watched(PARTIES - 1, {
                let barrier = barrier.clone();
                move |_| barrier.wait()
            });
            for (party, &tid) in early.iter().zip(&tids) {
                asleep_or_finished(tid, party);
            }
            let passed = early.iter().filter(|t| t.is_finished()).count();
            assert_eq!(
                passed, 0,
                "{passed} of the two parties passed a Barrier(3) before the third had \
                 arrived: a wake-up alone does not mean the round is over"
            );
            let mut leaders = vec![barrier.wait()];
            leaders.extend(join_all(early, "a party"));
            leaders
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
        let leaders = grader::watchdog(
            "three threads to get through five rounds of a Barrier(3) (is the count \
             reset for the next round, and do the waiters still see that theirs ended?)",
            || {
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
            },
        );
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
    /// from round 1; and nobody may pass a round before both have arrived.
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
                        assert_eq!(
                            count.load(Ordering::SeqCst),
                            2,
                            "a party passed a round before the other had arrived: a \
                             wake-up alone does not mean the round is over"
                        );
                    }
                    leads
                }
            };
            let other = thread::spawn(party.clone());
            let leads = party() + other.join().unwrap();
            assert_eq!(leads, 2, "one leader per round");
        });
    }

    /// Loom: three parties, one round. When the last one arrives, *both* others may be
    /// asleep: both must go on.
    #[test]
    fn loom_three_parties_all_go_on() {
        loom_check("Barrier(3), one round", || {
            use crate::model::barrier::Barrier;
            use crate::model::sync::{thread, Arc};
            let barrier = Arc::new(Barrier::new(3));
            let others: Vec<_> = (0..2)
                .map(|_| {
                    let barrier = barrier.clone();
                    thread::spawn(move || barrier.wait())
                })
                .collect();
            let mut leads = usize::from(barrier.wait());
            for other in others {
                leads += usize::from(other.join().unwrap());
            }
            assert_eq!(leads, 1, "one leader per round");
        });
    }
}

mod condition {
    use super::*;
    use crate::ch05_sync::condition::{wait_until, Buffer};
    use std::sync::{mpsc, Mutex};
    use std::time::{Duration, Instant};
    use workbook::sync::Condvar;

    /// An hour: a timeout no test ever reaches.
    const AN_HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn try_take_is_none_on_empty_and_fifo_after_puts() {
        grader::watchdog(
            "Buffer::try_take on one thread (does it wait on an empty buffer? It must \
             return None at once)",
            || {
                let buffer = Buffer::new();
                assert_eq!(buffer.try_take(), None, "an empty buffer: None");
                for i in 0..3 {
                    buffer.put(i);
                }
                let taken: Vec<_> = (0..3).map(|_| buffer.try_take()).collect();
                assert_eq!(taken, [Some(0), Some(1), Some(2)], "first in, first out");
                assert_eq!(buffer.try_take(), None);
            },
        );
    }

    /// Empty: `None`, and only once the timeout has passed. An item there: taken. Four
    /// calls, with every wait of the thread waking at once (`grader::spurious::every_wait`):
    /// one early return fails the test, so a wait that gives up at its first wake-up cannot
    /// pass by being slow on a busy machine.
    #[test]
    fn take_timeout_gives_up_on_empty_and_takes_what_is_there() {
        grader::watchdog("Buffer::take_timeout on one thread", || {
            let buffer = Buffer::new();
            let spurious = grader::spurious::every_wait();
            for call in 1..=4 {
                let timeout = Duration::from_millis(25);
                let start = Instant::now();
                assert_eq!(buffer.take_timeout(timeout), None, "an empty buffer: None");
                let waited = start.elapsed();
                assert!(
                    waited >= timeout,
                    "take_timeout({timeout:?}) gave up after {waited:?}, before its time \
                     was up (call {call} on this thread): a wake-up is no reason to give \
                     up; wait again for what is left of the time"
                );
            }
            drop(spurious);
            buffer.put("x");
            buffer.put("y");
            assert_eq!(buffer.take_timeout(AN_HOUR), Some("x"), "the oldest item");
            assert_eq!(buffer.take_timeout(AN_HOUR), Some("y"));
        });
    }

    /// A predicate that already holds: `wait_until` must not sleep at all (three calls on
    /// one thread, so that a real wait comes up whatever the `Condvar`'s turn); nor may
    /// `take` with items there, nor `try_take` on the emptied buffer.
    #[test]
    fn nothing_waits_when_there_is_no_need_to() {
        grader::watchdog(
            "wait_until with a predicate that is already true, take with items there, \
             try_take on an empty buffer (does one sleep before it looks?)",
            || {
                let (lock, condvar) = (Mutex::new(7u32), Condvar::new());
                for _ in 0..3 {
                    let guard = wait_until(&condvar, lock.lock().unwrap(), |n: &u32| *n == 7);
                    assert_eq!(*guard, 7);
                }
                let buffer = Buffer::new();
                for i in 0..3 {
                    buffer.put(i);
                }
                let taken: Vec<_> = (0..3).map(|_| buffer.take()).collect();
                assert_eq!(taken, [0, 1, 2], "take: first in, first out");
                assert_eq!(buffer.try_take(), None, "every item was taken");
            },
        );
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
        // The first check happens under the lock, before the waiter first waits; after it,
        // every report is a check after a wake-up (ours, or one nobody sent) or the return.
        match next() {
            Seen::Checked(0) => {}
            other => panic!(
                "wait_until must look at its predicate first (it was false: counter 0 of 3), \
                 but the first report was {other:?}"
            ),
        }
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
        let what = "two producers and two consumers to hand over 200 items (does put wake \
                    a consumer? does a woken consumer look again before it takes?)";
        let taken = grader::watchdog(what, {
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

    /// Under `grader::spurious::every_wait`, every wait of the consumer returns at once
    /// without a notification: `take_timeout` is woken again and again and never finds an
    /// item. It must still give up by its one deadline, and not before it. One that starts
    /// its clock again after every wake-up never gives up, and the watchdog says so.
    #[test]
    fn take_timeout_keeps_one_deadline_however_often_it_is_woken() {
        const TIMEOUT: Duration = Duration::from_millis(25);
        let calls = grader::watchdog(
            "Buffer::take_timeout(25 ms) to give up while every wait of it wakes at once \
             with the buffer empty (does it start its clock again after every wake-up? \
             Fix the deadline once, before the first wait, and wait for what is left of \
             it)",
            || {
                let buffer: Buffer<u32> = Buffer::new();
                let _spurious = grader::spurious::every_wait();
                (0..3)
                    .map(|_| {
                        let start = Instant::now();
                        (buffer.take_timeout(TIMEOUT), start.elapsed())
                    })
                    .collect::<Vec<_>>()
            },
        );
        for (got, waited) in calls {
            assert_eq!(
                got, None,
                "nobody put anything: take_timeout must return None"
            );
            assert!(
                waited >= TIMEOUT,
                "take_timeout({TIMEOUT:?}) gave up after {waited:?}, before its time was \
                 up: a wake-up that finds the buffer empty is no reason to give up"
            );
        }
    }

    /// Two consumers in `take` on an empty buffer must fall asleep (the test watches
    /// `/proc`) and none may return; then two `put`s must get one item to each. A `take`
    /// whose wait is under `if` returns after the facade's first (spurious) wake-up with
    /// nothing to take.
    #[test]
    fn consumers_at_an_empty_buffer_sleep_until_items_come() {
        let what = "two consumers at an empty buffer to fall asleep in take, then each to \
                    get one of two items put (does put wake a consumer?)";
        let mut got = grader::watchdog(what, || {
            let buffer = Arc::new(Buffer::new());
            let (consumers, tids) = spawn_watched(2, {
                let buffer = buffer.clone();
                move |_| buffer.take()
            });
            for (consumer, &tid) in consumers.iter().zip(&tids) {
                asleep_or_finished(tid, consumer);
            }
            let returned = consumers.iter().filter(|c| c.is_finished()).count();
            assert_eq!(
                returned, 0,
                "{returned} consumer(s) returned from take (or panicked) on an empty \
                 buffer: a wake-up does not mean there is an item; check again after every \
                 wake-up"
            );
            buffer.put(1);
            buffer.put(2);
            join_all(consumers, "a consumer")
        });
        got.sort_unstable();
        assert_eq!(got, [1, 2], "each consumer takes one item");
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
            assert_eq!(got, [1, 2], "each consumer takes one item");
        });
    }

    /// Loom: a consumer in `take_timeout(1 h)` and a competing consumer in `take`, and two
    /// `put`s. Whichever consumer is woken first and whoever takes the first item, the
    /// timed one must wait on for the second item: it may not give up early because the
    /// item that woke it was taken by the other (time does not pass in a model).
    #[test]
    fn loom_take_timeout_with_a_competing_consumer() {
        loom_check("Buffer::take_timeout beside a competing take", || {
            use crate::model::condition::Buffer;
            use crate::model::sync::{thread, Arc};
            let buffer = Arc::new(Buffer::new());
            let timed = {
                let buffer = buffer.clone();
                thread::spawn(move || buffer.take_timeout(AN_HOUR))
            };
            let rival = {
                let buffer = buffer.clone();
                thread::spawn(move || buffer.take())
            };
            buffer.put(1);
            buffer.put(2);
            let mine = timed.join().unwrap();
            let theirs = rival.join().unwrap();
            let mut got = [
                mine.unwrap_or_else(|| {
                    panic!(
                        "take_timeout(1 h) returned None although a second item was still \
                         to come within its time (the other consumer took {theirs}): a \
                         wake-up that finds the buffer empty is no reason to give up"
                    )
                }),
                theirs,
            ];
            got.sort_unstable();
            assert_eq!(got, [1, 2], "each consumer takes one item");
        });
    }

    /// Loom: a consumer in `take_timeout` with all the time in the world, and a producer.
    /// In every order it must get the item (time does not pass in a model, so it can only
    /// give up early by mistake).
    #[test]
    fn loom_take_timeout_gets_an_item_put_within_its_time() {
        loom_check("Buffer::take_timeout with a put in its time", || {
            use crate::model::condition::Buffer;
            use crate::model::sync::{thread, Arc};
            let buffer = Arc::new(Buffer::new());
            let consumer = {
                let buffer = buffer.clone();
                thread::spawn(move || buffer.take_timeout(AN_HOUR))
            };
            buffer.put(1);
            assert_eq!(
                consumer.join().unwrap(),
                Some(1),
                "take_timeout(an hour) gave up although an item came within its time: \
                 wait until there is an item or the deadline has passed, whatever wakes it \
                 in between"
            );
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
        grader::watchdog(
            "PrintLock::try_lock while another holder has the lock (does it wait? It \
             must return Ok(None) at once)",
            || {
                let dir = grader::temp_dir();
                let path = dir.path().join("print.lock");
                let first = PrintLock::open(&path).expect("open the lock file");
                let second = PrintLock::open(&path).expect("open the lock file again");
                let guard = first.lock().expect("lock an unheld lock");
                assert!(
                    second.try_lock().expect("try_lock").is_none(),
                    "try_lock must return None while the lock is held"
                );
                drop(guard);
                let again = second.try_lock().expect("try_lock");
                assert!(
                    again.is_some(),
                    "after the guard is dropped, the lock is free"
                );
                assert!(
                    first.try_lock().expect("try_lock").is_none(),
                    "try_lock must return None while the lock is held by try_lock"
                );
            },
        );
    }

    /// One holder in this process; another thread calls `lock` on a second `PrintLock` of
    /// the same file. The kernel's list of locks must show it *waiting* before the test
    /// lets go (a lock that let it in, a shared one say, is caught at once); then it gets
    /// the lock.
    #[test]
    fn lock_waits_while_another_holder_has_the_lock() {
        let dir = grader::temp_dir();
        let path = dir.path().join("print.lock");
        let first = PrintLock::open(&path).expect("open the lock file");
        let inode = std::fs::metadata(&path).unwrap().ino();
        let guard = first.lock().expect("lock an unheld lock");
        let (got_tx, got_rx) = std::sync::mpsc::channel();
        let second = {
            let path = path.clone();
            thread::spawn(move || {
                let second = PrintLock::open(&path).expect("open the lock file again");
                let guard = second.lock().expect("lock");
                let _ = got_tx.send(());
                drop(guard);
            })
        };
        let deadline = std::time::Instant::now() + grader::limit();
        while blocked_on(inode) < 1 {
            assert!(
                got_rx.try_recv().is_err(),
                "a second lock() got the lock while the first holder still had it: take \
                 it exclusively (FlockArg::LockExclusive)"
            );
            assert!(
                std::time::Instant::now() < deadline,
                "the second lock() neither got the lock nor waited for it in the kernel \
                 (the kernel's list shows no waiter): use a blocking flock"
            );
            // A poll interval, not a proof: the proof is the kernel's list of waiters.
            thread::sleep(Duration::from_millis(2));
        }
        drop(guard);
        grader::watchdog(
            "the second lock() to get the lock once the first holder let go",
            move || got_rx.recv().expect("the second holder's thread died"),
        );
        join_all(vec![second], "the second holder");
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
        .expect("cannot start the chapter's program");
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
        let output = group.output("print_lock, after the test let go of the lock,");
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
            .expect("cannot start the chapter's program")
            .output("print_lock with 20 workers");
        assert!(
            output.status.success(),
            "print_lock failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_whole_lines(&String::from_utf8_lossy(&output.stdout), 20);
    }
}
