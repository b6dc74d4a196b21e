//! Chapter 2 — threads. `cargo test --test ch02_threads [EXERCISE]`.
//!
//! Each module is one exercise; `loom_*` tests model-check the exercise file itself.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::assert::OutputAssertExt;
use grader::run_program;
use grader::StartLine;
use proptest::prelude::*;

use grader::check_property;

use grader::loom_check;

grader::chapter!(ch02_threads);

/// A start line that panics with a hint when the others never came: the rendezvous that
/// proves several threads were running at one moment.
fn meet(start: &StartLine, hint: &str) {
    if let Err(not_together) = start.arrive() {
        panic!("{not_together}: {hint}");
    }
}

/// The id of the thread whose panic another waits for.
type TidSlot = Arc<Mutex<Option<i32>>>;

/// Waits until the thread recorded in `slot` has exited; panics with `otherwise` if it
/// never does.
fn wait_until_gone(slot: &TidSlot, otherwise: &str) {
    if !grader::eventually(|| slot.lock().unwrap().is_some_and(grader::thread_gone)) {
        panic!("{otherwise}");
    }
}

mod player {
    use super::*;
    use crate::ch02_threads::player::{play_all, PlayerError, Track};

    const TOGETHER: &str = "start a thread for every track before joining any";

    fn playlist(names: &[&str]) -> Vec<Track> {
        names.iter().map(|name| Track::new(name, 3, 2)).collect()
    }

    /// Every track waits at a start line for all the others: only tracks that are playing
    /// at the same moment get past it. Whoever returns before every track finished is
    /// caught by the `finished` count.
    #[test]
    fn every_track_plays_at_one_moment_and_all_finish_before_return() {
        let tracks = playlist(&["爱情买卖.mp3", "阿凡达.mp4", "tree.mp4"]);
        let start = Arc::new(StartLine::new(tracks.len()));
        let finished = Arc::new(AtomicUsize::new(0));
        let (start2, finished2) = (start.clone(), finished.clone());
        let what = "play_all to return (each track waits until all three are playing)";
        let result = grader::watchdog_for(grader::limit() * 2, what, move || {
            play_all(&tracks, move |_track| {
                meet(&start2, TOGETHER);
                finished2.fetch_add(1, Ordering::SeqCst);
            })
        });
        assert_eq!(result, Ok(()));
        assert_eq!(
            finished.load(Ordering::SeqCst),
            3,
            "play_all returned before every track had finished: join every thread"
        );
    }

    #[test]
    fn each_track_plays_on_a_thread_named_after_it() {
        let tracks = playlist(&["music", "movie"]);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let seen2 = seen.clone();
        let result = grader::watchdog("play_all to return", move || {
            play_all(&tracks, move |track| {
                let thread = std::thread::current();
                let name = thread.name().map(str::to_owned);
                seen2.lock().unwrap().push((track.name.clone(), name));
            })
        });
        assert_eq!(result, Ok(()));
        let mut seen = seen.lock().unwrap().clone();
        seen.sort();
        assert_eq!(
            seen,
            vec![
                ("movie".to_owned(), Some("movie".to_owned())),
                ("music".to_owned(), Some("music".to_owned())),
            ],
            "each track must play on its own thread, named after the track \
             (thread::Builder::name)"
        );
    }

    /// The two good tracks meet at a start line of two; the bad one panics at once. The
    /// panic must come back as an error, after both good tracks finished.
    #[test]
    fn a_panicking_track_is_an_error_after_the_others_finish() {
        let tracks = playlist(&["good", "scratched", "fine"]);
        let start = Arc::new(StartLine::new(2));
        let finished = Arc::new(AtomicUsize::new(0));
        let (start2, finished2) = (start.clone(), finished.clone());
        let what = "play_all to return (the two good tracks wait until both are playing)";
        let result = grader::watchdog_for(grader::limit() * 2, what, move || {
            play_all(&tracks, move |track| {
                if track.name == "scratched" {
                    panic!("the disc is scratched");
                }
                meet(&start2, TOGETHER);
                finished2.fetch_add(1, Ordering::SeqCst);
            })
        });
        assert_eq!(
            result,
            Err(PlayerError::Panicked {
                track: "scratched".into(),
                message: "the disc is scratched".into()
            }),
            "a track's panic comes back from join: report it as PlayerError::Panicked"
        );
        assert_eq!(
            finished.load(Ordering::SeqCst),
            2,
            "the other tracks must still be played to the end and joined"
        );
    }

