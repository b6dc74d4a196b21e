//! Chapter 12 — channels and shared reading. `cargo test --test ch12_channels [EXERCISE]`.
//!
//! Each module is one exercise; `loom_*` tests model-check the exercise file itself.

use grader::loom_check;

grader::chapter!(ch12_channels);

mod channels {
    use super::*;
    use crate::ch12_channels::channels::{
        fan_out_fan_in, writer_reader, ChannelsError, Clerk, Job, Refused,
    };
    use grader::StartLine;
    use std::collections::HashSet;
    use std::sync::{mpsc, Mutex};

    const LETTERS: [&str; 7] = ["W", "I", "L", "L", "A", "R", "D"];

    #[test]
    fn writer_reader_reads_every_letter_in_order_and_ends() {
        let lines = grader::watchdog(
            "writer_reader to return. Its reader's loop ends only once every Sender of \
             the channel is dropped: is a Sender (or a clone of it) still alive in the \
             thread that started the writer?",
            || writer_reader(&LETTERS),
        );
        let want: Vec<String> = LETTERS
            .iter()
            .map(|l| format!("Get {l} from queue."))
            .collect();
        assert_eq!(lines, want, "every letter, in the order written");
    }

    #[test]
    fn loom_writer_reader_ends_in_every_interleaving() {
        loom_check("channels::writer_reader", || {
            let lines = crate::model::channels::writer_reader(&["a", "b"]);
            assert_eq!(lines, ["Get a from queue.", "Get b from queue."]);
        });
    }

    /// Input `i` finishes only after input `i + 1` has, and after the thread that ran it
    /// has gone on (to sleep, in its next receive, or out): by then its result is sent. The
    /// results arrive in reverse order on every run, so results placed as they arrive
    /// come out backwards.
    #[test]
    fn results_come_back_in_input_order_whatever_order_the_workers_finish_in() {
        let results = grader::watchdog(
            "fan_out_fan_in with 3 workers whose inputs finish last-first (each waits for \
             the next one to finish: the three must run at once)",
            || {
                let (txs, rxs): (Vec<_>, Vec<_>) = (0..4).map(|_| mpsc::channel::<()>()).unzip();
                let txs: Vec<_> = txs.into_iter().map(Mutex::new).collect();
                let rxs: Vec<_> = rxs.into_iter().map(Mutex::new).collect();
                // Which thread ran input `i`, and how often it had slept when it ended.
                let ran: Vec<Mutex<(i32, u64)>> = (0..4).map(|_| Mutex::new((0, 0))).collect();
                // Nobody waits for input 3's signal: input 2 may finish at once.
                txs[3].lock().unwrap().send(()).unwrap();
                fan_out_fan_in(vec![0usize, 1, 2], 3, |i| {
                    rxs[i + 1]
                        .lock()
                        .unwrap()
                        .recv()
                        .expect("the next input's signal");
                    if i < 2 {
                        let (tid, slept) = *ran[i + 1].lock().unwrap();
                        while !grader::thread_gone(tid) && grader::sleeps_of(tid) == slept {
                            std::thread::yield_now();
                        }
                    }
                    let me = grader::tid();
                    *ran[i].lock().unwrap() = (me, grader::sleeps_of(me));
                    txs[i].lock().unwrap().send(()).unwrap();
                    i * 10
                })
            },
        );
        assert_eq!(
            results,
            Ok(vec![0, 10, 20]),
            "results must be in input order, not in the order the workers finished"
        );
    }

    #[test]
    fn every_worker_gets_an_input_and_they_all_run_at_once() {
        let results = grader::watchdog("fan_out_fan_in with 4 workers and 4 inputs", || {
            let line = StartLine::new(4);
            fan_out_fan_in(vec![1u32, 2, 3, 4], 4, |x| {
                line.arrive().map(|()| x * x).map_err(|e| e.to_string())
            })
        });
        let results = results.expect("fan_out_fan_in failed");
        for result in &results {
            if let Err(e) = result {
                panic!(
                    "with 4 workers and 4 inputs, all 4 calls of f must run at the same \
                     time, but {e}: give every worker its own input"
                );
            }
        }
        let results: Vec<u32> = results.into_iter().map(Result::unwrap).collect();
        assert_eq!(results, [1, 4, 9, 16]);
    }

