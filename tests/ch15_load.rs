//! Chapter 15 — capstone: a load generator. `cargo test --test ch15_load [STAGE]`.
//!
//! Every request goes to the suite's own HTTP server (`ch15_load/server.rs`) on
//! 127.0.0.1, on a port the OS chooses; it counts what it receives, how many
//! requests it handles at once, and which connections are still open. Nothing is
//! timed: "all workers at once" is a start line inside the server, "never more
//! than the limit" its peak counter (or, for the async stage, a counter around a
//! stand-in request on tokio's paused clock), and a slow endpoint is one that
//! never answers until the test is over, so only a timeout ends the request.
//! Every run has a bounded number of requests and runs under the watchdog.

use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use grader::{watchdog, watchdog_for};

#[path = "ch15_load/server.rs"]
mod server;
use server::Server;

grader::chapter!(ch15_load);

use crate::ch15_load::sequential::{Plan, RequestError, Tally};

/// Long enough never to end a request the server answers; the tests that need a
/// timeout to fire use a short one against `/hold`.
const PATIENT: Duration = Duration::from_secs(30);

fn plan(server: &Server, path: &str, requests: usize, timeout: Duration) -> Plan {
    Plan {
        addr: server.addr(),
        path: path.to_owned(),
        requests,
        timeout,
    }
}

/// A loopback address nothing listens on (the OS gave it out, and it was closed).
fn nobody_listening() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("cannot listen on 127.0.0.1");
    listener
        .local_addr()
        .expect("a bound listener has an address")
}

/// `(ok, 503s)` the server gives `n` requests of `/flaky`: every third is a 503.
fn flaky(n: usize) -> (usize, usize) {
    (n - n / 3, n / 3)
}

/// Checks a tally of `/flaky` requests against what the server saw.
#[track_caller]
fn assert_flaky_tally(tally: &Tally, server: &Server, requests: usize) {
    assert_eq!(
        tally.sent(),
        requests,
        "the tally must account for every one of the {requests} requests, once: {tally:?}"
    );
    assert_eq!(
        server.requests(),
        requests,
        "the server received {} requests where {requests} were planned",
        server.requests()
    );
    assert_eq!(server.bad(), 0, "the server received a malformed request");
    let (ok, unavailable) = flaky(requests);
    let mut want = Tally {
        ok,
        ..Tally::default()
    };
    if unavailable > 0 {
        want.errors.insert(RequestError::Status(503), unavailable);
    }
    assert_eq!(
        *tally, want,
        "the tally must agree with the server: {ok} answers of 200, {unavailable} of 503"
    );
}

#[track_caller]
fn assert_all_closed(server: &Server) {
    assert!(
        server.all_closed(),
        "{} connections to the server were never closed by the client (a request \
         must close its connection whatever way it ends)",
        server.open()
    );
}

mod sequential {
    use super::*;
    use crate::ch15_load::sequential::{get, run};

    #[test]
    fn get_is_ok_for_a_200_with_a_well_formed_request() {
        let server = Server::start();
        let addr = server.addr();
        let outcome = watchdog("get of /ok", move || get(addr, "/ok", PATIENT));
        assert_eq!(outcome, Ok(()), "GET /ok answers 200");
        assert_eq!(server.requests_for("/ok"), 1, "the server saw one GET /ok");
        assert_eq!(server.bad(), 0, "the request must be `request(addr, path)`");
        assert_all_closed(&server);
    }

    #[test]
    fn get_reports_other_statuses_and_garbage() {
        let server = Server::start();
        let addr = server.addr();
        let outcomes = watchdog("gets of /fail, /nowhere and /garbage", move || {
            ["/fail", "/nowhere", "/garbage"].map(|path| get(addr, path, PATIENT))
        });
        assert_eq!(
            outcomes,
            [
                Err(RequestError::Status(500)),
                Err(RequestError::Status(404)),
                Err(RequestError::Malformed)
            ],
            "/fail answers 500, /nowhere 404, /garbage is not HTTP"
        );
        assert_all_closed(&server);
    }

    #[test]
    fn get_with_nobody_listening_is_a_connect_error() {
        let addr = nobody_listening();
        let outcome = watchdog("get of a closed port", move || get(addr, "/ok", PATIENT));
        assert_eq!(outcome, Err(RequestError::Connect));
    }

