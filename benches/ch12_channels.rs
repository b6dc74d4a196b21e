//! Chapter 12 benchmarks: `cargo bench --features solutions --bench ch12_channels`.
//!
//! They call the chapter's code, so on the untouched exercises they panic at the first
//! `todo!`: run them with `--features solutions` (or once your own code passes).
//!
//! - `ch12/channel_1x1` and `ch12/channel_4x4`: 10 000 numbers through a channel, one
//!   producer and one consumer, then four of each. std's `mpsc` is measured as std is
//!   meant to be used: one consumer per channel. With four consumers that is one
//!   channel per consumer, the producers dealing the items round (what
//!   `fan_out_fan_in` does); sharing one `Receiver` behind a `Mutex` is measured beside
//!   it, labelled as such. Then crossbeam's channels (whose receivers clone), and the
//!   chapter's own `fan_out_fan_in` mapping the 10 000 numbers.
//! - `ch12/cache_readers`: 1, 2 and 4 threads each doing 20 000 `get`s on a full
//!   cache of 64 entries: the chapter's `rw_cache` (an `RwLock`, recency in atomics)
//!   against the same LRU behind one `Mutex`.
//! - `ch12/cpu_map`: the seeds' CPU-bound map, 32 × `count_primes(20 000)`:
//!   sequential, the chapter's `fan_out_fan_in`, rayon's `par_map`.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::{mpsc, Arc, Mutex};
use std::thread;

use crate::ch12_channels::channels::fan_out_fan_in;
use crate::ch12_channels::parallel_iter::{count_primes, par_map};
use crate::ch12_channels::rw_cache::LruCache;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

grader::chapter!(ch12_channels);

const ITEMS: u64 = 10_000;
const CAPACITY: usize = 64;

/// One thread per element of `producers`, each sending its share of `0..ITEMS`
/// with `send(its own state, item)`, and one thread per element of `consumers`,
/// each running `consume(its own state)` until its channel closes. Each thread owns
/// its end: no lock is added around std's channels.
fn run<P: Send, C: Send>(
    producers: Vec<P>,
    consumers: Vec<C>,
    send: impl Fn(&P, u64) + Sync,
    consume: impl Fn(C) -> u64 + Sync,
) {
    let per = ITEMS / producers.len() as u64;
    thread::scope(|s| {
        let (send, consume) = (&send, &consume);
        let takers: Vec<_> = consumers
            .into_iter()
            .map(|c| s.spawn(move || consume(c)))
            .collect();
        for producer in producers {
            s.spawn(move || {
                for i in 0..per {
                    send(&producer, i)
                }
            });
        }
        let sum: u64 = takers.into_iter().map(|t| t.join().unwrap()).sum();
        black_box(sum);
    });
}

/// `p` producers, each holding a clone of every consumer's sender, dealing items
/// round; `n` consumers, each owning its receiver.
fn one_channel_per_consumer<S: Clone + Send, R: Send>(
    p: usize,
    n: usize,
    make: impl Fn() -> (S, R),
) -> (Vec<Vec<S>>, Vec<R>) {
    let (txs, rxs): (Vec<S>, Vec<R>) = (0..n).map(|_| make()).unzip();
    ((0..p).map(|_| txs.clone()).collect(), rxs)
}

fn channels(c: &mut Criterion) {
    for (p, n) in [(1usize, 1usize), (4, 4)] {
        let mut group = c.benchmark_group(format!("ch12/channel_{p}x{n}"));
        group.sample_size(10);
        group.bench_function("std mpsc::channel, one per consumer", |b| {
            b.iter(|| {
                let (txs, rxs) = one_channel_per_consumer(p, n, mpsc::channel::<u64>);
                run(
                    txs,
                    rxs,
                    |txs, i| txs[(i as usize) % n].send(i).unwrap(),
                    |rx| rx.iter().sum(),
                )
            })
        });
        if n > 1 {
            group.bench_function("std mpsc::channel, one Receiver behind a Mutex", |b| {
                b.iter(|| {
                    let (tx, rx) = mpsc::channel::<u64>();
                    let rx = Arc::new(Mutex::new(rx));
                    run(
                        vec![tx; p],
                        vec![rx; n],
                        |tx, i| tx.send(i).unwrap(),
                        |rx| {
                            let mut sum = 0;
                            while let Ok(x) = rx.lock().unwrap().recv() {
                                sum += x;
                            }
                            sum
                        },
                    )
                })
            });
        }
        for bound in [CAPACITY, 0] {
            let name = format!("std mpsc::sync_channel({bound}), one per consumer");
            group.bench_function(name, |b| {
                b.iter(|| {
                    let (txs, rxs) =
                        one_channel_per_consumer(p, n, || mpsc::sync_channel::<u64>(bound));
                    run(
                        txs,
                        rxs,
                        |txs, i| txs[(i as usize) % n].send(i).unwrap(),
                        |rx| rx.iter().sum(),
                    )
                })
            });
        }
        for (name, bound) in [
            ("crossbeam unbounded, shared", None),
            ("crossbeam bounded(64), shared", Some(CAPACITY)),
        ] {
            group.bench_function(name, |b| {
                b.iter(|| {
                    let (tx, rx) = match bound {
                        None => crossbeam_channel::unbounded::<u64>(),
                        Some(cap) => crossbeam_channel::bounded::<u64>(cap),
                    };
                    run(
                        vec![tx; p],
                        vec![rx; n],
                        |tx, i| tx.send(i).unwrap(),
                        |rx| rx.iter().sum(),
                    )
                })
            });
        }
        group.bench_function(BenchmarkId::new("fan_out_fan_in, workers", n), |b| {
            b.iter(|| fan_out_fan_in((0..ITEMS).collect(), n, |x| x + 1).unwrap())
        });
        group.finish();
    }
}

