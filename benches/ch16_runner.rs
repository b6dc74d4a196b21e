//! Chapter 16 benchmarks: `cargo bench --features solutions --bench ch16_runner`.
//!
//! They call the chapter's code, so on the untouched exercises they fail at the first
//! broken piece: run them with `--features solutions` (or once your own code passes).
//!
//! The suite is 40 tests that each sleep 25 ms (`sh -c 'sleep 0.025'`): sleep-bound,
//! so what is measured is how well a runner keeps its workers busy, never the CPU.
//!
//! - `ch16/40_sleeps`: criterion's timing of the suite on the pool with 1, 2, 4 and 8
//!   workers, and distributed to 4 worker processes on loopback;
//! - then the makespan of each way against the ideal (40 × 25 ms / workers), three
//!   rounds, for the pool, the distributed runner (that many worker processes),
//!   `xargs -P N` (a process per test, N at a time: the model cargo-nextest runs a
//!   suite by) and, when `cargo nextest` is installed, nextest itself on a crate of
//!   40 such tests. Without it that column is skipped with a note.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{criterion_group, BenchmarkId, Criterion};

grader::chapter!(ch16_runner);

use crate::ch16_runner::distributed::{serve, KEY_ENV};
use crate::ch16_runner::pool::run_parallel;
use crate::ch16_runner::sequential::{TestResult, TestSpec};

const TESTS: usize = 40;
const SLEEP: Duration = Duration::from_millis(25);
const KEY: &str = "the bench's key";

fn suite() -> Vec<TestSpec> {
    (0..TESTS)
        .map(|i| {
            let script = format!("sleep {}", SLEEP.as_secs_f64());
            TestSpec::shell(&format!("t{i}"), &script, Duration::from_secs(30))
        })
        .collect()
}

#[track_caller]
fn all_passed(results: &[TestResult]) {
    assert_eq!(results.len(), TESTS);
    assert!(results.iter().all(TestResult::passed), "{results:?}");
}

fn pool(specs: &[TestSpec], workers: usize) {
    all_passed(&run_parallel(specs, workers).expect("at least one worker"));
}

/// The suite served to `workers` worker processes of this binary on loopback.
fn distributed(specs: &[TestSpec], workers: usize) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let addr = listener.local_addr().expect("its address").to_string();
    let mut children: Vec<_> = (0..workers)
        .map(|i| {
            let mut cmd = grader::program("distributed::worker", &[&addr, &format!("w{i}")]);
            cmd.env(KEY_ENV, KEY).stdout(Stdio::null());
            cmd.spawn().expect("a worker process")
        })
        .collect();
    let results = serve(listener, KEY.as_bytes(), specs).expect("the suite is served");
    for child in &mut children {
        let status = child.wait().expect("the worker is reaped");
        assert!(status.success(), "a worker failed: {status}");
    }
    all_passed(&results);
}

/// The same sleeps through `xargs -P workers`, a process per test.
fn xargs(workers: usize) {
    let mut child = Command::new("xargs")
        .args(["-P", &workers.to_string(), "-I", "CMD", "sh", "-c", "CMD"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("xargs");
    let line = format!("sleep {}\n", SLEEP.as_secs_f64());
    let mut stdin = child.stdin.take().expect("piped");
    std::io::Write::write_all(&mut stdin, line.repeat(TESTS).as_bytes())
        .expect("the suite to xargs");
    drop(stdin);
    assert!(child.wait().expect("xargs is reaped").success());
}

fn timed(c: &mut Criterion) {
    let specs = suite();
    let mut group = c.benchmark_group("ch16/40_sleeps");
    group.sample_size(10);
    group.throughput(criterion::Throughput::Elements(TESTS as u64));
    group.warm_up_time(Duration::from_secs(1));
    for workers in [1, 2, 4, 8] {
        group.bench_with_input(BenchmarkId::new("pool", workers), &workers, |b, &w| {
            b.iter(|| pool(&specs, w))
        });
    }
    group.bench_with_input(BenchmarkId::new("distributed", 4), &4, |b, &w| {
        b.iter(|| distributed(&specs, w))
    });
    group.finish();
}

/// A crate of 40 tests that each sleep, built once for nextest; `None` without nextest.
fn nextest_crate() -> Option<tempfile::TempDir> {
    let installed = Command::new("cargo")
        .args(["nextest", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        return None;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).expect("src/");
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"sleeps\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .expect("Cargo.toml");
    let tests: String = (0..TESTS)
        .map(|i| {
            format!(
                "#[test]\nfn t{i}() {{ std::thread::sleep(std::time::Duration::from_millis({})); }}\n",
                SLEEP.as_millis()
            )
        })
        .collect();
    std::fs::write(root.join("src/lib.rs"), tests).expect("src/lib.rs");
    let built = nextest(root, 1, &["--no-run"]);
    built.then_some(dir)
}

fn nextest(root: &Path, workers: usize, extra: &[&str]) -> bool {
    Command::new("cargo")
        .args(["nextest", "run", "--test-threads", &workers.to_string()])
        .args(["--status-level", "none", "--final-status-level", "none"])
        .args(extra)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn seconds(run: impl FnOnce()) -> f64 {
    let started = Instant::now();
    run();
    started.elapsed().as_secs_f64()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Each way's makespan as a ratio to the ideal, the median of three rounds.
fn makespans() {
    let specs = suite();
    let crate_dir = nextest_crate();
    if crate_dir.is_none() {
        println!("ch16/makespan: nextest column skipped, `cargo nextest` is not installed");
    }
    println!(
        "ch16/makespan: {TESTS} tests of {} ms each, makespan / ideal (40 × {} ms / N), \
         median of 3 rounds",
        SLEEP.as_millis(),
        SLEEP.as_millis()
    );
    println!("workers   ideal ms   pool   distributed   xargs -P   nextest");
    for workers in [1, 2, 4, 8] {
        let ideal = SLEEP.as_secs_f64() * TESTS as f64 / workers as f64;
        let ratio = |run: &dyn Fn()| median((0..3).map(|_| seconds(run) / ideal).collect());
        let pool = ratio(&|| pool(&specs, workers));
        let dist = ratio(&|| distributed(&specs, workers));
        let xargs = ratio(&|| xargs(workers));
        let next = crate_dir.as_ref().map_or("-".to_owned(), |dir| {
            let r = ratio(&|| assert!(nextest(dir.path(), workers, &[]), "nextest failed"));
            format!("{r:.2}")
        });
        println!(
            "{workers:>7}   {:>8.0}   {pool:>4.2}   {dist:>11.2}   {xargs:>8.2}   {next:>7}",
            ideal * 1000.0
        );
    }
}

criterion_group!(benches, timed);

fn main() {
    benches();
    // Not under `cargo test --benches`, which runs each bench once as a test.
    if std::env::args().any(|a| a == "--bench") {
        makespans();
    }
    Criterion::default().configure_from_args().final_summary();
}
