//! Chapter 9 benchmarks: `cargo bench --features solutions --bench ch09_distributed`.
//!
//! - `tasks_per_second`: one master hands out 400 tasks over loopback TCP to 1, 2 and 4
//!   worker processes (each task is an `Ask`/`Task`/`Result`/`Ack` exchange). The figure
//!   includes starting the processes and the handshakes. It runs the learner's
//!   `master_worker` programs, so on the untouched exercise it panics: run it with
//!   `--features solutions`.
//! - `handshake`: the HMAC work of one challenge-response, in-process, for scale.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};

use crate::ch09_distributed::master_worker::{sign, verify, KEY_ENV, MASTER, WORKER};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

grader::chapter!(ch09_distributed);

const KEY: &str = "bench key";
const TASKS: usize = 400;

/// Starts a master and returns it with the address it listens on.
fn start_master() -> (Child, String) {
    let mut master = workbook::process::entry(MASTER)
        .env(KEY_ENV, KEY)
        .args(["--tasks", &TASKS.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("cannot start the master");
    let mut stdout = BufReader::new(master.stdout.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("listening on ") {
        line.clear();
        if stdout.read_line(&mut line).unwrap() == 0 {
            panic!("the master exited before listening");
        }
    }
    let addr = line["listening on ".len()..].trim().to_owned();
    // Keep draining its output so it never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = stdout.read_to_end(&mut sink);
    });
    (master, addr)
}

fn run(workers: usize) {
    let (mut master, addr) = start_master();
    let mut children: Vec<Child> = (0..workers)
        .map(|i| {
            workbook::process::entry(WORKER)
                .env(KEY_ENV, KEY)
                .args(["--master", &addr, "--name", &format!("w{i}")])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("cannot start a worker")
        })
        .collect();
    assert!(master.wait().unwrap().success(), "the master failed");
    for child in &mut children {
        let _ = child.wait();
    }
}

fn tasks_per_second(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch09/tasks_per_second");
    group.sample_size(10);
    group.throughput(Throughput::Elements(TASKS as u64));
    for workers in [1usize, 2, 4] {
        group.bench_with_input(BenchmarkId::new("workers", workers), &workers, |b, &w| {
            b.iter(|| run(w))
        });
    }
    group.finish();
}

fn handshake(c: &mut Criterion) {
    let nonce = [7u8; 32];
    c.bench_function("ch09/handshake: sign + verify", |b| {
        b.iter(|| {
            assert!(verify(
                KEY.as_bytes(),
                &nonce,
                &sign(KEY.as_bytes(), &nonce)
            ))
        })
    });
}

criterion_group!(benches, tasks_per_second, handshake);
criterion_main!(benches);