    /// `warped` panics first; `scratched`, earlier in the playlist, panics only once
    /// `warped`'s thread is gone. The error must name `scratched`: the first in the
    /// playlist, not the first to panic, nor the last.
    #[test]
    fn the_first_panicking_track_in_the_playlist_is_named() {
        let tracks = playlist(&["good", "scratched", "warped"]);
        let warped: TidSlot = Arc::default();
        let warped2 = warped.clone();
        let result = grader::watchdog_for(grader::limit() * 2, "play_all to return", move || {
            play_all(&tracks, move |track| match track.name.as_str() {
                "warped" => {
                    *warped2.lock().unwrap() = Some(grader::tid());
                    panic!("the disc is warped");
                }
                "scratched" => {
                    wait_until_gone(
                        &warped2,
                        "`warped` never played while `scratched` did: play every track \
                         on its own thread, all at once",
                    );
                    panic!("the disc is scratched");
                }
                _ => {}
            })
        });
        assert_eq!(
            result,
            Err(PlayerError::Panicked {
                track: "scratched".into(),
                message: "the disc is scratched".into()
            }),
            "two tracks panicked (`warped` first): name the first of them in the playlist"
        );
    }

    /// `scratched` panics at once; `fine` finishes only once `scratched`'s thread is gone
    /// and `play_all`'s thread has gone back to sleep (joining another track) — or has
    /// returned, too early: a `play_all` that returns at the first panic leaves `fine`
    /// playing.
    #[test]
    fn a_panicking_track_cuts_no_other_track_short() {
        let tracks = playlist(&["scratched", "fine"]);
        let scratched: TidSlot = Arc::default();
        let caller: TidSlot = Arc::default();
        let returned = Arc::new(AtomicBool::new(false));
        let finished = Arc::new(AtomicUsize::new(0));
        let (scratched2, caller2) = (scratched.clone(), caller.clone());
        let (returned2, finished2) = (returned.clone(), finished.clone());
        let play = move |track: &Track| {
            if track.name == "scratched" {
                *scratched2.lock().unwrap() = Some(grader::tid());
                panic!("the disc is scratched");
            }
            wait_until_gone(
                &scratched2,
                "`scratched` never played while `fine` did: play every track on its own \
                 thread, all at once",
            );
            let caller = caller2.lock().unwrap().expect("the caller's id");
            grader::eventually(|| {
                returned2.load(Ordering::SeqCst) || grader::thread_asleep(caller)
            });
            finished2.fetch_add(1, Ordering::SeqCst);
        };
        let (result, finished_at_return) =
            grader::watchdog_for(grader::limit() * 2, "play_all to return", move || {
                *caller.lock().unwrap() = Some(grader::tid());
                let result = play_all(&tracks, play);
                let finished_at_return = finished.load(Ordering::SeqCst);
                returned.store(true, Ordering::SeqCst);
                (result, finished_at_return)
            });
        assert_eq!(
            finished_at_return, 1,
            "play_all returned while `fine` was still playing: after a track panics, \
             still join every other track"
        );
        assert_eq!(
            result,
            Err(PlayerError::Panicked {
                track: "scratched".into(),
                message: "the disc is scratched".into()
            })
        );
    }

