//! Chapter 5 benchmarks: `cargo bench --features solutions --bench ch05_sync`.
//!
//! They call the chapter's code, so on the untouched exercises they panic at the first
//! `todo!`: run them with `--features solutions` (or once your own code passes the tests).
//!
//! - `ch05/semaphore`: acquire + release with nobody else around, against a std `Mutex`
//!   lock + unlock (std and crossbeam have no semaphore; a mutex is a one-permit one); and
//!   4 threads × 1 000 acquire/release through `Semaphore(2)` vs a `Mutex`.
//! - `ch05/event`: set + wait + clear on one thread; and 1 000 ping-pongs between two threads
//!   with two `Event`s vs two rendezvous channels (std `sync_channel(0)`, crossbeam
//!   `bounded(0)`).
//! - `ch05/barrier`: the workbook's `Barrier` vs `std::sync::Barrier`: one party (never
//!   waits), and 4 threads × 100 rounds.

use std::hint::black_box;
use std::sync::{mpsc, Arc, Mutex};
use std::thread;

use crate::ch05_sync::barrier::Barrier;
use crate::ch05_sync::event::Event;
use crate::ch05_sync::semaphore::Semaphore;
use criterion::{criterion_group, criterion_main, Criterion};

grader::chapter!(ch05_sync);

const THREADS: usize = 4;

/// Runs `body` on `THREADS` threads sharing `shared`, and waits for them.
fn on_threads<T: Send + Sync + 'static>(shared: Arc<T>, body: fn(&T)) {
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let shared = shared.clone();
            thread::spawn(move || body(&shared))
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

fn semaphore(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch05/semaphore");
    group.sample_size(20);
    let sem = Semaphore::new(1);
    group.bench_function("uncontended: Semaphore acquire+release", |b| {
        b.iter(|| drop(black_box(sem.acquire())))
    });
    let mutex = Mutex::new(());
    group.bench_function("uncontended: std Mutex lock+unlock", |b| {
        b.iter(|| drop(black_box(mutex.lock().unwrap())))
    });
    group.bench_function("contended 4 threads: Semaphore(2)", |b| {
        b.iter(|| {
            on_threads(Arc::new(Semaphore::new(2)), |s| {
                (0..1_000).for_each(|_| drop(black_box(s.acquire())))
            })
        })
    });
    group.bench_function("contended 4 threads: std Mutex", |b| {
        b.iter(|| {
            on_threads(Arc::new(Mutex::new(())), |m| {
                (0..1_000).for_each(|_| drop(black_box(m.lock().unwrap())))
            })
        })
    });
    group.finish();
}

fn event(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch05/event");
    group.sample_size(10);
    let event = Event::new();
    group.bench_function("uncontended: set+wait+clear", |b| {
        b.iter(|| {
            event.set();
            event.wait();
            event.clear();
        })
    });
    const ROUNDS: usize = 1_000;
    group.bench_function("ping-pong x1000: two Events", |b| {
        b.iter(|| {
            let (ping, pong) = (Arc::new(Event::new()), Arc::new(Event::new()));
            let other = {
                let (ping, pong) = (ping.clone(), pong.clone());
                thread::spawn(move || {
                    for _ in 0..ROUNDS {
                        ping.wait();
                        ping.clear();
                        pong.set();
                    }
                })
            };
            for _ in 0..ROUNDS {
                ping.set();
                pong.wait();
                pong.clear();
            }
            other.join().unwrap();
        })
    });
    group.bench_function("ping-pong x1000: std sync_channel(0)", |b| {
        b.iter(|| {
            let (ping_tx, ping_rx) = mpsc::sync_channel::<()>(0);
            let (pong_tx, pong_rx) = mpsc::sync_channel::<()>(0);
            let other = thread::spawn(move || {
                for () in ping_rx.iter() {
                    pong_tx.send(()).unwrap();
                }
            });
            for _ in 0..ROUNDS {
                ping_tx.send(()).unwrap();
                pong_rx.recv().unwrap();
            }
            drop(ping_tx);
            other.join().unwrap();
        })
    });
    group.bench_function("ping-pong x1000: crossbeam bounded(0)", |b| {
        b.iter(|| {
            let (ping_tx, ping_rx) = crossbeam_channel::bounded::<()>(0);
            let (pong_tx, pong_rx) = crossbeam_channel::bounded::<()>(0);
            let other = thread::spawn(move || {
                for () in ping_rx.iter() {
                    pong_tx.send(()).unwrap();
                }
            });
            for _ in 0..ROUNDS {
                ping_tx.send(()).unwrap();
                pong_rx.recv().unwrap();
            }
            drop(ping_tx);
            other.join().unwrap();
        })
    });
    group.finish();
}

fn barrier(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch05/barrier");
    group.sample_size(10);
    let ours = Barrier::new(1);
    group.bench_function("one party: workbook Barrier", |b| {
        b.iter(|| black_box(ours.wait()))
    });
    let std_one = std::sync::Barrier::new(1);
    group.bench_function("one party: std Barrier", |b| {
        b.iter(|| black_box(std_one.wait().is_leader()))
    });
    group.bench_function("4 threads x 100 rounds: workbook Barrier", |b| {
        b.iter(|| {
            on_threads(Arc::new(Barrier::new(THREADS)), |b| {
                (0..100).for_each(|_| {
                    black_box(b.wait());
                })
            })
        })
    });
    group.bench_function("4 threads x 100 rounds: std Barrier", |b| {
        b.iter(|| {
            on_threads(Arc::new(std::sync::Barrier::new(THREADS)), |b| {
                (0..100).for_each(|_| {
                    black_box(b.wait().is_leader());
                })
            })
        })
    });
    group.finish();
}

criterion_group!(benches, semaphore, event, barrier);
criterion_main!(benches);