    #[test]
    fn never_more_than_workers_threads_call_f() {
        let threads = grader::watchdog("fan_out_fan_in with 3 workers and 30 inputs", || {
            let seen = Mutex::new(HashSet::new());
            let results = fan_out_fan_in((0..30u64).collect(), 3, |x| {
                seen.lock().unwrap().insert(std::thread::current().id());
                x + 1
            });
            assert_eq!(results, Ok((1..=30).collect::<Vec<_>>()));
            seen.into_inner().unwrap().len()
        });
        assert!(
            threads <= 3,
            "f was called on {threads} different threads, but there are only 3 workers: \
             start the workers once and send every input to one of them"
        );
    }

    #[test]
    fn no_workers_is_an_error_and_no_inputs_is_no_results() {
        let none = grader::watchdog("fan_out_fan_in with 0 workers", || {
            fan_out_fan_in(vec![1, 2, 3], 0, |x: i32| x)
        });
        assert_eq!(none, Err(ChannelsError::NoWorkers));
        let empty = grader::watchdog(
            "fan_out_fan_in with no inputs to return (does the results loop wait for a \
             Sender nobody drops?)",
            || fan_out_fan_in(Vec::<i32>::new(), 2, |x| x),
        );
        assert_eq!(empty, Ok(vec![]));
    }

    #[test]
    fn loom_fan_in_collects_every_result() {
        loom_check("channels::fan_out_fan_in", || {
            let results = crate::model::channels::fan_out_fan_in(vec![1, 2], 2, |x| x * 10);
            assert_eq!(results, Ok(vec![10, 20]));
        });
    }

    fn job<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> Job<R> {
        Box::new(f)
    }

    /// A job that says when it has started and then waits for the test's word.
    fn gated(value: u32) -> (Job<u32>, mpsc::Receiver<()>, mpsc::Sender<()>) {
        let (started_tx, started_rx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let job = job(move || {
            started_tx.send(()).unwrap();
            go_rx.recv().expect("the test's go");
            value
        });
        (job, started_rx, go_tx)
    }

    #[test]
    fn offer_to_a_busy_clerk_gives_the_job_back_at_once() {
        let (refused, results) = grader::watchdog(
            "the clerk: hand a job, offer another while it works, finish",
            || {
                let clerk = Clerk::start();
                let (first, started, go) = gated(1);
                clerk.hand(first).expect("the clerk took nothing");
                started.recv().expect("the clerk never ran the first job");
                // The clerk is inside the first job: nobody waits at the desk.
                let refused = clerk.offer(job(|| 2));
                go.send(()).unwrap();
                let refused = refused.map_err(|r| match r {
                    Refused::Busy(job) => Ok(job()),
                    Refused::Gone(_) => Err("Gone"),
                });
                (refused, clerk.finish())
            },
        );
        match refused {
            Err(Ok(2)) => {}
            Ok(()) => panic!(
                "offer took a job while the clerk was busy with another: the desk must \
                 have no room to queue it (sync_channel(0))"
            ),
            other => panic!("offer to a busy clerk must be Err(Busy(the job)), got {other:?}"),
        }
        assert_eq!(results, Ok(vec![1]), "only the first job was taken");
    }

    #[test]
    fn offer_to_a_waiting_clerk_is_taken() {
        let results = grader::watchdog(
            "an offer to be taken by the idle clerk (offered again and again until it is)",
            || {
                let clerk = Clerk::start();
                let mut next = job(|| 7u32);
                loop {
                    match clerk.offer(next) {
                        Ok(()) => break,
                        Err(Refused::Busy(job)) => next = job,
                        Err(Refused::Gone(_)) => panic!("the clerk is gone"),
                    }
                    std::thread::yield_now();
                }
                clerk.finish()
            },
        );
        assert_eq!(results, Ok(vec![7]));
    }

    #[test]
    fn hand_waits_for_the_clerk_and_finish_returns_every_result_in_order() {
        let results = grader::watchdog(
            "the clerk to finish (finish waits for its thread, whose loop ends only once \
             every Sender of the desk is dropped)",
            || {
                let clerk = Clerk::start();
                for i in 1..=5u32 {
                    clerk.hand(job(move || i * 100)).expect("the clerk is gone");
                }
                clerk.finish()
            },
        );
        assert_eq!(results, Ok(vec![100, 200, 300, 400, 500]));
    }

    #[test]
    fn a_job_that_panics_ends_the_clerk_and_finish_says_so() {
        let (after, results) = grader::watchdog("a clerk whose job panicked", || {
            let clerk = Clerk::<u32>::start();
            clerk
                .hand(job(|| panic!("the clerk tripped")))
                .expect("the clerk took nothing");
            let after = clerk.hand(job(|| 1)).map_err(|r| format!("{r:?}"));
            (after, clerk.finish())
        });
        assert_eq!(
            after,
            Err("Gone(job)".to_owned()),
            "after its job panicked, the clerk is gone: hand must give the job back"
        );
        assert_eq!(
            results,
            Err(ChannelsError::ClerkPanicked("the clerk tripped".into()))
        );
    }

    #[test]
    fn loom_a_busy_clerk_refuses_an_offer() {
        loom_check("channels::Clerk offer while busy", || {
            use crate::model::channels::{Clerk, Refused};
            use crate::model::sync::mpsc;
            let clerk = Clerk::start();
            let (started_tx, started_rx) = mpsc::channel();
            let (go_tx, go_rx) = mpsc::channel::<()>();
            clerk
                .hand(Box::new(move || {
                    started_tx.send(()).unwrap();
                    go_rx.recv().unwrap();
                    1u32
                }))
                .unwrap();
            started_rx.recv().unwrap();
            let offered = clerk.offer(Box::new(|| 2));
            assert!(
                matches!(offered, Err(Refused::Busy(_))),
                "offer to a busy clerk must be Busy, got {offered:?}"
            );
            go_tx.send(()).unwrap();
            assert_eq!(clerk.finish(), Ok(vec![1]));
        });
    }
}

mod select {
    use crate::ch12_channels::select::{serve, Event, Inputs, Stop, Summary};
    use crossbeam_channel::{unbounded, Receiver, Sender};
    use std::time::{Duration, Instant};