    /// `/hold` never answers while the test runs: only the read timeout can end the
    /// request, and the connection must be closed after it.
    #[test]
    fn get_times_out_on_a_server_that_never_answers_and_hangs_up() {
        let server = Server::start();
        let addr = server.addr();
        let outcome = watchdog("get of /hold with a timeout of 100 ms", move || {
            get(addr, "/hold", Duration::from_millis(100))
        });
        assert_eq!(
            outcome,
            Err(RequestError::Timeout),
            "a server that never answers must give a timeout"
        );
        assert_eq!(
            server.requests_for("/hold"),
            1,
            "the request reached the server"
        );
        assert_all_closed(&server);
    }

    #[test]
    fn run_sends_every_request_one_at_a_time() {
        let server = Server::start();
        let plan = plan(&server, "/flaky", 25, PATIENT);
        let tally = watchdog("run of 25 requests", move || run(&plan));
        assert_flaky_tally(&tally, &server, 25);
        assert_eq!(
            server.peak(),
            1,
            "a sequential run sends the next request only when the previous one ended"
        );
        assert_all_closed(&server);
    }

    #[test]
    fn run_against_a_silent_server_stops_with_timeouts() {
        let server = Server::start();
        let plan = plan(&server, "/hold", 3, Duration::from_millis(50));
        let tally = watchdog("run of 3 requests to /hold", move || run(&plan));
        let want = Tally {
            ok: 0,
            errors: [(RequestError::Timeout, 3)].into(),
        };
        assert_eq!(tally, want, "three requests, three timeouts");
        assert_all_closed(&server);
    }
}

mod threaded {
    use super::*;
    use crate::ch15_load::threaded::run;

    /// Four workers, four requests to `/together`: the server answers them only
    /// once all four are inside at one moment (and with a 503 if they never are).
    #[test]
    fn every_worker_is_in_flight_at_once() {
        let server = Server::start();
        server.together(4);
        let plan = plan(&server, "/together", 4, PATIENT);
        let tally = watchdog_for(grader::limit() * 3, "a run of 4 workers", move || {
            run(&plan, 4)
        });
        assert_eq!(
            tally.ok, 4,
            "4 workers must have 4 requests in flight at one moment, but the server \
             never saw them together: {tally:?} (are the workers running at once?)"
        );
        assert_all_closed(&server);
    }

    #[test]
    fn every_request_is_sent_exactly_once_and_counted() {
        for (requests, workers) in [(10, 3), (2, 5), (31, 4)] {
            let server = Server::start();
            let plan = plan(&server, "/flaky", requests, PATIENT);
            let tally = watchdog("a threaded run", move || run(&plan, workers));
            assert_flaky_tally(&tally, &server, requests);
            assert!(
                server.peak() <= workers,
                "{workers} workers must never have more than {workers} requests in \
                 flight, but the server saw {} at once",
                server.peak()
            );
            assert_all_closed(&server);
        }
    }

    #[test]
    fn timeouts_in_every_worker_end_the_run() {
        let server = Server::start();
        let plan = plan(&server, "/hold", 6, Duration::from_millis(50));
        let tally = watchdog("a run of 6 requests to /hold on 3 workers", move || {
            run(&plan, 3)
        });
        let want = Tally {
            ok: 0,
            errors: [(RequestError::Timeout, 6)].into(),
        };
        assert_eq!(tally, want, "six requests, six timeouts");
        assert_all_closed(&server);
    }
}

/// Runs `body()` on a current-thread tokio runtime whose clock starts paused (and
/// with tokio's I/O), under the watchdog.
#[track_caller]
fn paused<T, Fut, B>(what: &str, body: B) -> T
where
    B: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
    T: Send + 'static,
{
    watchdog(what, move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .expect("cannot build a tokio runtime")
            .block_on(body())
    })
}

mod limited {
    use super::*;
    use crate::ch15_load::limited::{get, run, LimitError, Limits};
    use grader::PeakCounter;
    use tokio::time::{sleep, Instant};

    fn limits(requests: usize, concurrency: usize, rate: Option<u32>) -> Limits {
        Limits {
            requests,
            concurrency,
            rate,
            timeout: Duration::from_secs(60),
        }
    }

