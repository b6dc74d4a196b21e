//! Chapter 13 — sharing between processes. `cargo test --test ch13_shared_memory [EXERCISE]`.
//!
//! Each module is one exercise; `loom_*` tests model-check the exercise file itself.
//! Every program runs in a process group of its own (`grader::Group`), killed and reaped
//! when the test ends; programs that start children run under `grader::adopter`, a
//! subreaper, so that a child its parent never reaped shows up as `reaped=PID`.

use grader::{program, Fifo, Group};

use grader::loom_check;

grader::chapter!(ch13_shared_memory);

/// Runs entry `name` with `args` under `grader::adopter` and returns its stdout and
/// stderr, failing if the adopter had to reap a process the program left behind. The
/// entries in `held` start only once their parent waits for a child (`grader::entry::HOLD_ENV`).
fn run_adopted(
    name: &str,
    args: &[&str],
    held: &[&str],
    what: &str,
) -> (std::process::Output, String) {
    let gate = Fifo::new("go").expect("cannot make a FIFO");
    let mut all = vec![gate.path().to_str().expect("a UTF-8 temp path"), name];
    all.extend_from_slice(args);
    let mut cmd = program("grader::adopter", &all);
    cmd.env(grader::entry::HOLD_ENV, held.join(","));
    let output = Group::spawn(&mut cmd)
        .expect("cannot start the chapter binary")
        .output(what);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let orphans: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("reaped="))
        .collect();
    assert!(
        orphans.is_empty(),
        "{what} exited without reaping every child it started: {} of them were left to \
         the adopter ({}). Wait for every child before exiting.\nstderr:\n{}",
        orphans.len(),
        orphans.join(", "),
        String::from_utf8_lossy(&output.stderr)
    );
    (output, stdout)
}

mod shared_counter {
    use super::*;
    use crate::ch13_shared_memory::shared_counter::{SharedCounter, CHILD, MAIN};

    #[test]
    fn loom_two_threads_lose_no_increment() {
        loom_check("shared_counter::count_up on two threads", || {
            use crate::model::shared_counter::count_up;
            use crate::model::sync::atomic::{AtomicU64, Ordering};
            use crate::model::sync::{thread, Arc};
            let counter = Arc::new(AtomicU64::new(0));
            let other = {
                let counter = counter.clone();
                thread::spawn(move || count_up(&*counter, 2))
            };
            count_up(&*counter, 2);
            other.join().unwrap();
            assert_eq!(
                counter.load(Ordering::SeqCst),
                4,
                "two threads counted up twice each: an increment was lost"
            );
        });
    }

    /// Each child starts counting only once `shared_counter` is blocked waiting for a child
    /// (or has exited): a parent that asks once whether they are done, or not at all,
    /// leaves every one of them running, and the adopter reaps them.
    #[test]
    fn four_processes_share_one_counter_and_the_total_is_exact() {
        let dir = grader::temp_dir();
        let file = dir.path().join("counter");
        let (output, stdout) = run_adopted(
            MAIN,
            &[file.to_str().unwrap(), "4", "2500"],
            &[CHILD],
            "shared_counter with 4 children",
        );
        assert!(
            output.status.success(),
            "shared_counter failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.lines().any(|l| l == "total: 10000"),
            "4 processes counted up 2500 times each: want `total: 10000` in:\n{stdout}"
        );
        let counter = SharedCounter::open(&file).expect("the counter file is still there");
        use crate::ch13_shared_memory::shared_counter::Counter;
        assert_eq!(counter.load(), 10000, "the counter in the file");
    }

