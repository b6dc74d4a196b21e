//! Chapter 2 benchmarks: `cargo bench --features solutions --bench ch02_threads`.
//!
//! - `music_movie`: the seed's evening scaled from seconds to milliseconds (music 2 ms and
//!   movie 5 ms, each played twice; the super player's playlist 3/5/4 ms, twice). One track
//!   after another vs `play_all` (one thread per track). The ideal makespan is the longest
//!   track (10 ms for both playlists); the book page reports each time as a ratio to it.
//! - `spawn_join`: what one thread costs to start and join: `thread::spawn`, a named
//!   `Builder`, a scoped thread, and the workbook's `MyThread`.
//!
//! `play_all` and `MyThread` are learner code: on the untouched exercises they run one
//! track after another or panic (`todo!`), so run this with `--features solutions`.

use std::hint::black_box;
use std::thread;
use std::time::Duration;

use crate::ch02_threads::my_thread::MyThread;
use crate::ch02_threads::player::{play_all, Track};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

grader::chapter!(ch02_threads);

/// The seed's `super_player`: play the track `loops` times, `length` ms each.
fn super_player(track: &Track) {
    for _ in 0..track.loops {
        thread::sleep(Duration::from_millis(track.length));
    }
}

fn playlists() -> Vec<(&'static str, Vec<Track>)> {
    vec![
        (
            "music+movie",
            vec![Track::new("music", 2, 2), Track::new("movie", 5, 2)],
        ),
        (
            "super player",
            vec![
                Track::new("爱情买卖.mp3", 3, 2),
                Track::new("阿凡达.mp4", 5, 2),
                Track::new("tree.mp4", 4, 2),
            ],
        ),
    ]
}

fn music_movie(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch02/music_movie");
    group.sample_size(10);
    for (name, playlist) in playlists() {
        group.bench_with_input(
            BenchmarkId::new("one after another", name),
            &playlist,
            |b, playlist| {
                b.iter(|| {
                    for track in playlist {
                        super_player(track);
                    }
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("thread per track", name),
            &playlist,
            |b, playlist| b.iter(|| play_all(playlist, super_player).unwrap()),
        );
    }
    group.finish();
}

fn spawn_join(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch02/spawn_join");
    group.bench_function("thread::spawn", |b| {
        b.iter(|| thread::spawn(|| black_box(1)).join().unwrap())
    });
    group.bench_function("Builder with a name", |b| {
        b.iter(|| {
            thread::Builder::new()
                .name("LoopThread".into())
                .spawn(|| black_box(1))
                .unwrap()
                .join()
                .unwrap()
        })
    });
    group.bench_function("thread::scope", |b| {
        let local = 41;
        b.iter(|| thread::scope(|s| s.spawn(|| black_box(local + 1)).join().unwrap()))
    });
    group.bench_function("MyThread", |b| {
        b.iter(|| {
            let mut t = MyThread::new("MyThread", || black_box(1));
            t.start().unwrap();
            t.join().unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, music_movie, spawn_join);
criterion_main!(benches);
