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
            let outcome = grader::watchdog("bounded_queue operations on one thread", move || {
                run_ops(capacity, ops)
            });
            prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
        }
    }

    /// `producers` threads put `(producer, 0..per_producer)` in order, `consumers` threads
    /// take until `Closed`; the test closes the queue once every producer is done.
    /// Returns what each consumer took, in the order it took it.
    fn mpmc(
        producers: usize,
        consumers: usize,
        per_producer: usize,
        capacity: usize,
    ) -> Vec<Vec<(usize, usize)>> {
        grader::watchdog(
            "bounded_queue with several producers and consumers",
            move || {
                let queue = Arc::new(BoundedQueue::new(capacity));
                let takers: Vec<_> = (0..consumers)
                    .map(|_| {
                        let queue = Arc::clone(&queue);
                        std::thread::spawn(move || {
                            let mut taken = Vec::new();
                            loop {
                                match queue.get() {
                                    Ok(item) => taken.push(item),
                                    Err(GetError::Closed) => return taken,
                                    Err(e) => panic!("a blocking get returned {e:?}"),
                                }
                            }
                        })
                    })
                    .collect();
                let putters: Vec<_> = (0..producers)
                    .map(|p| {
                        let queue = Arc::clone(&queue);
                        std::thread::spawn(move || {
                            for i in 0..per_producer {
                                // Bounded waiting, so a lost wake-up fails here with a message.
                                if let Err(e) = queue.put_timeout((p, i), grader::limit()) {
                                    panic!("producer {p} could not put item {i}: {e} (stuck?)");
                                }
                            }
                        })
                    })
                    .collect();
                for putter in putters {
                    putter.join().expect("a producer panicked");
                }
                queue.close();
                takers
                    .into_iter()
                    .map(|t| t.join().expect("a consumer panicked"))
                    .collect()
            },
        )
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

    /// Loom: capacity 1, one producer putting two items, two consumers taking one each.
    /// A wake-up that reaches a thread that cannot use it (a consumer woken by a consumer)
    /// leaves everybody asleep in some interleaving.
    #[test]
    fn loom_no_lost_wakeup_with_two_consumers() {
        loom_check("bounded_queue put/get (lost wake-up)", || {
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
            let consumer = {
                let queue = queue.clone();
                thread::spawn(move || queue.get().unwrap())
            };
            let mine = queue.get().unwrap();
            let theirs = consumer.join().unwrap();
            producer.join().unwrap();
            let mut both = [mine, theirs];
            both.sort_unstable();
            assert_eq!(both, [1, 2], "each item taken exactly once");
        });
    }

    /// Loom: an item put just before `close` must still be taken; only then `Closed`.
    #[test]
    fn loom_close_loses_no_item() {
        loom_check("bounded_queue close (lost item)", || {
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
                    Err(e) => panic!("a blocking get returned {e:?}"),
                }
            }
            producer.join().unwrap();
            assert_eq!(taken, [7], "the item put before close was lost");
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
        let output =
            group.output("writer_reader (is the reader waiting for an EOF that never comes?)");
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

    /// The reader alone, fed by the test one line at a time: each `Get X from queue.` must
    /// come out before the next letter is even written, and closing the pipe must end the
    /// reader with status 0.
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
        let (status, rest) = grader::watchdog("the reader answering line by line", move || {
            let mut stdout = BufReader::new(stdout);
            for letter in LETTERS {
                writeln!(stdin, "{letter}").expect("the reader closed its stdin");
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
                    "the reader must print each letter as soon as it arrives; stderr: {err}"
                );
            }
            drop(stdin); // end-of-file
            let status = child.wait().unwrap();
            let mut rest = String::new();
            stdout.read_to_string(&mut rest).unwrap();
            (status, rest)
        });
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

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        #[test]
        fn duplex_carries_messages_both_ways_in_order(a_to_b in messages(), b_to_a in messages()) {
            let (got_b, got_a) = grader::watchdog("a duplex pipe", {
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
            let (got, after) = grader::watchdog("a one-way pipe", {
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
        let got = grader::watchdog("recv on a closed duplex pipe", move || a.recv());
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
        let cases: [(Vec<u8>, &str); 3] = [
            (
                [frame("héllo"), frame("")].concat(),
                "two messages then Eof",
            ),
            (frame("cut short")[..7].to_vec(), "Truncated"),
            (((MAX_MESSAGE + 1) as u32).to_be_bytes().to_vec(), "TooLong"),
        ];
        for (bytes, want) in cases {
            let (mut raw, theirs) = UnixStream::pair().unwrap();
            let mut end = Duplex::new(theirs).unwrap();
            raw.write_all(&bytes).unwrap();
            raw.shutdown(std::net::Shutdown::Write).unwrap();
            let got = grader::watchdog("recv of hand-made frames", move || {
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
            assert_eq!(got, expected, "{want}");
        }
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
        let first = grader::watchdog("reading proc1's first message", move || {
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
