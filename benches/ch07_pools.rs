//! Chapter 7 benchmarks: `cargo bench --features solutions --bench ch07_pools`.
//!
//! - `io_bound`: the seed's "1000 tasks of 10 ms on `cpu_count()` processes", scaled to
//!   1000 tasks of 1 ms of sleeping, on N workers. The ideal is ⌈1000 / N⌉ ms
//!   (`cpu_vs_io::ideal_time`); the book divides the measured time by it.
//! - `cpu_map`: 32 CPU-bound tasks (`cpu_bound(20_000)`) one after another, over
//!   `parallel_map`, the thread pool, rayon and the process pool.
//! - `per_task`: one task's round trip (submit, run a trivial function, get the result) on
//!   the thread pool and on the process pool.
//!
//! It calls the learners' pools, which panic on the untouched stubs: run it with
//! `--features solutions`.

use std::hint::black_box;
use std::time::Duration;

use crate::ch07_pools::cpu_vs_io::{cpu_bound, ideal_time, io_bound, parallel_map};
use crate::ch07_pools::process_pool::ProcessPool;
use crate::ch07_pools::thread_pool::ThreadPool;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rayon::prelude::*;

grader::chapter!(ch07_pools);

const IO_TASKS: usize = 1000;
const IO_EACH: Duration = Duration::from_millis(1);
const CPU_TASKS: u64 = 32;
const CPU_N: u64 = 20_000;

fn io_bound_tasks(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch07/io_bound_1000x1ms");
    group.sample_size(10);
    for workers in [4usize, 16, 64] {
        let ideal = ideal_time(IO_TASKS, workers, IO_EACH).unwrap();
        eprintln!("ch07/io_bound: ideal for {workers} workers is {ideal:?}");
        let pool = ThreadPool::new(workers).unwrap();
        group.bench_with_input(
            BenchmarkId::new("thread pool", workers),
            &workers,
            |b, _| b.iter(|| pool.map(|_| io_bound(IO_EACH), 0..IO_TASKS).unwrap()),
        );
    }
    for workers in [4usize, 16] {
        let pool = ProcessPool::new(workers).unwrap();
        let ms = vec![IO_EACH.as_millis() as u64; IO_TASKS];
        group.bench_with_input(
            BenchmarkId::new("process pool", workers),
            &workers,
            |b, _| b.iter(|| pool.map::<_, ()>("sleep_ms", ms.iter().copied()).unwrap()),
        );
    }
    group.finish();
}

fn cpu_map(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch07/cpu_map_32x_primes_below_20000");
    group.sample_size(10);
    let inputs: Vec<u64> = vec![CPU_N; CPU_TASKS as usize];
    group.bench_function("sequential", |b| {
        b.iter(|| inputs.iter().map(|&n| cpu_bound(n)).collect::<Vec<_>>())
    });
    for workers in [1usize, 2, 4] {
        group.bench_with_input(
            BenchmarkId::new("parallel_map (scoped threads)", workers),
            &workers,
            |b, &w| b.iter(|| parallel_map(&inputs, w, |&n| cpu_bound(n)).unwrap()),
        );
        let pool = ThreadPool::new(workers).unwrap();
        group.bench_with_input(
            BenchmarkId::new("thread pool", workers),
            &workers,
            |b, _| b.iter(|| pool.map(cpu_bound, inputs.clone()).unwrap()),
        );
    }
    group.bench_function("rayon par_iter (global pool)", |b| {
        b.iter(|| inputs.par_iter().map(|&n| cpu_bound(n)).collect::<Vec<_>>())
    });
    let pool = ProcessPool::new(2).unwrap();
    group.bench_function("process pool/2", |b| {
        b.iter(|| {
            pool.map::<_, u64>("count_primes", inputs.iter().copied())
                .unwrap()
        })
    });
    group.finish();
}

fn per_task(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch07/per_task_round_trip");
    let threads = ThreadPool::new(2).unwrap();
    group.bench_function("thread pool: apply_async + get", |b| {
        b.iter(|| {
            threads
                .apply_async(|| black_box(7i64) * 7)
                .unwrap()
                .get()
                .unwrap()
        })
    });
    let processes = ProcessPool::new(2).unwrap();
    group.bench_function("process pool: apply_async + get", |b| {
        b.iter(|| {
            processes
                .apply_async::<_, i64>("square", &black_box(7i64))
                .unwrap()
                .get()
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, io_bound_tasks, cpu_map, per_task);
criterion_main!(benches);