/// The clock, and each key's value and last use.
type Stamped = (u64, HashMap<u64, (u64, u64)>);

/// The same LRU as `rw_cache`, behind one `Mutex`: every `get` is exclusive.
struct MutexLru {
    capacity: usize,
    inner: Mutex<Stamped>,
}

impl MutexLru {
    fn get(&self, key: &u64) -> Option<u64> {
        let mut inner = self.inner.lock().unwrap();
        inner.0 += 1;
        let now = inner.0;
        let entry = inner.1.get_mut(key)?;
        entry.1 = now;
        Some(entry.0)
    }

    fn put(&self, key: u64, value: u64) {
        let mut inner = self.inner.lock().unwrap();
        inner.0 += 1;
        let now = inner.0;
        if inner.1.len() >= self.capacity && !inner.1.contains_key(&key) {
            let oldest = *inner.1.iter().min_by_key(|(_, (_, t))| *t).unwrap().0;
            inner.1.remove(&oldest);
        }
        inner.1.insert(key, (value, now));
    }
}

fn cache_readers(c: &mut Criterion) {
    const GETS: u64 = 20_000;
    let mut group = c.benchmark_group("ch12/cache_readers");
    group.sample_size(10);
    let rw = LruCache::new(64).unwrap();
    let mutex = MutexLru {
        capacity: 64,
        inner: Mutex::new((0, HashMap::new())),
    };
    for k in 0..64u64 {
        rw.put(k, k);
        mutex.put(k, k);
    }
    for readers in [1usize, 2, 4] {
        group.bench_with_input(
            BenchmarkId::new("rw_cache (RwLock)", readers),
            &readers,
            |b, &r| {
                b.iter(|| {
                    thread::scope(|s| {
                        for t in 0..r as u64 {
                            let rw = &rw;
                            s.spawn(move || {
                                (0..GETS)
                                    .map(|i| rw.get(&((i + t) % 64)).unwrap())
                                    .sum::<u64>()
                            });
                        }
                    })
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("same LRU behind a Mutex", readers),
            &readers,
            |b, &r| {
                b.iter(|| {
                    thread::scope(|s| {
                        for t in 0..r as u64 {
                            let mutex = &mutex;
                            s.spawn(move || {
                                (0..GETS)
                                    .map(|i| mutex.get(&((i + t) % 64)).unwrap())
                                    .sum::<u64>()
                            });
                        }
                    })
                })
            },
        );
    }
    group.finish();
}

fn cpu_map(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch12/cpu_map_32x_primes_below_20000");
    group.sample_size(10);
    let inputs: Vec<u64> = vec![20_000; 32];
    group.bench_function("sequential", |b| {
        b.iter(|| inputs.iter().map(|&n| count_primes(n)).collect::<Vec<_>>())
    });
    for workers in [2usize, 4] {
        group.bench_with_input(
            BenchmarkId::new("fan_out_fan_in", workers),
            &workers,
            |b, &w| b.iter(|| fan_out_fan_in(inputs.clone(), w, count_primes).unwrap()),
        );
    }
    group.bench_function("rayon par_map (global pool)", |b| {
        b.iter(|| par_map(&inputs, |&n| count_primes(n)))
    });
    group.finish();
}

criterion_group!(benches, channels, cache_readers, cpu_map);
criterion_main!(benches);