    #[test]
    fn a_child_that_fails_fails_the_parent_after_every_child_is_reaped() {
        let dir = grader::temp_dir();
        let file = dir.path().join("counter");
        let fake = format!("{CHILD}=3");
        let gate = Fifo::new("go").unwrap();
        let mut cmd = program(
            "grader::adopter",
            &[
                gate.path().to_str().unwrap(),
                MAIN,
                file.to_str().unwrap(),
                "3",
                "10",
            ],
        );
        cmd.env(grader::entry::FAKE_EXIT_ENV, &fake);
        let output = Group::spawn(&mut cmd)
            .expect("cannot start the chapter binary")
            .output("shared_counter whose children fail");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stdout.lines().any(|l| l == "entry exited: exit status: 1"),
            "every child failed, so shared_counter must fail (exit status 1, with a \
             CounterError); stdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert!(
            stderr.contains("child") && stderr.contains("failed"),
            "shared_counter must say which child failed (CounterError::Child); \
             stderr:\n{stderr}"
        );
        assert!(
            !stdout.contains("reaped="),
            "a child was left unreaped by shared_counter:\n{stdout}"
        );
    }

    #[test]
    fn bad_arguments_are_a_usage_error() {
        let dir = grader::temp_dir();
        let file = dir.path().join("counter");
        for args in [vec![], vec![file.to_str().unwrap(), "four", "10"]] {
            let output = grader::run_program(MAIN, &args);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                !output.status.success() && stderr.contains("usage"),
                "shared_counter {args:?} must fail with CounterError::Usage; stderr:\n{stderr}"
            );
        }
    }
}

mod process_queue {
    use super::*;
    use crate::ch13_shared_memory::process_queue::{
        ProcessQueue, QueueError, CONSUMER, MAIN, MESSAGE, PRODUCER,
    };
    use std::collections::BTreeMap;
    use std::process::Stdio;

    #[test]
    fn a_full_queue_refuses_more_and_holds_exactly_its_capacity() {
        let dir = grader::temp_dir();
        let log = grader::watchdog(
            "puts and gets on a queue of 3, on one thread (does try_put wait?)",
            {
                let path = dir.path().to_path_buf();
                move || {
                    let queue = ProcessQueue::create(&path, 3).expect("create a queue");
                    let mut log = Vec::new();
                    for m in ["a", "b", "c"] {
                        queue.put(m).expect("put into a queue with room");
                    }
                    log.push(format!("len {}", queue.len().unwrap()));
                    log.push(format!(
                        "try_put d: {:?}",
                        queue.try_put("d").map_err(|e| e.to_string())
                    ));
                    log.push(format!("len {}", queue.len().unwrap()));
                    log.push(format!("get {}", queue.get().unwrap()));
                    log.push(format!(
                        "try_put d: {:?}",
                        queue.try_put("d").map_err(|e| e.to_string())
                    ));
                    log.push(format!("len {}", queue.len().unwrap()));
                    for _ in 0..3 {
                        log.push(format!("get {}", queue.get().unwrap()));
                    }
                    log.push(format!("len {}", queue.len().unwrap()));
                    log
                }
            },
        );
        assert_eq!(
            log,
            [
                "len 3",
                "try_put d: Err(\"the queue is full\")",
                "len 3",
                "get a",
                "try_put d: Ok(())",
                "len 3",
                "get b",
                "get c",
                "get d",
                "len 0"
            ],
            "a queue of 3: three puts fill it, try_put is Full and adds nothing, a get \
             makes room, and everything comes out in order"
        );
    }

    #[test]
    fn bad_capacities_and_long_messages_are_errors() {
        let dir = grader::temp_dir();
        assert!(matches!(
            ProcessQueue::create(dir.path(), 0),
            Err(QueueError::Capacity(0))
        ));
        let queue = ProcessQueue::create(dir.path(), 2).expect("create a queue");
        let long = "x".repeat(MESSAGE);
        let outcome = grader::watchdog("put of a message that is too long", move || {
            let outcome = queue.put(&long);
            (outcome.map_err(|e| e.to_string()), queue.len().unwrap())
        });
        assert_eq!(
            outcome,
            (
                Err(format!(
                    "a message is at most {} bytes, not {MESSAGE}",
                    MESSAGE - 1
                )),
                0
            ),
            "a message too long is TooLong, and nothing is put"
        );
        let nothing = grader::temp_dir();
        assert!(matches!(
            ProcessQueue::open(nothing.path()),
            Err(QueueError::Io { .. })
        ));
    }

