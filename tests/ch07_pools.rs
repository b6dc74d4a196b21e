//! Chapter 7 — pools of threads and of processes. `cargo test --test ch07_pools [EXERCISE]`.
//!
//! Each module is one exercise; `loom_*` tests model-check the exercise file itself.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::Duration;

use grader::StartLine;

use grader::loom_check;

grader::chapter!(ch07_pools);

mod thread_pool {
    use super::*;
    use crate::ch07_pools::thread_pool::{PoolError, ThreadPool};
    use proptest::prelude::*;

    fn pool(workers: usize) -> ThreadPool {
        ThreadPool::new(workers).expect("ThreadPool::new failed")
    }

    /// A task that blocks until the test opens its gate, and says when it has started.
    fn gated(started: mpsc::Sender<()>, gate: mpsc::Receiver<()>) -> impl FnOnce() -> u32 {
        move || {
            started.send(()).unwrap();
            let _ = gate.recv();
            42
        }
    }

    #[test]
    fn a_pool_without_workers_is_an_error() {
        let made = grader::watchdog("ThreadPool::new(0)", || ThreadPool::new(0).err());
        assert_eq!(made, Some(PoolError::NoWorkers));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        /// The seed: `pool.map(f, range(10))` is `[0, 1, 4, …, 81]`, in input order.
        #[test]
        fn map_returns_results_in_input_order(
            inputs in proptest::collection::vec(-1000i64..1000, 0..40),
            workers in 1usize..5,
        ) {
            let given = inputs.clone();
            let squares = grader::watchdog("ThreadPool::map", move || {
                pool(workers).map(|x: i64| x * x, given)
            });
            let expected: Vec<i64> = inputs.iter().map(|x| x * x).collect();
            prop_assert_eq!(squares, Ok(expected));
        }
    }

    /// The seed's `apply_async(f, [10])` then `result.get(timeout=1)`: `apply_async` returns
    /// while the task is still blocked, `get_timeout` times out while it stays blocked, and
    /// the result arrives once the task may finish — then it is taken, once.
    #[test]
    fn apply_async_returns_at_once_and_get_timeout_times_out() {
        grader::watchdog("apply_async and get_timeout", || {
            let pool = pool(2);
            let (started_tx, started) = mpsc::channel();
            let (open, gate) = mpsc::channel();
            let handle = pool
                .apply_async(gated(started_tx, gate))
                .expect("apply_async on an open pool");
            started.recv().expect("the task never started");
            assert!(!handle.ready(), "the task is blocked: not ready yet");
            let wait = Duration::from_millis(20);
            assert_eq!(
                handle.get_timeout(wait),
                Err(PoolError::Timeout(wait)),
                "the task cannot finish while its gate is shut: get_timeout must time out"
            );
            open.send(()).unwrap();
            assert_eq!(handle.get_timeout(grader::limit()), Ok(42));
            assert_eq!(
                handle.get_timeout(wait),
                Err(PoolError::AlreadyTaken),
                "a result is taken once"
            );
        });
    }

    /// A panicking task is that task's error; the only worker survives and keeps working.
    #[test]
    fn a_panicking_task_is_its_error_and_the_pool_keeps_working() {
        let (panicked, after) = grader::watchdog("a panicking task", || {
            let pool = pool(1);
            let worker_before = pool.apply_async(|| thread::current().id()).unwrap().get();
            let boom = pool
                .apply_async(|| -> u32 { panic!("boom in task 7") })
                .unwrap()
                .get();
            let worker_after = pool.apply_async(|| thread::current().id()).unwrap().get();
            let squares = pool.map(|x: u32| x * x, 0..10);
            (boom, (worker_before, worker_after, squares))
        });
        assert_eq!(panicked, Err(PoolError::Panicked("boom in task 7".into())));
        let (before, after, squares) = after;
        assert_eq!(
            before, after,
            "the one worker must survive its task's panic (catch it) and take the next task"
        );
        assert_eq!(squares, Ok((0..10).map(|x| x * x).collect()));
    }

    /// "close后再派活会抛异常": after close (or terminate) no work is accepted.
    #[test]
    fn submitting_after_close_or_terminate_is_closed() {
        let (after_close, map_after_close, after_terminate) =
            grader::watchdog("submitting to a closed pool", || {
                let closed = pool(2);
                closed.close();
                let a = closed.apply_async(|| 1).err();
                let m = closed.map(|x: u8| x, [1, 2]).err();
                closed.join().expect("join after close");
                let terminated = pool(2);
                terminated.terminate();
                let t = terminated.apply_async(|| 1).err();
                (a, m, t)
            });
        assert_eq!(after_close, Some(PoolError::Closed));
        assert_eq!(map_after_close, Some(PoolError::Closed));
        assert_eq!(after_terminate, Some(PoolError::Closed));
    }