    /// The test's ends of the four channels, and the events `serve` sends.
    struct Rig {
        jobs: Option<Sender<u64>>,
        ticks: Option<Sender<Instant>>,
        shutdown: Option<Sender<()>>,
        deadline: Option<Sender<Instant>>,
        events: Receiver<Event>,
    }

    fn rig() -> (Rig, Inputs, Sender<Event>) {
        let (jobs_tx, jobs) = unbounded();
        let (ticks_tx, ticks) = unbounded();
        let (shutdown_tx, shutdown) = unbounded();
        let (deadline_tx, deadline) = unbounded();
        let (events_tx, events) = unbounded();
        let rig = Rig {
            jobs: Some(jobs_tx),
            ticks: Some(ticks_tx),
            shutdown: Some(shutdown_tx),
            deadline: Some(deadline_tx),
            events,
        };
        let inputs = Inputs {
            jobs,
            ticks,
            shutdown,
            deadline,
        };
        (rig, inputs, events_tx)
    }

    fn double(x: u64) -> u64 {
        x * 2
    }

    fn done(job: u64) -> Event {
        Event::Done {
            job,
            result: double(job),
        }
    }

    /// Runs `serve` on a thread of its own; the test plays the other ends.
    fn start(inputs: Inputs, events: Sender<Event>) -> std::thread::JoinHandle<Summary> {
        std::thread::spawn(move || serve(inputs, &events, double))
    }

    /// The next event, within the watchdog's limit.
    fn next_event(rig: &Rig, server: &std::thread::JoinHandle<Summary>, what: &str) -> Event {
        match rig.events.recv_timeout(grader::limit()) {
            Ok(event) => event,
            Err(_) if server.is_finished() => {
                panic!("serve returned (or panicked) before sending {what}")
            }
            Err(_) => panic!(
                "{} {:?}: still waiting for {what}",
                grader::STUCK,
                grader::limit()
            ),
        }
    }

    #[test]
    fn every_job_is_done_in_order_and_serve_ends_when_the_job_senders_are_gone() {
        let (summary, events) = grader::watchdog(
            "serve to return after every job sender was dropped (a receive on `jobs` \
             then says it is disconnected)",
            || {
                let (mut rig, inputs, events) = rig();
                for job in 1..=5 {
                    rig.jobs.as_ref().unwrap().send(job).unwrap();
                }
                rig.jobs = None;
                let summary = serve(inputs, &events, double);
                drop(events);
                (summary, rig.events.iter().collect::<Vec<_>>())
            },
        );
        assert_eq!(events, (1..=5).map(done).collect::<Vec<_>>());
        assert_eq!(
            summary,
            Summary {
                stop: Stop::JobsDone,
                done: 5,
                left: vec![]
            }
        );
    }