    #[test]
    fn a_producer_process_waits_while_the_queue_is_full_and_everything_arrives_in_order() {
        let dir = grader::temp_dir();
        let queue = ProcessQueue::create(dir.path(), 3).expect("create a queue");
        let mut producer = Group::spawn(&mut program(
            PRODUCER,
            &[dir.path().to_str().unwrap(), "7", "20"],
        ))
        .expect("cannot start the chapter binary");
        let (got, peak) = grader::watchdog(
            "20 messages from a producer process through a queue of 3",
            move || {
                let mut got = Vec::new();
                let mut peak = 0;
                for _ in 0..20 {
                    peak = peak.max(queue.len().unwrap());
                    got.push(queue.get().expect("get"));
                }
                (got, peak)
            },
        );
        let want: Vec<String> = (0..20).map(|i| format!("7(put):{i}")).collect();
        assert_eq!(got, want, "every message, in the order put");
        assert!(peak <= 3, "the queue of 3 held {peak} messages");
        let status = producer.wait_within(grader::limit());
        assert!(
            status.is_some_and(|s| s.success()),
            "the producer must end once everything is taken: {}",
            producer.stderr_so_far()
        );
    }

    #[test]
    fn a_killed_consumer_loses_no_message_it_did_not_take() {
        let dir = grader::temp_dir();
        let queue = ProcessQueue::create(dir.path(), 3).expect("create a queue");
        for m in ["A", "B", "C"] {
            queue.put(m).expect("put");
        }
        let mut cmd = program(CONSUMER, &[dir.path().to_str().unwrap(), "3", "paced"]);
        cmd.stdin(Stdio::piped());
        let mut consumer = Group::spawn(&mut cmd).expect("cannot start the chapter binary");
        consumer.say("next");
        consumer.line("`PID(get):A`", |l| l.ends_with("(get):A"));
        // It waits for its next line: kill it there.
        consumer.kill();
        let rest = grader::watchdog(
            "the two messages the killed consumer never took (B and C) — did its get read \
             more than one message out of the pipe?",
            move || [queue.get(), queue.get()].map(|m| m.map_err(|e| e.to_string())),
        );
        assert_eq!(rest, [Ok("B".to_owned()), Ok("C".to_owned())]);
    }

    /// `PID(get):ID(put):SEQ` lines: what each consumer took, in the order it took them.
    fn takes(stdout: &str) -> BTreeMap<String, Vec<(usize, usize)>> {
        let mut by_consumer: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        for line in stdout.lines() {
            let Some((pid, message)) = line.split_once("(get):") else {
                continue;
            };
            let (id, seq) = message
                .split_once("(put):")
                .unwrap_or_else(|| panic!("a message that no producer put: {line}"));
            let parse = |s: &str| s.parse().unwrap_or_else(|_| panic!("not a number: {line}"));
            by_consumer
                .entry(pid.into())
                .or_default()
                .push((parse(id), parse(seq)));
        }
        by_consumer
    }

