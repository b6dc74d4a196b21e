//! Chapter 11 — Send, Sync and atomics. `cargo test --test ch11_atomics [EXERCISE]`.
//!
//! `send_sync` is compiled on its own (trybuild), so that while it does not compile
//! only its tests fail. Everything else about atomics is graded by loom: a wrong
//! memory ordering works on every run of an x86 machine, and loom's model of the
//! C++/Rust memory model is the one test that sees it, in every run. Loom checks
//! every access to data kept in the facade's `UnsafeCell`: a read that is not
//! ordered after the write it could see is a "Causality violation".

use grader::loom_check;

grader::chapter!(ch11_atomics);

mod send_sync {
    /// Where the exercise file is, in the tree this suite was built from.
    fn exercise_file() -> std::path::PathBuf {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let tree = match option_env!("WORKBOOK_TREE_DIR") {
            Some(dir) => root.join(dir),
            None if cfg!(feature = "solutions") => root.join("solutions"),
            None => root.join("exercises"),
        };
        tree.join("ch11_atomics/send_sync.rs")
    }

    /// A program made of the exercise file (as `mod send_sync`, with no `unsafe`
    /// allowed) and `rest`, written to `dir`.
    fn program(dir: &std::path::Path, name: &str, rest: &str) -> std::path::PathBuf {
        let path = dir.join(name);
        let source = format!(
            "#![forbid(unsafe_code)]\n#[path = {:?}]\n#[allow(dead_code)]\nmod send_sync;\n{rest}",
            exercise_file().display().to_string(),
        );
        std::fs::write(&path, source).expect("cannot write the test program");
        path
    }

    /// The file compiles without `unsafe`; `Tally` is `Send + Sync`; words counted
    /// through a clone on another thread are seen through the original
    /// (tests/ch11_atomics/tally_uses.rs). And the compiler rejects the wrong
    /// versions: an `Rc` moved to a thread, an `Arc<RefCell<_>>`, a `Mutex<Rc<_>>`
    /// (tests/ch11_atomics/*.stderr hold its messages).
    #[test]
    fn compile_tally_is_send_and_sync_and_its_clones_share_the_counts() {
        let dir = grader::temp_dir();
        let uses = program(
            dir.path(),
            "tally.rs",
            include_str!("ch11_atomics/tally_uses.rs"),
        );
        let cases = trybuild::TestCases::new();
        cases.pass(&uses);
        cases.compile_fail("tests/ch11_atomics/rc_to_a_thread.rs");
        cases.compile_fail("tests/ch11_atomics/arc_of_refcell.rs");
        cases.compile_fail("tests/ch11_atomics/mutex_of_rc.rs");
        // The cases run here, when `cases` is dropped (and before `dir` is).
        drop(cases);
    }

    /// `count_words` over four texts (one empty, words split on any whitespace),
    /// twenty times: the totals of every word (tests/ch11_atomics/count_uses.rs).
    #[test]
    fn compile_count_words_counts_every_word_of_every_text() {
        let dir = grader::temp_dir();
        let uses = program(
            dir.path(),
            "count.rs",
            include_str!("ch11_atomics/count_uses.rs"),
        );
        let cases = trybuild::TestCases::new();
        cases.pass(&uses);
        drop(cases);
    }
}