    #[test]
    fn a_tick_reports_how_many_jobs_are_done_so_far() {
        let summary = grader::watchdog("serve answering jobs and ticks one by one", || {
            let (rig, inputs, events) = rig();
            let server = start(inputs, events);
            let tick = |rig: &Rig| rig.ticks.as_ref().unwrap().send(Instant::now()).unwrap();
            tick(&rig);
            assert_eq!(
                next_event(&rig, &server, "a Progress event for the first tick"),
                Event::Progress { done: 0 }
            );
            rig.jobs.as_ref().unwrap().send(4).unwrap();
            assert_eq!(next_event(&rig, &server, "job 4's Done event"), done(4));
            tick(&rig);
            assert_eq!(
                next_event(&rig, &server, "a Progress event for the second tick"),
                Event::Progress { done: 1 }
            );
            for job in [5, 6] {
                rig.jobs.as_ref().unwrap().send(job).unwrap();
                assert_eq!(next_event(&rig, &server, "a Done event"), done(job));
            }
            tick(&rig);
            assert_eq!(
                next_event(&rig, &server, "a Progress event for the third tick"),
                Event::Progress { done: 3 }
            );
            rig.shutdown.as_ref().unwrap().send(()).unwrap();
            let summary = server.join().expect("serve panicked");
            assert!(
                rig.events.try_recv().is_err(),
                "no event after the shutdown"
            );
            drop(rig);
            summary
        });
        assert_eq!(
            summary,
            Summary {
                stop: Stop::Shutdown,
                done: 3,
                left: vec![]
            }
        );
    }

    /// Jobs and a stop signal waiting together, `TRIES` times in a row on one thread:
    /// `select!` alone would pick a job some of those times.
    const TRIES: usize = 32;

    fn stop_wins(send_stop: fn(&mut Rig), want: Stop) {
        let outcomes = grader::watchdog("serve with jobs and a stop signal waiting", move || {
            (0..TRIES)
                .map(|_| {
                    let (mut rig, inputs, events) = rig();
                    for job in [1, 2, 3] {
                        rig.jobs.as_ref().unwrap().send(job).unwrap();
                    }
                    send_stop(&mut rig);
                    let summary = serve(inputs, &events, double);
                    drop(events);
                    let events: Vec<Event> = rig.events.iter().collect();
                    (summary, events)
                })
                .collect::<Vec<_>>()
        });
        for (i, (summary, events)) in outcomes.into_iter().enumerate() {
            assert!(
                events.is_empty(),
                "try {} of {TRIES}: a {want:?} was waiting, yet serve started jobs \
                 ({events:?}): select! picks at random among what is ready, so ask for \
                 the stop signals first",
                i + 1
            );
            assert_eq!(
                summary,
                Summary {
                    stop: want,
                    done: 0,
                    left: vec![1, 2, 3]
                },
                "try {} of {TRIES}: stop, and hand back the waiting jobs unstarted",
                i + 1
            );
        }
    }

    #[test]
    fn a_waiting_shutdown_wins_over_waiting_jobs_and_they_come_back() {
        stop_wins(
            |rig| rig.shutdown.as_ref().unwrap().send(()).unwrap(),
            Stop::Shutdown,
        );
    }

    #[test]
    fn a_waiting_deadline_wins_over_waiting_jobs_and_they_come_back() {
        stop_wins(
            |rig| rig.deadline.as_ref().unwrap().send(Instant::now()).unwrap(),
            Stop::Deadline,
        );
    }

    #[test]
    fn every_shutdown_sender_gone_is_a_shutdown() {
        let summary = grader::watchdog("serve to stop once every shutdown sender is gone", || {
            let (mut rig, inputs, events) = rig();
            rig.shutdown = None;
            let summary = serve(inputs, &events, double);
            drop(rig);
            summary
        });
        assert_eq!(summary.stop, Stop::Shutdown);
    }

    #[test]
    fn a_ticker_that_stops_and_a_deadline_that_never_comes_change_nothing() {
        let outcomes = grader::watchdog(
            "serve with its ticker and deadline senders gone (a channel with no sender \
             left is ready at once, every time: does the loop spin on it?)",
            || {
                (0..TRIES)
                    .map(|_| {
                        let (mut rig, inputs, events) = rig();
                        rig.ticks = None;
                        rig.deadline = None;
                        for job in [1, 2] {
                            rig.jobs.as_ref().unwrap().send(job).unwrap();
                        }
                        rig.jobs = None;
                        let summary = serve(inputs, &events, double);
                        drop(events);
                        (summary, rig.events.iter().take(10).collect::<Vec<_>>())
                    })
                    .collect::<Vec<_>>()
            },
        );
        for (i, (summary, events)) in outcomes.into_iter().enumerate() {
            assert_eq!(
                events,
                [done(1), done(2)],
                "try {} of {TRIES}: with the ticker gone there are no ticks, so no \
                 Progress events",
                i + 1
            );
            assert_eq!(
                summary.stop,
                Stop::JobsDone,
                "try {} of {TRIES}: a deadline sender gone without sending is no \
                 deadline",
                i + 1
            );
        }
    }