    #[test]
    fn join_while_running_is_an_error() {
        let joined = grader::watchdog("join without close", || {
            let pool = pool(1);
            let early = pool.join();
            pool.close();
            (early, pool.join())
        });
        assert_eq!(joined, (Err(PoolError::StillRunning), Ok(())));
    }

    /// The seed's `close(); join()`: every queued task still runs, then the workers exit.
    #[test]
    fn close_then_join_runs_every_queued_task() {
        let (ran, results) = grader::watchdog("close and join", || {
            let pool = pool(2);
            let ran = Arc::new(AtomicUsize::new(0));
            let handles: Vec<_> = (0..40)
                .map(|i| {
                    let ran = ran.clone();
                    pool.apply_async(move || {
                        ran.fetch_add(1, Ordering::SeqCst);
                        i
                    })
                    .unwrap()
                })
                .collect();
            pool.close();
            pool.join().expect("join after close");
            let ran = ran.load(Ordering::SeqCst);
            (
                ran,
                handles.into_iter().map(|h| h.get()).collect::<Vec<_>>(),
            )
        });
        assert_eq!(ran, 40, "close must not drop queued work");
        assert_eq!(results, (0..40).map(Ok).collect::<Vec<_>>());
    }

    /// `terminate`: the running task finishes (threads cannot be killed), every queued task
    /// is dropped unrun and its handle says so, and `join` returns.
    #[test]
    fn terminate_drops_queued_tasks_and_join_returns() {
        let (first, queued, ran) = grader::watchdog("terminate and join", || {
            let pool = pool(1);
            let (started_tx, started) = mpsc::channel();
            let (open, gate) = mpsc::channel();
            let first = pool.apply_async(gated(started_tx, gate)).unwrap();
            let ran = Arc::new(AtomicUsize::new(0));
            let queued: Vec<_> = (0..5)
                .map(|_| {
                    let ran = ran.clone();
                    pool.apply_async(move || {
                        ran.fetch_add(1, Ordering::SeqCst);
                        0
                    })
                    .unwrap()
                })
                .collect();
            started.recv().expect("the first task never started");
            pool.terminate();
            open.send(()).unwrap();
            pool.join().expect("join after terminate");
            let queued: Vec<_> = queued.into_iter().map(|h| h.get()).collect();
            (first.get(), queued, ran.load(Ordering::SeqCst))
        });
        assert_eq!(first, Ok(42), "the running task finishes");
        assert_eq!(
            queued,
            vec![Err(PoolError::Cancelled); 5],
            "queued tasks are dropped and their handles say Cancelled"
        );
        assert_eq!(ran, 0, "no queued task may run after terminate");
    }

    /// N workers: all N run tasks at the same moment (a start line only N tasks running
    /// together can pass), and 60 more tasks are all run by those same N threads.
    #[test]
    fn exactly_n_workers_run_at_once_and_are_reused() {
        const N: usize = 3;
        // Twice the start line's own limit, so that its clearer message wins.
        let limit = grader::limit() * 2;
        let (together, threads) = grader::watchdog_for(limit, "three workers", || {
            let pool = pool(N);
            let line = Arc::new(StartLine::new(N));
            let gave_up = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let seen = Arc::new(Mutex::new(HashSet::new()));
            let record = |seen: &Arc<Mutex<HashSet<thread::ThreadId>>>| {
                seen.lock().unwrap().insert(thread::current().id());
            };
            let first: Vec<_> = (0..N)
                .map(|_| {
                    let (line, seen, gave_up) = (line.clone(), seen.clone(), gave_up.clone());
                    pool.apply_async(move || {
                        record(&seen);
                        // Once one task gave up waiting, the others need not wait again.
                        if gave_up.load(Ordering::SeqCst) {
                            return Err(line.arrived());
                        }
                        line.arrive().map_err(|e| {
                            gave_up.store(true, Ordering::SeqCst);
                            e.arrived
                        })
                    })
                    .unwrap()
                })
                .collect();
            let together: Vec<_> = first.into_iter().map(|h| h.get()).collect();
            let more: Vec<_> = (0..60)
                .map(|_| {
                    let seen = seen.clone();
                    pool.apply_async(move || record(&seen)).unwrap()
                })
                .collect();
            for handle in more {
                handle.get().expect("a task failed");
            }
            let threads = seen.lock().unwrap().clone();
            (together, threads)
        });
        for arrived in together {
            assert_eq!(
                arrived,
                Ok(Ok(())),
                "all {N} workers must be running tasks at the same time (Err(n): only n ever were)"
            );
        }
        assert_eq!(
            threads.len(),
            N,
            "63 tasks ran on {} distinct threads: a pool reuses exactly its N workers",
            threads.len()
        );
        assert!(
            !threads.contains(&thread::current().id()),
            "tasks run on the workers, not on the caller"
        );
    }

