//! Chapter 8 benchmarks: `cargo bench --features solutions --bench ch08_subprocess`.
//!
//! - `communicate`: throughput (MiB/s of input) of `communicate` with the `echo` helper,
//!   which sends every byte back twice (stdout and stderr), for growing sizes. It calls
//!   the learner's `communicate`, so on the untouched exercise it deadlocks from about
//!   128 KiB on: run it with `--features solutions`.
//! - `spawn_wait`: the fixed cost of one `call` (start and reap a process), for scale.

use std::process::Stdio;

use crate::ch08_subprocess::communicate::{communicate, ECHO};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

grader::chapter!(ch08_subprocess);

fn communicate_throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch08/communicate");
    group.sample_size(10);
    for size in [64 * 1024, 1024 * 1024, 8 * 1024 * 1024] {
        let input = vec![0x5au8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("echo", size), &input, |b, input| {
            b.iter(|| {
                let output = communicate(&mut workbook::process::entry(ECHO), input).unwrap();
                assert_eq!(output.stdout.len(), input.len());
            })
        });
    }
    group.finish();
}

fn spawn_wait(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch08/spawn_wait");
    group.sample_size(10);
    group.bench_function("call(exit_with 0)", |b| {
        b.iter(|| {
            let mut cmd = workbook::process::entry(crate::ch08_subprocess::call::EXIT_WITH);
            cmd.arg("0").stdin(Stdio::null());
            crate::ch08_subprocess::call::call(&mut cmd).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, communicate_throughput, spawn_wait);
criterion_main!(benches);