    #[test]
    fn the_real_clock_works_too() {
        let summary = grader::watchdog("serve with crossbeam's after(5 ms) as deadline", || {
            let (rig, mut inputs, events) = rig();
            inputs.ticks = crossbeam_channel::tick(Duration::from_millis(1));
            inputs.deadline = crossbeam_channel::after(Duration::from_millis(5));
            let summary = serve(inputs, &events, double);
            drop(rig);
            summary
        });
        assert_eq!(summary.stop, Stop::Deadline);
    }
}

mod rw_cache {
    use super::*;
    use crate::ch12_channels::rw_cache::{CacheError, LruCache};
    use grader::{NotTogether, PeakCounter, StartLine};
    use proptest::prelude::*;
    use std::sync::{Arc, Mutex};

    #[derive(Debug, Clone)]
    enum Op {
        Get(u8),
        Put(u8, u16),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..6).prop_map(Op::Get),
            (0u8..6, any::<u16>()).prop_map(|(k, v)| Op::Put(k, v)),
        ]
    }

    /// What an LRU cache must do: entries from the least to the most recently used.
    #[derive(Debug)]
    struct Model {
        capacity: usize,
        entries: Vec<(u8, u16)>,
    }

    impl Model {
        fn get(&mut self, key: u8) -> Option<u16> {
            let at = self.entries.iter().position(|(k, _)| *k == key)?;
            let entry = self.entries.remove(at);
            self.entries.push(entry);
            Some(entry.1)
        }

        fn put(&mut self, key: u8, value: u16) -> Option<(u8, u16)> {
            if let Some(at) = self.entries.iter().position(|(k, _)| *k == key) {
                self.entries.remove(at);
                self.entries.push((key, value));
                return None;
            }
            let evicted = (self.entries.len() == self.capacity).then(|| self.entries.remove(0));
            self.entries.push((key, value));
            evicted
        }
    }

    #[test]
    fn any_sequence_of_gets_and_puts_matches_an_lru_model() {
        grader::check_property(
            "rw_cache against a model, on one thread",
            256,
            (1usize..4, proptest::collection::vec(op(), 1..40)),
            |(capacity, ops)| {
                let cache = LruCache::new(capacity).expect("a capacity of at least 1");
                let mut model = Model {
                    capacity,
                    entries: Vec::new(),
                };
                for (step, op) in ops.iter().enumerate() {
                    let before = format!("{:?}", model.entries);
                    let (got, want) = match *op {
                        Op::Get(k) => (
                            format!("{:?}", cache.get(&k)),
                            format!("{:?}", model.get(k)),
                        ),
                        Op::Put(k, v) => (
                            format!("{:?}", cache.put(k, v)),
                            format!("{:?}", model.put(k, v)),
                        ),
                    };
                    prop_assert_eq!(
                        &got,
                        &want,
                        "step {}: {:?} on a cache of capacity {} holding (least recently \
                         used first) {}",
                        step,
                        op,
                        capacity,
                        before
                    );
                    prop_assert_eq!(cache.len(), model.entries.len(), "len after step {}", step);
                }
                Ok(())
            },
        );
    }

    #[test]
    fn zero_capacity_is_an_error() {
        assert!(matches!(
            LruCache::<u8, u8>::new(0),
            Err(CacheError::ZeroCapacity)
        ));
        let cache = LruCache::<u8, u8>::new(3).expect("capacity 3");
        assert_eq!(
            (cache.capacity(), cache.len(), cache.is_empty()),
            (3, 0, true)
        );
    }

    /// A value whose `clone` returns only once two clones are going on at once (or
    /// the start line gave up): cloning it inside two `get`s proves two readers
    /// were inside the cache together.
    #[derive(Debug)]
    struct Watched {
        line: Arc<StartLine>,
        inside: Arc<PeakCounter>,
        apart: Arc<Mutex<Option<NotTogether>>>,
    }

    impl Clone for Watched {
        fn clone(&self) -> Self {
            let _inside = self.inside.enter();
            if let Err(e) = self.line.arrive() {
                *self.apart.lock().unwrap() = Some(e);
            }
            Watched {
                line: self.line.clone(),
                inside: self.inside.clone(),
                apart: self.apart.clone(),
            }
        }
    }

    #[test]
    fn readers_read_at_the_same_time() {
        let (peak, apart) = grader::watchdog("two gets at once", || {
            let line = Arc::new(StartLine::new(2));
            let inside = Arc::new(PeakCounter::new());
            let apart = Arc::new(Mutex::new(None));
            let cache = Arc::new(LruCache::new(4).unwrap());
            for key in [1, 2] {
                let value = Watched {
                    line: line.clone(),
                    inside: inside.clone(),
                    apart: apart.clone(),
                };
                cache.put(key, value);
            }
            let readers: Vec<_> = [1, 2]
                .into_iter()
                .map(|key| {
                    let cache = cache.clone();
                    std::thread::spawn(move || cache.get(&key).is_some())
                })
                .collect();
            for reader in readers {
                assert!(
                    reader.join().expect("a reader panicked"),
                    "a get found nothing"
                );
            }
            let apart = apart.lock().unwrap().take();
            (inside.peak(), apart)
        });
        if let Some(e) = apart {
            panic!(
                "two gets never were inside the cache at the same time ({e}): a get must \
                 hold only the read lock while it clones, never an exclusive lock"
            );
        }
        assert!(peak >= 2, "at most {peak} reader was ever inside at once");
    }

    /// Loom: `a` is the least recently used of two; one thread gets `a` while another
    /// puts a third key. Whichever came first, the outcome must agree with it.
    #[test]
    fn loom_a_get_and_a_put_agree_on_which_came_first() {
        loom_check("rw_cache get beside put", || {
            use crate::model::rw_cache::LruCache;
            use crate::model::sync::{thread, Arc};
            let cache = Arc::new(LruCache::new(2).unwrap());
            cache.put('a', 1);
            cache.put('b', 2);
            let reader = {
                let cache = cache.clone();
                thread::spawn(move || cache.get(&'a'))
            };
            let evicted = cache.put('c', 3);
            let got = reader.join().unwrap();
            match got {
                Some(1) => assert_eq!(
                    evicted,
                    Some(('b', 2)),
                    "get('a') found 'a', so it came before put('c') and made 'a' the most \
                     recently used: 'b' had to go"
                ),
                None => assert_eq!(
                    evicted,
                    Some(('a', 1)),
                    "get('a') found nothing, so put('c') came first, and 'a' was the least \
                     recently used"
                ),
                other => panic!("get('a') returned {other:?}"),
            }
            let left: Vec<_> = ['a', 'b', 'c']
                .iter()
                .map(|k| cache.get(k).is_some())
                .collect();
            assert_eq!(
                left.iter().filter(|&&x| x).count(),
                2,
                "two entries left: {left:?}"
            );
        });
    }
}

