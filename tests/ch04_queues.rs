//! Chapter 4 — queues and pipes. `cargo test --test ch04_queues [EXERCISE]`.
//!
//! Each module is one exercise; `loom_*` tests model-check the exercise file itself.

use std::process::Stdio;

use assert_cmd::assert::OutputAssertExt;
use grader::program;
use grader::Group;

use grader::loom_check;

grader::chapter!(ch04_queues);

mod bounded_queue {
    use super::*;
    use crate::ch04_queues::bounded_queue::{BoundedQueue, GetError, PutError};
    use grader::asleep_or_finished;
    use proptest::prelude::*;
    use std::collections::VecDeque;
    use std::sync::Arc;
    use std::time::Duration;

    /// One operation of a single-threaded run.
    #[derive(Debug, Clone)]
    enum Op {
        Put(u8),
        TryPut(u8),
        PutTimeout(u8),
        Get,
        TryGet,
        GetTimeout,
        Close,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => any::<u8>().prop_map(Op::Put),
            3 => any::<u8>().prop_map(Op::TryPut),
            1 => any::<u8>().prop_map(Op::PutTimeout),
            3 => Just(Op::Get),
            3 => Just(Op::TryGet),
            1 => Just(Op::GetTimeout),
            1 => Just(Op::Close),
        ]
    }

    /// What a bounded queue must do, without threads.
    struct Model {
        items: VecDeque<u8>,
        capacity: usize,
        closed: bool,
    }

    impl Model {
        fn full(&self) -> bool {
            self.items.len() == self.capacity
        }

        fn put(&mut self, item: u8) -> Result<(), PutError<u8>> {
            if self.closed {
                Err(PutError::Closed(item))
            } else if self.full() {
                Err(PutError::Full(item))
            } else {
                self.items.push_back(item);
                Ok(())
            }
        }

        fn get(&mut self) -> Result<u8, GetError> {
            match self.items.pop_front() {
                Some(item) => Ok(item),
                None if self.closed => Err(GetError::Closed),
                None => Err(GetError::Empty),
            }
        }
    }

    /// A timeout for operations the model says must time out: short, since it is waited
    /// in full. It decides nothing: the model says which answer is right.
    const SHORT: Duration = Duration::from_millis(1);

    /// Runs `ops` on a queue and on the model; returns the first disagreement.
    fn run_ops(capacity: usize, ops: Vec<Op>) -> Result<(), String> {
        let queue = BoundedQueue::new(capacity);
        let mut model = Model {
            items: VecDeque::new(),
            capacity,
            closed: false,
        };
        for (step, op) in ops.into_iter().enumerate() {
            let would_block_put = !model.closed && model.full();
            let would_block_get = !model.closed && model.items.is_empty();
            let (got, want) = match op {
                // A blocking call that would wait for ever on one thread is not made.
                Op::Put(_) if would_block_put => continue,
                Op::Get if would_block_get => continue,
                Op::Put(x) => (format!("{:?}", queue.put(x)), format!("{:?}", model.put(x))),
                Op::TryPut(x) => (
                    format!("{:?}", queue.try_put(x)),
                    format!("{:?}", model.put(x)),
                ),
                Op::PutTimeout(x) => (
                    format!("{:?}", queue.put_timeout(x, SHORT)),
                    format!("{:?}", model.put(x)),
                ),
                Op::Get => (format!("{:?}", queue.get()), format!("{:?}", model.get())),
                Op::TryGet => (
                    format!("{:?}", queue.try_get()),
                    format!("{:?}", model.get()),
                ),
                Op::GetTimeout => (
                    format!("{:?}", queue.get_timeout(SHORT)),
                    format!("{:?}", model.get()),
                ),
                Op::Close => {
                    queue.close();
                    model.closed = true;
                    ("()".into(), "()".into())
                }
            };
            if got != want {
                return Err(format!(
                    "step {step}: {op:?} returned {got}, expected {want} \
                     (queue of capacity {capacity}, model holds {:?}, closed: {})",
                    model.items, model.closed
                ));
            }
            if queue.len() != model.items.len() || queue.is_closed() != model.closed {
                return Err(format!(
                    "after step {step} ({op:?}): len {} closed {}, expected len {} closed {}",
                    queue.len(),
                    queue.is_closed(),
                    model.items.len(),
                    model.closed
                ));
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// Any single-threaded sequence of operations does what a `VecDeque` with a
        /// capacity and a closed flag does: same results, same errors, same items back.
        #[test]
        fn any_sequence_of_operations_matches_a_vecdeque_model(
            capacity in 1usize..4,
            ops in proptest::collection::vec(op(), 1..40),
        ) {
            let outcome = grader::watchdog("a sequence of queue operations on one thread to finish", move || {
                run_ops(capacity, ops)
            });
            prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
        }
    }

    /// `producers` threads put `(producer, 0..per_producer)` in order (`put` and
    /// `put_timeout` in turn), `consumers` threads take until `Closed` (`get` and
    /// `get_timeout` in turn); the test closes the queue once every producer is done.
    /// Everybody checks after each step that the queue holds at most `capacity` items.
    /// Returns what each consumer took, in the order it took it.
    fn mpmc(
        producers: usize,
        consumers: usize,
        per_producer: usize,
        capacity: usize,
    ) -> Vec<Vec<(usize, usize)>> {
        let what = format!(
            "{producers} producers and {consumers} consumers sharing a queue of capacity \
             {capacity} to finish"
        );
        grader::watchdog(&what, move || {
            let queue = Arc::new(BoundedQueue::new(capacity));
            let check_len = move |queue: &BoundedQueue<(usize, usize)>, after: &str| {
                let len = queue.len();
                assert!(
                    len <= capacity,
                    "after {after}, the queue held {len} items, more than its capacity \
                     {capacity}: a put must wait while the queue is full, and check again \
                     after every wake-up"
                );
            };
            let takers: Vec<_> = (0..consumers)
                .map(|c| {
                    let queue = Arc::clone(&queue);
                    std::thread::spawn(move || {
                        let mut taken = Vec::new();
                        loop {
                            let got = if taken.len() % 2 == 0 {
                                queue.get()
                            } else {
                                queue.get_timeout(HOUR)
                            };
                            match got {
                                Ok(item) => taken.push(item),
                                Err(GetError::Closed) => return taken,
                                Err(e) => panic!(
                                    "consumer {c}: a get that may wait (an hour) returned \
                                     {e:?} while producers were still putting"
                                ),
                            }
                            check_len(&queue, "a get");
                        }
                    })
                })
                .collect();
            let putters: Vec<_> = (0..producers)
                .map(|p| {
                    let queue = Arc::clone(&queue);
                    std::thread::spawn(move || {
                        for i in 0..per_producer {
                            let put = if i % 2 == 0 {
                                queue.put((p, i))
                            } else {
                                queue.put_timeout((p, i), HOUR)
                            };
                            if let Err(e) = put {
                                panic!("producer {p} could not put item {i}: {e:?}");
                            }
                            check_len(&queue, "a put");
                        }
                    })
                })
                .collect();
            for putter in putters {
                putter
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            }
            queue.close();
            takers
                .into_iter()
                .map(|t| {
                    t.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    }

    fn check_mpmc(producers: usize, consumers: usize, per_producer: usize, capacity: usize) {
        let taken = mpmc(producers, consumers, per_producer, capacity);
        let mut all: Vec<_> = taken.iter().flatten().copied().collect();
        all.sort_unstable();
        let expected: Vec<_> = (0..producers)
            .flat_map(|p| (0..per_producer).map(move |i| (p, i)))
            .collect();
        assert_eq!(
            all.len(),
            expected.len(),
            "items were lost or duplicated: {} taken, {} put",
            all.len(),
            expected.len()
        );
        assert_eq!(all, expected, "the items taken are not the items put");
        for (c, items) in taken.iter().enumerate() {
            for p in 0..producers {
                let from_p: Vec<_> = items.iter().filter(|(q, _)| *q == p).collect();
                assert!(
                    from_p.windows(2).all(|w| w[0].1 < w[1].1),
                    "consumer {c} took producer {p}'s items out of order: {from_p:?}"
                );
            }
        }
    }

    #[test]
    fn one_producer_one_consumer_gets_everything_in_order() {
        check_mpmc(1, 1, 200, 2);
    }

    #[test]
    fn four_producers_four_consumers_conserve_items_and_each_producers_order() {
        check_mpmc(4, 4, 250, 3);
    }

    /// Three producers `put` into a queue of capacity 1 that is already full, and nobody
    /// takes anything: each must fall asleep inside `put` (the test watches `/proc`), none
    /// may return, and the queue keeps its one item. Only then does the test take the
    /// items, and every producer's item comes out. A `put` that waits under `if` returns
    /// after the facade's first (spurious) wake-up with the queue still full.
    #[test]
    fn producers_at_a_full_queue_sleep_until_there_is_room() {
        const PRODUCERS: usize = 3;
        let taken = grader::watchdog(
            "3 producers at a full queue to fall asleep in `put` (one that never sleeps \
             spins instead of waiting on a Condvar), then every item to come out",
            || {
                let queue = Arc::new(BoundedQueue::new(1));
                queue.put(0).unwrap();
                let (ids, tids) = std::sync::mpsc::channel();
                let producers: Vec<_> = (1..=PRODUCERS)
                    .map(|p| {
                        let (queue, ids) = (Arc::clone(&queue), ids.clone());
                        std::thread::spawn(move || {
                            ids.send(grader::tid()).unwrap();
                            queue.put(p)
                        })
                    })
                    .collect();
                let tids: Vec<i32> = tids.iter().take(PRODUCERS).collect();
                for (producer, &tid) in producers.iter().zip(&tids) {
                    asleep_or_finished(tid, producer);
                }
                let len = queue.len();
                for (p, producer) in (1..).zip(producers.iter()) {
                    assert!(
                        !producer.is_finished(),
                        "producer {p}'s put(…) returned although the queue (capacity 1) \
                         was full and nothing had been taken; the queue now holds {len} \
                         items. A wake-up does not mean there is room: check again after \
                         every wake-up (`while`, not `if`)"
                    );
                }
                assert_eq!(len, 1, "the queue must keep its capacity of 1");
                let taken: Vec<usize> = (0..=PRODUCERS).map(|_| queue.get().unwrap()).collect();
                for producer in producers {
                    let put = producer
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    assert_eq!(put, Ok(()), "a put that waited for room must succeed");
                }
                taken
            },
        );
        assert_eq!(taken[0], 0, "the item put first must come out first");
        let mut rest = taken[1..].to_vec();
        rest.sort_unstable();
        assert_eq!(rest, [1, 2, 3], "every producer's item must come out once");
    }

    /// An hour: a timed call the test expects to return early, with an item or room.
    const HOUR: Duration = Duration::from_secs(3600);

    /// A timed call the test expects to time out: how long it must at least wait.
    const PATIENCE: Duration = Duration::from_millis(50);

    /// On one thread: a timed `get` on an empty queue gives up with `Empty`, and not
    /// before its whole timeout has passed (a timed wait that gives up at its first
    /// wake-up, spurious or not, returns sooner).
    #[test]
    fn get_timeout_gives_up_only_once_its_timeout_has_passed() {
        let (got, waited) =
            grader::watchdog("get_timeout(50 ms) on an empty queue to return", || {
                let queue = BoundedQueue::<u8>::new(2);
                let start = std::time::Instant::now();
                let got = queue.get_timeout(PATIENCE);
                (got, start.elapsed())
            });
        assert_eq!(got, Err(GetError::Empty), "get_timeout on an empty queue");
        assert!(
            waited >= PATIENCE,
            "get_timeout(50 ms) on an empty queue returned Empty after {waited:?}: it must \
             wait for an item until the whole timeout has passed (wake-ups without an item \
             included)"
        );
    }

    /// The same for a timed `put` on a full queue: `Full(item)`, after the whole timeout.
    #[test]
    fn put_timeout_gives_up_only_once_its_timeout_has_passed() {
        let (put, waited) =
            grader::watchdog("put_timeout(50 ms) on a full queue to return", || {
                let queue = BoundedQueue::new(1);
                queue.put(1u8).unwrap();
                let start = std::time::Instant::now();
                let put = queue.put_timeout(2, PATIENCE);
                (put, start.elapsed())
            });
        assert_eq!(put, Err(PutError::Full(2)), "put_timeout on a full queue");
        assert!(
            waited >= PATIENCE,
            "put_timeout(50 ms) on a full queue returned Full after {waited:?}: it must wait \
             for room until the whole timeout has passed (wake-ups without room included)"
        );
    }

    /// A `get_timeout(1 h)` on an empty queue, on a thread of its own. Once it is asleep
    /// (or has returned), the test puts an item: the timed get must return it. One that
    /// never waits, or gives up at its first wake-up, has returned `Empty` by then; one
    /// that sleeps out its timeout and then looks keeps the test waiting.
    #[test]
    fn a_timed_get_returns_an_item_put_while_it_waits() {
        let got = grader::watchdog(
            "get_timeout(1 h) to return the item put while it waited (a timed get must \
             wait on the Condvar and take the item as soon as it comes, not sleep out its \
             timeout)",
            || {
                let queue = Arc::new(BoundedQueue::new(1));
                let (tid_tx, tid) = std::sync::mpsc::channel();
                let getter = {
                    let queue = Arc::clone(&queue);
                    std::thread::spawn(move || {
                        tid_tx.send(grader::tid()).unwrap();
                        queue.get_timeout(HOUR)
                    })
                };
                asleep_or_finished(tid.recv().unwrap(), &getter);
                queue.put(7).unwrap();
                getter
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            },
        );
        assert_eq!(
            got,
            Ok(7),
            "get_timeout(1 h) on an empty queue, then put(7) from another thread: the \
             timed get must wait for the item (an hour, if need be) and return it"
        );
    }

    /// A `put_timeout(1 h)` at a full queue, on a thread of its own. Once it is asleep
    /// (or has returned), the test takes an item: the timed put must use the room.
    #[test]
    fn a_timed_put_succeeds_once_room_is_made() {
        let (put, first, second) = grader::watchdog(
            "put_timeout(1 h) to use the room made while it waited (a timed put must wait \
             on the Condvar and put as soon as there is room, not sleep out its timeout)",
            || {
                let queue = Arc::new(BoundedQueue::new(1));
                queue.put(1).unwrap();
                let (tid_tx, tid) = std::sync::mpsc::channel();
                let putter = {
                    let queue = Arc::clone(&queue);
                    std::thread::spawn(move || {
                        tid_tx.send(grader::tid()).unwrap();
                        queue.put_timeout(2, HOUR)
                    })
                };
                asleep_or_finished(tid.recv().unwrap(), &putter);
                let first = queue.get().unwrap();
                let put = putter
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (put, first, queue.try_get())
            },
        );
        assert_eq!(
            put,
            Ok(()),
            "put_timeout(2, 1 h) at a full queue, then a get from another thread: the \
             timed put must wait for room (an hour, if need be) and use it"
        );
        assert_eq!((first, second), (1, Ok(2)), "first in, first out");
    }

    /// Closed wins over full: every kind of put on a closed, full queue is `Closed(item)`.
    #[test]
    fn after_close_every_put_is_closed_even_on_a_full_queue() {
        let results = grader::watchdog(
            "put, try_put and put_timeout(1 h) on a closed, full queue to return",
            || {
                let queue = BoundedQueue::new(1);
                queue.put(1).unwrap();
                queue.close();
                [
                    ("put", queue.put(2)),
                    ("try_put", queue.try_put(3)),
                    ("put_timeout", queue.put_timeout(4, HOUR)),
                ]
            },
        );
        for ((call, result), item) in results.into_iter().zip(2..) {
            assert_eq!(
                result,
                Err(PutError::Closed(item)),
                "{call}({item}) on a closed queue must fail with Closed and give the item \
                 back, full or not"
            );
        }
    }

    /// Loom: capacity 1, already full; a producer puts one more and looks at the length
    /// at once, while this thread takes two items. Wherever the producer's `put` returns,
    /// the queue holds at most one item.
    #[test]
    fn loom_put_never_overfills_the_queue() {
        loom_check("bounded_queue::put (the capacity)", || {
            use crate::model::bounded_queue::BoundedQueue;
            use crate::model::sync::{thread, Arc};
            let queue = Arc::new(BoundedQueue::new(1));
            queue.put(0).unwrap();
            let producer = {
                let queue = queue.clone();
                thread::spawn(move || {
                    queue.put(1).unwrap();
                    queue.len()
                })
            };
            let first = queue.get().unwrap();
            let second = queue.get().unwrap();
            let len = producer.join().unwrap();
            assert!(
                len <= 1,
                "right after a put into a queue of capacity 1, it held {len} items: a put \
                 must wait while the queue is full, and check again after every wake-up"
            );
            assert_eq!([first, second], [0, 1], "first in, first out");
        });
    }

    /// Loom: capacity 1, a producer of two items, a consumer with `get` and this thread
    /// with `get_timeout(1 h)`. Whichever consumer is woken first, and whoever takes the
    /// first item, the timed get waits on and gets the second: it never gives up early.
    #[test]
    fn loom_a_timed_get_beside_a_competing_consumer() {
        loom_check("bounded_queue::get_timeout (a competing consumer)", || {
            use crate::model::bounded_queue::BoundedQueue;
            use crate::model::sync::{thread, Arc};
            let queue = Arc::new(BoundedQueue::new(1));
            let producer = {
                let queue = queue.clone();
                thread::spawn(move || {
                    queue.put(1).unwrap();
                    queue.put(2).unwrap();
                })
            };
            let rival = {
                let queue = queue.clone();
                thread::spawn(move || queue.get().unwrap())
            };
            let mine = queue.get_timeout(HOUR);
            let theirs = rival.join().unwrap();
            producer.join().unwrap();
            let mine = mine.unwrap_or_else(|e| {
                panic!(
                    "get_timeout(1 h) returned {e:?} although a second item was still to \
                     come: when another consumer took the item it was woken for, a timed \
                     get waits on for the rest of its timeout"
                )
            });
            let mut both = [mine, theirs];
            both.sort_unstable();
            assert_eq!(both, [1, 2], "each item taken exactly once");
        });
    }

    /// Loom: capacity 1, already full; a producer with `put` and one with
    /// `put_timeout(1 h)` compete for the room this thread makes by taking three items:
    /// the timed put never gives up early.
    #[test]
    fn loom_a_timed_put_beside_a_competing_producer() {
        loom_check("bounded_queue::put_timeout (a competing producer)", || {
            use crate::model::bounded_queue::BoundedQueue;
            use crate::model::sync::{thread, Arc};
            let queue = Arc::new(BoundedQueue::new(1));
            queue.put(0).unwrap();
            let rival = {
                let queue = queue.clone();
                thread::spawn(move || queue.put(1).unwrap())
            };
            let timed = {
                let queue = queue.clone();
                thread::spawn(move || queue.put_timeout(2, HOUR))
            };
            let mut taken: Vec<u32> = (0..3).map(|_| queue.get().unwrap()).collect();
            rival.join().unwrap();
            let put = timed.join().unwrap();
            assert_eq!(
                put,
                Ok(()),
                "put_timeout(1 h) gave up although room was still to come: when another \
                 producer took the room it was woken for, a timed put waits on"
            );
            assert_eq!(taken[0], 0, "first in, first out");
            taken.sort_unstable();
            assert_eq!(taken, [0, 1, 2], "each item taken exactly once");
        });
    }

    /// Loom: capacity 1, one producer putting three items, two consumers (one takes one
    /// item, this thread two). A wake-up that reaches a thread that cannot use it (a
    /// consumer woken by a consumer, while the producer waits for room) leaves everybody
    /// asleep in some interleaving.
    #[test]
    fn loom_no_lost_wakeup_with_two_consumers() {
        loom_check("bounded_queue::put and get (a lost wake-up)", || {
            use crate::model::bounded_queue::BoundedQueue;
            use crate::model::sync::{thread, Arc};
            let queue = Arc::new(BoundedQueue::new(1));
            let producer = {
                let queue = queue.clone();
                thread::spawn(move || {
                    for item in 1..=3 {
                        queue.put(item).unwrap();
                    }
                })
            };
            let consumer = {
                let queue = queue.clone();
                thread::spawn(move || queue.get().unwrap())
            };
            let mut all = vec![queue.get().unwrap(), queue.get().unwrap()];
            all.push(consumer.join().unwrap());
            producer.join().unwrap();
            all.sort_unstable();
            assert_eq!(all, [1, 2, 3], "each item must be taken exactly once");
        });
    }

    /// Loom: an item put just before `close` must still be taken; only then `Closed`.
    #[test]
    fn loom_close_loses_no_item() {
        loom_check("bounded_queue::close (a lost item)", || {
            use crate::model::bounded_queue::{BoundedQueue, GetError};
            use crate::model::sync::{thread, Arc};
            let queue = Arc::new(BoundedQueue::new(2));
            let producer = {
                let queue = queue.clone();
                thread::spawn(move || {
                    queue.put(7).unwrap();
                    queue.close();
                })
            };
            let mut taken = Vec::new();
            loop {
                match queue.get() {
                    Ok(item) => taken.push(item),
                    Err(GetError::Closed) => break,
                    Err(e) => panic!("get() returned {e:?}: a blocking get never says Empty"),
                }
            }
            producer.join().unwrap();
            assert_eq!(
                taken,
                [7],
                "put(7) then close(): the reader got {taken:?}, not [7]. Items put before \
                 close are still taken; `Closed` comes only once the queue is empty"
            );
        });
    }
}

mod writer_reader {
    use super::*;
    use crate::ch04_queues::writer_reader::{LETTERS, READER};
    use grader::Reaper;
    use std::io::{BufRead, BufReader, Read, Write};

    const PROGRAM: &str = "writer_reader";

    fn expected_lines() -> Vec<String> {
        LETTERS
            .iter()
            .map(|l| format!("Get {l} from queue."))
            .collect()
    }

    /// The whole program: writer and reader are two processes; the reader ends by itself
    /// (end-of-file), so the parent can wait for both and exit 0. `Group::output` also fails
    /// if any process is left holding the output open after the parent exits.
    #[test]
    fn prints_all_seven_letters_in_order_and_everyone_exits() {
        let group = Group::spawn(&mut program(PROGRAM, &[])).expect("cannot start the workbook");
        let output = group.output(
            "writer_reader (does the reader wait for an end-of-file that never comes, \
             because some process still holds the pipe's writing end?)",
        );
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            output.status.success(),
            "writer_reader failed ({}); stderr:\n{stderr}",
            output.status
        );
        let lines: Vec<String> = stdout.lines().map(str::to_owned).collect();
        assert_eq!(
            lines,
            expected_lines(),
            "the reader must print every letter, in the order written"
        );
        assert!(
            stderr.contains("Put W to queue..."),
            "the writer's announcements are missing from stderr:\n{stderr}"
        );
    }

    /// The parent must wait for its children and say which one failed. The children here
    /// are stand-ins (`grader::entry::FAKE_EXIT_ENV`): each reads what it is sent, then
    /// exits with the code given. A parent that does not wait cannot know a child's exit
    /// status.
    #[test]
    fn the_parent_waits_for_both_and_reports_a_child_that_fails() {
        for (failing, fakes) in [
            ("writer", "writer_reader::writer=3,writer_reader::reader=0"),
            ("reader", "writer_reader::writer=0,writer_reader::reader=4"),
        ] {
            let mut cmd = program(PROGRAM, &[]);
            cmd.env(grader::entry::FAKE_EXIT_ENV, fakes);
            let output = Group::spawn(&mut cmd)
                .expect("cannot start the workbook")
                .output("writer_reader with a failing child");
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            assert!(
                !output.status.success(),
                "the {failing} failed, so writer_reader must fail too"
            );
            assert!(
                stderr.contains(&format!("the {failing} failed")),
                "writer_reader must report `the {failing} failed (…)` (a WriterReaderError::Failed); \
                 stderr was:\n{stderr}"
            );
        }
    }

    /// The reader alone, fed by the test one line at a time (the seed's letters and one
    /// line more): each `Get X from queue.` must come out before the next line is even
    /// written, and closing the pipe must end the reader with status 0.
    #[test]
    fn reader_prints_each_letter_as_it_arrives_and_exits_0_at_eof() {
        let mut child = Reaper(
            workbook::process::entry(READER)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("cannot start the workbook binary"),
        );
        let mut stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let (status, rest) = grader::watchdog(
            "the reader to print `Get X from queue.` for a letter before the next one is \
             written (a reader that collects its input first waits for end-of-file)",
            move || {
                let mut stdout = BufReader::new(stdout);
                for letter in LETTERS.into_iter().chain(["one more line"]) {
                    writeln!(stdin, "{letter}").unwrap_or_else(|e| {
                        panic!(
                            "the reader stopped reading before {letter:?} ({e}): it must \
                             read every line until end-of-file"
                        )
                    });
                    stdin.flush().unwrap();
                    let mut line = String::new();
                    stdout.read_line(&mut line).unwrap();
                    let mut err = String::new();
                    if line.is_empty() {
                        let _ = stderr.read_to_string(&mut err);
                    }
                    assert_eq!(
                        line.trim_end(),
                        format!("Get {letter} from queue."),
                        "the reader wrote {line:?} for the line {letter:?}: it must print \
                         `Get {letter} from queue.` as soon as the line arrives, for every \
                         line until end-of-file; stderr: {err}"
                    );
                }
                drop(stdin); // end-of-file
                let status = child.wait().unwrap();
                let mut rest = String::new();
                stdout.read_to_string(&mut rest).unwrap();
                (status, rest)
            },
        );
        assert!(
            status.success(),
            "at end-of-file the reader must return normally, not fail ({status})"
        );
        assert_eq!(rest, "", "nothing more after the last letter");
    }
}

mod pipe {
    use super::*;
    use crate::ch04_queues::pipe::{
        duplex, one_way, Duplex, PipeError, EXCHANGE, MAX_MESSAGE, PROC1,
    };
    use proptest::prelude::*;
    use std::io::{Read, Write};
    use std::os::fd::OwnedFd;
    use std::os::unix::net::UnixStream;

    /// The wire format the exercise asks for, written by the test itself.
    fn frame(message: &str) -> Vec<u8> {
        let mut bytes = (message.len() as u32).to_be_bytes().to_vec();
        bytes.extend_from_slice(message.as_bytes());
        bytes
    }

    fn messages() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec(".{0,40}", 0..6)
    }

    /// The largest single allocation each thread of this test binary made since it last
    /// asked ([`largest_allocation_since_reset`]): how the tests see that a decoder made
    /// room for an attacker-chosen length, which the OS's lazy memory would otherwise
    /// hide.
    mod counting {
        use std::alloc::{GlobalAlloc, Layout, System};
        use std::cell::Cell;

        thread_local! {
            static LARGEST: Cell<usize> = const { Cell::new(0) };
        }

        pub struct Counting;

        fn note(size: usize) {
            let _ = LARGEST.try_with(|largest| largest.set(largest.get().max(size)));
        }

        // SAFETY: every call is passed on to the system allocator unchanged.
        unsafe impl GlobalAlloc for Counting {
            unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
                note(layout.size());
                unsafe { System.alloc(layout) }
            }

            unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
                note(layout.size());
                unsafe { System.alloc_zeroed(layout) }
            }

            unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
                note(new_size);
                unsafe { System.realloc(ptr, layout, new_size) }
            }

            unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
                unsafe { System.dealloc(ptr, layout) }
            }
        }

        /// Starts counting afresh on this thread.
        pub fn reset() {
            LARGEST.with(|largest| largest.set(0));
        }

        /// The largest single allocation of this thread since [`reset`].
        pub fn largest_allocation_since_reset() -> usize {
            LARGEST.with(Cell::get)
        }
    }

    #[global_allocator]
    static ALLOCATOR: counting::Counting = counting::Counting;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        #[test]
        fn duplex_carries_messages_both_ways_in_order(a_to_b in messages(), b_to_a in messages()) {
            let (got_b, got_a) = grader::watchdog("messages sent on a duplex pipe to arrive \
                (a send must flush: a BufWriter keeps its bytes until then)", {
                let (a_to_b, b_to_a) = (a_to_b.clone(), b_to_a.clone());
                move || {
                    let (mut a, mut b) = duplex().expect("duplex()");
                    for m in &a_to_b { a.send(m).expect("a.send"); }
                    for m in &b_to_a { b.send(m).expect("b.send"); }
                    let got_b: Vec<String> = a_to_b.iter().map(|_| b.recv().expect("b.recv")).collect();
                    let got_a: Vec<String> = b_to_a.iter().map(|_| a.recv().expect("a.recv")).collect();
                    (got_b, got_a)
                }
            });
            prop_assert_eq!(got_b, a_to_b);
            prop_assert_eq!(got_a, b_to_a);
        }

        #[test]
        fn one_way_delivers_everything_in_order_then_eof(sent in messages()) {
            let (got, after) = grader::watchdog("messages sent on a one-way pipe to arrive, \
                then Eof", {
                let sent = sent.clone();
                move || {
                    let (mut rx, mut tx) = one_way().expect("one_way()");
                    for m in &sent { tx.send(m).expect("send"); }
                    drop(tx);
                    let got: Vec<String> = sent.iter().map(|_| rx.recv().expect("recv")).collect();
                    (got, rx.recv())
                }
            });
            prop_assert_eq!(got, sent);
            prop_assert!(matches!(after, Err(PipeError::Eof)),
                "recv after the sender is gone and everything was read: want Eof, got {:?}", after);
        }
    }

    #[test]
    fn recv_when_the_other_end_is_gone_is_eof() {
        let (mut a, b) = duplex().expect("duplex()");
        drop(b);
        let got = grader::watchdog(
            "recv on a duplex pipe whose other end is gone to return Eof",
            move || a.recv(),
        );
        assert!(
            matches!(got, Err(PipeError::Eof)),
            "recv with the other end dropped must be Err(Eof), not block or {got:?}"
        );
    }

    #[test]
    fn send_when_the_other_end_is_gone_is_closed() {
        let (rx, mut tx) = one_way().expect("one_way()");
        drop(rx);
        let got = tx.send("anyone there?");
        assert!(
            matches!(got, Err(PipeError::Closed)),
            "send with the receiving end dropped must be Err(Closed), got {got:?}"
        );
        let (a, mut b) = duplex().expect("duplex()");
        drop(a);
        let got = b.send("anyone there?");
        assert!(
            matches!(got, Err(PipeError::Closed)),
            "duplex send with the other end dropped must be Err(Closed), got {got:?}"
        );
    }

    /// Bytes written by the test, read by the exercise's `recv`: the wire format is the
    /// 4-byte big-endian length and the bytes; a frame cut short is `Truncated`, a length
    /// over the limit `TooLong`.
    #[test]
    fn recv_reads_the_length_prefixed_format_and_rejects_broken_frames() {
        let cases: [(Vec<u8>, &str); 4] = [
            (
                [frame("héllo"), frame("")].concat(),
                "two messages then Eof",
            ),
            (frame("cut short")[..7].to_vec(), "Truncated"),
            (frame("x")[..2].to_vec(), "Truncated"),
            (((MAX_MESSAGE + 1) as u32).to_be_bytes().to_vec(), "TooLong"),
        ];
        for (bytes, want) in cases {
            let (mut raw, theirs) = UnixStream::pair().unwrap();
            let mut end = Duplex::new(theirs).unwrap();
            raw.write_all(&bytes).unwrap();
            raw.shutdown(std::net::Shutdown::Write).unwrap();
            let got = grader::watchdog("recv of frames written by the test to return", move || {
                let mut got = Vec::new();
                loop {
                    match end.recv() {
                        Ok(m) => got.push(format!("Ok({m})")),
                        Err(e) => {
                            got.push(format!("{e:?}"));
                            return got;
                        }
                    }
                }
            });
            let expected = match want {
                "two messages then Eof" => {
                    vec!["Ok(héllo)".to_owned(), "Ok()".into(), "Eof".into()]
                }
                "TooLong" => vec![format!("TooLong({})", MAX_MESSAGE + 1)],
                other => vec![other.to_owned()],
            };
            assert_eq!(
                got, expected,
                "recv of the bytes {bytes:?}, then end-of-file: want {want} (a frame is a \
                 4-byte big-endian length and the bytes; end-of-file before a frame is \
                 Eof, inside one Truncated)"
            );
        }
    }

    /// A message one byte over the limit: `send` refuses it with `TooLong` and sends
    /// nothing, on both kinds of end.
    #[test]
    fn send_refuses_a_message_over_the_limit_and_sends_nothing() {
        let long = "x".repeat(MAX_MESSAGE + 1);
        let (one_way_result, duplex_result) = grader::watchdog(
            "send of a message over MAX_MESSAGE to return (it must refuse before writing \
             anything; one that writes blocks once the socket is full)",
            move || {
                let (mut rx, mut tx) = one_way().expect("one_way()");
                let sent = tx.send(&long);
                drop(tx);
                let one_way_result = (sent, rx.recv());
                let (mut a, mut b) = duplex().expect("duplex()");
                let sent = a.send(&long);
                drop(a);
                (one_way_result, (sent, b.recv()))
            },
        );
        for (end, (sent, after)) in [("PipeWriter", one_way_result), ("Duplex", duplex_result)] {
            assert!(
                matches!(sent, Err(PipeError::TooLong(n)) if n == MAX_MESSAGE + 1),
                "{end}::send of {} bytes must be Err(TooLong({})), got {sent:?}",
                MAX_MESSAGE + 1,
                MAX_MESSAGE + 1
            );
            assert!(
                matches!(after, Err(PipeError::Eof)),
                "after a refused send nothing may arrive: the receiver got {after:?}, not Eof"
            );
        }
    }

    /// The limit itself is allowed: a message of exactly `MAX_MESSAGE` bytes is sent and
    /// arrives whole (a thread receives while the test sends: it is more than a socket
    /// holds).
    #[test]
    fn a_message_of_exactly_max_message_bytes_arrives_whole() {
        let (sent, got) = grader::watchdog(
            "a message of exactly MAX_MESSAGE bytes to arrive (the limit itself is allowed)",
            || {
                let (mut rx, mut tx) = one_way().expect("one_way()");
                let receiver = std::thread::spawn(move || rx.recv());
                let sent = tx.send(&"y".repeat(MAX_MESSAGE));
                drop(tx);
                (
                    sent,
                    receiver.join().expect("the receiving thread panicked"),
                )
            },
        );
        assert!(
            sent.is_ok(),
            "send of exactly MAX_MESSAGE bytes must succeed: only a longer message is \
             TooLong; got {sent:?}"
        );
        match got {
            Ok(message) => assert!(
                message.len() == MAX_MESSAGE && message.bytes().all(|b| b == b'y'),
                "a message of MAX_MESSAGE bytes arrived as {} bytes",
                message.len()
            ),
            Err(e) => panic!(
                "recv of a message of exactly MAX_MESSAGE bytes must return it: only a \
                 longer one is TooLong; got Err({e:?})"
            ),
        }
    }

    /// A frame whose length says 4 GiB: `recv` says `TooLong` without making room for
    /// it (the test counts the bytes it allocates).
    #[test]
    fn recv_refuses_an_oversized_length_before_allocating_it() {
        let (mut raw, theirs) = UnixStream::pair().unwrap();
        let mut end = Duplex::new(theirs).unwrap();
        raw.write_all(&u32::MAX.to_be_bytes()).unwrap();
        raw.write_all(b"far fewer bytes than that").unwrap();
        raw.shutdown(std::net::Shutdown::Write).unwrap();
        let (got, largest) = grader::watchdog(
            "recv of a frame claiming 4 GiB to return TooLong",
            move || {
                counting::reset();
                let got = end.recv();
                (got, counting::largest_allocation_since_reset())
            },
        );
        let claimed = u32::MAX as usize;
        assert!(
            matches!(got, Err(PipeError::TooLong(n)) if n == claimed),
            "a frame whose length is {claimed} (over MAX_MESSAGE) must be \
             Err(TooLong({claimed})), got {got:?}"
        );
        assert!(
            largest <= MAX_MESSAGE,
            "recv allocated {largest} bytes at once before refusing a length of {claimed}: \
             check a length against MAX_MESSAGE before making room for the message (a \
             corrupt or hostile length must not make the reader allocate it)"
        );
    }

    /// The seed's program: proc1 and proc2, two processes, one duplex pipe.
    #[test]
    fn proc1_and_proc2_exchange_hello_across_two_processes() {
        let group = Group::spawn(&mut program(EXCHANGE, &[])).expect("cannot start the workbook");
        let output = group.output("the proc1/proc2 exchange");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        output.assert().success();
        assert_eq!(
            stdout, "proc2 rec: hello\nproc1 rec: hello, too\n",
            "proc2 prints what it got before it answers; proc1 prints the answer"
        );
    }

    /// proc1 as a real process whose stdin is one end of a socket pair; the test is proc2
    /// and speaks the wire format itself.
    #[test]
    fn proc1_speaks_the_wire_format_over_its_stdin() {
        let (mut ours, theirs) = UnixStream::pair().unwrap();
        let mut cmd = workbook::process::entry(PROC1);
        cmd.stdin(Stdio::from(OwnedFd::from(theirs)));
        let group = Group::spawn(&mut cmd).expect("cannot start the workbook");
        drop(cmd); // the parent's copy of the child's end
        let first = grader::watchdog("proc1's first message, `hello`, to arrive", move || {
            let mut len = [0u8; 4];
            ours.read_exact(&mut len).map(|()| (len, ours))
        });
        let (len, mut ours) = first.expect("proc1 sent nothing (or died) before its first message");
        let mut message = vec![0; u32::from_be_bytes(len) as usize];
        ours.read_exact(&mut message).unwrap();
        assert_eq!(message, b"hello", "proc1 must send `hello` first");
        ours.write_all(&frame("hello, too")).unwrap();
        let output = group.output("proc1 after its answer");
        output.assert().success().stdout("proc1 rec: hello, too\n");
    }
}