mod stop_flag {
    use super::*;
    use crate::ch11_atomics::stop_flag::{start, StopFlag};
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Barrier};

    /// A new flag is not set; `stop` sets it, for good.
    #[test]
    fn a_flag_is_clear_until_stopped_and_then_stays_set() {
        let flag = StopFlag::new();
        assert!(!flag.is_stopped(), "a new StopFlag says it is stopped");
        flag.stop();
        assert!(flag.is_stopped(), "after stop(), is_stopped() says false");
        flag.stop();
        assert!(flag.is_stopped(), "a second stop() cleared the flag");
    }

    /// Three workers, each inside its first step at one moment (a barrier), then
    /// `stop`: it returns, within seconds, and each worker's count is the number
    /// of times its `step` really ran.
    #[test]
    fn stop_ends_every_worker_and_returns_their_calls() {
        let calls = grader::watchdog(
            "Workers::stop to end three running workers (does every worker re-read \
             the flag before each step, and is the flag set before the joins?)",
            || {
                let counted: Arc<Vec<AtomicU64>> =
                    Arc::new((0..3).map(|_| AtomicU64::new(0)).collect());
                let all_in = Arc::new(Barrier::new(4));
                let workers = {
                    let (counted, all_in) = (Arc::clone(&counted), Arc::clone(&all_in));
                    start(3, move |i| {
                        if counted[i].fetch_add(1, Ordering::Relaxed) == 0 {
                            all_in.wait();
                        }
                    })
                };
                all_in.wait();
                let calls = workers.stop();
                let counted: Vec<u64> = counted.iter().map(|c| c.load(Ordering::Relaxed)).collect();
                (calls, counted)
            },
        );
        let (calls, counted) = calls;
        assert_eq!(
            calls.len(),
            3,
            "stop() returned {calls:?} for three workers"
        );
        assert_eq!(
            calls, counted,
            "stop() returned {calls:?}, but the steps ran {counted:?} times (in the \
             order of i)"
        );
    }

    /// Loom: a worker and `stop`, in every interleaving: the worker ends, and its
    /// count is what its step saw. (One spinning thread per model: two threads
    /// that spin and yield to each other could keep loom busy for ever.)
    #[test]
    fn loom_stop_ends_the_worker() {
        loom_check("stop_flag::Workers::stop", || {
            use crate::model::stop_flag::start;
            use crate::model::sync::atomic::{AtomicU64, Ordering};
            use crate::model::sync::Arc;
            let counted = Arc::new(AtomicU64::new(0));
            let workers = {
                let counted = Arc::clone(&counted);
                start(1, move |i| {
                    assert_eq!(i, 0, "the only worker is worker 0");
                    counted.fetch_add(1, Ordering::Relaxed);
                })
            };
            let calls = workers.stop();
            let counted = counted.load(Ordering::Relaxed);
            assert_eq!(
                calls,
                [counted],
                "stop() returned {calls:?}, but the step ran {counted} times"
            );
        });
    }
}

mod id_allocator {
    use super::*;
    use crate::ch11_atomics::id_allocator::{Exhausted, IdAllocator};
    use proptest::prelude::*;

    /// From `first` near the end, on one thread: `first`, `first + 1`, …,
    /// `u32::MAX - 1`, then `Err(Exhausted)` on every call after — the counter
    /// never wraps to 0.
    #[test]
    fn ids_come_in_order_to_the_end_and_then_run_out_for_good() {
        grader::check_property(
            "allocate from near u32::MAX",
            64,
            (0u32..12, 1usize..6),
            |(left, extra)| {
                let first = u32::MAX - left;
                let ids = IdAllocator::starting_at(first);
                let got: Vec<Result<u32, Exhausted>> =
                    (0..left as usize + extra).map(|_| ids.allocate()).collect();
                let mut want: Vec<Result<u32, Exhausted>> = (first..u32::MAX).map(Ok).collect();
                want.extend(std::iter::repeat_n(Err(Exhausted), extra));
                prop_assert_eq!(
                    got,
                    want,
                    "starting_at(u32::MAX - {}), {} calls",
                    left,
                    left as usize + extra
                );
                Ok(())
            },
        );
    }

    /// `new()` starts at 0 and counts up by one.
    #[test]
    fn new_starts_at_zero() {
        let ids = IdAllocator::new();
        let got: Vec<_> = (0..5).map(|_| ids.allocate()).collect();
        assert_eq!(got, [Ok(0), Ok(1), Ok(2), Ok(3), Ok(4)]);
        let ids = IdAllocator::starting_at(u32::MAX);
        assert_eq!(
            [ids.allocate(), ids.allocate()],
            [Err(Exhausted), Err(Exhausted)],
            "starting_at(u32::MAX) has no ids at all"
        );
    }