mod philosophers {
    use super::*;
    use crate::ch12_channels::philosophers::{dinner, Table, TableError};
    use grader::StartLine;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    #[test]
    fn bad_tables_and_seats_are_errors() {
        assert!(matches!(Table::new(1), Err(TableError::TooFewSeats(1))));
        assert!(matches!(Table::new(0), Err(TableError::TooFewSeats(0))));
        let table = Table::new(5).expect("a table of 5");
        assert_eq!(table.seats(), 5);
        assert!(matches!(
            table.pick_up(5),
            Err(TableError::NoSuchSeat { who: 5, seats: 5 })
        ));
        let meals = grader::watchdog("dinner at a table of 1", || dinner(1, 3, |_, _| {}));
        assert_eq!(meals, Err(TableError::TooFewSeats(1)));
    }

    #[test]
    fn philosophers_who_are_not_neighbours_eat_at_the_same_time() {
        let outcomes = grader::watchdog("seats 0 and 2 of 4 eating at once", || {
            let table = Table::new(4).unwrap();
            let line = StartLine::new(2);
            std::thread::scope(|s| {
                let eaters: Vec<_> = [0, 2]
                    .into_iter()
                    .map(|who| {
                        let (table, line) = (&table, &line);
                        s.spawn(move || {
                            let _plate = table.pick_up(who).expect("a seat at the table");
                            line.arrive()
                        })
                    })
                    .collect();
                eaters
                    .into_iter()
                    .map(|e| e.join().expect("a philosopher panicked"))
                    .collect::<Vec<_>>()
            })
        });
        for outcome in outcomes {
            if let Err(e) = outcome {
                panic!(
                    "seats 0 and 2 share no fork, yet they never held their plates at the \
                     same time ({e}): lock the forks, not the whole table"
                );
            }
        }
    }