    /// Loom: two tracks that each wait until both are playing. One thread per track lets
    /// them meet; one track after another deadlocks; returning before joining both leaves
    /// `finished` short — in some interleaving, which loom always finds.
    #[test]
    fn loom_tracks_play_together_and_are_joined() {
        loom_check("player::play_all", || {
            use crate::model::sync::atomic::{AtomicUsize, Ordering};
            use crate::model::sync::Arc;
            let playing = Arc::new(grader::loom::StartLine::new(2));
            let finished = Arc::new(AtomicUsize::new(0));
            let tracks = vec![
                crate::model::player::Track::new("music", 2, 1),
                crate::model::player::Track::new("movie", 5, 1),
            ];
            let (playing2, finished2) = (playing.clone(), finished.clone());
            let result = crate::model::player::play_all(&tracks, move |_| {
                playing2.arrive();
                finished2.fetch_add(1, Ordering::SeqCst);
            });
            assert!(result.is_ok(), "{result:?}");
            assert_eq!(
                finished.load(Ordering::SeqCst),
                2,
                "play_all returned before every track finished"
            );
        });
    }

    /// The seed's evening as a program: every track says which thread plays it.
    #[test]
    fn the_program_plays_each_track_on_its_own_named_thread() {
        let output = run_program("player", &["threads", "0"]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let wanted = [
            "爱情买卖 plays on thread 爱情买卖",
            "tree plays on thread tree",
        ];
        assert!(
            output.status.success()
                && wanted.iter().all(|line| stdout.contains(line))
                && stdout.ends_with("all end\n"),
            "`cargo run -- run player threads 0` should play each track on a thread \
             named after it (`play_all`), then print `all end`; it printed {stdout:?} \
             and said {:?}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

mod named {
    use super::*;
    use crate::ch02_threads::named::{
        current_name, spawn_named, NamedError, LOOP_THREAD, PROGRAM, UNNAMED,
    };

    #[test]
    fn a_spawned_thread_knows_its_own_name() {
        check_property(
            "spawn_named's threads to say their names",
            32,
            "[A-Za-z][A-Za-z0-9_-]{0,14}",
            |name| {
                let handle = spawn_named(&name, current_name).expect("spawn_named failed");
                let seen = handle.join().expect("the named thread panicked");
                prop_assert_eq!(seen, name, "current_name() inside the thread");
                Ok(())
            },
        );
    }

    #[test]
    fn a_thread_without_a_name_says_so() {
        let seen = grader::watchdog("current_name on an unnamed thread to return", || {
            std::thread::spawn(current_name).join()
        });
        assert_eq!(
            seen.expect("current_name panicked"),
            UNNAMED,
            "a thread started without a name has none: say {UNNAMED:?}"
        );
    }

    #[test]
    fn a_name_with_a_nul_byte_is_an_error() {
        let result = grader::watchdog("spawn_named with a NUL byte in the name to return", || {
            spawn_named("Loop\0Thread", || ()).map(|_| ())
        });
        assert!(
            matches!(&result, Err(NamedError::InvalidName(name)) if name == "Loop\0Thread"),
            "expected NamedError::InvalidName, got {result:?}"
        );
    }

    /// The seed's program as a real process: its main thread is `main` in Rust.
    #[test]
    fn the_program_prints_main_then_loop_thread() {
        let output = run_program(PROGRAM, &[]);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        output.assert().success();
        let mut expected = vec!["Thread main is running...".to_owned()];
        expected.push(format!("Thread {LOOP_THREAD} is running..."));
        expected.extend((1..=5).map(|n| format!("Thread {LOOP_THREAD} >>> {n}")));
        expected.push(format!("Thread {LOOP_THREAD} ended."));
        expected.push("Thread main ended.".to_owned());
        assert_eq!(stdout.lines().collect::<Vec<_>>(), expected, "{stdout}");
    }
}

mod my_thread {
    use super::*;
    use crate::ch02_threads::my_thread::{MyThread, MyThreadError};

    #[test]
    fn join_returns_the_value_computed_on_the_named_thread() {
        check_property(
            "MyThread::start and join to return",
            32,
            (any::<u32>(), any::<u32>(), "[a-z_]{1,12}"),
            |(a, b, name)| {
                let mut thread = MyThread::new(name.clone(), move || {
                    let me = std::thread::current();
                    (u64::from(a) + u64::from(b), me.name().map(str::to_owned))
                });
                thread.start().expect("start failed");
                let (sum, ran_on) = thread.join().expect("join failed");
                prop_assert_eq!(sum, u64::from(a) + u64::from(b));
                prop_assert_eq!(
                    ran_on,
                    Some(name),
                    "the work must run on a new thread named after the MyThread"
                );
                Ok(())
            },
        );
    }

    #[test]
    fn two_started_threads_run_at_the_same_time() {
        let start = Arc::new(StartLine::new(2));
        let results = grader::watchdog_for(
            grader::limit() * 2,
            "two MyThreads to join (each waits until both are running)",
            move || {
                let mut threads: Vec<_> = ["super_play_1", "super_play_2"]
                    .into_iter()
                    .map(|name| {
                        let start = start.clone();
                        MyThread::new(name, move || {
                            meet(&start, "start runs the work on a new thread and returns");
                            name.len()
                        })
                    })
                    .collect();
                for thread in &mut threads {
                    thread.start().expect("start failed");
                }
                threads.into_iter().map(MyThread::join).collect::<Vec<_>>()
            },
        );
        assert_eq!(results, vec![Ok(12), Ok(12)]);
    }

    #[test]
    fn a_panic_comes_back_from_join_as_an_error() {
        let result = grader::watchdog("join of a panicking MyThread to return", || {
            let mut thread = MyThread::new("doomed", || -> u32 { panic!("no such file") });
            thread.start().expect("start failed");
            thread.join()
        });
        assert_eq!(
            result,
            Err(MyThreadError::Panicked {
                name: "doomed".into(),
                message: "no such file".into()
            })
        );
    }

    #[test]
    fn join_without_start_is_an_error() {
        let result = grader::watchdog("join without start to return", || {
            MyThread::new("idle", || 1).join()
        });
        assert_eq!(result, Err(MyThreadError::NotStarted("idle".into())));
    }

    #[test]
    fn starting_twice_is_an_error() {
        let (second, value) = grader::watchdog("a second start, then join, to return", || {
            let mut thread = MyThread::new("eager", || 7);
            thread.start().expect("the first start failed");
            let second = thread.start();
            (second, thread.join())
        });
        assert_eq!(second, Err(MyThreadError::AlreadyStarted("eager".into())));
        assert_eq!(
            value,
            Ok(7),
            "the thread started first still runs and joins"
        );
    }
}

mod scoped {
    use super::*;
    use crate::ch02_threads::scoped::{fill_in_parts, map_in_parts, ScopedError};

    #[test]
    fn map_in_parts_matches_the_chunks_in_order() {
        check_property(
            "map_in_parts to return",
            48,
            (prop::collection::vec(any::<u32>(), 0..64), 1usize..9),
            |(data, parts)| {
                let sums = map_in_parts(&data, parts, |chunk| {
                    chunk.iter().map(|&x| u64::from(x)).sum::<u64>()
                })
                .expect("map_in_parts failed");
                let size = data.len().div_ceil(parts).max(1);
                let expected: Vec<u64> = data
                    .chunks(size)
                    .map(|c| c.iter().map(|&x| u64::from(x)).sum())
                    .collect();
                prop_assert_eq!(sums, expected, "one result per chunk, in chunk order");
                Ok(())
            },
        );
    }

    /// Four parts, each waiting at a start line of four: they must all run at once, each
    /// borrowing its chunk of a local vector (no `'static`, no global).
    #[test]
    fn every_part_runs_at_the_same_time() {
        let what = "map_in_parts to return (each part waits until all four are running)";
        let result = grader::watchdog_for(grader::limit() * 2, what, || {
            let data = vec![10, 20, 30, 40];
            let start = StartLine::new(4);
            map_in_parts(&data, 4, |chunk| {
                meet(&start, "spawn every part's thread before joining any");
                chunk[0] + 1
            })
        });
        assert_eq!(
            result,
            Ok(vec![11, 21, 31, 41]),
            "each part waits at a start line until all four are running"
        );
    }

    #[test]
    fn fill_in_parts_writes_every_slot() {
        check_property(
            "fill_in_parts to return",
            48,
            (0usize..100, 1usize..9),
            |(len, parts)| {
                let mut out = vec![u64::MAX; len];
                fill_in_parts(&mut out, parts, |i| (i as u64) * (i as u64))
                    .expect("fill_in_parts failed");
                let expected: Vec<u64> = (0..len as u64).map(|i| i * i).collect();
                prop_assert_eq!(out, expected);
                Ok(())
            },
        );
    }

    /// Seven slots in three parts (3, 3 and 1): the first slot of each part waits until
    /// all three parts are running.
    #[test]
    fn fill_in_parts_writes_from_several_threads_at_once() {
        let what = "fill_in_parts to return (each part waits until all three are running)";
        let out = grader::watchdog_for(grader::limit() * 2, what, || {
            let mut out = vec![0usize; 7];
            let start = StartLine::new(3);
            fill_in_parts(&mut out, 3, |i| {
                if i % 3 == 0 {
                    meet(&start, "spawn every part's thread before joining any");
                }
                i + 100
            })
            .map(|()| out)
        });
        assert_eq!(
            out,
            Ok(vec![100, 101, 102, 103, 104, 105, 106]),
            "out[i] = i + 100, the first slot of each part waiting until all three run"
        );
    }

    #[test]
    fn more_parts_than_items_gives_one_item_per_part() {
        let (mapped, filled) = grader::watchdog("map_in_parts and fill_in_parts to return", || {
            let mapped = map_in_parts(&[1, 2, 3], 8, |c: &[i32]| c.to_vec());
            let mut out = [0usize; 3];
            let filled = fill_in_parts(&mut out, 8, |i| i + 1).map(|()| out);
            (mapped, filled)
        });
        assert_eq!(
            mapped,
            Ok(vec![vec![1], vec![2], vec![3]]),
            "3 items in at most 8 parts: part_size says 1 item a part"
        );
        assert_eq!(filled, Ok([1, 2, 3]));
    }

    #[test]
    fn zero_parts_is_an_error() {
        let (mapped, filled) = grader::watchdog("map_in_parts and fill_in_parts to return", || {
            let mapped = map_in_parts(&[1, 2, 3], 0, |c: &[i32]| c.len());
            let filled = fill_in_parts(&mut [0u8; 3], 0, |_| 1);
            (mapped, filled)
        });
        assert_eq!(mapped, Err(ScopedError::ZeroParts));
        assert_eq!(filled, Err(ScopedError::ZeroParts));
    }

    #[test]
    fn a_panicking_part_is_an_error() {
        let result = grader::watchdog("map_in_parts with a panicking part to return", || {
            map_in_parts(&[1, 2, 3, 4, 5, 6], 3, |chunk: &[i32]| {
                if chunk.contains(&4) {
                    panic!("part with 4");
                }
                chunk.len()
            })
        });
        assert_eq!(
            result,
            Err(ScopedError::Panicked {
                part: 1,
                message: "part with 4".into()
            }),
            "join each part's handle: a panic comes back as an Err"
        );
    }

    #[test]
    fn a_panicking_part_of_fill_in_parts_is_an_error() {
        let result = grader::watchdog("fill_in_parts with a panicking part to return", || {
            fill_in_parts(&mut [0usize; 6], 3, |i| {
                if i == 2 {
                    panic!("slot 2");
                }
                i
            })
        });
        assert_eq!(
            result,
            Err(ScopedError::Panicked {
                part: 1,
                message: "slot 2".into()
            }),
            "slot 2 is in part 1 (two slots a part): its panic comes back as an Err"
        );
    }

    /// Parts 1 and 2 panic, part 2 first: part 1 panics only once part 2's thread is
    /// gone. The error must name part 1, the first in order.
    #[test]
    fn the_first_panicking_part_in_order_is_the_error() {
        let result = grader::watchdog("map_in_parts with two panicking parts to return", || {
            let later: TidSlot = Arc::default();
            let run = std::panic::AssertUnwindSafe(|| {
                map_in_parts(&[1, 2, 3, 4, 5, 6], 3, |chunk: &[i32]| match chunk[0] {
                    5 => {
                        *later.lock().unwrap() = Some(grader::tid());
                        panic!("part 2");
                    }
                    3 => {
                        wait_until_gone(
                            &later,
                            "part 2 never ran while part 1 did: spawn every part's \
                             thread before joining any",
                        );
                        panic!("part 1");
                    }
                    _ => chunk.len(),
                })
            });
            std::panic::catch_unwind(run).unwrap_or_else(|payload| {
                panic!(
                    "map_in_parts itself panicked ({}): a part's panic that nobody joins \
                     makes `thread::scope` panic when it ends; join every part's handle, \
                     even after one reported an error",
                    workbook::panic_message(&*payload)
                )
            })
        });
        assert_eq!(
            result,
            Err(ScopedError::Panicked {
                part: 1,
                message: "part 1".into()
            }),
            "parts 1 and 2 panicked (part 2 first): the error is the first part in order"
        );
    }
}

mod detached {
    use super::*;
    use crate::ch02_threads::detached::{HOLD_ENV, PROGRAM};
    use grader::{program, Group, STUCK};
    use std::process::Stdio;

    /// Whether the thread called `main` of process `pid` is blocked on a futex (what a
    /// `Mutex` or `Condvar` wait is), as `/proc` tells; not if it sleeps or runs.
    fn main_thread_waits_on_a_lock(pid: u32) -> bool {
        grader::blocked_in(pid, Some("main"), &[nix::libc::SYS_futex], "futex")
    }

    fn stdout_of(mode: &str) -> String {
        let output = run_program(PROGRAM, &[mode]);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            output.status.success(),
            "`detached {mode}` failed ({}):\n{stdout}{stderr}",
            output.status
        );
        stdout
    }

    /// `Group::output` fails the test if any process of the program outlives it; a thread
    /// is not a process, so the worker thread simply ends with the process.
    #[test]
    fn a_detached_worker_dies_with_main_mid_work() {
        assert_eq!(
            stdout_of("detach"),
            "worker: started\nall end\n",
            "when main returns, the process ends: a detached worker neither finishes its \
             work nor runs its destructors"
        );
    }

    /// The worker is held back before its first line until `main` is blocked waiting (at
    /// the `started` gate, as `/proc` shows). A `main` that does not wait, or sleeps "long
    /// enough" instead, prints `all end` and returns while the worker has not even
    /// started.
    #[test]
    fn main_waits_until_the_worker_has_started() {
        let mut cmd = program(PROGRAM, &["detach"]);
        cmd.env(HOLD_ENV, "1").stdin(Stdio::piped());
        let mut group = Group::spawn(&mut cmd).expect("cannot start the chapter's program");
        let pid = group.pid();
        let deadline = Instant::now() + grader::limit();
        while !main_thread_waits_on_a_lock(pid) {
            if !group.running() {
                let output = group.output("the stopped `detached detach`");
                panic!(
                    "main returned while the worker had not started yet (the test held it \
                     back). It printed:\n{}\nWait at the worker's `started` gate: a sleep \
                     is never long enough",
                    String::from_utf8_lossy(&output.stdout)
                );
            }
            if Instant::now() >= deadline {
                panic!(
                    "{STUCK} {:?}: still waiting for main to wait at the worker's `started` \
                     gate (the worker was held back before its first line)",
                    grader::limit()
                );
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        group.say("start");
        let output = group.output("`detached detach` to exit once its worker could start");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        output.assert().success();
        assert_eq!(stdout, "worker: started\nall end\n");
    }

    #[test]
    fn a_joined_worker_finishes_and_cleans_up_before_all_end() {
        assert_eq!(
            stdout_of("join"),
            "worker: started\nworker: finished\nworker: cleaned up\nall end\n",
            "join waits for the worker's whole life, destructors included"
        );
    }

    #[test]
    fn an_unknown_ending_is_a_usage_error() {
        let output = run_program(PROGRAM, &["sideways"]);
        output
            .assert()
            .failure()
            .code(1)
            .stderr(predicates::str::contains("usage"));
    }
}
