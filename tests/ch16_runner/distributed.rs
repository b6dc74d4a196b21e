//! Stage 3: `distributed::serve` and `worker`, with real worker processes (the
//! chapter's `distributed::worker` entry) and with fake workers this test speaks the
//! protocol for, one frame at a time.

use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;

use grader::Group;

use super::*;
use crate::ch16_runner::distributed::{
    prove, read_message, serve, write_message, DistributedError, Message, KEY_ENV,
};

const KEY: &str = "a key the master and its workers share";

/// The master on an OS-chosen loopback port, serving `specs` on a thread of its
/// own: the address, and where its results will come.
fn master(specs: Vec<TestSpec>) -> (String, mpsc::Receiver<Vec<TestResult>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let addr = listener.local_addr().expect("its address").to_string();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let results =
            serve(listener, KEY.as_bytes(), &specs).unwrap_or_else(|e| panic!("serve failed: {e}"));
        let _ = tx.send(results);
    });
    (addr, rx)
}

/// Waits for the master's results, failing after the watchdog's limit.
#[track_caller]
fn results(rx: mpsc::Receiver<Vec<TestResult>>, what: &str) -> Vec<TestResult> {
    match rx.recv_timeout(grader::limit()) {
        Ok(results) => results,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{} {:?}: serve has not returned — {what}",
            grader::STUCK,
            grader::limit()
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("serve failed or panicked (see above) — {what}")
        }
    }
}

/// A real worker process called `name`, with `key` in its environment.
fn real_worker(addr: &str, name: &str, key: Option<&str>) -> Group {
    let mut cmd = grader::program("distributed::worker", &[addr, name]);
    cmd.env_remove(KEY_ENV);
    if let Some(key) = key {
        cmd.env(KEY_ENV, key);
    }
    Group::spawn(&mut cmd).expect("cannot start the worker")
}

/// A fake worker that has passed the handshake.
fn fake_worker(addr: &str, name: &str) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("the master accepts connections");
    stream
        .set_read_timeout(Some(grader::limit()))
        .expect("a read timeout");
    prove(&stream, KEY.as_bytes(), name).expect("the master welcomes a worker with the key");
    stream
}

/// `message` sent, the reply read.
#[track_caller]
fn ask(stream: &TcpStream, message: &Message, what: &str) -> Message {
    write_message(stream, message).unwrap_or_else(|e| panic!("sending {what}: {e}"));
    read_message(stream).unwrap_or_else(|e| panic!("the master's reply to {what}: {e}"))
}

/// The job the master hands out for an `Ask`.
#[track_caller]
fn job(stream: &TcpStream) -> (usize, TestSpec) {
    match ask(stream, &Message::Ask, "an ask") {
        Message::Job { id, spec } => (id, spec),
        other => panic!("an ask with tests left must get a job, got {other:?}"),
    }
}

/// Runs `spec` here and reports it as test `id`.
#[track_caller]
fn report(stream: &TcpStream, id: usize, spec: &TestSpec) {
    let result = crate::ch16_runner::sequential::run_one(spec);
    let noted = ask(stream, &Message::Report { id, result }, "a report");
    assert_eq!(
        noted,
        Message::Noted { id },
        "a report is answered with its note"
    );
}

/// The message `stream` receives within `window`, if any (it must be unanswered
/// before then: no reply is the expected outcome, waited for only this long).
fn answered_within(stream: &TcpStream, window: Duration) -> Option<Message> {
    stream
        .set_read_timeout(Some(window))
        .expect("a read timeout");
    let mut byte = [0u8; 1];
    let arrived = matches!(stream.peek(&mut byte), Ok(n) if n > 0);
    stream
        .set_read_timeout(Some(grader::limit()))
        .expect("a read timeout");
    arrived.then(|| read_message(stream).expect("a whole frame"))
}

