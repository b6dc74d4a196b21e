//! Chapter 11 benchmarks: `cargo bench --features solutions --bench ch11_atomics`.
//!
//! One shared counter, incremented `ROUNDS` times by each of 1, 2 and 4 threads
//! (1: uncontended; 2 and 4: every increment fights for one cache line), six ways:
//! - `fetch_add relaxed` and `fetch_add seqcst`: one `AtomicU64` read-modify-write;
//! - `cas loop`: the chapter's `IdAllocator::allocate` (solution), a
//!   `compare_exchange` loop that retries when another thread got in first;
//! - `mutex`: a `Mutex<u64>`, locked for each increment;
//! - `spin lock`: the chapter's `SpinLock<u64>` (solution), the same way.
//!
//! `IdAllocator` and `SpinLock` are learner code (on the untouched exercises they
//! are broken or `todo!`), so run this with `--features solutions`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::thread;

use crate::ch11_atomics::id_allocator::IdAllocator;
use crate::ch11_atomics::spin_lock::SpinLock;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

grader::chapter!(ch11_atomics);

const ROUNDS: u64 = 20_000;

/// Runs `increment` `ROUNDS` times on each of `threads` threads.
fn on_threads(threads: u64, increment: &(dyn Fn() + Sync)) {
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..ROUNDS {
                    increment();
                }
            });
        }
    });
}

fn counters(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch11/counter");
    group.sample_size(10);
    for threads in [1u64, 2, 4] {
        group.throughput(Throughput::Elements(threads * ROUNDS));
        let relaxed = AtomicU64::new(0);
        let seq_cst = AtomicU64::new(0);
        let ids = IdAllocator::new();
        let mutex = Mutex::new(0u64);
        let spin = SpinLock::new(0u64);
        let ways: [(&str, &(dyn Fn() + Sync)); 5] = [
            ("fetch_add relaxed", &|| {
                relaxed.fetch_add(1, Ordering::Relaxed);
            }),
            ("fetch_add seqcst", &|| {
                seq_cst.fetch_add(1, Ordering::SeqCst);
            }),
            ("cas loop", &|| {
                ids.allocate().expect("ids ran out");
            }),
            ("mutex", &|| *mutex.lock().unwrap() += 1),
            ("spin lock", &|| *spin.lock() += 1),
        ];
        for (name, increment) in ways {
            group.bench_with_input(BenchmarkId::new(name, threads), &threads, |b, &n| {
                b.iter(|| on_threads(n, increment))
            });
        }
        // Every way counted every increment of every run.
        let per_run = threads * ROUNDS;
        for (name, total) in [
            ("fetch_add relaxed", relaxed.load(Ordering::Relaxed)),
            ("fetch_add seqcst", seq_cst.load(Ordering::Relaxed)),
            ("mutex", *mutex.lock().unwrap()),
            ("spin lock", *spin.lock()),
        ] {
            assert_eq!(total % per_run, 0, "{name} lost counts");
        }
    }
    group.finish();
}

criterion_group!(benches, counters);
criterion_main!(benches);
