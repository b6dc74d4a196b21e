//! Chapter 6 — thread-local storage. `cargo test --test ch06_thread_local [EXERCISE]`.
//!
//! Each module is one exercise; `loom_*` tests model-check the exercise file itself.

use std::sync::{mpsc, Arc};
use std::thread;

use grader::StartLine;

use grader::loom_check;

grader::chapter!(ch06_thread_local);

mod students {
    use super::*;
    use crate::ch06_thread_local::students::{
        bind_student, current_student, process_student, run, StudentError,
    };
    use proptest::prelude::*;

    const CLASS: [&str; 4] = ["Willard", "WenYu", "Ada", "Grace"];

    /// Every thread binds its student, waits at a start line until *all* have bound, and only
    /// then reads. A slot shared by all threads holds the last binder's name by then, so at
    /// least three threads read a stranger: this fails on every run, not by luck.
    #[test]
    fn each_thread_reads_its_own_student_after_all_have_bound() {
        // Twice the start line's own limit, so that its clearer message wins.
        let limit = grader::limit() * 2;
        let greetings =
            grader::watchdog_for(limit, "students: four threads binding and reading", || {
                let all_bound = Arc::new(StartLine::new(CLASS.len()));
                let threads: Vec<_> = CLASS
                    .iter()
                    .enumerate()
                    .map(|(i, &name)| {
                        let all_bound = all_bound.clone();
                        thread::Builder::new()
                            .name(format!("Thread-{}", i + 1))
                            .spawn(move || {
                                bind_student(name);
                                all_bound
                                    .arrive()
                                    .expect("the four threads never all bound");
                                (current_student(), process_student())
                            })
                            .unwrap()
                    })
                    .collect();
                threads
                    .into_iter()
                    .map(|t| t.join().expect("a student thread panicked"))
                    .collect::<Vec<_>>()
            });
        for (i, (name, (student, greeting))) in CLASS.iter().zip(greetings).enumerate() {
            assert_eq!(
                student.as_deref(),
                Ok(*name),
                "Thread-{} bound {name} but read another student: the slot is shared by \
                 every thread; give each thread its own (thread_local!)",
                i + 1
            );
            assert_eq!(
                greeting,
                Ok(format!("Hello, {name} (in Thread-{})", i + 1)),
                "process_student greets the thread's own student, in its own thread"
            );
        }
    }

    /// One thread binds; only afterwards does a fresh thread read. It must see nothing bound.
    #[test]
    fn a_thread_that_never_bound_gets_not_bound_even_after_another_bound() {
        let read = grader::watchdog("students: reading before binding", || {
            let (bound_tx, bound_rx) = mpsc::channel();
            let binder = thread::spawn(move || {
                bind_student("Willard");
                bound_tx.send(()).unwrap();
            });
            bound_rx.recv().expect("the binding thread died");
            let reader = thread::Builder::new()
                .name("never-bound".into())
                .spawn(|| (current_student(), process_student()))
                .unwrap();
            binder.join().unwrap();
            reader
                .join()
                .expect("reading before binding must not panic")
        });
        let expected = Err(StudentError::NotBound {
            thread: "never-bound".into(),
        });
        assert_eq!(
            read.0, expected,
            "a thread that bound nothing must get NotBound, not another thread's student"
        );
        assert_eq!(read.1, expected, "process_student passes the error on");
    }

    #[test]
    fn run_greets_the_seeds_students_in_their_threads() {
        let greetings = grader::watchdog("students::run with Willard and WenYu", || {
            run(&["Willard", "WenYu"])
        });
        assert_eq!(
            greetings,
            Ok(vec![
                "Hello, Willard (in Thread-1)".to_owned(),
                "Hello, WenYu (in Thread-2)".to_owned(),
            ]),
            "each student greeted in a thread of its own, named Thread-1, Thread-2, … in \
             the order of the names"
        );
    }