    #[test]
    fn ten_producers_and_ten_consumers_lose_and_duplicate_nothing_and_all_are_reaped() {
        let dir = grader::temp_dir();
        let (output, stdout) = run_adopted(
            MAIN,
            &[dir.path().to_str().unwrap(), "10", "5"],
            &[],
            "process_queue with 10 producers and 10 consumers",
        );
        assert!(
            output.status.success() && stdout.lines().any(|l| l == "entry exited: exit status: 0"),
            "process_queue failed; stdout:\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let by_consumer = takes(&stdout);
        assert_eq!(
            by_consumer.len(),
            10,
            "ten consumers each printed what they took"
        );
        let mut all: Vec<(usize, usize)> = by_consumer.values().flatten().copied().collect();
        all.sort_unstable();
        let want: Vec<(usize, usize)> = (0..10)
            .flat_map(|id| (0..5).map(move |seq| (id, seq)))
            .collect();
        assert_eq!(
            all, want,
            "every message exactly once, none lost or duplicated"
        );
        for (consumer, took) in &by_consumer {
            for id in 0..10 {
                let seqs: Vec<usize> = took
                    .iter()
                    .filter(|(p, _)| *p == id)
                    .map(|(_, s)| *s)
                    .collect();
                assert!(
                    seqs.windows(2).all(|w| w[0] < w[1]),
                    "consumer {consumer} took producer {id}'s messages out of order: {seqs:?}"
                );
            }
        }
    }

    #[test]
    fn failing_producers_mean_the_consumers_are_stopped_and_reaped() {
        let dir = grader::temp_dir();
        let gate = Fifo::new("go").unwrap();
        let mut cmd = program(
            "grader::adopter",
            &[
                gate.path().to_str().unwrap(),
                MAIN,
                dir.path().to_str().unwrap(),
                "3",
                "2",
            ],
        );
        cmd.env(grader::entry::FAKE_EXIT_ENV, format!("{PRODUCER}=3"));
        let output = Group::spawn(&mut cmd)
            .expect("cannot start the chapter binary")
            .output(
                "process_queue whose producers all fail (are its consumers still waiting for \
                 messages that will never come?)",
            );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let names_a_producer = (0..3).any(|id| stderr.contains(&format!("producer {id}")));
        assert!(
            stdout.lines().any(|l| l == "entry exited: exit status: 1") && names_a_producer,
            "the producers failed, so process_queue must fail, naming a producer; \
             stdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert!(
            !stdout.contains("reaped="),
            "process_queue left children for the adopter to reap:\n{stdout}"
        );
    }

    #[test]
    fn bad_arguments_are_a_usage_error() {
        let dir = grader::temp_dir();
        let output = grader::run_program(MAIN, &[dir.path().to_str().unwrap(), "ten", "1"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success() && stderr.contains("usage"),
            "process_queue DIR ten 1 must fail with QueueError::Usage; stderr:\n{stderr}"
        );
    }
}

mod manager {
    use super::*;
    use crate::ch13_shared_memory::manager::{
        Client, Dict, ManagerError, Reply, Request, MAIN, SERVE,
    };
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::path::Path;

    #[test]
    fn apply_carries_out_each_request() {
        let dict = Dict::new();
        let replies: Vec<Reply> = [
            Request::Get("a".into()),
            Request::Set("a".into(), 5),
            Request::Add("a".into(), 2),
            Request::Add("b".into(), -3),
            Request::Get("a".into()),
            Request::Get("b".into()),
            Request::Shutdown,
        ]
        .into_iter()
        .map(|r| dict.apply(r))
        .collect();
        assert_eq!(
            replies,
            [
                Reply::Value(None),
                Reply::Ok,
                Reply::Value(Some(7)),
                Reply::Value(Some(-3)),
                Reply::Value(Some(7)),
                Reply::Value(Some(-3)),
                Reply::Ok
            ]
        );
    }

    #[test]
    fn loom_two_adds_at_once_both_land() {
        loom_check("manager::Dict::apply from two threads", || {
            use crate::model::manager::{Dict, Reply, Request};
            use crate::model::sync::{thread, Arc};
            let dict = Arc::new(Dict::new());
            let other = {
                let dict = dict.clone();
                thread::spawn(move || dict.apply(Request::Add("hits".into(), 1)))
            };
            let mine = dict.apply(Request::Add("hits".into(), 1));
            let theirs = other.join().unwrap();
            let mut both = [mine, theirs];
            both.sort_by_key(|r| format!("{r:?}"));
            assert_eq!(
                both,
                [Reply::Value(Some(1)), Reply::Value(Some(2))],
                "two adds of 1 answer 1 and 2"
            );
            assert_eq!(
                dict.apply(Request::Get("hits".into())),
                Reply::Value(Some(2)),
                "an add was lost"
            );
        });
    }

    /// The owner process at a fresh socket, once it printed `ready`.
    fn owner(dir: &Path) -> (Group, std::path::PathBuf) {
        let socket = dir.join("sock");
        let mut owner = Group::spawn(&mut program(SERVE, &[socket.to_str().unwrap()]))
            .expect("cannot start the chapter binary");
        owner.line("`ready`", |l| l == "ready");
        (owner, socket)
    }

    /// A raw connection: send a line, read the reply line (within the limit).
    struct Raw(BufReader<UnixStream>, UnixStream);

    impl Raw {
        fn connect(socket: &Path) -> Raw {
            let stream = UnixStream::connect(socket).expect("cannot connect to the owner");
            stream.set_read_timeout(Some(grader::limit())).unwrap();
            Raw(BufReader::new(stream.try_clone().unwrap()), stream)
        }

        fn ask(&mut self, line: &str) -> String {
            writeln!(self.1, "{line}").expect("the owner hung up");
            let mut reply = String::new();
            match self.0.read_line(&mut reply) {
                Ok(0) => panic!("the owner hung up after `{line}`"),
                Ok(_) => reply.trim_end().to_owned(),
                Err(e) => panic!(
                    "{} {:?}: no reply to `{line}` ({e}): is the owner busy with another \
                     client?",
                    grader::STUCK,
                    grader::limit()
                ),
            }
        }
    }

    #[test]
    fn the_owner_answers_every_request_on_the_wire() {
        let dir = grader::temp_dir();
        let (owner, socket) = owner(dir.path());
        let mut raw = Raw::connect(&socket);
        let replies: Vec<String> = [
            "set a 5",
            "get a",
            "add a 2",
            "get b",
            "frobnicate",
            "add a x",
            "get a",
        ]
        .iter()
        .map(|line| raw.ask(line))
        .collect();
        assert_eq!(&replies[..4], ["ok", "value 5", "value 7", "none"]);
        for (line, reply) in [("frobnicate", &replies[4]), ("add a x", &replies[5])] {
            assert!(
                reply.starts_with("error "),
                "`{line}` is not a request: the owner must answer `error …` and go on, \
                 not {reply:?}"
            );
        }
        assert_eq!(
            replies[6], "value 7",
            "the connection goes on after a bad line"
        );
        assert_eq!(raw.ask("shutdown"), "ok");
        let output = owner.output("the owner after `shutdown`");
        assert!(
            output.status.success(),
            "after a shutdown the owner exits with 0"
        );
    }

    #[test]
    fn two_clients_are_served_at_the_same_time() {
        let dir = grader::temp_dir();
        let (owner, socket) = owner(dir.path());
        let mut first = Raw::connect(&socket);
        assert_eq!(first.ask("add n 1"), "value 1");
        // The first client stays connected; the second must be served meanwhile.
        let mut second = Raw::connect(&socket);
        assert_eq!(second.ask("add n 10"), "value 11");
        assert_eq!(first.ask("get n"), "value 11");
        assert_eq!(second.ask("shutdown"), "ok");
        drop(first);
        let output = owner.output("the owner after `shutdown`");
        assert!(output.status.success());
    }

    #[test]
    fn client_request_speaks_the_protocol() {
        let dir = grader::temp_dir();
        let socket = dir.path().join("sock");
        let listener = UnixListener::bind(&socket).unwrap();
        let client = std::thread::spawn(move || {
            let mut client = Client::connect(&socket)?;
            let added = client.add("k", 3)?;
            let got = client.request(&Request::Get("k".into()));
            let refused = client.get("k");
            Ok::<_, ManagerError>((added, got, refused.map_err(|e| e.to_string())))
        });
        let (stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(grader::limit())).unwrap();
        let mut lines = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let mut expect = |want: &str, answer: &str| {
            let mut line = String::new();
            lines
                .read_line(&mut line)
                .unwrap_or_else(|e| panic!("Client sent no request line ({e})"));
            assert_eq!(line, format!("{want}\n"), "the request on the wire");
            writeln!(writer, "{answer}").unwrap();
        };
        expect("add k 3", "value 3");
        expect("get k", "none");
        expect("get k", "what?");
        let outcome = grader::watchdog("the client's replies", move || client.join())
            .expect("the client panicked")
            .expect("the client failed");
        assert_eq!(outcome.0, 3);
        assert_eq!(
            outcome.1.map_err(|e| e.to_string()).ok(),
            Some(Reply::Value(None))
        );
        assert!(
            matches!(&outcome.2, Err(e) if e.contains("what?")),
            "a reply that does not parse is ManagerError::Refused, got {:?}",
            outcome.2
        );
    }

    #[test]
    fn updates_from_four_worker_processes_all_land_and_everyone_is_reaped() {
        let dir = grader::temp_dir();
        let socket = dir.path().join("sock");
        let (output, stdout) = run_adopted(
            MAIN,
            &[socket.to_str().unwrap(), "4", "250"],
            &[],
            "manager with 4 workers",
        );
        assert!(
            output.status.success() && stdout.lines().any(|l| l == "hits = 1000"),
            "4 workers added 1 to `hits` 250 times each: want `hits = 1000`; \
             stdout:\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    #[test]
    fn bad_arguments_are_a_usage_error() {
        let dir = grader::temp_dir();
        let socket = dir.path().join("sock");
        let output = grader::run_program(MAIN, &[socket.to_str().unwrap(), "four", "1"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success() && stderr.contains("usage"),
            "manager SOCKET four 1 must fail with ManagerError::Usage; stderr:\n{stderr}"
        );
    }
}

mod my_process {
    use super::*;
    use crate::ch13_shared_memory::my_process::{Process, ProcessError, Reader, Sleeper, MAIN};
    use std::io::Write;
    use std::os::unix::process::ExitStatusExt;
    use std::path::PathBuf;

    /// On drop (the test is over, or failed), opens the named pipe for reading and
    /// writing and closes it again: a child still waiting to open it for reading gets
    /// it, reads end-of-file and exits, instead of waiting for ever.
    struct Unblock(PathBuf);

    impl Drop for Unblock {
        fn drop(&mut self) {
            let _ = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&self.0);
        }
    }

    #[test]
    fn the_seeds_program_runs_run_in_a_child_and_joins_it() {
        let group = Group::spawn(&mut program(MAIN, &["bob", "0"]))
            .expect("cannot start the chapter binary");
        let parent = group.pid();
        let output = group.output("my_process bob 0");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "my_process failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let lines: Vec<&str> = stdout.lines().collect();
        let at = |want: &str| {
            lines
                .iter()
                .position(|l| l.starts_with(want))
                .unwrap_or_else(|| panic!("no line `{want}…` in:\n{stdout}"))
        };
        let child_pid: u32 = lines[at("Process ID# ")]["Process ID# ".len()..]
            .parse()
            .expect("a pid after `Process ID# `");
        let childs_parent: u32 = lines[at("Parent Process ID# ")]["Parent Process ID# ".len()..]
            .parse()
            .expect("a pid after `Parent Process ID# `");
        assert_ne!(
            child_pid, parent,
            "run must run in a child process, not in the parent"
        );
        assert_eq!(childs_parent, parent, "the child's parent is the program");
        let sleeping = at("bob will sleep for 0 seconds");
        let joined = at("in parent process after child process join");
        assert!(at("in parent process after child process start") < joined);
        assert!(at("parent process about to join child process") < joined);
        assert!(
            sleeping < joined,
            "join returns only after the child ran:\n{stdout}"
        );
        assert_eq!(
            lines.last().copied(),
            Some(format!("the parent's parent process: {}", std::process::id()).as_str()),
            "the last line names the program's parent (this test)"
        );
    }

    #[test]
    fn a_sleeper_travels_to_the_child_and_back() {
        let bob = Sleeper {
            name: "bob".into(),
            seconds: 5,
        };
        let args = bob.to_args();
        assert_eq!(
            Sleeper::from_args(&args).ok(),
            Some(bob),
            "from_args(to_args(x)) == x"
        );
        for bad in [vec![], vec!["bob".to_owned(), "five".to_owned()]] {
            assert!(
                matches!(Sleeper::from_args(&bad), Err(ProcessError::Usage)),
                "{bad:?} is not a Sleeper: Usage"
            );
        }
    }

    #[test]
    fn start_returns_while_the_child_runs_and_join_reaps_it() {
        let fifo = Fifo::new("page").unwrap();
        let _unblock = Unblock(fifo.path().into());
        let reader = Reader {
            path: fifo.path().into(),
        };
        let (pid, alive, written) = grader::watchdog(
            "start to return while its child still waits to read a named pipe",
            move || {
                let mut child = reader.start().expect("start");
                let pid = child.pid();
                let alive = child.is_alive().expect("is_alive");
                let written = fifo.write_all_within(grader::limit(), b"a page\n");
                let joined = child.join();
                assert!(
                    joined.is_ok(),
                    "the reader succeeded, so join is Ok: {joined:?}"
                );
                (pid, alive, written.map_err(|e| e.to_string()))
            },
        );
        assert!(
            alive,
            "the child cannot have ended: it waits for the test to write"
        );
        assert_eq!(
            written,
            Ok(()),
            "the child never opened the pipe to read it"
        );
        assert_eq!(
            grader::proc_state(pid),
            None,
            "after join the child must be reaped (it is still in /proc)"
        );
    }

    #[test]
    fn join_reports_a_run_that_failed() {
        let dir = grader::temp_dir();
        let reader = Reader {
            path: dir.path().join("no-such-file"),
        };
        let joined = grader::watchdog("join of a child whose run failed", move || {
            reader.start().expect("start").join()
        });
        match joined {
            Err(ProcessError::Failed { status }) => assert_eq!(status.code(), Some(1)),
            other => panic!("the child's run failed, so join must be Err(Failed), got {other:?}"),
        }
    }

    #[test]
    fn terminate_sends_sigterm_to_a_running_child() {
        let fifo = Fifo::new("never-written").unwrap();
        let _unblock = Unblock(fifo.path().into());
        let reader = Reader {
            path: fifo.path().into(),
        };
        let joined = grader::watchdog("terminate, then join", move || {
            let mut child = reader.start().expect("start");
            assert!(
                child.is_alive().expect("is_alive"),
                "the child waits for the pipe"
            );
            child.terminate().expect("terminate");
            child.join()
        });
        match joined {
            Err(ProcessError::Failed { status }) => assert_eq!(
                status.signal(),
                Some(15),
                "terminate sends SIGTERM (15), as Python's does: {status}"
            ),
            other => {
                panic!("a terminated child did not exit with 0: want Err(Failed), got {other:?}")
            }
        }
    }

    #[test]
    fn is_alive_reaps_a_child_that_has_exited() {
        let dir = grader::temp_dir();
        let path = grader::write_file(dir.path(), "short.txt", "");
        let (pid, state) = grader::watchdog(
            "is_alive to turn false once the child exited (a zombie is not alive: is the \
             child reaped?)",
            move || {
                let mut child = Reader { path }.start().expect("start");
                let pid = child.pid();
                while child.is_alive().expect("is_alive") {
                    std::thread::yield_now();
                }
                // Still ours: the handle is alive, so nobody else may have reaped it.
                let state = grader::proc_state(pid);
                let joined = child.join();
                assert!(joined.is_ok(), "join after is_alive: {joined:?}");
                (pid, state)
            },
        );
        assert_eq!(
            state, None,
            "child {pid} was no longer alive, but is still in /proc: is_alive must reap it"
        );
        let _ = std::io::stdout().flush();
    }
}
