//! Chapter 3 benchmarks: `cargo bench --features solutions --bench ch03_locks`.
//!
//! The seed's balance loop — two threads, `n = 5` and `n = 8`, each doing
//! `balance += n; balance -= n` a number of rounds (scaled down from 2,000,000 to 100,000
//! so a run stays short) — three ways that all end with balance 0:
//! - `mutex`: the chapter's `Account` (solution): lock, change, unlock, every round;
//! - `atomic`: `fetch_add` / `fetch_sub` on one shared `AtomicI64`;
//! - `per-thread sums`: each thread adds into its own local variable and the results are
//!   merged once at the end — no sharing while the loop runs.
//!
//! `Account` is learner code (on the untouched exercise `change_it` races), so run this with
//! `--features solutions`.

use std::hint::black_box;
use std::sync::atomic::{AtomicI64, Ordering};
use std::thread;

use crate::ch03_locks::balance::{run_thread, Account};
use criterion::{criterion_group, criterion_main, Criterion};

grader::chapter!(ch03_locks);

const ROUNDS: usize = 100_000;
const AMOUNTS: [i64; 2] = [5, 8];

fn with_mutex() -> i64 {
    let account = Account::new(0);
    thread::scope(|s| {
        for n in AMOUNTS {
            let account = &account;
            s.spawn(move || run_thread(account, n, ROUNDS));
        }
    });
    account.balance()
}

fn with_atomic() -> i64 {
    let balance = AtomicI64::new(0);
    thread::scope(|s| {
        for n in AMOUNTS {
            let balance = &balance;
            s.spawn(move || {
                for _ in 0..ROUNDS {
                    balance.fetch_add(black_box(n), Ordering::SeqCst);
                    balance.fetch_sub(black_box(n), Ordering::SeqCst);
                }
            });
        }
    });
    balance.load(Ordering::SeqCst)
}

fn with_per_thread_sums() -> i64 {
    thread::scope(|s| {
        let threads: Vec<_> = AMOUNTS
            .into_iter()
            .map(|n| {
                s.spawn(move || {
                    let mut mine = 0i64;
                    for _ in 0..ROUNDS {
                        mine += black_box(n);
                        mine -= black_box(n);
                    }
                    mine
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).sum()
    })
}

fn balance(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch03/balance");
    group.sample_size(10);
    for (name, run) in [
        ("mutex", with_mutex as fn() -> i64),
        ("atomic", with_atomic),
        ("per-thread sums", with_per_thread_sums),
    ] {
        assert_eq!(run(), 0, "{name} lost an update");
        group.bench_function(name, |b| b.iter(run));
    }
    group.finish();
}

criterion_group!(benches, balance);
criterion_main!(benches);