    /// Loom: two threads allocate two ids each, with two ids left: the two ids
    /// are handed out, once each and none skipped, and the other two calls are
    /// `Err(Exhausted)`.
    #[test]
    fn loom_two_threads_get_distinct_ids_with_none_skipped() {
        loom_check("id_allocator::IdAllocator::allocate", || {
            use crate::model::id_allocator::IdAllocator;
            use crate::model::sync::{thread, Arc};
            let ids = Arc::new(IdAllocator::starting_at(u32::MAX - 2));
            let other = {
                let ids = Arc::clone(&ids);
                thread::spawn(move || [ids.allocate(), ids.allocate()])
            };
            let mine = [ids.allocate(), ids.allocate()];
            let theirs = other.join().unwrap();
            let mut all: Vec<_> = mine.iter().chain(&theirs).map(|id| id.ok()).collect();
            all.sort();
            assert_eq!(
                all,
                [None, None, Some(u32::MAX - 2), Some(u32::MAX - 1)],
                "two threads allocating two ids each, two ids left, got {mine:?} and \
                 {theirs:?}: each id once, none skipped, then Err(Exhausted)"
            );
        });
    }

    /// Loom: three threads race for the last id: one gets it, two get
    /// `Err(Exhausted)`, and a call after that is `Err(Exhausted)` too.
    #[test]
    fn loom_three_threads_race_for_the_last_id() {
        loom_check("id_allocator::IdAllocator::allocate (at the end)", || {
            use crate::model::id_allocator::{Exhausted, IdAllocator};
            use crate::model::sync::{thread, Arc};
            let ids = Arc::new(IdAllocator::starting_at(u32::MAX - 1));
            let racers: Vec<_> = (0..2)
                .map(|_| {
                    let ids = Arc::clone(&ids);
                    thread::spawn(move || ids.allocate())
                })
                .collect();
            let mut got = vec![ids.allocate()];
            got.extend(racers.into_iter().map(|r| r.join().unwrap()));
            got.push(ids.allocate());
            let mut sorted: Vec<_> = got.iter().map(|id| id.ok()).collect();
            sorted.sort();
            assert!(got.iter().all(|id| matches!(id, Ok(_) | Err(Exhausted))));
            assert_eq!(
                sorted,
                [None, None, None, Some(u32::MAX - 1)],
                "three threads racing for the last id, then one more call, got {got:?}"
            );
        });
    }
}

mod publish {
    use super::*;

    /// Loom: a reader on another thread tries once while the value is published:
    /// it sees nothing or the whole value, never the flag without the data.
    #[test]
    fn loom_a_reader_that_sees_ready_sees_the_value() {
        loom_check("publish::Reader::try_read", || {
            use crate::model::publish::mailbox;
            use crate::model::sync::thread;
            let (publisher, reader) = mailbox::<[u64; 2]>();
            let other = thread::spawn(move || reader.try_read().copied());
            publisher.publish([7, 8]);
            let seen = other.join().unwrap();
            assert!(
                matches!(seen, None | Some([7, 8])),
                "a reader saw {seen:?} while [7, 8] was published"
            );
        });
    }

    /// Loom: a reader waits for the value on another thread while it is
    /// published: it gets the whole value.
    #[test]
    fn loom_a_waiting_reader_gets_the_value() {
        loom_check("publish::Reader::wait", || {
            use crate::model::publish::mailbox;
            use crate::model::sync::thread;
            let (publisher, reader) = mailbox::<String>();
            let waiter = thread::spawn(move || reader.wait().clone());
            publisher.publish("ready".to_owned());
            let got = waiter.join().unwrap();
            assert_eq!(got, "ready", "the waiting reader got {got:?}");
        });
    }
}

mod spin_lock {
    use super::*;
    use crate::ch11_atomics::spin_lock::{SpinGuard, SpinLock};

