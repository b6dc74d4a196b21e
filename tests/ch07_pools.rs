//! Chapter 7 — pools of threads and of processes. `cargo test --test ch07_pools [EXERCISE]`.
//!
//! Each module is one exercise; `loom_*` tests model-check the exercise file itself.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::Duration;

use grader::StartLine;

use grader::loom_check;

grader::chapter!(ch07_pools);

/// A start line for `n` tasks ([`StartLine`]) that never makes the others wait in
/// vain: once one participant gave up (the others never came), the rest give up at once
/// too. `arrive` is `Err(n)` when only `n` were ever there together.
struct Together {
    line: StartLine,
    gave_up: AtomicBool,
}

impl Together {
    fn new(n: usize) -> Self {
        Together {
            line: StartLine::new(n),
            gave_up: AtomicBool::new(false),
        }
    }

    fn arrive(&self) -> Result<(), usize> {
        if self.gave_up.load(Ordering::SeqCst) {
            return Err(self.line.arrived());
        }
        self.line.arrive().map_err(|e| {
            self.gave_up.store(true, Ordering::SeqCst);
            e.arrived
        })
    }
}

/// Keeps the panic hook quiet about panics with this message (a model's deliberate
/// ones), so that a loom finding quotes the assertion that failed, not them.
fn quiet_panics(message: &'static str) {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if workbook::panic_message(info.payload()) != message {
                previous(info);
            }
        }));
    });
}

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

    /// `task` for inputs 0, 1 and 2 on a two-worker pool, made to finish out of input
    /// order for certain: input 0 waits until input 2 has started, and input 2 can start
    /// only on the worker that has finished input 1 (the other one is busy with input
    /// 0). So input 1's result is handed back before input 0's.
    fn out_of_order<U>(
        task: impl Fn(usize) -> U + Send + Sync + 'static,
    ) -> impl Fn(usize) -> Result<U, String> + Send + Sync + 'static {
        let (tx, rx) = mpsc::channel::<()>();
        let (tx, rx) = (Mutex::new(tx), Mutex::new(rx));
        move |i| {
            match i {
                0 => rx
                    .lock()
                    .unwrap()
                    .recv_timeout(grader::limit())
                    .map_err(|_| {
                        "input 0 waited in vain for input 2 to start: were the two workers \
                         running tasks at the same time?"
                            .to_owned()
                    })?,
                2 => {
                    let _ = tx.lock().unwrap().send(());
                }
                _ => {}
            }
            Ok(task(i))
        }
    }

    #[test]
    fn a_pool_without_workers_is_an_error() {
        let made = grader::watchdog("ThreadPool::new(0) to return", || ThreadPool::new(0).err());
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
            let squares = grader::watchdog("ThreadPool::map of x * x to return", move || {
                pool(workers).map(|x: i64| x * x, given)
            });
            let expected: Vec<i64> = inputs.iter().map(|x| x * x).collect();
            prop_assert_eq!(squares, Ok(expected));
        }
    }

    /// Input 1 finishes first and input 0 last, for certain (see [`out_of_order`]):
    /// `map` still returns the results in input order.
    #[test]
    fn map_keeps_input_order_when_tasks_finish_out_of_order() {
        let results = grader::watchdog_for(
            grader::limit() * 2,
            "ThreadPool::map over three tasks that finish out of order to return",
            || pool(2).map(out_of_order(|i| i * 10), 0..3),
        );
        assert_eq!(
            results,
            Ok(vec![Ok(0), Ok(10), Ok(20)]),
            "map must return the results in input order, not in the order the tasks \
             finished (input 1 finished first, input 0 last)"
        );
    }

    /// Inputs 0 and 1 both fail, input 1 first for certain (see [`out_of_order`]): the
    /// error is input 0's, the first in input order.
    #[test]
    fn map_fails_with_the_first_error_in_input_order() {
        let result = grader::watchdog_for(
            grader::limit() * 2,
            "ThreadPool::map over tasks that fail out of order to return",
            || {
                pool(2).map(
                    out_of_order(|i| -> usize {
                        if i < 2 {
                            panic!("input {i} failed");
                        }
                        i
                    }),
                    0..3,
                )
            },
        );
        assert_eq!(
            result,
            Err(PoolError::Panicked("input 0 failed".into())),
            "inputs 0 and 1 both failed, input 1 first: map's error is the first failed \
             task's in input order, input 0's"
        );
    }

    /// The seed's `pool.apply(f, [10])`: it blocks until the task is done, and the task
    /// runs on a worker, not on the caller.
    #[test]
    fn apply_runs_the_task_on_a_worker_and_returns_its_result() {
        let (answer, ran_on, panicked, closed) =
            grader::watchdog("ThreadPool::apply to return each task's result", || {
                let pool = pool(2);
                let answer = pool.apply(|| 6 * 7);
                let ran_on = pool.apply(|| thread::current().name().map(str::to_owned));
                let panicked = pool.apply(|| -> u8 { panic!("boom in apply") });
                pool.close();
                let closed = pool.apply(|| 1).err();
                (answer, ran_on, panicked, closed)
            });
        assert_eq!(answer, Ok(42));
        let name = ran_on.expect("apply on an open pool").unwrap_or_default();
        assert!(
            name.starts_with("pool-worker-"),
            "apply must run the task on one of the pool's workers, but it ran on the \
             thread {name:?}"
        );
        assert_eq!(
            panicked,
            Err(PoolError::Panicked("boom in apply".into())),
            "a task that panics is its own error, with apply as with apply_async"
        );
        assert_eq!(closed, Some(PoolError::Closed), "apply after close");
    }

    /// The seed's `apply_async(f, [10])` then `result.get(timeout=1)`: `apply_async` returns
    /// while the task is still blocked, `get_timeout` times out while it stays blocked, and
    /// the result arrives once the task may finish — then it is taken, once.
    #[test]
    fn apply_async_returns_at_once_and_get_timeout_times_out() {
        grader::watchdog(
            "apply_async to return at once, then get_timeout(20 ms) to give up on a task \
             that cannot finish yet (does get_timeout keep waiting past its deadline?)",
            || {
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
            },
        );
    }

    /// A panicking task is that task's error; the only worker survives and keeps working.
    #[test]
    fn a_panicking_task_is_its_error_and_the_pool_keeps_working() {
        let (panicked, after) = grader::watchdog(
            "a one-worker pool to run a task that panics, then more tasks",
            || {
                let pool = pool(1);
                let worker_before = pool.apply_async(|| thread::current().id()).unwrap().get();
                let boom = pool
                    .apply_async(|| -> u32 { panic!("boom in task 7") })
                    .unwrap()
                    .get();
                let worker_after = pool.apply_async(|| thread::current().id()).unwrap().get();
                let squares = pool.map(|x: u32| x * x, 0..10);
                (boom, (worker_before, worker_after, squares))
            },
        );
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
            grader::watchdog("submitting to a closed pool to be refused", || {
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
        let joined = grader::watchdog(
            "join on a running pool to say StillRunning (does it wait for workers that \
             were never told to stop?)",
            || {
                let pool = pool(1);
                let early = pool.join();
                pool.close();
                (early, pool.join())
            },
        );
        assert_eq!(joined, (Err(PoolError::StillRunning), Ok(())));
    }

    /// The seed's `close(); join()`: every queued task still runs, then the workers exit.
    #[test]
    fn close_then_join_runs_every_queued_task() {
        let (ran, results) = grader::watchdog(
            "close and join to run 40 queued tasks and return (are sleeping workers \
             woken when the pool closes?)",
            || {
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
            },
        );
        assert_eq!(ran, 40, "close must not drop queued work");
        assert_eq!(results, (0..40).map(Ok).collect::<Vec<_>>());
    }

    /// `terminate`: the running task finishes (threads cannot be killed), every queued task
    /// is dropped unrun and its handle says so, and `join` returns.
    #[test]
    fn terminate_drops_queued_tasks_and_join_returns() {
        let (first, queued, ran) = grader::watchdog(
            "terminate and join to return, then the queued tasks' handles to say Cancelled \
             (does a handle whose task was dropped wait for ever?)",
            || {
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
            },
        );
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
        let (together, threads) = grader::watchdog_for(
            limit,
            "three tasks on a three-worker pool to meet, then 60 more to run",
            || {
                let pool = pool(N);
                let line = Arc::new(Together::new(N));
                let seen = Arc::new(Mutex::new(HashSet::new()));
                let record = |seen: &Arc<Mutex<HashSet<thread::ThreadId>>>| {
                    seen.lock().unwrap().insert(thread::current().id());
                };
                let first: Vec<_> = (0..N)
                    .map(|_| {
                        let (line, seen) = (line.clone(), seen.clone());
                        pool.apply_async(move || {
                            record(&seen);
                            line.arrive()
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
            },
        );
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

    /// Three tasks meet at a start line, so each runs on a worker of its own: their
    /// threads are `pool-worker-1`, `pool-worker-2` and `pool-worker-3`.
    #[test]
    fn the_workers_are_named_pool_worker_1_to_n() {
        const N: usize = 3;
        let names = grader::watchdog_for(
            grader::limit() * 2,
            "three tasks on a three-worker pool to meet and say their thread's name",
            || {
                let pool = pool(N);
                let line = Arc::new(Together::new(N));
                let handles: Vec<_> = (0..N)
                    .map(|_| {
                        let line = line.clone();
                        pool.apply_async(move || {
                            let name = thread::current().name().map(str::to_owned);
                            line.arrive().map(|()| name)
                        })
                        .unwrap()
                    })
                    .collect();
                handles.into_iter().map(|h| h.get()).collect::<Vec<_>>()
            },
        );
        let mut names: Vec<Option<String>> = names
            .into_iter()
            .map(|name| {
                name.expect("a task failed")
                    .expect("the three workers must run tasks at the same time")
            })
            .collect();
        names.sort();
        let expected: Vec<Option<String>> =
            (1..=N).map(|i| Some(format!("pool-worker-{i}"))).collect();
        assert_eq!(
            names, expected,
            "the workers are named pool-worker-1 … pool-worker-{N}"
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
            assert_eq!(
                ran.load(Ordering::SeqCst),
                2,
                "a queued task was lost: after close and join, both tasks must have run"
            );
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

    /// Loom: one worker, two inputs, the first one fails. In every interleaving `map`
    /// returns that error only after the second task has finished too.
    #[test]
    fn loom_map_returns_only_after_every_task_finished() {
        loom_check("thread_pool map with a failing task", || {
            use crate::model::sync::atomic::{AtomicBool, Ordering};
            use crate::model::sync::Arc;
            use crate::model::thread_pool::{PoolError, ThreadPool};
            quiet_panics("input 0 failed");
            let pool = ThreadPool::new(1).unwrap();
            let second_ran = Arc::new(AtomicBool::new(false));
            let flag = second_ran.clone();
            let result = pool.map(
                move |i: u8| {
                    if i == 0 {
                        panic!("input 0 failed");
                    }
                    flag.store(true, Ordering::SeqCst);
                    i
                },
                [0, 1],
            );
            assert_eq!(result, Err(PoolError::Panicked("input 0 failed".into())));
            assert!(
                second_ran.load(Ordering::SeqCst),
                "map returned input 0's error while input 1's task had not run yet: \
                 wait for every task before returning"
            );
        });
    }
}

mod process_pool {
    use super::*;
    use crate::ch07_pools::process_pool::{ProcessPool, ProcessPoolError};
    use grader::Fifo;
    use proptest::prelude::*;
    use std::io::Write;

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

    fn path(fifo: &Fifo) -> String {
        fifo.path()
            .to_str()
            .expect("a UTF-8 temporary path")
            .to_owned()
    }

    /// Writes `data` to `fifo` once a task has opened it for reading: that a reader came
    /// proves the task is running. `what` names the task for the failure message.
    #[track_caller]
    fn feed(fifo: &Fifo, data: &[u8], what: &str) {
        fifo.write_all_within(grader::limit(), data)
            .unwrap_or_else(|e| panic!("{what} never started ({e})"));
    }

    /// Opens, and at once closes, the writing end of every FIFO someone is blocked
    /// reading, so that a failing test leaves no worker stuck in a `read_file`.
    struct Unblock<'a>(&'a [Fifo]);

    impl Drop for Unblock<'_> {
        fn drop(&mut self) {
            for fifo in self.0 {
                drop(fifo.open_writer(Duration::ZERO));
            }
        }
    }

    #[test]
    fn a_pool_without_workers_is_an_error() {
        let made = grader::watchdog("ProcessPool::new(0) to return", || {
            ProcessPool::new(0).err()
        });
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
            let squares: Result<Vec<i64>, _> = grader::watchdog(
                "ProcessPool::map of `square` to return",
                move || pool(workers).map("square", given),
            );
            prop_assert_eq!(squares, Ok(inputs.iter().map(|x| x * x).collect::<Vec<_>>()));
        }
    }

    /// Three `read_file` tasks on two workers, made to finish out of input order: task
    /// b is fed first; task c can start only on the worker that has answered b (the
    /// other one is busy with a), and only once c has started is a fed. So b's result
    /// is in before a's, for certain.
    #[test]
    fn map_keeps_input_order_when_tasks_finish_out_of_order() {
        let fifos = [
            Fifo::new("a.fifo").unwrap(),
            Fifo::new("b.fifo").unwrap(),
            Fifo::new("c.fifo").unwrap(),
        ];
        let paths: Vec<String> = fifos.iter().map(path).collect();
        let read = grader::watchdog_for(
            grader::limit() * 2,
            "ProcessPool::map over three tasks that finish out of order to return",
            move || {
                let _unblock = Unblock(&fifos);
                let pool = Arc::new(pool(2));
                let mapping = {
                    let pool = Arc::clone(&pool);
                    thread::spawn(move || pool.map::<_, String>("read_file", paths))
                };
                let [a, b, c] = &fifos;
                feed(b, b"from b", "the second task (while the first waits)");
                feed(
                    c,
                    b"from c",
                    "the third task, after the second was answered",
                );
                feed(a, b"from a", "the first task");
                mapping.join().expect("the thread calling map panicked")
            },
        );
        assert_eq!(
            read,
            Ok(vec![
                "from a".to_owned(),
                "from b".to_owned(),
                "from c".to_owned()
            ]),
            "map must return the results in input order, not in the order the tasks \
             finished (b finished before a)"
        );
    }

    /// Tasks a and b both fail, b first for certain (a waits on a named pipe that is
    /// fed only once task c has started on the worker that answered b): the error is
    /// a's, the first in input order.
    #[test]
    fn map_fails_with_the_first_error_in_input_order() {
        let fifos = [Fifo::new("a.fifo").unwrap(), Fifo::new("c.fifo").unwrap()];
        let dir = grader::temp_dir();
        let missing = dir.path().join("missing.txt").to_str().unwrap().to_owned();
        let (a_path, inputs) = {
            let a = path(&fifos[0]);
            (a.clone(), vec![a, missing, path(&fifos[1])])
        };
        let failed = grader::watchdog_for(
            grader::limit() * 2,
            "ProcessPool::map over tasks that fail out of order to return",
            move || {
                let _unblock = Unblock(&fifos);
                let pool = Arc::new(pool(2));
                let mapping = {
                    let pool = Arc::clone(&pool);
                    thread::spawn(move || pool.map::<_, String>("read_file", inputs))
                };
                let [a, c] = &fifos;
                feed(c, b"from c", "the third task, after the second one failed");
                // Not UTF-8: `read_file` fails.
                feed(a, &[0xff, 0xfe, 0xfd], "the first task");
                mapping.join().expect("the thread calling map panicked")
            },
        );
        match failed {
            Err(ProcessPoolError::TaskFailed { function, message }) => {
                assert_eq!(function, "read_file");
                assert!(
                    message.contains(&a_path),
                    "tasks a and b both failed, b first: map's error is the first failed \
                     task's in input order, a's ({a_path}), but it was: {message}"
                );
            }
            other => panic!("two of the three tasks fail: expected TaskFailed, got {other:?}"),
        }
    }

    /// The seed's `apply_async(f, args=(10, 4))`: several arguments, serialized as a tuple.
    /// Every task runs in one of the pool's own child processes, never in ours.
    #[test]
    fn apply_async_runs_in_the_pools_child_processes() {
        let (product, pids, workers, parents) = grader::watchdog(
            "apply_async of `multiply`, then a map of `pid`, to return",
            || {
                let pool = pool(2);
                let product = pool
                    .apply_async::<_, i64>("multiply", &(10, 4))
                    .unwrap()
                    .get();
                let pids: Result<Vec<u32>, _> = pool.map("pid", vec![(); 20]);
                let workers = pool.worker_pids();
                let parents: Vec<_> = workers.iter().map(|&p| grader::proc_parent(p)).collect();
                (product, pids, workers, parents)
            },
        );
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

    /// The seed's blocking `pool.apply`: the result is there when it returns, and the
    /// call ran in a worker process.
    #[test]
    fn apply_runs_one_call_in_a_worker_and_returns_its_result() {
        let (product, ran_in, workers, closed) =
            grader::watchdog("ProcessPool::apply to return each call's result", || {
                let pool = pool(1);
                let product = pool.apply::<_, i64>("multiply", &(6, 7));
                let ran_in = pool.apply::<_, u32>("pid", &());
                let workers = pool.worker_pids();
                pool.close();
                let closed = pool.apply::<_, i64>("square", &3).err();
                (product, ran_in, workers, closed)
            });
        assert_eq!(product, Ok(42));
        let pid = ran_in.expect("apply of `pid`");
        assert!(
            pid != std::process::id() && workers.contains(&pid),
            "apply must run the call in one of the pool's workers {workers:?}, but it ran \
             in process {pid} (ours is {})",
            std::process::id()
        );
        assert_eq!(closed, Some(ProcessPoolError::Closed), "apply after close");
    }

    /// Two tasks read named pipes. The test opens the writing end of both before writing a
    /// byte — possible only while two worker processes are blocked reading at once.
    #[test]
    fn workers_run_tasks_at_the_same_time() {
        let (a, b) = (Fifo::new("a.fifo").unwrap(), Fifo::new("b.fifo").unwrap());
        let paths = [a.path().to_owned(), b.path().to_owned()];
        let read = grader::watchdog(
            "two read_file tasks on two workers, both reading at once, to return",
            move || {
                let pool = Arc::new(pool(2));
                let reading = pool.clone();
                let read = thread::spawn(move || -> Result<Vec<String>, ProcessPoolError> {
                    let paths = paths.iter().map(|p| p.to_str().unwrap().to_owned());
                    reading.map("read_file", paths)
                });
                let opened = (
                    a.open_writer(grader::limit() / 2),
                    b.open_writer(grader::limit() / 2),
                );
                let (mut wa, mut wb) = match opened {
                    (Ok(wa), Ok(wb)) => (wa, wb),
                    (first, second) => {
                        let _unblock = Unblock(std::slice::from_ref(&a));
                        panic!(
                            "the two tasks were never running at the same time (a: {}, b: \
                             {}): feed every worker, not one after another",
                            first.map_or_else(|e| e.to_string(), |_| "open".into()),
                            second.map_or_else(|e| e.to_string(), |_| "open".into()),
                        )
                    }
                };
                wa.write_all(b"from a").unwrap();
                wb.write_all(b"from b").unwrap();
                drop((wa, wb));
                read.join().expect("the map thread panicked")
            },
        );
        assert_eq!(read, Ok(vec!["from a".to_owned(), "from b".to_owned()]));
    }

    /// `get(timeout=…)`: a task blocked on a pipe nobody writes yet times out; once written,
    /// its result arrives.
    #[test]
    fn get_timeout_times_out_while_the_task_is_blocked() {
        let fifo = Fifo::new("slow.fifo").unwrap();
        let path = fifo.path().to_str().unwrap().to_owned();
        let (early, late) = grader::watchdog(
            "get_timeout(20 ms) to give up on a task blocked on a pipe (does it wait past \
             its deadline?)",
            move || {
                let pool = pool(1);
                let task = pool.apply_async::<_, String>("read_file", &path).unwrap();
                let wait = Duration::from_millis(20);
                let early = task.get_timeout(wait).map_err(|e| (e, wait));
                fifo.write_all_within(grader::limit(), b"late")
                    .expect("the worker never opened the pipe");
                (early, task.get_timeout(grader::limit()))
            },
        );
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
        let (unknown, bad, still) = grader::watchdog(
            "tasks with an unknown function and bad arguments to fail, then a good one to \
             succeed",
            || {
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
            },
        );
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
    /// reaped — while the pool is still running — a fresh one takes its place, and the
    /// pool keeps working.
    #[test]
    fn a_crashed_worker_fails_its_task_and_is_replaced() {
        let (before, crashed, after, squares) = grader::watchdog(
            "a task whose worker crashes to fail, then more tasks to run (is the task of a \
             dead worker ever answered?)",
            || {
                let pool = pool(2);
                let before = pool.worker_pids();
                let crashed = pool.apply_async::<_, ()>("crash", &()).unwrap().get();
                let after = pool.worker_pids();
                let gone: Vec<u32> = before
                    .iter()
                    .copied()
                    .filter(|p| !after.contains(p))
                    .collect();
                // While the pool still runs: nobody else could have reaped it.
                assert_all_reaped(&gone, "once its task was reported as crashed");
                let squares: Result<Vec<i64>, _> = pool.map("square", 0..10i64);
                (before, crashed, after, squares)
            },
        );
        assert!(
            matches!(&crashed, Err(ProcessPoolError::WorkerCrashed { function, .. }) if function == "crash"),
            "the crashed worker's task must fail with WorkerCrashed, got {crashed:?}"
        );
        assert_eq!(
            after.len(),
            2,
            "the crashed worker must be replaced: {after:?}"
        );
        let gone = before.iter().filter(|p| !after.contains(p)).count();
        assert_eq!(
            gone, 1,
            "exactly one worker was replaced (before {before:?}, after {after:?})"
        );
        assert_eq!(squares, Ok((0..10).map(|x| x * x).collect()));
    }

    #[test]
    fn close_then_join_finishes_queued_work_and_reaps_every_worker() {
        let (early, results, pids, after_close) = grader::watchdog(
            "close and join to finish the queued tasks and return",
            || {
                let pool = pool(2);
                let pids = pool.worker_pids();
                let early = pool.join().err();
                let tasks: Vec<_> = (0..10i64)
                    .map(|x| pool.apply_async::<_, i64>("square", &x).unwrap())
                    .collect();
                pool.close();
                let after_close = pool.apply_async::<_, i64>("square", &1).err();
                pool.join().expect("join after close");
                // Before the pool is dropped: join itself must have reaped them.
                assert_all_reaped(&pids, "after close and join");
                let results: Vec<_> = tasks.into_iter().map(|t| t.get()).collect();
                (early, results, pids, after_close)
            },
        );
        assert_eq!(
            early,
            Some(ProcessPoolError::StillRunning),
            "join before close or terminate"
        );
        assert_eq!(results, (0..10).map(|x| Ok(x * x)).collect::<Vec<_>>());
        assert_eq!(after_close, Some(ProcessPoolError::Closed));
        assert_all_reaped(&pids, "after the pool was dropped");
    }

    /// The only worker is made slow to exit (`exit_slowly`): once its stdin is closed it
    /// waits for the test, which lets it go only once a thread of ours is blocked
    /// waiting for a child (as `/proc` shows), or `join` has returned. A `join` that
    /// looks once (`try_wait`), or sleeps "long enough" and then looks, returns while
    /// the worker still runs, and it is never reaped.
    #[test]
    fn join_waits_for_a_worker_that_is_slow_to_exit() {
        let fifo = Fifo::new("exit.fifo").unwrap();
        let exit_pipe = path(&fifo);
        let (pids, returned_early, joined) = grader::watchdog(
            "close and join, with a worker slow to exit, to return once the worker could \
             exit",
            move || {
                let pool = Arc::new(pool(1));
                let pids = pool.worker_pids();
                pool.apply::<_, ()>("exit_slowly", &exit_pipe)
                    .expect("the exit_slowly task failed");
                pool.close();
                let joining = {
                    let pool = Arc::clone(&pool);
                    thread::spawn(move || pool.join())
                };
                let deadline = std::time::Instant::now() + grader::limit() / 2;
                while !grader::waiting_for_a_child(std::process::id()) && !joining.is_finished() {
                    assert!(
                        std::time::Instant::now() < deadline,
                        "join neither waited for the worker (blocked in Child::wait) nor \
                         returned"
                    );
                    thread::sleep(Duration::from_millis(1));
                }
                let returned_early = joining.is_finished();
                // Let the worker exit.
                drop(
                    fifo.open_writer(grader::limit())
                        .expect("the worker never opened its pipe: was its stdin closed?"),
                );
                let joined = joining.join().expect("join panicked");
                // Before the pool is dropped: join itself must have reaped it.
                let left: Vec<_> = pids.iter().filter_map(|&p| grader::proc_state(p)).collect();
                (pids, returned_early, (joined, left))
            },
        );
        let (joined, left) = joined;
        assert_eq!(joined, Ok(()), "join after close");
        assert!(
            !returned_early && left.is_empty(),
            "join returned while the worker {pids:?} was still running (it was slow to \
             exit), and it was left in the process table ({left:?}): wait for every \
             worker until it has exited (Child::wait), however long it takes"
        );
    }

    /// Dropping the pool while one task blocks forever and another waits in the queue: the
    /// drop returns, both tasks fail, and no worker process is left.
    #[test]
    fn nothing_keeps_running_after_the_pool_is_dropped() {
        let fifo = Fifo::new("never.fifo").unwrap();
        let path = fifo.path().to_str().unwrap().to_owned();
        let (pids, stuck, queued) = grader::watchdog(
            "dropping a pool whose worker is stuck in a task to return (are the workers \
             killed, or only asked to finish?)",
            move || {
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
            },
        );
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

    #[test]
    fn the_program_maps_on_a_pool_of_processes() {
        let output = grader::run_program("process_pool", &["primes", "2", "3", "100"]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("results: 3\n"),
            "`cargo run -- run process_pool primes 2 3 100` should map count_primes over \
             three inputs on two worker processes and print `results: 3`; it printed \
             {stdout:?} and said {:?}",
            String::from_utf8_lossy(&output.stderr)
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
            let sizes = grader::watchdog("chunk_sizes to return", move || chunk_sizes(len, workers))
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
            let ideal = grader::watchdog("ideal_time to return", move || ideal_time(tasks, workers, each))
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
            let (results, per_thread) = grader::watchdog("parallel_map to return", move || {
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
        let arrived = grader::watchdog_for(
            limit,
            "parallel_map with four workers to return (its four calls wait for each other)",
            || {
                let line = Together::new(4);
                parallel_map(&[1, 2, 3, 4], 4, |_| line.arrive())
            },
        );
        assert_eq!(
            arrived,
            Ok(vec![Ok(()); 4]),
            "the four workers must be running at the same time (Err(n): only n ever were)"
        );
    }

    /// Sends once, when the thread that holds it exits.
    struct OnExit(mpsc::Sender<()>);

    impl Drop for OnExit {
        fn drop(&mut self) {
            let _ = self.0.send(());
        }
    }

    thread_local! {
        static ON_EXIT: std::cell::RefCell<Option<OnExit>> =
            const { std::cell::RefCell::new(None) };
    }

    /// Two chunks, `[0, 1]` and `[2, 3]`, made to finish last-first for certain: the
    /// call for input 0 waits until the thread that computed input 3 has *exited*
    /// (its chunk's results are handed back by then). The results still come back in
    /// input order.
    #[test]
    fn parallel_map_keeps_input_order_when_the_last_chunk_finishes_first() {
        let results = grader::watchdog_for(
            grader::limit() * 2,
            "parallel_map over two chunks that finish last-first to return",
            || {
                let (exited_tx, exited) = mpsc::channel();
                let (exited_tx, exited) = (Mutex::new(exited_tx), Mutex::new(exited));
                parallel_map(&[0u32, 1, 2, 3], 2, |&x| {
                    if x == 3 {
                        let tx = exited_tx.lock().unwrap().clone();
                        ON_EXIT.with(|slot| *slot.borrow_mut() = Some(OnExit(tx)));
                    }
                    if x == 0 {
                        exited
                            .lock()
                            .unwrap()
                            .recv_timeout(grader::limit())
                            .map_err(|_| {
                                "input 0 waited in vain for the thread of the last chunk to \
                                 finish: does every chunk run on a thread of its own, all at \
                                 once?"
                            })?;
                    }
                    Ok::<u32, &str>(x * 3)
                })
            },
        );
        assert_eq!(
            results,
            Ok(vec![Ok(0), Ok(3), Ok(6), Ok(9)]),
            "the results in input order, although the chunk [2, 3] finished first"
        );
    }

    #[test]
    fn no_workers_is_an_error() {
        let errors = grader::watchdog("the functions, given zero workers, to return", || {
            (
                parallel_map(&[1u8], 0, |x| *x).err(),
                chunk_sizes(3, 0).err(),
                ideal_time(3, 0, Duration::from_millis(1)).err(),
            )
        });
        assert_eq!(errors, (Some(NoWorkers), Some(NoWorkers), Some(NoWorkers)));
    }

    #[test]
    fn the_program_shares_the_tasks_among_worker_threads() {
        // Three tasks, each the primes below 100 (25 of them), on two workers: two chunks.
        let output = grader::run_program("cpu_vs_io", &["2", "3", "100"]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("primes: 75 (on 2 threads)\n"),
            "`cargo run -- run cpu_vs_io 2 3 100` should print `primes: 75 (on 2 threads)`: \
             parallel_map runs each chunk on a thread of its own, never the caller's. It \
             printed {stdout:?} and said {:?}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
