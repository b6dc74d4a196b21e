//! Chapter 15 benchmarks: `cargo bench --features solutions --bench ch15_load`.
//!
//! They call the chapter's code, so on the untouched exercises they fail at the first
//! broken piece: run them with `--features solutions` (or once your own code passes).
//!
//! Everything runs against the suite's own HTTP server (`tests/ch15_load/server.rs`,
//! a thread per connection on 127.0.0.1), one request per connection, in one run:
//!
//! - `ch15/200_requests`: criterion's timing of 200 requests at a concurrency of 8, by
//!   the threaded run (`threaded`) and by the async run (`limited`);
//! - then the comparison with ApacheBench (`ab`, Debian's `apache2-utils`): the same
//!   number of requests at the same concurrency against the same server, by the
//!   threaded run, the async run and `ab -n 2000 -c 8` in turn, three rounds, printed
//!   as requests per second and as a ratio to `ab`. Without `ab` on the PATH that
//!   part is skipped with a note.

use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};

#[path = "../tests/ch15_load/server.rs"]
mod server;
use server::Server;

grader::chapter!(ch15_load);

use crate::ch15_load::sequential::{Plan, Tally};
use crate::ch15_load::{limited, threaded};

const CONCURRENCY: usize = 8;
const TIMEOUT: Duration = Duration::from_secs(10);

fn plan(server: &Server, requests: usize) -> Plan {
    Plan {
        addr: server.addr(),
        path: "/ok".into(),
        requests,
        timeout: TIMEOUT,
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn async_run(rt: &tokio::runtime::Runtime, server: &Server, requests: usize) -> Tally {
    let addr = server.addr();
    let limits = limited::Limits {
        requests,
        concurrency: CONCURRENCY,
        rate: None,
        timeout: TIMEOUT,
    };
    rt.block_on(limited::run(limits, move |_| limited::get(addr, "/ok")))
        .expect("a concurrency of 8 is allowed")
}

#[track_caller]
fn all_ok(tally: &Tally, requests: usize) {
    assert_eq!(tally.ok, requests, "every request must succeed: {tally:?}");
}

fn timed(c: &mut Criterion) {
    let server = Server::start();
    let rt = runtime();
    let mut group = c.benchmark_group("ch15/200_requests");
    // Short: every request is a connection, and loopback has only so many ports.
    group.sample_size(10);
    group.throughput(criterion::Throughput::Elements(200));
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(2));
    group.bench_function("threaded", |b| {
        let plan = plan(&server, 200);
        b.iter(|| all_ok(&threaded::run(&plan, CONCURRENCY), 200))
    });
    group.bench_function("limited", |b| {
        b.iter(|| all_ok(&async_run(&rt, &server, 200), 200))
    });
    group.finish();
}

/// `ab`'s "Requests per second" line, or why there is none.
fn ab(server: &Server, requests: usize) -> Result<f64, String> {
    let url = format!("http://{}/ok", server.addr());
    let output = Command::new("ab")
        .args([
            "-q",
            "-n",
            &requests.to_string(),
            "-c",
            &CONCURRENCY.to_string(),
            &url,
        ])
        .output()
        .map_err(|e| format!("cannot run ab: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "ab failed: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let failed = text
        .lines()
        .find_map(|l| l.strip_prefix("Failed requests:"))
        .map(str::trim);
    if failed != Some("0") {
        return Err(format!("ab saw failed requests: {text}"));
    }
    text.lines()
        .find_map(|l| l.strip_prefix("Requests per second:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("no requests per second in ab's output: {text}"))
}

fn per_second(requests: usize, run: impl FnOnce()) -> f64 {
    let started = Instant::now();
    run();
    requests as f64 / started.elapsed().as_secs_f64()
}

/// The same requests at the same concurrency, by ours and by `ab`, in turn.
fn versus_ab() {
    const REQUESTS: usize = 2_000;
    if Command::new("ab").arg("-V").output().is_err() {
        println!(
            "ch15/versus_ab: skipped, `ab` is not installed (Debian: apt-get install \
             apache2-utils)"
        );
        return;
    }
    let server = Server::start();
    let rt = runtime();
    println!("ch15/versus_ab: {REQUESTS} GETs of /ok at a concurrency of {CONCURRENCY}");
    println!("round   threaded req/s   async req/s   ab req/s   threaded/ab   async/ab");
    let (mut ours, mut theirs, mut asyncs) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=3 {
        let plan = plan(&server, REQUESTS);
        let threaded = per_second(REQUESTS, || {
            all_ok(&threaded::run(&plan, CONCURRENCY), REQUESTS)
        });
        let tokio = per_second(REQUESTS, || {
            all_ok(&async_run(&rt, &server, REQUESTS), REQUESTS)
        });
        let ab = match ab(&server, REQUESTS) {
            Ok(ab) => ab,
            Err(why) => {
                println!("ch15/versus_ab: skipped, {why}");
                return;
            }
        };
        println!(
            "{round:>5}   {threaded:>14.0}   {tokio:>11.0}   {ab:>8.0}   {:>11.2}   {:>8.2}",
            threaded / ab,
            tokio / ab
        );
        ours.push(threaded);
        asyncs.push(tokio);
        theirs.push(ab);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (ours, asyncs, theirs) = (median(&mut ours), median(&mut asyncs), median(&mut theirs));
    println!(
        "median  {ours:>14.0}   {asyncs:>11.0}   {theirs:>8.0}   {:>11.2}   {:>8.2}",
        ours / theirs,
        asyncs / theirs
    );
}

criterion_group!(benches, timed);

fn main() {
    benches();
    // Not under `cargo test --benches`, which runs each bench once as a test.
    if std::env::args().any(|a| a == "--bench") {
        versus_ab();
    }
    Criterion::default().configure_from_args().final_summary();
}