#[test]
fn real_workers_run_every_test_at_once_on_separate_processes() {
    let fixtures = Fixtures::new();
    let specs = fixtures.together("d", 3, PATIENT);
    let (addr, rx) = master(specs);
    let workers: Vec<Group> = (0..3)
        .map(|i| real_worker(&addr, &format!("w{i}"), Some(KEY)))
        .collect();
    let results = results(
        rx,
        "3 tests that end only when all 3 run at once, 3 workers",
    );
    assert!(
        results.iter().all(TestResult::passed),
        "3 workers must run 3 tests at once: {:?}",
        outcomes(&results)
    );
    for worker in workers {
        let out = worker.output("a worker after the last result");
        assert!(
            out.status.success(),
            "a worker told `Done` exits with status 0: {out:?}"
        );
    }
    assert_nothing_left(&fixtures);
}

#[test]
fn results_come_back_in_the_order_given_with_each_test_run_once() {
    let fixtures = Fixtures::new();
    // Every test logs its run; t3 fails, and its worker goes on to the next test.
    let specs: Vec<TestSpec> = (0..8)
        .map(|i| {
            let script = format!("echo {i} >> \"$DIR/log\"; [ {i} -ne 3 ]");
            fixtures.spec(&format!("t{i}"), &script, PATIENT)
        })
        .collect();
    let (addr, rx) = master(specs);
    let _workers: Vec<Group> = (0..2)
        .map(|i| real_worker(&addr, &format!("w{i}"), Some(KEY)))
        .collect();
    let results = results(rx, "8 quick tests (one fails), 2 workers");
    let names: Vec<&str> = results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"],
        "in the order given"
    );
    assert_eq!(
        results[3].outcome,
        Outcome::Failed { code: 1 },
        "a failing test is a result like any other"
    );
    let mut runs: Vec<String> = std::fs::read_to_string(fixtures.path("log"))
        .expect("the tests' log")
        .lines()
        .map(str::to_owned)
        .collect();
    runs.sort();
    assert_eq!(
        runs,
        ["0", "1", "2", "3", "4", "5", "6", "7"],
        "every test ran exactly once"
    );
}

#[test]
fn the_test_of_a_killed_worker_runs_again_on_another() {
    let fixtures = Fixtures::new();
    // The first run marks that it started and hangs; a second run passes.
    let script = "if [ -e \"$DIR/first\" ]; then echo second; \
                  else touch \"$DIR/first\"; exec sleep 1000; fi";
    let (addr, rx) = master(vec![fixtures.spec("victim", script, PATIENT)]);
    let mut doomed = real_worker(&addr, "doomed", Some(KEY));
    assert!(
        grader::eventually(|| fixtures.path("first").exists()),
        "the worker never started the test"
    );
    doomed.kill();
    let _rescuer = real_worker(&addr, "rescuer", Some(KEY));
    let results = results(
        rx,
        "the only test was running on a worker that was killed: was it given to the \
         next worker that asked?",
    );
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].outcome, Outcome::Passed, "{:?}", results[0]);
    assert_eq!(
        results[0].stdout, "second\n",
        "the result of the second run"
    );
    assert_nothing_left(&fixtures);
}

#[test]
fn a_test_lent_to_a_connection_that_ends_is_lent_again() {
    let fixtures = Fixtures::new();
    let specs = vec![
        fixtures.spec("a", "true", PATIENT),
        fixtures.spec("b", "true", PATIENT),
    ];
    let (addr, rx) = master(specs);
    let first = fake_worker(&addr, "first");
    let second = fake_worker(&addr, "second");
    let (lost, lost_spec) = job(&first);
    let (kept, kept_spec) = job(&second);
    assert_ne!(lost, kept, "two asks get two different tests");
    report(&second, kept, &kept_spec);
    // Every test is lent or done: `second`'s next ask may only be answered once
    // `first` is gone, and then with the test `first` held. A master that answers
    // at once shows it within the window; a correct one passes whatever the timing.
    write_message(&second, &Message::Ask).expect("sending an ask");
    if let Some(early) = answered_within(&second, Duration::from_secs(1)) {
        panic!(
            "the master answered an ask with a {} while a test was still lent to a \
             live worker: it may answer only once that test is back or reported",
            early.kind()
        );
    }
    drop(first);
    let reply = read_message(&second).expect("the master's reply once `first` is gone");
    assert_eq!(
        reply,
        Message::Job {
            id: lost,
            spec: lost_spec.clone()
        },
        "while a test is lent to a worker the master may not say `Done`; when that \
         worker's connection ends, its test goes to the next worker that asks"
    );
    report(&second, lost, &lost_spec);
    assert_eq!(
        ask(&second, &Message::Ask, "an ask after the last report"),
        Message::Done
    );
    let results = results(rx, "both tests reported");
    assert!(
        results.iter().all(TestResult::passed),
        "{:?}",
        outcomes(&results)
    );
}