    /// Loom: two workers, two tasks, `close` and `join`: in every interleaving both tasks ran
    /// and both handles have their result — nothing lost, nothing hung.
    #[test]
    fn loom_close_and_join_lose_no_task() {
        loom_check("thread_pool close + join", || {
            use crate::model::sync::atomic::{AtomicUsize, Ordering};
            use crate::model::sync::Arc;
            use crate::model::thread_pool::ThreadPool;
            let pool = ThreadPool::new(2).unwrap();
            let ran = Arc::new(AtomicUsize::new(0));
            let handles: Vec<_> = (0..2)
                .map(|i| {
                    let ran = ran.clone();
                    pool.apply_async(move || {
                        ran.fetch_add(1, Ordering::SeqCst);
                        i
                    })
                    .unwrap()
                })
                .collect();
            pool.close();
            pool.join().unwrap();
            assert_eq!(ran.load(Ordering::SeqCst), 2, "a queued task was lost");
            let results: Vec<_> = handles.into_iter().map(|h| h.get()).collect();
            assert_eq!(results, vec![Ok(0), Ok(1)]);
        });
    }

    /// Loom: `terminate` then `join` never hangs; the task either ran (its result is there)
    /// or was dropped unrun (`Cancelled`) — never half of each. Dropping a running pool
    /// never hangs either.
    #[test]
    fn loom_terminate_never_hangs() {
        loom_check("thread_pool terminate + join", || {
            use crate::model::sync::atomic::{AtomicUsize, Ordering};
            use crate::model::sync::Arc;
            use crate::model::thread_pool::{PoolError, ThreadPool};
            let pool = ThreadPool::new(1).unwrap();
            let ran = Arc::new(AtomicUsize::new(0));
            let counted = ran.clone();
            let handle = pool
                .apply_async(move || counted.fetch_add(1, Ordering::SeqCst))
                .unwrap();
            pool.terminate();
            pool.join().unwrap();
            match handle.get() {
                Ok(_) => assert_eq!(ran.load(Ordering::SeqCst), 1),
                Err(PoolError::Cancelled) => assert_eq!(
                    ran.load(Ordering::SeqCst),
                    0,
                    "a cancelled task must not have run"
                ),
                Err(other) => panic!("unexpected {other:?}"),
            }
            let dropped = ThreadPool::new(1).unwrap();
            let _ = dropped.apply_async(|| 1).unwrap();
            drop(dropped);
        });
    }
}

mod process_pool {
    use super::*;
    use crate::ch07_pools::process_pool::{ProcessPool, ProcessPoolError};
    use grader::Fifo;
    use proptest::prelude::*;

    fn pool(workers: usize) -> ProcessPool {
        ProcessPool::new(workers).expect("ProcessPool::new failed")
    }

    /// Every pid is gone from the process table: exited *and* reaped (no zombie).
    fn assert_all_reaped(pids: &[u32], when: &str) {
        for &pid in pids {
            assert_eq!(
                grader::proc_state(pid),
                None,
                "worker process {pid} is still in the process table {when} (running, or a \
                 zombie nobody waited for)"
            );
        }
    }

    #[test]
    fn a_pool_without_workers_is_an_error() {
        let made = grader::watchdog("ProcessPool::new(0)", || ProcessPool::new(0).err());
        assert_eq!(made, Some(ProcessPoolError::NoWorkers));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

        /// `map` over a registered function: results in input order.
        #[test]
        fn map_runs_a_registered_function_in_input_order(
            inputs in proptest::collection::vec(-10_000i64..10_000, 0..30),
            workers in 1usize..4,
        ) {
            let given = inputs.clone();
            let squares: Result<Vec<i64>, _> =
                grader::watchdog("ProcessPool::map", move || pool(workers).map("square", given));
            prop_assert_eq!(squares, Ok(inputs.iter().map(|x| x * x).collect::<Vec<_>>()));
        }
    }