    /// 20 stand-in requests of 1 s each (on the paused clock), a limit of 4: four
    /// are inside at once, holding their permits while they wait, never five.
    #[test]
    fn never_more_than_the_limit_in_flight() {
        let (tally, peak, calls) = paused("a run of 20 requests, 4 at a time", || async {
            let inside = Arc::new(PeakCounter::new());
            let calls = Arc::new(AtomicUsize::new(0));
            let (counter, called) = (Arc::clone(&inside), Arc::clone(&calls));
            let send = move |_| {
                called.fetch_add(1, Ordering::SeqCst);
                let inside = Arc::clone(&counter);
                async move {
                    let _inside = inside.enter();
                    sleep(Duration::from_secs(1)).await;
                    Ok(())
                }
            };
            let tally = run(limits(20, 4, None), send).await;
            (tally, inside.peak(), calls.load(Ordering::SeqCst))
        });
        let want = Tally {
            ok: 20,
            ..Tally::default()
        };
        assert_eq!(tally, Ok(want), "20 requests, all ok");
        assert_eq!(calls, 20, "send must be called once for each request");
        assert_eq!(
            peak, 4,
            "a limit of 4 must let 4 requests in at once and never more, but {peak} \
             were in flight together (is the permit held for the whole request?)"
        );
    }

    /// A rate of 10 a second: request k starts (is first polled) at least k × 100 ms
    /// after the first, on the paused clock, however high the concurrency limit.
    #[test]
    fn requests_start_no_faster_than_the_rate() {
        let starts = paused("a run of 15 requests at 10 a second", || async {
            let starts = Arc::new(Mutex::new(Vec::new()));
            let log = Arc::clone(&starts);
            let send = move |_| {
                let log = Arc::clone(&log);
                async move {
                    log.lock().unwrap().push(Instant::now());
                    Ok(())
                }
            };
            let tally = run(limits(15, 100, Some(10)), send).await;
            assert_eq!(tally.map(|t| t.ok), Ok(15), "15 requests, all ok");
            let starts = starts.lock().unwrap().clone();
            starts
        });
        let first = starts[0];
        for (k, start) in starts.iter().enumerate() {
            let after = *start - first;
            assert!(
                after >= Duration::from_millis(100) * k as u32,
                "at 10 requests a second, request {k} may start 100 ms × {k} after the \
                 first at the earliest, but it started after {after:?}"
            );
        }
    }

    /// Stand-in requests that never end, a timeout of 2 s: every one is a timeout,
    /// the run ends by itself, and no request is left running after it.
    #[test]
    fn a_request_that_never_ends_times_out_and_is_dropped() {
        let (tally, still_inside) = paused("a run of 6 requests that never end", || async {
            let inside = Arc::new(PeakCounter::new());
            let counter = Arc::clone(&inside);
            let send = move |_| {
                let inside = Arc::clone(&counter);
                async move {
                    let _inside = inside.enter();
                    std::future::pending::<()>().await;
                    Ok(())
                }
            };
            let limits = Limits {
                timeout: Duration::from_secs(2),
                ..limits(6, 3, None)
            };
            let tally = run(limits, send).await;
            // Let anything that was left running take its turn.
            tokio::task::yield_now().await;
            (tally, inside.inside())
        });
        let want = Tally {
            ok: 0,
            errors: [(RequestError::Timeout, 6)].into(),
        };
        assert_eq!(tally, Ok(want), "six requests that never end, six timeouts");
        assert_eq!(
            still_inside, 0,
            "{still_inside} requests were still running after the run returned: a \
             timed-out request must be dropped, not left running"
        );
    }

    #[test]
    fn a_concurrency_or_rate_of_zero_is_an_error() {
        let calls = Arc::new(AtomicUsize::new(0));
        let called = Arc::clone(&calls);
        let outcomes = paused("runs with a limit of 0", || async move {
            let send = move |_| {
                called.fetch_add(1, Ordering::SeqCst);
                async { Ok(()) }
            };
            [
                run(limits(3, 0, None), &send).await,
                run(limits(3, 2, Some(0)), &send).await,
            ]
        });
        assert_eq!(
            outcomes,
            [Err(LimitError::Zero), Err(LimitError::Zero)],
            "a concurrency of 0, then a rate of 0"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 0, "nothing may be sent");
    }