#[test]
fn a_report_for_a_test_not_lent_is_ignored() {
    let fixtures = Fixtures::new();
    let spec = fixtures.spec("only", "echo real", PATIENT);
    let (addr, rx) = master(vec![spec]);
    let liar = fake_worker(&addr, "liar");
    let honest = fake_worker(&addr, "honest");
    let (id, spec) = job(&honest);
    let forged = TestResult {
        name: "only".into(),
        outcome: Outcome::Failed { code: 99 },
        stdout: "forged\n".into(),
        stderr: String::new(),
        duration: Duration::ZERO,
    };
    // The master may note it or refuse it; it may not keep it.
    let _ = write_message(&liar, &Message::Report { id, result: forged });
    let _ = read_message(&liar);
    report(&honest, id, &spec);
    let results = results(rx, "one test, reported by the worker it was lent to");
    assert_eq!(
        results[0].stdout, "real\n",
        "a report counts only from the connection the test was lent to: {:?}",
        results[0]
    );
}

#[test]
fn a_worker_with_the_wrong_key_is_refused_and_says_so() {
    let fixtures = Fixtures::new();
    let (addr, rx) = master(vec![fixtures.spec("t", "true", PATIENT)]);
    let out = real_worker(&addr, "intruder", Some("not the key")).output("a refused worker");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a refused worker exits with 1: {out:?}"
    );
    assert!(
        stderr.contains("authentication failed"),
        "a refused worker says why: {stderr}"
    );
    let _good = real_worker(&addr, "good", Some(KEY));
    let results = results(rx, "after a refused worker, a good one");
    assert!(results[0].passed(), "{:?}", results[0]);
}

#[test]
fn a_worker_without_a_key_names_the_variable() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let addr = listener.local_addr().expect("its address").to_string();
    let out = real_worker(&addr, "keyless", None).output("a worker without a key");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr.contains(KEY_ENV),
        "the error names {KEY_ENV}: {stderr}"
    );
}

#[test]
fn a_malformed_frame_ends_only_that_connection() {
    use std::io::{ErrorKind, Write};
    let fixtures = Fixtures::new();
    let (addr, rx) = master(vec![fixtures.spec("t", "echo fine", PATIENT)]);
    let mut broken = fake_worker(&addr, "broken");
    let body = b"{not json";
    let mut frame = (body.len() as u32).to_be_bytes().to_vec();
    frame.extend_from_slice(body);
    broken.write_all(&frame).expect("sending a malformed frame");
    // A refusal, then the end of the connection (or the end at once).
    let ended = loop {
        match read_message(&broken) {
            Ok(Message::Refused { .. }) => continue,
            Ok(other) => break Err(format!("it answered with a {}", other.kind())),
            Err(DistributedError::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
            {
                break Err(format!(
                    "the connection is still open after {:?}",
                    grader::limit()
                ))
            }
            Err(_) => break Ok(()),
        }
    };
    assert_eq!(ended, Ok(()), "after a malformed frame the master hangs up");
    let _good = real_worker(&addr, "good", Some(KEY));
    let results = results(rx, "after a malformed frame on another connection");
    assert_eq!(results[0].stdout, "fine\n", "{:?}", results[0]);
}

#[test]
fn an_empty_suite_is_served_at_once() {
    let (_addr, rx) = master(Vec::new());
    assert!(results(rx, "an empty suite needs no worker").is_empty());
}

#[test]
fn a_worker_without_an_address_and_a_name_is_a_usage_error() {
    let err = crate::ch16_runner::distributed::worker(&["only-one-argument".into()]);
    assert!(
        matches!(err, Err(DistributedError::Usage(_))),
        "a worker needs ADDR and NAME: {err:?}"
    );
}
