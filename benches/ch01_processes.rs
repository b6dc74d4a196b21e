//! Chapter 1 benchmarks: `cargo bench --bench ch01_processes`.
//!
//! - `spawn_join`: the cost of starting and waiting for a process vs a thread. The seeds say
//!   processes are expensive to create; this measures how much.
//! - `read_files`: N files read by N reader processes, one after another (start, wait,
//!   start, wait: the seed's first attempt) vs all at once (start all, then wait all).
//!
//! Both use the given `reader` entry point and std only, so they run on either tree.

use std::hint::black_box;
use std::process::{Command, Stdio};

use crate::ch01_processes::two_files::READER;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

grader::chapter!(ch01_processes);

fn reader(path: &std::path::Path) -> Command {
    let mut cmd = workbook::process::entry(READER);
    cmd.arg(path).stdout(Stdio::null());
    cmd
}

fn spawn_join(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch01/spawn_join");
    group.bench_function("thread", |b| {
        b.iter(|| std::thread::spawn(|| black_box(1)).join().unwrap())
    });
    group.bench_function("process: /bin/true", |b| {
        b.iter(|| Command::new("true").status().unwrap())
    });
    let dir = grader::temp_dir();
    let file = grader::write_file(dir.path(), "f.txt", "x\n");
    group.bench_function("process: workbook reader", |b| {
        b.iter(|| reader(&file).status().unwrap())
    });
    group.finish();
}

fn read_files(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch01/read_files");
    group.sample_size(20);
    let dir = grader::temp_dir();
    let line = "a line of a file being read by a child process\n".repeat(64);
    for n in [2usize, 8] {
        let files: Vec<_> = (0..n)
            .map(|i| grader::write_file(dir.path(), &format!("{i}.txt"), &line))
            .collect();
        group.bench_with_input(
            BenchmarkId::new("one after another", n),
            &files,
            |b, files| {
                b.iter(|| {
                    for file in files {
                        reader(file).status().unwrap();
                    }
                })
            },
        );
        group.bench_with_input(BenchmarkId::new("all at once", n), &files, |b, files| {
            b.iter(|| {
                let children: Vec<_> = files.iter().map(|f| reader(f).spawn().unwrap()).collect();
                for mut child in children {
                    child.wait().unwrap();
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, spawn_join, read_files);
criterion_main!(benches);