    /// Real requests: `get` against the suite's server, 30 of `/flaky`, 5 at a time.
    #[test]
    fn every_request_is_accounted_for_by_the_server() {
        let server = Server::start();
        let addr = server.addr();
        let tally = watchdog("an async run of 30 requests", move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("cannot build a tokio runtime")
                .block_on(run(limits(30, 5, None), move |_| get(addr, "/flaky")))
        });
        let tally = tally.expect("a concurrency of 5 and no rate are fine");
        assert_flaky_tally(&tally, &server, 30);
        assert!(
            server.peak() <= 5,
            "a limit of 5, but the server saw {} requests at once",
            server.peak()
        );
        assert_all_closed(&server);
    }

    /// Real requests to `/hold`, which never answers: on the paused clock the 10 s
    /// timeout comes at once, and every connection must be closed after it.
    #[test]
    fn get_on_a_silent_server_times_out_and_hangs_up() {
        let server = Server::start();
        let addr = server.addr();
        let tally = paused("an async run of 4 requests to /hold", move || async move {
            let limits = Limits {
                timeout: Duration::from_secs(10),
                ..limits(4, 2, None)
            };
            run(limits, move |_| get(addr, "/hold")).await
        });
        let want = Tally {
            ok: 0,
            errors: [(RequestError::Timeout, 4)].into(),
        };
        assert_eq!(tally, Ok(want), "four requests, four timeouts");
        assert_all_closed(&server);
    }
}

mod report {
    use super::*;
    use crate::ch15_load::report::{run, Recorder, Summary};
    use indicatif::ProgressBar;
    use proptest::prelude::*;

    fn micros(n: u64) -> Duration {
        Duration::from_micros(n)
    }

    /// The nearest-rank percentile of `sorted`: the smallest value with at least
    /// the fraction `q` of the values at or below it.
    fn model(sorted: &[u64], q: f64) -> u64 {
        let rank = ((q * sorted.len() as f64).ceil() as usize).max(1);
        sorted[rank - 1]
    }

    /// Within the histogram's 3 significant digits of the model's value.
    #[track_caller]
    fn assert_close(what: &str, got: Duration, want: u64) {
        let got = got.as_micros() as u64;
        let slack = want / 500 + 1;
        assert!(
            got.abs_diff(want) <= slack,
            "{what}: {got} µs, but the latencies recorded give {want} µs (3 significant \
             digits, in microseconds)"
        );
    }

    #[test]
    fn percentiles_match_a_sorted_model() {
        grader::check_property(
            "percentiles of random latencies",
            48,
            // Most under 20 ms, as on loopback; some up to 5 s.
            prop::collection::vec(
                prop_oneof![3 => 1u64..20_000, 1 => 20_000u64..5_000_000],
                1..300,
            ),
            |latencies| {
                let mut recorder = Recorder::new();
                for &l in &latencies {
                    recorder.record(micros(l), Ok(()));
                }
                let summary = recorder.summary(Duration::from_secs(1));
                let mut sorted = latencies.clone();
                sorted.sort_unstable();
                assert_close("p50", summary.p50, model(&sorted, 0.5));
                assert_close("p90", summary.p90, model(&sorted, 0.9));
                assert_close("p99", summary.p99, model(&sorted, 0.99));
                assert_close("max", summary.max, model(&sorted, 1.0));
                assert_eq!(summary.tally.ok, latencies.len(), "every request counted");
                Ok(())
            },
        );
    }

    #[test]
    fn errors_are_counted_by_kind_and_kept_out_of_the_percentiles() {
        let mut recorder = Recorder::new();
        for _ in 0..3 {
            recorder.record(micros(1_000), Ok(()));
        }
        recorder.record(Duration::from_secs(10), Err(RequestError::Timeout));
        recorder.record(Duration::from_secs(10), Err(RequestError::Timeout));
        recorder.record(micros(500), Err(RequestError::Status(500)));
        let summary = recorder.summary(Duration::from_secs(2));
        let want = Tally {
            ok: 3,
            errors: [(RequestError::Timeout, 2), (RequestError::Status(500), 1)].into(),
        };
        assert_eq!(summary.tally, want, "3 ok, 2 timeouts, one 500");
        assert_close(
            "the max of the ok requests (a timeout is an error, not a slow success)",
            summary.max,
            1_000,
        );
        assert_close("p50", summary.p50, 1_000);
        assert_eq!(summary.per_second, 3.0, "6 requests in 2 s");
    }