    /// One thread: the guard reads and writes the value; while it lives
    /// `try_lock` is `None`; dropping it (or `SpinGuard::unlock`) unlocks.
    #[test]
    fn a_guard_gives_the_value_and_unlocks_when_dropped() {
        let lock = SpinLock::new(vec![1]);
        {
            let mut guard = lock.lock();
            guard.push(2);
            assert_eq!(*guard, [1, 2]);
            assert!(lock.try_lock().is_none(), "try_lock succeeded while locked");
            assert!(
                lock.try_lock().is_none(),
                "a second try_lock succeeded while locked: did the first one, which \
                 failed, unlock the lock?"
            );
        }
        let mut guard = lock
            .try_lock()
            .expect("try_lock failed after the guard dropped");
        guard.push(3);
        SpinGuard::unlock(guard);
        let guard = lock
            .try_lock()
            .expect("try_lock failed after SpinGuard::unlock");
        assert!(lock.try_lock().is_none(), "locked twice");
        drop(guard);
        assert_eq!(lock.into_inner(), [1, 2, 3]);
    }

    /// A lock held by one thread: another thread's `lock` waits until it is
    /// released, then gets the value as the holder left it.
    #[test]
    fn lock_waits_for_the_holder() {
        let result = grader::watchdog("a second thread's lock() after unlock", || {
            let lock = SpinLock::new(0u64);
            std::thread::scope(|s| {
                let mut guard = lock.lock();
                let (tx, rx) = std::sync::mpsc::channel();
                let lock = &lock;
                let waiter = s.spawn(move || {
                    tx.send(()).unwrap();
                    *lock.lock() += 10;
                });
                rx.recv().unwrap();
                *guard += 1;
                drop(guard);
                waiter.join().unwrap();
            });
            lock.into_inner()
        });
        assert_eq!(result, 11);
    }

    /// Loom: two threads add to the value under the lock, one of them in two
    /// sections, the first ended by `SpinGuard::unlock`: the holders' accesses
    /// never overlap and never miss each other's writes (loom watches every access
    /// to the value), and the total is 3.
    #[test]
    fn loom_holders_never_overlap_and_see_each_others_writes() {
        loom_check("spin_lock::SpinLock", || {
            use crate::model::spin_lock::{SpinGuard, SpinLock};
            use crate::model::sync::{thread, Arc};
            let lock = Arc::new(SpinLock::new(0u64));
            let other = {
                let lock = Arc::clone(&lock);
                thread::spawn(move || {
                    let mut guard = lock.lock();
                    *guard += 1;
                    SpinGuard::unlock(guard);
                    *lock.lock() += 1;
                })
            };
            *lock.lock() += 1;
            other.join().unwrap();
            let total = *lock.lock();
            assert_eq!(total, 3, "three additions under the lock gave {total}");
        });
    }

    /// Loom: one thread holds the lock while another tries it: a failed
    /// `try_lock` takes nothing and releases nothing.
    #[test]
    fn loom_a_failed_try_lock_releases_nothing() {
        loom_check("spin_lock::SpinLock::try_lock", || {
            use crate::model::spin_lock::SpinLock;
            use crate::model::sync::{thread, Arc};
            let lock = Arc::new(SpinLock::new(0u64));
            let other = {
                let lock = Arc::clone(&lock);
                thread::spawn(move || {
                    if let Some(mut guard) = lock.try_lock() {
                        *guard += 1;
                    }
                })
            };
            {
                let mut guard = lock.lock();
                let before = *guard;
                *guard += 1;
                assert!(lock.try_lock().is_none(), "try_lock succeeded while locked");
                assert_eq!(
                    *guard,
                    before + 1,
                    "the value changed while we held the lock"
                );
            }
            other.join().unwrap();
            let total = *lock.lock();
            assert!((1..=2).contains(&total), "total {total}");
        });
    }
}