    /// The seed's `apply_async(f, args=(10, 4))`: several arguments, serialized as a tuple.
    /// Every task runs in one of the pool's own child processes, never in ours.
    #[test]
    fn apply_async_runs_in_the_pools_child_processes() {
        let (product, pids, workers, parents) = grader::watchdog("apply_async", || {
            let pool = pool(2);
            let product = pool
                .apply_async::<_, i64>("multiply", &(10, 4))
                .unwrap()
                .get();
            let pids: Result<Vec<u32>, _> = pool.map("pid", vec![(); 20]);
            let workers = pool.worker_pids();
            let parents: Vec<_> = workers.iter().map(|&p| grader::proc_parent(p)).collect();
            (product, pids, workers, parents)
        });
        assert_eq!(product, Ok(40));
        let pids = pids.expect("the pid tasks failed");
        assert_eq!(workers.len(), 2, "two worker processes");
        assert_eq!(
            parents,
            vec![Some(std::process::id()); 2],
            "the workers must be children of the pool's process"
        );
        for pid in pids {
            assert_ne!(
                pid,
                std::process::id(),
                "tasks run in the workers, not here"
            );
            assert!(
                workers.contains(&pid),
                "task ran in process {pid}, not one of the pool's workers {workers:?}: start \
                 the workers once and reuse them"
            );
        }
    }

    /// Two tasks read named pipes. The test opens the writing end of both before writing a
    /// byte — possible only while two worker processes are blocked reading at once.
    #[test]
    fn workers_run_tasks_at_the_same_time() {
        let (a, b) = (Fifo::new("a.fifo").unwrap(), Fifo::new("b.fifo").unwrap());
        let paths = [a.path().to_owned(), b.path().to_owned()];
        let read = grader::watchdog("two read_file tasks on two workers", move || {
            let pool = Arc::new(pool(2));
            let reading = pool.clone();
            let read = thread::spawn(move || -> Result<Vec<String>, ProcessPoolError> {
                let paths = paths.iter().map(|p| p.to_str().unwrap().to_owned());
                reading.map("read_file", paths)
            });
            let opened = (
                a.open_writer(grader::limit()),
                b.open_writer(grader::limit()),
            );
            let (mut wa, mut wb) = match opened {
                (Ok(wa), Ok(wb)) => (wa, wb),
                (first, second) => panic!(
                    "the two tasks were never running at the same time (a: {}, b: {}): feed \
                     every worker, not one after another",
                    first.map_or_else(|e| e.to_string(), |_| "open".into()),
                    second.map_or_else(|e| e.to_string(), |_| "open".into()),
                ),
            };
            use std::io::Write;
            wa.write_all(b"from a").unwrap();
            wb.write_all(b"from b").unwrap();
            drop((wa, wb));
            read.join().expect("the map thread panicked")
        });
        assert_eq!(read, Ok(vec!["from a".to_owned(), "from b".to_owned()]));
    }

    /// `get(timeout=…)`: a task blocked on a pipe nobody writes yet times out; once written,
    /// its result arrives.
    #[test]
    fn get_timeout_times_out_while_the_task_is_blocked() {
        let fifo = Fifo::new("slow.fifo").unwrap();
        let path = fifo.path().to_str().unwrap().to_owned();
        let (early, late) = grader::watchdog("ProcessTask::get_timeout", move || {
            let pool = pool(1);
            let task = pool.apply_async::<_, String>("read_file", &path).unwrap();
            let wait = Duration::from_millis(20);
            let early = task.get_timeout(wait).map_err(|e| (e, wait));
            fifo.write_all_within(grader::limit(), b"late")
                .expect("the worker never opened the pipe");
            (early, task.get_timeout(grader::limit()))
        });
        let wait = Duration::from_millis(20);
        assert_eq!(
            early,
            Err((ProcessPoolError::Timeout(wait), wait)),
            "nothing was written yet: get_timeout must time out"
        );
        assert_eq!(late, Ok("late".to_owned()));
    }