    #[test]
    fn a_latency_of_hours_is_recorded_in_full() {
        let mut recorder = Recorder::new();
        recorder.record(micros(20), Ok(()));
        recorder.record(Duration::from_secs(3 * 3600), Ok(()));
        let summary = recorder.summary(Duration::from_secs(3 * 3600));
        assert_close("p50", summary.p50, 20);
        assert_close(
            "the max, a 3-hour request",
            summary.max,
            3 * 3600 * 1_000_000,
        );
    }

    #[test]
    fn nothing_recorded_is_all_zero() {
        let summary = Recorder::new().summary(Duration::ZERO);
        let want = Summary {
            tally: Tally::default(),
            p50: Duration::ZERO,
            p90: Duration::ZERO,
            p99: Duration::ZERO,
            max: Duration::ZERO,
            per_second: 0.0,
        };
        assert_eq!(summary, want);
        let mut failed = Recorder::new();
        failed.record(micros(70), Err(RequestError::Connect));
        let summary = failed.summary(Duration::ZERO);
        assert_eq!(
            summary.max,
            Duration::ZERO,
            "nothing succeeded: a max of zero"
        );
        assert_eq!(summary.per_second, 0.0, "over no time at all: 0 per second");
    }

    #[test]
    fn merging_is_recording_everything_in_one() {
        grader::check_property(
            "two recorders merged",
            32,
            (
                prop::collection::vec((1u64..2_000_000, 0u8..4), 0..100),
                prop::collection::vec((1u64..2_000_000, 0u8..4), 0..100),
            ),
            |(left, right)| {
                let outcome = |kind: u8| match kind {
                    0 | 1 => Ok(()),
                    2 => Err(RequestError::Timeout),
                    _ => Err(RequestError::Status(502)),
                };
                let (mut one, mut a, mut b) = (Recorder::new(), Recorder::new(), Recorder::new());
                for &(l, k) in &left {
                    one.record(micros(l), outcome(k));
                    a.record(micros(l), outcome(k));
                }
                for &(l, k) in &right {
                    one.record(micros(l), outcome(k));
                    b.record(micros(l), outcome(k));
                }
                a.merge(&b);
                let elapsed = Duration::from_secs(3);
                assert_eq!(a.summary(elapsed), one.summary(elapsed));
                Ok(())
            },
        );
    }

    #[test]
    fn run_counts_every_request_and_moves_the_progress_bar() {
        let server = Server::start();
        let plan = plan(&server, "/flaky", 12, PATIENT);
        let (summary, position) = watchdog("a run of 12 requests on 3 workers", move || {
            let progress = ProgressBar::hidden();
            let summary = run(&plan, 3, &progress);
            (summary, progress.position())
        });
        assert_flaky_tally(&summary.tally, &server, 12);
        assert_eq!(
            position, 12,
            "the progress bar moves on once for every request"
        );
        assert!(summary.max > Duration::ZERO, "the latencies were recorded");
        assert!(
            summary.per_second > 0.0,
            "requests per second: {}",
            summary.per_second
        );
        assert_all_closed(&server);
    }

    #[test]
    fn run_has_every_worker_in_flight_at_once() {
        let server = Server::start();
        server.together(3);
        let plan = plan(&server, "/together", 3, PATIENT);
        let summary = watchdog_for(grader::limit() * 3, "a run of 3 workers", move || {
            run(&plan, 3, &ProgressBar::hidden())
        });
        assert_eq!(
            summary.tally.ok, 3,
            "3 workers must have 3 requests in flight at one moment: {:?}",
            summary.tally
        );
        assert_all_closed(&server);
    }

    #[test]
    fn the_program_sends_the_requests_and_prints_the_summary() {
        let server = Server::start();
        let addr = server.addr().to_string();
        let out = grader::run_program("report", &[&addr, "/ok", "20", "3"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "`report ADDR /ok 20 3` exits with 0: {out:?}"
        );
        assert!(
            stdout.contains("requests: 20, ok: 20\n"),
            "the summary of 20 GETs of /ok: {stdout}"
        );
        assert_eq!(
            server.requests_for("/ok"),
            20,
            "the server saw every request"
        );
        assert_all_closed(&server);
        let usage = grader::run_program("report", &["not-an-address", "/"]);
        assert_eq!(
            usage.status.code(),
            Some(1),
            "a bad address is an error: {usage:?}"
        );
    }
}
