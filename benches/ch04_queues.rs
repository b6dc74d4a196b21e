//! Chapter 4 benchmarks: `cargo bench --features solutions --bench ch04_queues`.
//!
//! They call the chapter's code, so on the untouched exercises they panic at the first
//! `todo!`: run them with `--features solutions` (or once your own code passes the tests).
//!
//! - `ch04/queue`: 10 000 items through the workbook's `BoundedQueue` (Mutex + Condvar),
//!   `std::sync::mpsc::sync_channel` and `crossbeam_channel::bounded`, all of capacity 64,
//!   with one producer and one consumer, and with four of each. With one consumer std's
//!   receiver is used as it is; its receiver cannot be cloned, so four consumers share it
//!   behind a `Mutex` (what a user would have to do), and that is measured as such.
//! - `ch04/pipe`: 10 000 short messages to another process through an OS pipe (`cat`, its
//!   output thrown away), to another thread through the chapter's one-way pipe (a socket
//!   pair), and to another thread through an in-process channel. Each includes starting and
//!   ending the other side.

use std::hint::black_box;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;

use crate::ch04_queues::bounded_queue::BoundedQueue;
use crate::ch04_queues::pipe::one_way;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

grader::chapter!(ch04_queues);

const ITEMS: usize = 10_000;
const CAPACITY: usize = 64;

/// Runs `producers` producer threads and one consumer thread per receiver in `rxs`;
/// `send` and `recv` adapt each kind of channel; the consumers stop at `None`.
fn run_queue<S, R>(
    producers: usize,
    (tx, rxs): (S, Vec<R>),
    send: fn(&S, usize),
    recv: fn(&R) -> Option<usize>,
    finish: impl FnOnce(S),
) where
    S: Clone + Send + 'static,
    R: Send + 'static,
{
    let per_producer = ITEMS / producers;
    let takers: Vec<_> = rxs
        .into_iter()
        .map(|rx| {
            thread::spawn(move || {
                let mut sum = 0usize;
                while let Some(item) = recv(&rx) {
                    sum = sum.wrapping_add(item);
                }
                sum
            })
        })
        .collect();
    let putters: Vec<_> = (0..producers)
        .map(|_| {
            let tx = tx.clone();
            thread::spawn(move || (0..per_producer).for_each(|i| send(&tx, i)))
        })
        .collect();
    for putter in putters {
        putter.join().unwrap();
    }
    finish(tx);
    for taker in takers {
        black_box(taker.join().unwrap());
    }
}

fn queue(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch04/queue");
    group.sample_size(10);
    for (p, n) in [(1usize, 1usize), (4, 4)] {
        let label = format!("{p}x{n}");
        group.bench_function(BenchmarkId::new("BoundedQueue", &label), |b| {
            b.iter(|| {
                let q = Arc::new(BoundedQueue::new(CAPACITY));
                run_queue(
                    p,
                    (q.clone(), vec![q; n]),
                    |q, i| q.put(i).unwrap(),
                    |q| q.get().ok(),
                    |q| q.close(),
                )
            })
        });
        if n == 1 {
            group.bench_function(BenchmarkId::new("std sync_channel", &label), |b| {
                b.iter(|| {
                    let (tx, rx) = mpsc::sync_channel(CAPACITY);
                    run_queue(
                        p,
                        (tx, vec![rx]),
                        |tx, i| tx.send(i).unwrap(),
                        |rx| rx.recv().ok(),
                        drop,
                    )
                })
            });
        } else {
            let id = BenchmarkId::new("std sync_channel, receiver in a Mutex", &label);
            group.bench_function(id, |b| {
                b.iter(|| {
                    let (tx, rx) = mpsc::sync_channel(CAPACITY);
                    let rx = Arc::new(Mutex::new(rx));
                    run_queue(
                        p,
                        (tx, vec![rx; n]),
                        |tx, i| tx.send(i).unwrap(),
                        |rx| rx.lock().unwrap().recv().ok(),
                        drop,
                    )
                })
            });
        }
        group.bench_function(BenchmarkId::new("crossbeam bounded", &label), |b| {
            b.iter(|| {
                let (tx, rx) = crossbeam_channel::bounded(CAPACITY);
                run_queue(
                    p,
                    (tx, vec![rx; n]),
                    |tx, i| tx.send(i).unwrap(),
                    |rx| rx.recv().ok(),
                    drop,
                )
            })
        });
    }
    group.finish();
}

fn pipe(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch04/pipe");
    group.sample_size(10);
    let message = "message\n";
    group.bench_function("OS pipe to a process (cat)", |b| {
        b.iter(|| {
            let mut child = Command::new("cat")
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()
                .unwrap();
            let mut stdin = std::io::BufWriter::new(child.stdin.take().unwrap());
            for _ in 0..ITEMS {
                stdin.write_all(message.as_bytes()).unwrap();
            }
            drop(stdin);
            child.wait().unwrap();
        })
    });
    group.bench_function("one-way pipe (socket pair) to a thread", |b| {
        b.iter(|| {
            let (mut rx, mut tx) = one_way().unwrap();
            let reader = thread::spawn(move || {
                let mut n = 0;
                while rx.recv().is_ok() {
                    n += 1;
                }
                n
            });
            for _ in 0..ITEMS {
                tx.send(message).unwrap();
            }
            drop(tx);
            assert_eq!(reader.join().unwrap(), ITEMS);
        })
    });
    group.bench_function("std channel to a thread", |b| {
        b.iter(|| {
            let (tx, rx) = mpsc::channel::<&str>();
            let reader = thread::spawn(move || rx.iter().count());
            for _ in 0..ITEMS {
                tx.send(message).unwrap();
            }
            drop(tx);
            assert_eq!(reader.join().unwrap(), ITEMS);
        })
    });
    group.finish();
}

criterion_group!(benches, queue, pipe);
criterion_main!(benches);