    /// `process_thread` panics on a name that is not letters only; `run` must turn that
    /// thread's panic into `ThreadPanicked` carrying the thread's own name (the first
    /// such in the order of the names), not panic itself. Two of the four names panic,
    /// so "the first in the order of the names" is checked too.
    #[test]
    fn run_reports_a_panicked_thread_as_thread_panicked_with_its_name() {
        let cases: [(&[&str], &str); 3] = [
            (&["Willard", "R2-D2", "WenYu", ""], "R2-D2"),
            (&["", "Ada"], ""),
            (&["Ada", "Grace", "C3PO"], "C3PO"),
        ];
        for (names, panicked) in cases {
            let outcome = grader::watchdog(
                "students::run with a student thread that panics (does run join it, and \
                 the others?)",
                move || std::panic::catch_unwind(|| run(names)),
            );
            let result = outcome.unwrap_or_else(|_| {
                panic!(
                    "run({names:?}) itself panicked when a student thread did: \
                     JoinHandle::join returns Err for a thread that panicked; turn it into \
                     StudentError::ThreadPanicked"
                )
            });
            assert_eq!(
                result,
                Err(StudentError::ThreadPanicked {
                    student: panicked.to_owned()
                }),
                "run({names:?}): the thread for {panicked:?} panicked (the first in the \
                 order of the names that did); ThreadPanicked carries that name"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        #[test]
        fn run_keeps_the_order_of_names(names in proptest::collection::vec("[A-Za-z]{1,8}", 0..6)) {
            let owned = names.clone();
            let greetings = grader::watchdog("students::run with generated names", move || {
                let names: Vec<&str> = owned.iter().map(String::as_str).collect();
                run(&names)
            });
            let expected: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(i, name)| format!("Hello, {name} (in Thread-{})", i + 1))
                .collect();
            prop_assert_eq!(greetings, Ok(expected));
        }
    }

    /// Loom: two threads bind, meet (both have bound), then read — in every interleaving
    /// each reads its own; and the main thread, which bound nothing, reads `NotBound`.
    #[test]
    fn loom_each_thread_reads_its_own() {
        loom_check("students under loom's thread_local!", || {
            use crate::model::students::{bind_student, current_student, StudentError};
            use crate::model::sync::{thread, Arc};
            let bound = Arc::new(grader::loom::StartLine::new(2));
            let threads: Vec<_> = ["Willard", "WenYu"]
                .into_iter()
                .map(|name| {
                    let bound = bound.clone();
                    thread::spawn(move || {
                        bind_student(name);
                        bound.arrive();
                        assert_eq!(
                            current_student().as_deref(),
                            Ok(name),
                            "a thread read another thread's student (under loom, so \
                             does a slot made with std's own `thread_local!` or a \
                             `static`: declare it with `super::sync::thread_local!`)"
                        );
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
            assert!(
                matches!(current_student(), Err(StudentError::NotBound { .. })),
                "the main thread bound no student"
            );
        });
    }

    /// Loom: `run` with two names, in every interleaving, including the one where the
    /// second thread finishes first: the greetings come in the order of the names.
    #[test]
    fn loom_run_keeps_the_order_of_names() {
        loom_check("students::run under loom", || {
            assert_eq!(
                crate::model::students::run(&["Willard", "WenYu"]),
                Ok(vec![
                    "Hello, Willard (in Thread-1)".to_owned(),
                    "Hello, WenYu (in Thread-2)".to_owned(),
                ]),
                "the greetings must come in the order of the names, whichever thread \
                 finishes first"
            );
        });
    }
}

mod per_thread_counter {
    use super::*;
    use crate::ch06_thread_local::per_thread_counter::{
        count_in_workers, local_count, record, take_local,
    };
    use proptest::prelude::*;

    #[test]
    fn a_threads_count_is_its_own_and_take_resets_it() {
        let seen = grader::watchdog("per_thread_counter on two threads", || {
            record(5);
            let other = thread::spawn(|| {
                let fresh = local_count();
                record(2);
                (fresh, local_count(), take_local(), local_count())
            })
            .join()
            .expect("the other thread panicked");
            (other, local_count(), take_local(), local_count())
        });
        let ((fresh, other_before, other_taken, other_after), mine, taken, after) = seen;
        assert_eq!(fresh, 0, "a new thread starts counting at 0");
        assert_eq!(
            (other_before, other_taken, other_after),
            (2, 2, 0),
            "the other thread sees only its own 2; take_local resets to 0"
        );
        assert_eq!(
            (mine, taken, after),
            (5, 5, 0),
            "this thread keeps its own 5"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn the_merged_total_is_exact(loads in proptest::collection::vec(0u64..5_000, 1..8)) {
            let expected: u64 = loads.iter().sum();
            let given = loads.clone();
            let (total, caller_left) = grader::watchdog("per_thread_counter::count_in_workers", move || {
                record(7);
                (count_in_workers(&given), local_count())
            });
            prop_assert_eq!(total, expected, "the merged sum of loads {:?}", loads);
            prop_assert_eq!(caller_left, 7, "the caller had counted 7 itself: count_in_workers leaves that as it was");
        }

        #[test]
        fn a_reused_thread_counts_each_batch_once(batches in proptest::collection::vec(0u64..1_000, 1..6)) {
            let given = batches.clone();
            let taken = grader::watchdog("per_thread_counter: one thread, several batches", move || {
                given.iter().map(|&n| { record(n); take_local() }).collect::<Vec<_>>()
            });
            prop_assert_eq!(taken, batches);
        }
    }

    /// Loom: two workers with loads 2 and 1 — the total is 3 in every interleaving.
    #[test]
    fn loom_merged_total_is_exact() {
        loom_check("per_thread_counter::count_in_workers", || {
            assert_eq!(
                crate::model::per_thread_counter::count_in_workers(&[2, 1]),
                3
            );
        });
    }
}
