//! Chapter 13 benchmarks: `cargo bench --features solutions --bench ch13_shared_memory`.
//!
//! They call the chapter's code, so on the untouched exercises they panic at the first
//! `todo!`: run them with `--features solutions`.
//!
//! `ch13/increment`: one "add 1" made by two other processes, three ways — through the
//! shared-memory counter (`shared_counter`: an atomic `fetch_add` on a `MAP_SHARED`
//! mapping), as a message through the pipes of `process_queue` (a producer's `put`, the
//! parent's `get`), and as a request over the socket of `manager` (a worker's `add`,
//! answered by the owner). Each iteration starts the two processes and reaps them, so
//! the figures include that; they are given per increment (criterion's throughput),
//! next to two threads of this process doing `fetch_add` on one atomic.

use std::hint::black_box;
use std::io::BufRead;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::ch13_shared_memory::manager::{Client, SERVE, WORKER};
use crate::ch13_shared_memory::process_queue::{ProcessQueue, PRODUCER};
use crate::ch13_shared_memory::shared_counter::{Counter, SharedCounter, CHILD};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

grader::chapter!(ch13_shared_memory);

/// Starts two children of entry `name` with `args`, and reaps both.
fn two_children(name: &str, args: &[&str]) -> [std::process::Child; 2] {
    [0, 1].map(|_| {
        workbook::process::entry(name)
            .args(args)
            .spawn()
            .expect("cannot start a child")
    })
}

fn reap(children: [std::process::Child; 2]) {
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a child failed");
    }
}

fn increment(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch13/increment");
    group.sample_size(10);

    const SHARED: u64 = 200_000;
    group.throughput(Throughput::Elements(2 * SHARED));
    group.bench_function("two threads, one AtomicU64, fetch_add", |b| {
        b.iter(|| {
            let counter = AtomicU64::new(0);
            std::thread::scope(|s| {
                for _ in 0..2 {
                    s.spawn(|| {
                        for _ in 0..SHARED {
                            counter.fetch_add(1, Ordering::SeqCst);
                        }
                    });
                }
            });
            black_box(counter.load(Ordering::SeqCst))
        })
    });
    group.bench_function("two processes, shared memory, fetch_add", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("counter");
            let counter = SharedCounter::create(&path).unwrap();
            let times = SHARED.to_string();
            reap(two_children(CHILD, &[path.to_str().unwrap(), &times]));
            assert_eq!(counter.load(), 2 * SHARED);
        })
    });

    const MESSAGES: u64 = 5_000;
    group.throughput(Throughput::Elements(2 * MESSAGES));
    group.bench_function("two processes, process_queue (pipes), put + get", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().unwrap();
            let queue = ProcessQueue::create(dir.path(), 3).unwrap();
            let count = MESSAGES.to_string();
            let d = dir.path().to_str().unwrap();
            let children = [0, 1].map(|id| {
                workbook::process::entry(PRODUCER)
                    .args([d, &id.to_string(), &count])
                    .spawn()
                    .unwrap()
            });
            for _ in 0..2 * MESSAGES {
                black_box(queue.get().unwrap());
            }
            reap(children);
        })
    });

    const REQUESTS: u64 = 2_000;
    group.throughput(Throughput::Elements(2 * REQUESTS));
    group.bench_function("two processes, manager (socket), add request", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().unwrap();
            let socket = dir.path().join("sock");
            let s = socket.to_str().unwrap();
            let mut owner = workbook::process::entry(SERVE)
                .arg(s)
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let mut ready = String::new();
            std::io::BufReader::new(owner.stdout.take().unwrap())
                .read_line(&mut ready)
                .unwrap();
            reap(two_children(WORKER, &[s, "hits", &REQUESTS.to_string()]));
            let mut client = Client::connect(&socket).unwrap();
            assert_eq!(client.get("hits").unwrap(), Some(2 * REQUESTS as i64));
            client.shutdown().unwrap();
            owner.wait().unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, increment);
criterion_main!(benches);
