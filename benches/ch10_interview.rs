//! Chapter 10 benchmarks: `cargo bench --bench ch10_interview`.
//!
//! Two interview claims, measured:
//! - `cpu_bound`: the same amount of computation on 1 thread and split over 2 and 4 threads.
//!   Python's GIL lets only one thread run bytecode at a time, so CPU-bound Python threads
//!   do not get faster (hence `multiprocessing`). Rust threads have no such lock: with two
//!   free cores, two threads take about half the time.
//! - `io_bound`: eight "requests" that each block for 2 ms (a sleep stands in for waiting on
//!   the network or a disk), one after another vs one thread each. Blocked threads use no
//!   CPU, so even one core overlaps them: this is why threads suit IO-bound work (and load
//!   generators) in any language, GIL or not.
//!
//! Std only; no exercise code is called, so it runs on either tree.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

grader::chapter!(ch10_interview);

/// A deterministic CPU-bound computation: `rounds` steps of xorshift.
fn crunch(seed: u64, rounds: u64) -> u64 {
    let mut x = seed | 1;
    for _ in 0..rounds {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    x
}

fn split_over_threads(threads: u64, total: u64) -> u64 {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| s.spawn(move || crunch(black_box(t + 1), total / threads)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .fold(0, |a, b| a ^ b)
    })
}

fn cpu_bound(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch10/cpu_bound");
    group.sample_size(10);
    const TOTAL: u64 = 20_000_000;
    for threads in [1u64, 2, 4] {
        group.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, &n| {
            b.iter(|| split_over_threads(n, TOTAL))
        });
    }
    group.finish();
}

fn io_bound(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch10/io_bound");
    group.sample_size(10);
    const REQUESTS: usize = 8;
    let wait = Duration::from_millis(2);
    group.bench_function("one after another", |b| {
        b.iter(|| {
            for _ in 0..REQUESTS {
                std::thread::sleep(wait);
            }
        })
    });
    group.bench_function("a thread per request", |b| {
        b.iter(|| {
            std::thread::scope(|s| {
                for _ in 0..REQUESTS {
                    s.spawn(|| std::thread::sleep(wait));
                }
            })
        })
    });
    group.finish();
}

criterion_group!(benches, cpu_bound, io_bound);
criterion_main!(benches);