    #[test]
    fn unknown_functions_and_bad_arguments_are_clear_errors() {
        let (unknown, bad, still) = grader::watchdog("bad tasks", || {
            let pool = pool(1);
            let unknown = pool
                .apply_async::<_, i64>("no_such_function", &1)
                .unwrap()
                .get();
            let bad = pool
                .apply_async::<_, i64>("square", &"seven")
                .unwrap()
                .get();
            let still = pool.apply_async::<_, i64>("square", &7).unwrap().get();
            (unknown, bad, still)
        });
        assert_eq!(
            unknown,
            Err(ProcessPoolError::UnknownFunction("no_such_function".into()))
        );
        assert!(
            matches!(&bad, Err(ProcessPoolError::BadArguments { function, .. }) if function == "square"),
            "wrong argument types are BadArguments naming the function, got {bad:?}"
        );
        assert_eq!(still, Ok(49), "the worker goes on after a bad task");
    }

    /// A worker that dies mid-task: the task fails (not lost, not hanging), the dead worker is
    /// reaped, a fresh one takes its place, and the pool keeps working.
    #[test]
    fn a_crashed_worker_fails_its_task_and_is_replaced() {
        let (before, crashed, after, squares) = grader::watchdog("a crashing worker", || {
            let pool = pool(2);
            let before = pool.worker_pids();
            let crashed = pool.apply_async::<_, ()>("crash", &()).unwrap().get();
            let after = pool.worker_pids();
            let squares: Result<Vec<i64>, _> = pool.map("square", 0..10i64);
            (before, crashed, after, squares)
        });
        assert!(
            matches!(&crashed, Err(ProcessPoolError::WorkerCrashed { function, .. }) if function == "crash"),
            "the crashed worker's task must fail with WorkerCrashed, got {crashed:?}"
        );
        assert_eq!(
            after.len(),
            2,
            "the crashed worker must be replaced: {after:?}"
        );
        let gone: Vec<u32> = before
            .iter()
            .copied()
            .filter(|p| !after.contains(p))
            .collect();
        assert_eq!(
            gone.len(),
            1,
            "exactly one worker was replaced (before {before:?}, after {after:?})"
        );
        assert_all_reaped(&gone, "after it crashed");
        assert_eq!(squares, Ok((0..10).map(|x| x * x).collect()));
    }

    #[test]
    fn close_then_join_finishes_queued_work_and_reaps_every_worker() {
        let (results, pids, after_close) = grader::watchdog("close and join", || {
            let pool = pool(2);
            let pids = pool.worker_pids();
            let tasks: Vec<_> = (0..10i64)
                .map(|x| pool.apply_async::<_, i64>("square", &x).unwrap())
                .collect();
            pool.close();
            let after_close = pool.apply_async::<_, i64>("square", &1).err();
            pool.join().expect("join after close");
            let results: Vec<_> = tasks.into_iter().map(|t| t.get()).collect();
            (results, pids, after_close)
        });
        assert_eq!(results, (0..10).map(|x| Ok(x * x)).collect::<Vec<_>>());
        assert_eq!(after_close, Some(ProcessPoolError::Closed));
        assert_all_reaped(&pids, "after close and join");
    }

    /// Dropping the pool while one task blocks forever and another waits in the queue: the
    /// drop returns, both tasks fail, and no worker process is left.
    #[test]
    fn nothing_keeps_running_after_the_pool_is_dropped() {
        let fifo = Fifo::new("never.fifo").unwrap();
        let path = fifo.path().to_str().unwrap().to_owned();
        let (pids, stuck, queued) = grader::watchdog("dropping a busy pool", move || {
            let pool = pool(1);
            let pids = pool.worker_pids();
            let stuck = pool.apply_async::<_, String>("read_file", &path).unwrap();
            let queued = pool.apply_async::<_, i64>("square", &3).unwrap();
            // Wait until the worker is inside the task: it has opened the pipe for reading.
            let writer = fifo
                .open_writer(grader::limit())
                .expect("the task never started");
            drop(pool);
            drop(writer);
            (pids, stuck.get(), queued.get())
        });
        assert_all_reaped(&pids, "after the pool was dropped");
        assert!(
            matches!(stuck, Err(ProcessPoolError::WorkerCrashed { .. })),
            "the running task fails when its worker is killed, got {stuck:?}"
        );
        assert!(
            matches!(
                queued,
                Err(ProcessPoolError::Cancelled) | Err(ProcessPoolError::WorkerCrashed { .. })
            ),
            "the queued task never ran, got {queued:?}"
        );
    }
}