mod once {
    use super::*;
    use crate::ch11_atomics::once::{parse_lines, Settings};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// One thread: `Settings::get` parses on the first call only, and answers
    /// every key, known or not.
    #[test]
    fn settings_are_parsed_on_first_use_only() {
        let parses = AtomicUsize::new(0);
        let settings = Settings::new("name = pear\n\nsize=3\nnoise", |text: &str| {
            parses.fetch_add(1, Ordering::Relaxed);
            parse_lines(text)
        });
        assert_eq!(parses.load(Ordering::Relaxed), 0, "parsed before first use");
        assert_eq!(settings.get("name"), Some("pear"));
        assert_eq!(settings.get("size"), Some("3"));
        assert_eq!(settings.get("colour"), None);
        assert_eq!(parses.load(Ordering::Relaxed), 1, "parsed more than once");
    }

    /// Loom: two threads call `get_or_init` at once: the initialiser runs once,
    /// and both get the whole value (loom watches the value's accesses).
    #[test]
    fn loom_the_initialiser_runs_once_and_everyone_sees_the_value() {
        loom_check("once::Once::get_or_init", || {
            use crate::model::once::Once;
            use crate::model::sync::atomic::{AtomicUsize, Ordering};
            use crate::model::sync::{thread, Arc};
            let once = Arc::new(Once::new());
            let runs = Arc::new(AtomicUsize::new(0));
            let init = {
                let runs = Arc::clone(&runs);
                move || {
                    runs.fetch_add(1, Ordering::Relaxed);
                    vec![1u8, 2, 3]
                }
            };
            let other = {
                let (once, init) = (Arc::clone(&once), init.clone());
                thread::spawn(move || once.get_or_init(init).clone())
            };
            let mine = once.get_or_init(init).clone();
            let theirs = other.join().unwrap();
            let runs = runs.load(Ordering::Relaxed);
            assert_eq!(
                runs, 1,
                "two threads at once ran the initialiser {runs} times"
            );
            assert_eq!((&mine[..], &theirs[..]), (&[1, 2, 3][..], &[1, 2, 3][..]));
            assert_eq!(once.get().map(|v| v.len()), Some(3), "get() after init");
        });
    }

    /// Loom: one thread makes the value while another calls `get`: it sees `None`
    /// or the whole value.
    #[test]
    fn loom_get_sees_nothing_or_the_whole_value() {
        loom_check("once::Once::get", || {
            use crate::model::once::Once;
            use crate::model::sync::{thread, Arc};
            let once = Arc::new(Once::new());
            let other = {
                let once = Arc::clone(&once);
                thread::spawn(move || once.get().cloned())
            };
            assert_eq!(once.get_or_init(|| [4u64, 5]), &[4, 5]);
            let seen = other.join().unwrap();
            assert!(
                matches!(seen, None | Some([4, 5])),
                "get() during initialisation returned {seen:?}"
            );
        });
    }

    /// Loom: two threads ask for a setting at once: the text is parsed once.
    #[test]
    fn loom_settings_are_parsed_once_for_two_threads() {
        loom_check("once::Settings::get", || {
            use crate::model::once::{parse_lines, Settings};
            use crate::model::sync::atomic::{AtomicUsize, Ordering};
            use crate::model::sync::{thread, Arc};
            let parses = Arc::new(AtomicUsize::new(0));
            let settings = {
                let parses = Arc::clone(&parses);
                Arc::new(Settings::new("a = 1\nb = 2", move |text: &str| {
                    parses.fetch_add(1, Ordering::Relaxed);
                    parse_lines(text)
                }))
            };
            let other = {
                let settings = Arc::clone(&settings);
                thread::spawn(move || settings.get("a").map(str::to_owned))
            };
            assert_eq!(settings.get("b"), Some("2"));
            assert_eq!(other.join().unwrap().as_deref(), Some("1"));
            let parses = parses.load(Ordering::Relaxed);
            assert_eq!(
                parses, 1,
                "two threads asking at once parsed {parses} times"
            );
        });
    }
}

mod my_arc {
    use super::*;
    use crate::ch11_atomics::my_arc::MyArc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Counts its drops.
    struct Noisy(Arc<AtomicUsize>);

