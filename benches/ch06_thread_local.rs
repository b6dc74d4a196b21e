//! Chapter 6 benchmarks: `cargo bench --features solutions --bench ch06_thread_local`.
//!
//! `hot_counter`: two threads each count 100 000 events into
//! - their own thread-local, merged once at the end (the `per_thread_counter` solution),
//! - one shared `AtomicU64` (`fetch_add` per event),
//! - one shared `Mutex<u64>` (lock per event).
//!
//! It calls the learner's `per_thread_counter`, which panics on the untouched stub: run it
//! with `--features solutions`.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::thread;

use crate::ch06_thread_local::per_thread_counter::{record, take_local};
use criterion::{criterion_group, criterion_main, Criterion};

grader::chapter!(ch06_thread_local);

const THREADS: usize = 2;
const EVENTS: u64 = 100_000;

fn hot_counter(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch06/hot_counter");
    group.sample_size(20);
    group.bench_function("thread-local, merged at the end", |b| {
        b.iter(|| {
            let total: u64 = thread::scope(|s| {
                let workers: Vec<_> = (0..THREADS)
                    .map(|_| {
                        s.spawn(|| {
                            for _ in 0..EVENTS {
                                record(black_box(1));
                            }
                            take_local()
                        })
                    })
                    .collect();
                workers.into_iter().map(|w| w.join().unwrap()).sum()
            });
            assert_eq!(total, THREADS as u64 * EVENTS);
        })
    });
    group.bench_function("shared AtomicU64", |b| {
        b.iter(|| {
            let total = AtomicU64::new(0);
            thread::scope(|s| {
                for _ in 0..THREADS {
                    s.spawn(|| {
                        for _ in 0..EVENTS {
                            total.fetch_add(black_box(1), Ordering::Relaxed);
                        }
                    });
                }
            });
            assert_eq!(total.into_inner(), THREADS as u64 * EVENTS);
        })
    });
    group.bench_function("shared Mutex<u64>", |b| {
        b.iter(|| {
            let total = Mutex::new(0u64);
            thread::scope(|s| {
                for _ in 0..THREADS {
                    s.spawn(|| {
                        for _ in 0..EVENTS {
                            *total.lock().unwrap() += black_box(1);
                        }
                    });
                }
            });
            assert_eq!(total.into_inner().unwrap(), THREADS as u64 * EVENTS);
        })
    });
    group.finish();
}

criterion_group!(benches, hot_counter);
criterion_main!(benches);