mod cpu_vs_io {
    use super::*;
    use crate::ch07_pools::cpu_vs_io::{chunk_sizes, ideal_time, parallel_map, NoWorkers};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn chunks_are_as_equal_as_possible(len in 0usize..200, workers in 1usize..16) {
            let sizes = grader::watchdog("chunk_sizes", move || chunk_sizes(len, workers))
                .expect("workers > 0 is fine");
            prop_assert_eq!(sizes.len(), workers.min(len), "min(workers, len) chunks");
            prop_assert_eq!(sizes.iter().sum::<usize>(), len, "every input in a chunk");
            prop_assert!(sizes.iter().all(|&s| s > 0), "no empty chunk: {:?}", sizes);
            prop_assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "larger first: {:?}", sizes);
            if let (Some(max), Some(min)) = (sizes.first(), sizes.last()) {
                prop_assert!(max - min <= 1, "sizes differ by at most one: {:?}", sizes);
            }
        }

        #[test]
        fn ideal_time_is_whole_rounds_of_one_task(
            tasks in 0usize..5_000,
            workers in 1usize..100,
            micros in 1u64..10_000,
        ) {
            let each = Duration::from_micros(micros);
            let ideal = grader::watchdog("ideal_time", move || ideal_time(tasks, workers, each))
                .expect("workers > 0 is fine");
            let rounds = ideal.as_micros() / u128::from(micros);
            prop_assert_eq!(ideal.as_micros() % u128::from(micros), 0, "whole rounds of `each`");
            let rounds = rounds as usize;
            prop_assert!(rounds * workers >= tasks, "{} rounds of {} cannot run {} tasks", rounds, workers, tasks);
            prop_assert!(rounds == 0 || (rounds - 1) * workers < tasks, "{} rounds is more than needed", rounds);
        }

        /// The results in input order, every chunk on a thread of its own (not the caller's):
        /// as many distinct threads as chunks, each doing one chunk's share.
        #[test]
        fn parallel_map_keeps_order_and_shares_the_work(
            inputs in proptest::collection::vec(any::<u32>(), 2..60),
            workers in 2usize..6,
        ) {
            let given = inputs.clone();
            let (results, per_thread) = grader::watchdog("parallel_map", move || {
                let counts = Mutex::new(std::collections::HashMap::new());
                let caller = thread::current().id();
                let results = parallel_map(&given, workers, |x| {
                    let me = thread::current().id();
                    assert_ne!(me, caller, "the work must run on worker threads");
                    *counts.lock().unwrap().entry(me).or_insert(0usize) += 1;
                    u64::from(*x) * 3
                });
                let mut per_thread: Vec<usize> = counts.into_inner().unwrap().into_values().collect();
                per_thread.sort_unstable_by(|a, b| b.cmp(a));
                (results, per_thread)
            });
            let expected: Vec<u64> = inputs.iter().map(|&x| u64::from(x) * 3).collect();
            prop_assert_eq!(results, Ok(expected));
            let chunks = workers.min(inputs.len());
            let shares: Vec<usize> =
                (0..chunks).map(|i| inputs.len() / chunks + usize::from(i < inputs.len() % chunks)).collect();
            prop_assert_eq!(per_thread, shares, "one thread per chunk, each with its equal share");
        }
    }

    /// Four inputs, four workers: each call waits at a start line for all four, which only
    /// works if the four run at the same time. One thread doing all the work (the GIL's way)
    /// never gets past the first.
    #[test]
    fn parallel_map_runs_every_worker_at_once() {
        // Twice the start line's own limit, so that its clearer message wins.
        let limit = grader::limit() * 2;
        let arrived = grader::watchdog_for(limit, "parallel_map with four workers", || {
            let line = StartLine::new(4);
            let gave_up = std::sync::atomic::AtomicBool::new(false);
            parallel_map(&[1, 2, 3, 4], 4, |_| {
                // After one participant gave up waiting, the others need not wait again.
                if gave_up.load(Ordering::SeqCst) {
                    return Err(line.arrived());
                }
                line.arrive().map_err(|e| {
                    gave_up.store(true, Ordering::SeqCst);
                    e.arrived
                })
            })
        });
        assert_eq!(
            arrived,
            Ok(vec![Ok(()); 4]),
            "the four workers must be running at the same time (Err(n): only n ever were)"
        );
    }

    #[test]
    fn no_workers_is_an_error() {
        let errors = grader::watchdog("zero workers", || {
            (
                parallel_map(&[1u8], 0, |x| *x).err(),
                chunk_sizes(3, 0).err(),
                ideal_time(3, 0, Duration::from_millis(1)).err(),
            )
        });
        assert_eq!(errors, (Some(NoWorkers), Some(NoWorkers), Some(NoWorkers)));
    }
}