    #[test]
    fn a_dinner_of_five_ends_with_every_meal_eaten_and_no_neighbours_together() {
        const SEATS: usize = 5;
        let (meals, clashes) = grader::watchdog(
            "a dinner of 5 philosophers, 200 meals each, to end (a deadlock — every \
             philosopher holding one fork and waiting for the next — never does)",
            || {
                let eating: Vec<AtomicBool> = (0..SEATS).map(|_| AtomicBool::new(false)).collect();
                let clashes = AtomicUsize::new(0);
                let meals = dinner(SEATS, 200, |who, _meal| {
                    eating[who].store(true, Ordering::SeqCst);
                    for neighbour in [(who + SEATS - 1) % SEATS, (who + 1) % SEATS] {
                        if eating[neighbour].load(Ordering::SeqCst) {
                            clashes.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    std::thread::yield_now();
                    eating[who].store(false, Ordering::SeqCst);
                });
                (meals, clashes.into_inner())
            },
        );
        assert_eq!(
            meals,
            Ok(vec![200; SEATS]),
            "every philosopher eats every meal"
        );
        assert_eq!(clashes, 0, "two neighbours ate at the same time");
    }

    /// One model check: `seats` philosophers, seat `i` eating `meals[i]` times, each
    /// marking itself as eating while it holds its plate.
    fn model(seats: usize, meals: &'static [usize]) {
        use crate::model::philosophers::Table;
        use crate::model::sync::atomic::{AtomicBool, Ordering};
        use crate::model::sync::{thread, Arc};
        let table = Arc::new(Table::new(seats).unwrap());
        let eating: Arc<Vec<AtomicBool>> =
            Arc::new((0..seats).map(|_| AtomicBool::new(false)).collect());
        let philosophers: Vec<_> = (0..seats)
            .map(|who| {
                let (table, eating) = (table.clone(), eating.clone());
                thread::spawn(move || {
                    for _ in 0..meals[who] {
                        let _plate = table.pick_up(who).unwrap();
                        eating[who].store(true, Ordering::SeqCst);
                        for neighbour in [(who + seats - 1) % seats, (who + 1) % seats] {
                            assert!(
                                !eating[neighbour].load(Ordering::SeqCst),
                                "seats {who} and {neighbour} are neighbours, yet they ate at \
                                 the same time: a plate must hold both forks"
                            );
                        }
                        eating[who].store(false, Ordering::SeqCst);
                    }
                    meals[who]
                })
            })
            .collect();
        for (who, philosopher) in philosophers.into_iter().enumerate() {
            assert_eq!(
                philosopher.join().unwrap(),
                meals[who],
                "seat {who} ate every meal"
            );
        }
    }

    #[test]
    fn loom_two_philosophers_never_deadlock_nor_eat_together() {
        loom_check("philosophers at a table of 2", || model(2, &[1, 1]));
    }

    #[test]
    fn loom_three_philosophers_all_eat_in_every_interleaving() {
        loom_check("philosophers at a table of 3", || model(3, &[1, 1, 1]));
    }

    /// Seat 1 eats three times while seat 0 wants one meal: in every interleaving
    /// loom tries, seat 0 gets it (the model ends), so it cannot starve here.
    #[test]
    fn loom_a_hungry_neighbour_does_not_starve_seat_zero() {
        loom_check("philosophers: seat 1 eats 3 times beside seat 0", || {
            model(2, &[1, 3])
        });
    }

    #[test]
    fn loom_a_dinner_of_three_ends() {
        loom_check("philosophers::dinner of 3", || {
            let meals = crate::model::philosophers::dinner(3, 1, |_, _| {});
            assert_eq!(meals, Ok(vec![1, 1, 1]));
        });
    }
}

mod parallel_iter {
    use crate::ch12_channels::parallel_iter::{
        add_words, count_primes, par_map, word_count, WordCountError, WordCounts,
    };
    use grader::{Fifo, StartLine};
    use proptest::prelude::*;
    use std::io::Write;
    use std::path::PathBuf;

    /// The pool of two threads the tests run the code in.
    fn pool() -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("cannot build a rayon pool")
    }

    #[test]
    fn par_map_gives_the_results_in_input_order() {
        let got = grader::watchdog("par_map over 200 inputs", || {
            let inputs: Vec<u64> = (0..200).collect();
            pool().install(|| par_map(&inputs, |&n| count_primes(n)))
        });
        let want: Vec<u64> = (0..200).map(count_primes).collect();
        assert_eq!(got, want, "par_map must keep the input order");
    }

    #[test]
    fn par_map_runs_calls_at_the_same_time() {
        let outcomes = grader::watchdog("par_map with two calls that wait for each other", || {
            let line = StartLine::new(2);
            pool().install(|| par_map(&[1, 2], |_| line.arrive()))
        });
        for outcome in outcomes {
            if let Err(e) = outcome {
                panic!(
                    "the two calls of f never ran at the same time ({e}): use rayon's \
                     par_iter (inside the tests' pool of two threads)"
                );
            }
        }
    }

    /// One file of a generated tree: where it is and its text.
    #[derive(Debug, Clone)]
    struct File {
        dirs: Vec<&'static str>,
        words: Vec<(&'static str, &'static str)>,
    }

    fn file() -> impl Strategy<Value = File> {
        let dirs = proptest::collection::vec(prop_oneof![Just("a"), Just("b"), Just("c")], 0..3);
        let word = (
            prop_oneof![
                Just("the"),
                Just("fox"),
                Just("狐狸"),
                Just("Fox"),
                Just("a-b")
            ],
            prop_oneof![Just(" "), Just("\n"), Just("\t "), Just("  \n")],
        );
        let words = proptest::collection::vec(word, 0..12);
        (dirs, words).prop_map(|(dirs, words)| File { dirs, words })
    }

    #[test]
    fn word_count_equals_the_sequential_count_for_any_tree() {
        grader::check_property(
            "word_count over generated trees",
            48,
            proptest::collection::vec(file(), 0..8),
            |files| {
                let dir = grader::temp_dir();
                let mut want = WordCounts::new();
                for (i, file) in files.iter().enumerate() {
                    let mut path: PathBuf = dir.path().to_path_buf();
                    path.extend(&file.dirs);
                    std::fs::create_dir_all(&path).unwrap();
                    let text: String = file
                        .words
                        .iter()
                        .map(|(w, gap)| format!("{w}{gap}"))
                        .collect();
                    std::fs::write(path.join(format!("f{i}.txt")), &text).unwrap();
                    add_words(&mut want, &text);
                }
                let got = pool().install(|| word_count(dir.path()));
                let got =
                    got.map_err(|e| TestCaseError::fail(format!("word_count failed: {e}")))?;
                prop_assert_eq!(got, want, "the tree: {:?}", files);
                Ok(())
            },
        );
    }

    /// Two of the files are named pipes (reached through symbolic links in the tree):
    /// the test opens the writing end of both before it writes a byte to either, which
    /// only succeeds while both are being read at the same moment.
    #[test]
    fn files_are_read_in_parallel() {
        let dir = grader::temp_dir();
        let (x, y) = (Fifo::new("x").unwrap(), Fifo::new("y").unwrap());
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink(x.path(), dir.path().join("x")).unwrap();
        std::os::unix::fs::symlink(y.path(), dir.path().join("sub/y")).unwrap();
        let root = dir.path().to_path_buf();
        let counting = std::thread::spawn(move || pool().install(|| word_count(&root)));
        let limit = grader::limit();
        let wx = x.open_writer_while(limit, || !counting.is_finished());
        let wy = y.open_writer_while(limit, || !counting.is_finished());
        let (mut wx, mut wy) = match (wx, wy) {
            (Ok(wx), Ok(wy)) => (wx, wy),
            (wx, wy) => panic!(
                "the two files were never open for reading at the same time (x: {}; sub/y: \
                 {}): read the files in parallel, with rayon",
                wx.map_or_else(|e| e.to_string(), |_| "open".into()),
                wy.map_or_else(|e| e.to_string(), |_| "open".into()),
            ),
        };
        wx.write_all(b"fox the\n").unwrap();
        wy.write_all(b"the end").unwrap();
        drop((wx, wy));
        let got = grader::watchdog("word_count to return", move || counting.join())
            .expect("word_count panicked")
            .expect("word_count failed");
        let want: WordCounts = [("end", 1), ("fox", 1), ("the", 2)]
            .into_iter()
            .map(|(w, n)| (w.to_owned(), n))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn what_cannot_be_read_is_an_error_naming_it() {
        let dir = grader::temp_dir();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("ok.txt"), "fine words").unwrap();
        let bad = dir.path().join("sub/latin1.txt");
        std::fs::write(&bad, b"caf\xe9\n").unwrap();
        let root = dir.path().to_path_buf();
        let got = grader::watchdog("word_count over a tree with a non-UTF-8 file", move || {
            pool().install(|| word_count(&root))
        });
        match got {
            Err(WordCountError::Read { path, .. }) => assert_eq!(path, bad, "name the file"),
            other => {
                panic!("a file that is not UTF-8 must be Err(Read {{ path, .. }}), got {other:?}")
            }
        }
        let missing = dir.path().join("no-such-dir");
        let root = missing.clone();
        let got = grader::watchdog("word_count of a missing directory", move || {
            pool().install(|| word_count(&root))
        });
        match got {
            Err(WordCountError::Read { path, .. }) => assert_eq!(path, missing),
            other => panic!("a missing root must be Err(Read {{ path, .. }}), got {other:?}"),
        }
    }
}