    impl Drop for Noisy {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// One thread: clones share one value; `get_mut` only for the only owner; the
    /// value is dropped once, when the last owner goes.
    #[test]
    fn clones_share_one_value_and_the_last_owner_drops_it_once() {
        let drops = Arc::new(AtomicUsize::new(0));
        let mut first = MyArc::new((5u32, Noisy(Arc::clone(&drops))));
        assert!(
            MyArc::get_mut(&mut first).is_some(),
            "get_mut of the only owner"
        );
        MyArc::get_mut(&mut first).expect("the only owner").0 = 6;
        let mut second = first.clone();
        assert_eq!(MyArc::count(&first), 2, "count after one clone");
        assert!(std::ptr::eq(&*first, &*second), "a clone points elsewhere");
        assert_eq!(second.0, 6);
        assert!(
            MyArc::get_mut(&mut second).is_none(),
            "get_mut with two owners"
        );
        drop(first);
        assert_eq!(
            drops.load(Ordering::Relaxed),
            0,
            "dropped while an owner is left"
        );
        assert_eq!(MyArc::count(&second), 1, "count after a drop");
        assert!(
            MyArc::get_mut(&mut second).is_some(),
            "get_mut of the last owner"
        );
        drop(second);
        assert_eq!(drops.load(Ordering::Relaxed), 1, "the value's drops");
    }

    /// Loom: an owner on another thread reads the value and drops its clone while
    /// this thread does the same: the value is dropped once, after both reads.
    #[test]
    fn loom_the_last_drop_comes_after_every_read() {
        loom_check("my_arc::MyArc::drop", || {
            use crate::model::my_arc::MyArc;
            use crate::model::sync::thread;
            let arc = MyArc::new(vec![1u64, 2, 3]);
            let clone = arc.clone();
            let other = thread::spawn(move || clone.iter().sum::<u64>());
            let mine: u64 = arc.iter().sum();
            drop(arc);
            assert_eq!((mine, other.join().unwrap()), (6, 6));
        });
    }

    /// Loom: clones made and dropped on two threads at once: the count comes back
    /// to 1, and the value is dropped once, at the end.
    #[test]
    fn loom_clones_on_two_threads_keep_the_count() {
        loom_check("my_arc::MyArc::clone", || {
            use crate::model::my_arc::MyArc;
            use crate::model::sync::atomic::{AtomicUsize, Ordering};
            use crate::model::sync::{thread, Arc};
            struct Noisy(Arc<AtomicUsize>);
            impl Drop for Noisy {
                fn drop(&mut self) {
                    self.0.fetch_add(1, Ordering::Relaxed);
                }
            }
            let drops = Arc::new(AtomicUsize::new(0));
            let arc = MyArc::new(Noisy(Arc::clone(&drops)));
            let theirs = arc.clone();
            let other = thread::spawn(move || drop(theirs.clone()));
            drop(arc.clone());
            other.join().unwrap();
            let count = MyArc::count(&arc);
            assert_eq!(
                count, 1,
                "clones made and dropped on two threads left {count}"
            );
            assert_eq!(
                drops.load(Ordering::Relaxed),
                0,
                "dropped with an owner left"
            );
            drop(arc);
            assert_eq!(drops.load(Ordering::Relaxed), 1, "the value's drops");
        });
    }

    /// Loom: another owner reads and goes away while this one asks `get_mut`: a
    /// `Some` comes only after the other's read.
    #[test]
    fn loom_get_mut_comes_after_the_other_owners_reads() {
        loom_check("my_arc::MyArc::get_mut", || {
            use crate::model::my_arc::MyArc;
            use crate::model::sync::thread;
            let mut arc = MyArc::new(1u64);
            let clone = arc.clone();
            let other = thread::spawn(move || *clone + 1);
            if let Some(value) = MyArc::get_mut(&mut arc) {
                *value = 10;
            }
            let seen = other.join().unwrap();
            assert_eq!(seen, 2, "the other owner read a value changed under it");
            assert!(
                MyArc::get_mut(&mut arc).is_some(),
                "the only owner after join"
            );
        });
    }
}
