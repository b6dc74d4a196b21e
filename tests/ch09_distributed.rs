//! Chapter 9 — distributed processes. `cargo test --test ch09_distributed [EXERCISE]`.
//!
//! The `master_worker` tests drive the real programs over TCP on 127.0.0.1, on ports the
//! OS chooses; nothing else is ever connected to. Every program runs in a process group
//! of its own that is killed and reaped when the test ends, passing or failing.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use grader::Group;

use grader::loom_check;

grader::chapter!(ch09_distributed);

/// The test binary's allocator: the system's, counting on the threads that ask for it
/// the largest single allocation made (see [`largest_allocation`]). A decoder that
/// allocates the length a stranger sent, before checking it, shows here — even where
/// memory overcommit lets a 4 GiB allocation succeed without touching a page.
struct Counting;

thread_local! {
    static COUNTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static LARGEST: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn note(size: usize) {
    let _ = COUNTING.try_with(|on| {
        if on.get() {
            let _ = LARGEST.try_with(|largest| largest.set(largest.get().max(size)));
        }
    });
}

// SAFETY: every call is passed on unchanged to the system allocator.
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        note(layout.size());
        unsafe { std::alloc::System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        note(layout.size());
        unsafe { std::alloc::System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        note(size);
        unsafe { std::alloc::System.realloc(ptr, layout, size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `body` and returns, with its result, the largest single allocation (in bytes)
/// it made on this thread.
fn largest_allocation<T>(body: impl FnOnce() -> T) -> (T, usize) {
    LARGEST.with(|largest| largest.set(0));
    COUNTING.with(|on| on.set(true));
    let result = body();
    COUNTING.with(|on| on.set(false));
    (result, LARGEST.with(|largest| largest.get()))
}

/// Starts `cmd` (a program of the `workbook` binary) in a process group of its own with
/// stdin piped, so a test can wait for its lines and talk to it (`grader::Group`).
fn spawn(mut cmd: Command) -> Group {
    cmd.stdin(Stdio::piped());
    Group::spawn(&mut cmd).expect("cannot start the workbook binary")
}

/// How a program ended: its status and its output, stdout as lines.
struct Finished {
    status: ExitStatus,
    stdout: Vec<String>,
    stderr: String,
}

/// Closes the program's stdin and waits (at most `grader::limit()`) for it to exit.
#[track_caller]
fn finish(program: Group, what: &str) -> Finished {
    let output = program.output(what);
    Finished {
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_owned)
            .collect(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

mod frames {
    use super::*;
    use crate::ch09_distributed::frames::{
        encode, read_frame, FrameError, Message, HEADER_LEN, MAX_FRAME,
    };
    use proptest::prelude::*;

    fn message() -> impl Strategy<Value = Message> {
        let text = "[ -~]{0,40}";
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..40)
                .prop_map(|nonce| Message::Challenge { nonce }),
            (text, proptest::collection::vec(any::<u8>(), 0..40))
                .prop_map(|(worker, mac)| Message::Proof { worker, mac }),
            Just(Message::Welcome),
            text.prop_map(|reason| Message::Refused { reason }),
            Just(Message::Ask),
            (any::<u64>(), any::<u64>()).prop_map(|(id, n)| Message::Task { id, n }),
            Just(Message::NoTask),
            (any::<u64>(), any::<u64>(), any::<u64>())
                .prop_map(|(id, n, square)| Message::Result { id, n, square }),
            (any::<u64>(), any::<bool>())
                .prop_map(|(id, duplicate)| Message::Ack { id, duplicate }),
            text.prop_map(|reason| Message::Error { reason }),
        ]
    }

    fn frame_of(body: &[u8]) -> Vec<u8> {
        let mut frame = (body.len() as u32).to_be_bytes().to_vec();
        frame.extend_from_slice(body);
        frame
    }

    /// Reads one frame from `bytes` under the watchdog.
    fn read(bytes: Vec<u8>) -> Result<Message, FrameError> {
        grader::watchdog("read_frame to return", move || read_frame(&bytes[..]))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Several frames back to back: each comes out whole and in order, and then the
        /// end of the stream is `Closed`, not an error inside a frame.
        #[test]
        fn messages_round_trip_back_to_back(messages in proptest::collection::vec(message(), 1..6)) {
            let mut stream = Vec::new();
            for m in &messages {
                stream.extend(encode(m).unwrap());
            }
            let mut reader = &stream[..];
            for m in &messages {
                let got = read_frame(&mut reader);
                prop_assert_eq!(got.as_ref().ok(), Some(m), "got {:?}", got);
            }
            let end = read_frame(&mut reader);
            prop_assert!(matches!(end, Err(FrameError::Closed)), "after the last frame: {:?}", end);
        }

        /// A frame cut anywhere is `Truncated` (cut before its first byte: `Closed`).
        #[test]
        fn a_cut_frame_is_truncated(m in message(), cut in any::<prop::sample::Index>()) {
            let frame = encode(&m).unwrap();
            let cut = cut.index(frame.len());
            let got = read(frame[..cut].to_vec());
            if cut == 0 {
                prop_assert!(matches!(got, Err(FrameError::Closed)), "no bytes: {:?}", got);
            } else {
                prop_assert!(matches!(got, Err(FrameError::Truncated)), "cut at {}: {:?}", cut, got);
            }
        }

        /// The decoder is fed by strangers: any bytes at all give a message or an error,
        /// never a panic or a hang.
        #[test]
        fn any_bytes_give_a_message_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = read(bytes);
        }

        /// The same with a plausible length prefix in front of junk.
        #[test]
        fn junk_behind_a_valid_length_is_malformed(body in proptest::collection::vec(any::<u8>(), 1..64)) {
            prop_assume!(serde_json::from_slice::<Message>(&body).is_err());
            let got = read(frame_of(&body));
            prop_assert!(matches!(got, Err(FrameError::Malformed(_))), "{:?}", got);
        }
    }

    /// Gives the header, then fails the test if anyone reads further.
    struct Tripwire {
        header: [u8; HEADER_LEN],
        given: usize,
    }

    impl Read for Tripwire {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.given == HEADER_LEN {
                return Err(std::io::Error::other(
                    "the body of an oversized frame was read: check the length first",
                ));
            }
            let n = buf.len().min(HEADER_LEN - self.given);
            buf[..n].copy_from_slice(&self.header[self.given..self.given + n]);
            self.given += n;
            Ok(n)
        }
    }

    #[test]
    fn an_oversized_length_is_rejected_before_the_body_is_read() {
        for len in [MAX_FRAME + 1, 1 << 30, u32::MAX as usize] {
            let reader = Tripwire {
                header: (len as u32).to_be_bytes(),
                given: 0,
            };
            let got = grader::watchdog("read_frame of an oversized frame to return", move || {
                read_frame(reader)
            });
            match got {
                Err(FrameError::TooLarge { len: l, max }) => {
                    assert_eq!((l, max), (len, MAX_FRAME));
                }
                other => panic!("a {len}-byte frame must be TooLarge, got {other:?}"),
            }
        }
    }

    /// A stranger's length prefix of up to 4 GiB must cost no memory: checked before
    /// any room is made for the body. (A buffer for the largest frame allowed, made
    /// before the length is known, is fine: the bound is twice `MAX_FRAME`.)
    #[test]
    fn an_oversized_length_allocates_nothing_for_the_body() {
        for len in [4 * MAX_FRAME, 1 << 30, u32::MAX as usize] {
            let reader = Tripwire {
                header: (len as u32).to_be_bytes(),
                given: 0,
            };
            let (got, largest) =
                grader::watchdog("read_frame of an oversized frame to return", move || {
                    largest_allocation(|| read_frame(reader).map(|_| ()).map_err(|e| e.to_string()))
                });
            assert!(got.is_err(), "a {len}-byte frame must be refused");
            assert!(
                largest <= 2 * MAX_FRAME,
                "read_frame allocated {largest} bytes for a frame whose header says {len} \
                 (MAX_FRAME is {MAX_FRAME}): check the length against MAX_FRAME before \
                 making room for the body"
            );
        }
    }

    /// Reads hand out one byte at a time, as a slow TCP connection may.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((&byte, rest)), Some(slot)) => {
                    *slot = byte;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        /// Frames that arrive a byte per `read` come out whole, in order, then `Closed`.
        #[test]
        fn frames_arriving_a_byte_at_a_time_are_read_whole(
            messages in proptest::collection::vec(message(), 1..4),
        ) {
            let mut stream = Vec::new();
            for m in &messages {
                stream.extend(encode(m).unwrap());
            }
            let got = grader::watchdog("read_frame over a trickling reader to return", move || {
                let mut reader = Trickle(&stream);
                let mut got = Vec::new();
                loop {
                    match read_frame(&mut reader) {
                        Ok(m) => got.push(Ok(m)),
                        Err(FrameError::Closed) => break,
                        Err(e) => {
                            got.push(Err(e.to_string()));
                            break;
                        }
                    }
                }
                got
            });
            let expected: Vec<Result<Message, String>> = messages.into_iter().map(Ok).collect();
            prop_assert_eq!(got, expected, "a read may bring one byte: keep reading until the header, then the body, is whole");
        }
    }

    #[test]
    fn a_frame_of_exactly_the_limit_is_accepted() {
        let prefix = br#"{"type":"refused","reason":""#;
        let filler = MAX_FRAME - prefix.len() - 2;
        let mut body = prefix.to_vec();
        body.extend(std::iter::repeat_n(b'x', filler));
        body.extend_from_slice(br#""}"#);
        assert_eq!(body.len(), MAX_FRAME);
        match read(frame_of(&body)) {
            Ok(Message::Refused { reason }) => assert_eq!(reason.len(), filler),
            other => panic!("a frame of exactly MAX_FRAME bytes is allowed, got {other:?}"),
        }
    }

    #[test]
    fn malformed_bodies_are_clear_errors() {
        let bodies: [&[u8]; 5] = [
            b"",
            b"{not json",
            br#"{"type":"launch_missiles"}"#,
            br#"{"type":"task","id":"three","n":4}"#,
            br#"[1,2,3]"#,
        ];
        for body in bodies {
            match read(frame_of(body)) {
                Err(e @ FrameError::Malformed(_)) => {
                    assert!(e.to_string().starts_with("malformed frame"), "{e}")
                }
                other => panic!(
                    "{:?} is not a message: expected Malformed, got {other:?}",
                    String::from_utf8_lossy(body)
                ),
            }
        }
    }
}

mod task_table {
    use super::*;
    use crate::ch09_distributed::task_table::{Completion, Task, TaskTable};
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    const LEASE: Duration = Duration::from_secs(10);

    fn table(numbers: &[u64]) -> TaskTable {
        TaskTable::new(numbers.iter().copied(), LEASE)
    }

    #[test]
    fn tasks_go_out_oldest_first_each_once_while_leases_hold() {
        let handed = grader::watchdog("TaskTable::take to return", || {
            let table = table(&[5, 6, 7]);
            let now = Instant::now();
            let handed: Vec<Option<Task>> = (0..4).map(|w| table.take(w % 2, now)).collect();
            assert_eq!(table.lease_of(1).map(|(worker, _)| worker), Some(1));
            handed
        });
        assert_eq!(
            handed,
            vec![
                Some(Task { id: 0, n: 5 }),
                Some(Task { id: 1, n: 6 }),
                Some(Task { id: 2, n: 7 }),
                None
            ],
            "each task once, in order, then nothing while the leases hold"
        );
    }

    #[test]
    fn an_expired_lease_is_handed_out_again() {
        grader::watchdog("TaskTable::take after a lease ran out to return", || {
            let table = table(&[5, 6]);
            let t0 = Instant::now();
            assert_eq!(table.take(1, t0), Some(Task { id: 0, n: 5 }));
            assert_eq!(table.take(1, t0), Some(Task { id: 1, n: 6 }));
            assert_eq!(
                table.take(2, t0 + LEASE / 2),
                None,
                "both leases still hold"
            );
            assert_eq!(
                table.take(2, t0 + LEASE),
                Some(Task { id: 0, n: 5 }),
                "worker 1's leases ran out: task 0 (the oldest) goes to worker 2"
            );
            assert_eq!(table.lease_of(0).map(|(w, _)| w), Some(2));
            assert_eq!(
                table.take(3, t0 + LEASE),
                Some(Task { id: 1, n: 6 }),
                "task 1's lease ran out too"
            );
            assert_eq!(table.requeue_expired(t0 + LEASE), 0, "the new leases hold");
            assert_eq!(
                table.requeue_expired(t0 + LEASE * 2),
                2,
                "until they run out"
            );
        });
    }

    /// A requeued task has waited longest: it goes out before the tasks still waiting.
    #[test]
    fn an_expired_lease_goes_back_to_the_front_of_the_queue() {
        let next = grader::watchdog("TaskTable::take after a lease ran out to return", || {
            let table = table(&[5, 6, 7]);
            let t0 = Instant::now();
            assert_eq!(table.take(1, t0), Some(Task { id: 0, n: 5 }));
            table.take(2, t0 + LEASE)
        });
        assert_eq!(
            next,
            Some(Task { id: 0, n: 5 }),
            "task 0's lease ran out while tasks 1 and 2 were still waiting: task 0 goes \
             back to the front of the queue"
        );
    }

    /// Eight leases run out at once, two tasks still wait: the eight go back in front,
    /// lowest id first, and then the two.
    #[test]
    fn expired_leases_go_back_lowest_id_first() {
        let order = grader::watchdog("TaskTable::requeue_expired and take to return", || {
            let table = table(&[10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
            let t0 = Instant::now();
            for worker in 0..8 {
                table.take(worker, t0).expect("ten tasks waiting");
            }
            let requeued = table.requeue_expired(t0 + LEASE);
            let order: Vec<u64> = std::iter::from_fn(|| table.take(9, t0 + LEASE))
                .map(|task| task.id)
                .collect();
            (requeued, order)
        });
        assert_eq!(
            order,
            (8, (0..10).collect::<Vec<u64>>()),
            "eight leases ran out: requeue_expired returns 8, and the tasks go out again \
             lowest id first, before the two that never left the queue"
        );
    }

    #[test]
    fn a_result_is_recorded_exactly_once_when_two_workers_did_the_task() {
        grader::watchdog("TaskTable::complete to return", || {
            let table = table(&[9]);
            let t0 = Instant::now();
            let task = table.take(1, t0).unwrap();
            assert_eq!(
                table.take(2, t0 + LEASE),
                Some(task),
                "re-issued to worker 2"
            );
            assert_eq!(table.complete(0, 81), Completion::Recorded(task));
            assert_eq!(
                table.complete(0, 81),
                Completion::Duplicate,
                "the late worker 1"
            );
            assert_eq!(table.complete(7, 49), Completion::Unknown);
            assert_eq!(table.results(), vec![(task, 81)]);
            assert!(table.is_finished());
            assert_eq!(
                table.take(3, t0 + LEASE * 3),
                None,
                "a task with a result is never handed out again, not even once the lease \
                 of the worker that did it would have run out"
            );
        });
    }

    #[test]
    fn a_late_result_for_a_requeued_task_counts_and_the_task_is_not_handed_out_again() {
        grader::watchdog("TaskTable, after a late result, to return", || {
            let table = table(&[3, 4]);
            let t0 = Instant::now();
            let slow = table.take(1, t0).unwrap();
            assert_eq!(table.requeue_expired(t0 + LEASE), 1);
            assert_eq!(table.complete(slow.id, 9), Completion::Recorded(slow));
            let next = table.take(2, t0 + LEASE);
            assert_eq!(
                next,
                Some(Task { id: 1, n: 4 }),
                "task 0 is done: it must not be handed out again"
            );
            assert_eq!(table.take(2, t0 + LEASE), None);
        });
    }

    #[derive(Debug, Clone)]
    enum Op {
        Take(u64),
        Complete(u64),
        Wait(u32),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (0u64..3).prop_map(Op::Take),
            2 => (0u64..6).prop_map(Op::Complete),
            1 => (0u32..3).prop_map(Op::Wait),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Any sequence of takes, results and waits, against a model: a task is never
        /// leased to two workers at once, never handed out after its result, a result is
        /// recorded only the first time, nothing waits while the table says there is no
        /// task, and in the end every task has exactly its own result.
        #[test]
        fn leases_and_results_follow_the_model(
            numbers in proptest::collection::vec(0u64..10_000, 1..6),
            ops in proptest::collection::vec(op(), 0..40),
        ) {
            let table = table(&numbers);
            let t0 = Instant::now();
            let mut now = t0;
            let mut leases: BTreeMap<u64, Instant> = BTreeMap::new(); // id -> expiry
            let mut recorded: BTreeSet<u64> = BTreeSet::new();
            let total = numbers.len() as u64;
            for op in ops {
                match op {
                    Op::Take(worker) => match table.take(worker, now) {
                        Some(task) => {
                            prop_assert_eq!(task.n, numbers[task.id as usize]);
                            prop_assert!(!recorded.contains(&task.id), "task {} handed out after its result", task.id);
                            let held = leases.get(&task.id).is_some_and(|&expires| expires > now);
                            prop_assert!(!held, "task {} handed out while another lease holds", task.id);
                            leases.insert(task.id, now + LEASE);
                        }
                        None => {
                            for id in (0..total).filter(|id| !recorded.contains(id)) {
                                let held = leases.get(&id).is_some_and(|&expires| expires > now);
                                prop_assert!(held, "no task handed out, but task {} is free", id);
                            }
                        }
                    },
                    Op::Complete(id) => {
                        let n = numbers.get(id as usize).copied().unwrap_or(0);
                        let expected = if id >= total {
                            Completion::Unknown
                        } else if recorded.contains(&id) {
                            Completion::Duplicate
                        } else {
                            Completion::Recorded(Task { id, n })
                        };
                        prop_assert_eq!(table.complete(id, n * n), expected);
                        if id < total {
                            recorded.insert(id);
                            leases.remove(&id);
                        }
                    }
                    Op::Wait(leases_long) => now += LEASE * leases_long,
                }
            }
            // Drain: whatever is left goes out (after the leases run out) and comes back.
            now += LEASE;
            while let Some(task) = table.take(9, now) {
                prop_assert!(!recorded.contains(&task.id));
                prop_assert_eq!(table.complete(task.id, task.n * task.n), Completion::Recorded(task));
                recorded.insert(task.id);
            }
            prop_assert!(table.is_finished(), "tasks were lost: {:?} of {} recorded", recorded, total);
            let results = table.results();
            prop_assert_eq!(results.len(), numbers.len());
            for (i, (task, square)) in results.into_iter().enumerate() {
                prop_assert_eq!(task, Task { id: i as u64, n: numbers[i] });
                prop_assert_eq!(square, numbers[i] * numbers[i]);
            }
        }
    }

    /// Loom: two workers ask at the same moment. In every interleaving they must get
    /// different tasks (look at the next task and lease it under one lock).
    #[test]
    fn loom_two_workers_never_get_the_same_task() {
        loom_check("TaskTable::take from two threads", || {
            use crate::model::sync::{thread, Arc};
            use crate::model::task_table::TaskTable;
            let table = Arc::new(TaskTable::new([5, 6], LEASE));
            let now = Instant::now();
            let other = {
                let table = Arc::clone(&table);
                thread::spawn(move || table.take(2, now))
            };
            let mine = table.take(1, now);
            let theirs = other.join().unwrap();
            let (mine, theirs) = (
                mine.expect("two tasks, two workers"),
                theirs.expect("two tasks, two workers"),
            );
            assert_ne!(
                mine.id, theirs.id,
                "both workers were handed task {}",
                mine.id
            );
            assert_eq!(table.take(3, now), None, "both tasks are leased");
        });
    }

    /// Loom: the master waits in `wait_finished` while a worker's thread records the
    /// last result. In every interleaving the waiter wakes up and sees every task done
    /// (in a model a timed wait never times out: a missing notification hangs it).
    #[test]
    fn loom_the_last_result_wakes_the_waiter() {
        loom_check("TaskTable::wait_finished while complete runs", || {
            use crate::model::sync::{thread, Arc};
            use crate::model::task_table::TaskTable;
            let table = Arc::new(TaskTable::new([7], LEASE));
            table.take(1, Instant::now()).expect("one task");
            let worker = {
                let table = Arc::clone(&table);
                thread::spawn(move || table.complete(0, 49))
            };
            assert!(
                table.wait_finished(Duration::from_secs(3600)),
                "wait_finished gave up although the last result came in"
            );
            worker.join().unwrap();
        });
    }

    /// Loom: the task was re-issued and both workers send the result at the same moment.
    /// Exactly one of them may be recorded (check and record under one lock).
    #[test]
    fn loom_a_result_is_recorded_once() {
        loom_check("TaskTable::complete from two threads", || {
            use crate::model::sync::{thread, Arc};
            use crate::model::task_table::{Completion, TaskTable};
            let table = Arc::new(TaskTable::new([7], LEASE));
            let now = Instant::now();
            table.take(1, now).expect("one task");
            let other = {
                let table = Arc::clone(&table);
                thread::spawn(move || table.complete(0, 49))
            };
            let mine = table.complete(0, 49);
            let theirs = other.join().unwrap();
            let recorded = [mine, theirs]
                .iter()
                .filter(|c| matches!(c, Completion::Recorded(_)))
                .count();
            assert_eq!(
                recorded, 1,
                "the same result was recorded {recorded} times: {mine:?}, {theirs:?}"
            );
            assert_eq!(table.results().len(), 1);
        });
    }
}

mod master_worker {
    use super::*;
    use crate::ch09_distributed::frames::{encode, read_frame, Message, HEADER_LEN};
    use crate::ch09_distributed::master_worker::{sign, verify, KEY_ENV, MASTER, WORKER};
    use hmac::{Hmac, Mac};
    use proptest::prelude::*;
    use sha2::Sha256;
    use std::collections::BTreeMap;
    use std::io::Write;
    use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};

    const KEY: &str = "Willard's shared secret";

    fn reference_mac(key: &[u8], nonce: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
        mac.update(nonce);
        mac.finalize().into_bytes().to_vec()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        #[test]
        fn sign_is_an_hmac_of_the_nonce_never_the_key(
            key in proptest::collection::vec(any::<u8>(), 1..64),
            nonce in proptest::collection::vec(any::<u8>(), 32),
        ) {
            prop_assert_eq!(sign(&key, &nonce), reference_mac(&key, &nonce), "HMAC-SHA256(key, nonce)");
        }

        #[test]
        fn verify_accepts_exactly_the_right_proof(
            key in proptest::collection::vec(any::<u8>(), 1..64),
            other_key in proptest::collection::vec(any::<u8>(), 1..64),
            nonce in proptest::collection::vec(any::<u8>(), 32),
            flip in 0usize..32,
        ) {
            let right = reference_mac(&key, &nonce);
            prop_assert!(verify(&key, &nonce, &right), "the right proof must be accepted");
            if other_key != key {
                prop_assert!(!verify(&key, &nonce, &reference_mac(&other_key, &nonce)), "a proof made with another key");
            }
            let mut flipped = right.clone();
            flipped[flip] ^= 1;
            prop_assert!(!verify(&key, &nonce, &flipped), "a proof with one bit changed");
            prop_assert!(!verify(&key, &nonce, &right[..16]), "half a proof");
            prop_assert!(!verify(&key, &nonce, &key), "the key itself is not a proof");
            prop_assert!(!verify(&key, &nonce, &[]), "an empty proof");
        }
    }

    fn master(numbers: &[u64], lease_ms: u64) -> (Group, SocketAddr) {
        let list: Vec<String> = numbers.iter().map(u64::to_string).collect();
        let mut cmd = workbook::process::entry(MASTER);
        cmd.env(KEY_ENV, KEY).args([
            "--numbers",
            &list.join(","),
            "--lease-ms",
            &lease_ms.to_string(),
        ]);
        let mut master = spawn(cmd);
        let line = master.line("`listening on 127.0.0.1:PORT`", |l| {
            l.starts_with("listening on ")
        });
        let addr: SocketAddr = line["listening on ".len()..]
            .trim()
            .parse()
            .unwrap_or_else(|e| panic!("not an address in {line:?}: {e}"));
        assert_eq!(
            addr.ip(),
            Ipv4Addr::LOCALHOST,
            "the master must listen on 127.0.0.1 only"
        );
        (master, addr)
    }

    fn worker(name: &str, key: &str, addr: SocketAddr, extra: &[&str]) -> Group {
        let mut cmd = workbook::process::entry(WORKER);
        cmd.env(KEY_ENV, key)
            .args(["--master", &addr.to_string(), "--name", name])
            .args(extra);
        spawn(cmd)
    }

    /// `Result: task ID: N * N = SQUARE` lines of the master, by task id (with repeats).
    fn results(stdout: &[String]) -> BTreeMap<u64, Vec<(u64, u64)>> {
        let mut results: BTreeMap<u64, Vec<(u64, u64)>> = BTreeMap::new();
        for line in stdout {
            let Some(rest) = line.strip_prefix("Result: task ") else {
                continue;
            };
            let parsed = (|| {
                let (id, rest) = rest.split_once(": ")?;
                let (n, rest) = rest.split_once(" * ")?;
                let (_, square) = rest.split_once(" = ")?;
                Some((id.parse().ok()?, n.parse().ok()?, square.parse().ok()?))
            })();
            let (id, n, square) =
                parsed.unwrap_or_else(|| panic!("a garbled result line: {line:?}"));
            results.entry(id).or_default().push((n, square));
        }
        results
    }

    /// The master finished, printing each task's correct result exactly once. If it does
    /// not finish, the message says what the workers were doing: refused (look at
    /// `sign` and `verify`), gone early, or still at work.
    #[track_caller]
    fn assert_all_results_once(
        mut master: Group,
        numbers: &[u64],
        workers: &mut [(&str, &mut Group)],
    ) -> Finished {
        if master.wait_within(grader::limit()).is_none() {
            let mut report = String::new();
            for (name, w) in workers.iter_mut() {
                let state = if w.running() {
                    "still running"
                } else {
                    "exited"
                };
                let stderr = w.stderr_so_far();
                let stderr = stderr.trim();
                report.push_str(&format!(
                    "\n  {name} ({state}); its stderr: {}",
                    if stderr.is_empty() {
                        "(nothing)"
                    } else {
                        stderr
                    }
                ));
            }
            let refused = report.contains("authentication failed");
            panic!(
                "{} {:?}: still waiting for the master to record every result.\nthe \
                 master's stderr: {}\nthe workers:{report}{}",
                grader::STUCK,
                grader::limit(),
                master.stderr_so_far().trim(),
                if refused {
                    "\na worker with the right key was refused: check sign and verify"
                } else {
                    ""
                }
            );
        }
        let finished = finish(master, "waiting for every result");
        let results = results(&finished.stdout);
        for (id, &n) in numbers.iter().enumerate() {
            let id = id as u64;
            match results.get(&id).map(Vec::as_slice) {
                Some([(got_n, square)]) => {
                    assert_eq!((*got_n, *square), (n, n * n), "task {id}'s result is wrong")
                }
                Some(many) => panic!(
                    "task {id}'s result was recorded {} times: {many:?}",
                    many.len()
                ),
                None => panic!(
                    "task {id} has no result: it was lost.\nmaster stdout:\n{}\nstderr:\n{}",
                    finished.stdout.join("\n"),
                    finished.stderr
                ),
            }
        }
        assert_eq!(
            results.len(),
            numbers.len(),
            "results for tasks that do not exist"
        );
        assert!(
            finished.status.success(),
            "the master failed: {}\n{}",
            finished.status,
            finished.stderr
        );
        finished
    }

    #[test]
    fn a_master_and_two_workers_finish_every_task() {
        let numbers = [3, 141, 59, 2653, 5, 8979, 32, 3846];
        let (master, addr) = master(&numbers, 5000);
        // Both are welcome before either asks for a task, so neither finds the master gone.
        let mut a = worker("worker-a", KEY, addr, &["--wait-for-go"]);
        let mut b = worker("worker-b", KEY, addr, &["--wait-for-go"]);
        for w in [&mut a, &mut b] {
            w.line("`Connected as ...` (it was welcome)", |l| {
                l.starts_with("Connected as")
            });
        }
        a.say("go");
        b.say("go");
        let finished = assert_all_results_once(
            master,
            &numbers,
            &mut [("worker-a", &mut a), ("worker-b", &mut b)],
        );
        assert!(finished.stdout.iter().any(|l| l == "Master Exit."));
        for (name, w) in [("worker-a", a), ("worker-b", b)] {
            let done = finish(w, "after the master exited");
            assert!(
                done.status.success(),
                "{name} must exit cleanly once the master is gone: {}\n{}",
                done.status,
                done.stderr
            );
            assert!(
                done.stdout
                    .iter()
                    .any(|l| l.starts_with("task queue is empty")),
                "{name} should say the task queue is empty:\n{}",
                done.stdout.join("\n")
            );
        }
    }

    #[test]
    fn a_wrong_key_is_refused_and_gets_no_task() {
        let numbers = [12, 13, 14];
        let (master, addr) = master(&numbers, 5000);
        let intruder = finish(
            worker("intruder", "not the key", addr, &[]),
            "a refused worker",
        );
        assert!(!intruder.status.success(), "a refused worker must fail");
        assert!(
            intruder.stderr.contains("authentication failed"),
            "the worker should say why it was refused:\n{}",
            intruder.stderr
        );
        assert!(
            !intruder.stdout.iter().any(|l| l.starts_with("Run task")),
            "a worker with the wrong key got a task:\n{}",
            intruder.stdout.join("\n")
        );
        let mut good = worker("worker", KEY, addr, &[]);
        let finished = assert_all_results_once(master, &numbers, &mut [("worker", &mut good)]);
        assert!(
            finished.stderr.contains("authentication failed"),
            "the master should log the refusal:\n{}",
            finished.stderr
        );
    }

    /// Speaks the protocol by hand: a client that skips the proof, or that sends the key
    /// itself as its proof, is refused and never sees a task.
    #[test]
    fn a_client_without_a_valid_proof_gets_no_task() {
        let (mut master, addr) = master(&[1, 2], 5000);
        let attempts = [
            ("asks without a proof", Message::Ask),
            (
                "sends the key as its proof",
                Message::Proof {
                    worker: "x".into(),
                    mac: KEY.as_bytes().to_vec(),
                },
            ),
            (
                "replays a proof made for another nonce",
                Message::Proof {
                    worker: "x".into(),
                    mac: reference_mac(KEY.as_bytes(), &[0; 32]),
                },
            ),
        ];
        for (what, answer) in attempts {
            let replies = grader::watchdog(
                "the master to refuse a hand-made client and hang up (does it go on serving a \
                 client that never proved the key?)",
                move || {
                    let stream = TcpStream::connect(addr).unwrap();
                    let nonce = match read_frame(&stream) {
                        Ok(Message::Challenge { nonce }) => nonce,
                        other => panic!("the master must open with a challenge, got {other:?}"),
                    };
                    assert_eq!(nonce.len(), 32, "a 32-byte nonce");
                    (&stream).write_all(&encode(&answer).unwrap()).unwrap();
                    let _ = (&stream).write_all(&encode(&Message::Ask).unwrap());
                    let mut replies = Vec::new();
                    while let Ok(reply) = read_frame(&stream) {
                        replies.push(reply);
                    }
                    replies
                },
            );
            assert!(
                matches!(replies.first(), Some(Message::Refused { .. })),
                "a client that {what} must be refused, got {replies:?}"
            );
            assert!(
                !replies.iter().any(|r| matches!(r, Message::Task { .. })),
                "a client that {what} got a task: {replies:?}"
            );
        }
        assert!(master.running(), "the master must keep serving");
    }

    #[test]
    fn garbage_does_not_crash_the_master() {
        let numbers = [21, 34, 55];
        let (mut master, addr) = master(&numbers, 5000);
        let garbage: [Vec<u8>; 5] = [
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
            u32::MAX.to_be_bytes().to_vec(),
            [&12u32.to_be_bytes()[..], b"{not json!!}"].concat(),
            vec![0, 0],
            vec![],
        ];
        for bytes in garbage {
            grader::watchdog("the master to answer garbage and hang up", move || {
                let stream = TcpStream::connect(addr).unwrap();
                let _ = read_frame(&stream); // the challenge
                let _ = (&stream).write_all(&bytes);
                let _ = stream.shutdown(std::net::Shutdown::Write);
                // The master answers (a refusal) and hangs up; it must not hang.
                while read_frame(&stream).is_ok() {}
            });
            assert!(
                master.running(),
                "the master died of garbage: {}",
                master.stderr_so_far()
            );
        }
        let mut good = worker("worker", KEY, addr, &[]);
        let finished = assert_all_results_once(master, &numbers, &mut [("worker", &mut good)]);
        for clue in ["over the limit", "malformed"] {
            assert!(
                finished.stderr.contains(clue),
                "the master should log a clear reason ({clue}):\n{}",
                finished.stderr
            );
        }
    }

    /// A client that passed the handshake and then sends a bad frame gets one `Error`
    /// naming the problem and is hung up on; the master goes on serving everyone else.
    #[test]
    fn bad_frames_after_the_handshake_end_only_that_connection() {
        let numbers = [6, 28];
        let (mut master, addr) = master(&numbers, 5000);
        let unknown = Message::Result {
            id: 99,
            n: 1,
            square: 1,
        };
        let cases = [
            (
                "an oversized frame",
                u32::MAX.to_be_bytes().to_vec(),
                "over the limit",
            ),
            (
                "a malformed frame",
                [&5u32.to_be_bytes()[..], b"{oops"].concat(),
                "malformed",
            ),
            ("a result for no task", encode(&unknown).unwrap(), "99"),
        ];
        for (what, bytes, clue) in cases {
            let replies = grader::watchdog(
                "the master to answer a bad frame with one Error and hang up",
                move || {
                    let stream = TcpStream::connect(addr).unwrap();
                    let nonce = match read_frame(&stream) {
                        Ok(Message::Challenge { nonce }) => nonce,
                        other => panic!("the master must open with a challenge, got {other:?}"),
                    };
                    let proof = Message::Proof {
                        worker: "tester".into(),
                        mac: reference_mac(KEY.as_bytes(), &nonce),
                    };
                    (&stream).write_all(&encode(&proof).unwrap()).unwrap();
                    match read_frame(&stream) {
                        Ok(Message::Welcome) => {}
                        other => panic!("a valid proof must be welcome, got {other:?}"),
                    }
                    (&stream).write_all(&bytes).unwrap();
                    let mut replies = Vec::new();
                    while let Ok(reply) = read_frame(&stream) {
                        replies.push(reply);
                    }
                    replies
                },
            );
            match replies.as_slice() {
                [Message::Error { reason }] => assert!(
                    reason.contains(clue),
                    "{what}: the error should say what was wrong ({clue}): {reason:?}"
                ),
                other => panic!(
                    "{what}: expected one Error reply, then the master hangs up; got {other:?}"
                ),
            }
            assert!(
                master.running(),
                "the master died of {what}: {}",
                master.stderr_so_far()
            );
        }
        let mut good = worker("worker", KEY, addr, &[]);
        assert_all_results_once(master, &numbers, &mut [("worker", &mut good)]);
    }

    /// A worker takes a task and is killed with SIGKILL before it answers. The rescuer
    /// was welcome before that task went out, and its patience outlasts the lease: the
    /// task goes to it once the lease runs out, and every result is recorded exactly
    /// once.
    #[test]
    fn a_worker_killed_mid_task_loses_nothing() {
        let numbers = [7, 11, 13, 17, 19];
        let (master, addr) = master(&numbers, 300);
        let mut rescuer = worker(
            "rescuer",
            KEY,
            addr,
            &["--wait-for-go", "--patience-ms", "600000"],
        );
        rescuer.line("`Connected as ...` (it was welcome)", |l| {
            l.starts_with("Connected as")
        });
        let mut doomed = worker("doomed worker", KEY, addr, &["--stall"]);
        let line = doomed.line("`Run task ID: ...` (it took a task)", |l| {
            l.starts_with("Run task ")
        });
        let id: u64 = line["Run task ".len()..]
            .split(':')
            .next()
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("no task id in {line:?}"));
        let status = doomed.kill().expect("the doomed worker was running");
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "killed mid-task with SIGKILL");
        rescuer.say("go");
        assert_all_results_once(master, &numbers, &mut [("rescuer", &mut rescuer)]);
        let rescued = finish(rescuer, "after the master exited");
        assert!(rescued.status.success(), "{}", rescued.stderr);
        assert!(
            rescued
                .stdout
                .iter()
                .any(|l| l.starts_with(&format!("Run task {id}:"))),
            "task {id} should have been re-issued to the rescuer:\n{}",
            rescued.stdout.join("\n")
        );
    }

    /// In-process, over loopback sockets: `serve_worker` and `handshake` return the
    /// errors the text names. A wrong key is `AuthFailed` on the master's side and
    /// `Refused` with the master's reason on the worker's; an oversized or a malformed
    /// frame after the welcome is that `FrameError`.
    #[test]
    fn wrong_keys_and_bad_frames_are_typed_errors() {
        use crate::ch09_distributed::frames::FrameError;
        use crate::ch09_distributed::master_worker::{handshake, serve_worker, MasterWorkerError};
        use crate::ch09_distributed::task_table::TaskTable;
        let table = std::sync::Arc::new(TaskTable::new([2, 3], Duration::from_secs(600)));
        let cases: [(&str, &str, Vec<u8>); 3] = [
            ("a wrong key", "not the key", vec![]),
            ("an oversized frame", KEY, u32::MAX.to_be_bytes().to_vec()),
            (
                "a malformed frame",
                KEY,
                [&5u32.to_be_bytes()[..], b"{oops"].concat(),
            ),
        ];
        for (what, key, bytes) in cases {
            let table = std::sync::Arc::clone(&table);
            let (worker_side, master_side) = grader::watchdog(
                "serve_worker and handshake to return over a loopback socket",
                move || {
                    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
                    let addr = listener.local_addr().unwrap();
                    let master = std::thread::spawn(move || {
                        let (stream, _) = listener.accept().unwrap();
                        serve_worker(stream, 1, KEY.as_bytes(), &table)
                    });
                    let stream = TcpStream::connect(addr).unwrap();
                    let worker_side = handshake(&stream, key.as_bytes(), "tester");
                    if worker_side.is_ok() {
                        (&stream).write_all(&bytes).unwrap();
                        while read_frame(&stream).is_ok() {}
                    }
                    drop(stream);
                    (worker_side, master.join().expect("serve_worker panicked"))
                },
            );
            match what {
                "a wrong key" => {
                    match &worker_side {
                        Err(MasterWorkerError::Refused(reason)) => assert!(
                            reason.contains("authentication failed"),
                            "a worker refused for its key gets the reason \
                             `authentication failed`, not {reason:?}"
                        ),
                        other => panic!(
                            "handshake with a wrong key must be Err(Refused(reason)), \
                             got {other:?}"
                        ),
                    }
                    assert!(
                        matches!(master_side, Err(MasterWorkerError::AuthFailed)),
                        "serve_worker must return Err(AuthFailed) for a wrong proof, \
                         got {master_side:?}"
                    );
                }
                _ => {
                    assert!(
                        worker_side.is_ok(),
                        "{what}: the right key must be welcome, got {worker_side:?}"
                    );
                    let typed = match &master_side {
                        Err(MasterWorkerError::Frame(FrameError::TooLarge { len, .. })) => {
                            what == "an oversized frame" && *len == u32::MAX as usize
                        }
                        Err(MasterWorkerError::Frame(FrameError::Malformed(_))) => {
                            what == "a malformed frame"
                        }
                        _ => false,
                    };
                    assert!(
                        typed,
                        "{what} after the welcome: serve_worker must return that \
                         FrameError (as MasterWorkerError::Frame), got {master_side:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_worker_with_nothing_to_do_says_the_queue_is_empty_and_exits_cleanly() {
        let (_master, addr) = master(&[4], 60_000);
        let mut busy = worker("busy worker", KEY, addr, &["--stall"]);
        busy.line("`Run task 0: ...`", |l| l.starts_with("Run task 0:"));
        let idle = finish(
            worker("idle worker", KEY, addr, &["--patience-ms", "100"]),
            "a worker finding no task",
        );
        assert!(idle.status.success(), "{}", idle.stderr);
        assert!(
            idle.stdout.iter().any(|l| l == "task queue is empty"),
            "expected `task queue is empty`:\n{}",
            idle.stdout.join("\n")
        );
        assert!(!idle.stdout.iter().any(|l| l.starts_with("Run task")));
    }

    /// One frame from `stream`, read by the test itself (not by `read_frame`); `None`
    /// once the peer has hung up.
    fn next_message(mut stream: &TcpStream) -> Option<Message> {
        let mut header = [0u8; HEADER_LEN];
        stream.read_exact(&mut header).ok()?;
        let len = (u32::from_be_bytes(header) as usize).min(1 << 20);
        let mut body = vec![0u8; len];
        stream.read_exact(&mut body).ok()?;
        Some(
            serde_json::from_slice(&body)
                .unwrap_or_else(|e| panic!("the worker sent a frame that is not a message: {e}")),
        )
    }

    /// A fake master (this test) welcomes a real worker with a long patience and
    /// answers its first two asks with `NoTask`: the worker must ask again, take the
    /// task that comes third, return its result, and, when the master then hangs up,
    /// say the queue is empty and exit cleanly.
    #[test]
    fn a_worker_asks_again_after_no_task_until_its_patience_runs_out() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let w = worker("patient worker", KEY, addr, &["--patience-ms", "600000"]);
        let seen = grader::watchdog(
            "the worker to ask a fake master for tasks (does it leave at the first \
             NoTask?)",
            move || {
                let (stream, _) = listener.accept().unwrap();
                let nonce = vec![7u8; 32];
                let send = |m: &Message| {
                    let _ = (&stream).write_all(&encode(m).unwrap());
                };
                send(&Message::Challenge {
                    nonce: nonce.clone(),
                });
                match next_message(&stream) {
                    Some(Message::Proof { mac, .. })
                        if mac == reference_mac(KEY.as_bytes(), &nonce) => {}
                    other => panic!(
                        "expected the worker's proof, HMAC-SHA256(key, nonce), got \
                         {other:?} (None: it hung up)"
                    ),
                }
                send(&Message::Welcome);
                let mut seen = Vec::new();
                for reply in [
                    Message::NoTask,
                    Message::NoTask,
                    Message::Task { id: 0, n: 12 },
                ] {
                    let asked = next_message(&stream);
                    let ok = matches!(asked, Some(Message::Ask));
                    seen.push(asked);
                    if !ok {
                        return seen;
                    }
                    send(&reply);
                }
                seen.push(next_message(&stream));
                send(&Message::Ack {
                    id: 0,
                    duplicate: false,
                });
                seen
            },
        );
        let expected = [
            Some(Message::Ask),
            Some(Message::Ask),
            Some(Message::Ask),
            Some(Message::Result {
                id: 0,
                n: 12,
                square: 144,
            }),
        ];
        assert_eq!(
            seen, expected,
            "after NoTask a worker with patience left asks again; the third ask gets \
             task 0 (12 * 12), whose result comes back"
        );
        let done = finish(w, "the worker once the fake master hung up");
        assert!(
            done.status.success(),
            "the master hanging up is no error for the worker: {}\n{}",
            done.status,
            done.stderr
        );
        assert!(
            done.stdout
                .iter()
                .any(|l| l.starts_with("task queue is empty")),
            "the worker should say the task queue is empty:\n{}",
            done.stdout.join("\n")
        );
    }

    /// A fake master (this test) challenges a real worker: the proof is the HMAC of our
    /// nonce, and the key's bytes appear nowhere in what the worker sent.
    #[test]
    fn the_worker_proves_the_key_without_sending_it() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let nonce: Vec<u8> = (0..32u8).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
        let w = worker("worker", KEY, addr, &[]);
        let sent = {
            let nonce = nonce.clone();
            grader::watchdog(
                "the worker to answer a fake master's challenge",
                move || {
                    let (stream, _) = listener.accept().unwrap();
                    (&stream)
                        .write_all(&encode(&Message::Challenge { nonce }).unwrap())
                        .unwrap();
                    let no_proof = |e: std::io::Error| -> ! {
                        panic!(
                        "the worker hung up instead of answering the challenge with a proof: {e}"
                    )
                    };
                    let mut header = [0u8; HEADER_LEN];
                    (&stream)
                        .read_exact(&mut header)
                        .unwrap_or_else(|e| no_proof(e));
                    let len = (u32::from_be_bytes(header) as usize).min(1 << 20);
                    let mut body = vec![0u8; len];
                    (&stream)
                        .read_exact(&mut body)
                        .unwrap_or_else(|e| no_proof(e));
                    let reply = Message::Refused {
                        reason: "that is all, thank you".into(),
                    };
                    let _ = (&stream).write_all(&encode(&reply).unwrap());
                    body
                },
            )
        };
        assert!(
            !sent.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
            "the key itself went over the wire"
        );
        let proof = read_frame(&[&(sent.len() as u32).to_be_bytes()[..], &sent].concat()[..]);
        match proof {
            Ok(Message::Proof { mac, .. }) => assert_eq!(
                mac,
                reference_mac(KEY.as_bytes(), &nonce),
                "the proof must be HMAC-SHA256(key, nonce)"
            ),
            other => panic!("expected a Proof frame, got {other:?}"),
        }
        let done = finish(w, "a refused worker");
        assert!(
            !done.status.success() && done.stderr.contains("that is all"),
            "a refused worker fails and says why: {}\n{}",
            done.status,
            done.stderr
        );
    }
}
