//! # The player as tasks: spawn, JoinSet, join!, select!, timeout
//!
//! The seed's player again (chapter 2 gave every track a thread), now as tasks on
//! tokio, the runtime most Rust async code runs on. A task is a future the runtime
//! polls; thousands fit on one thread, because a task that waits gives its thread
//! back. Python's `asyncio` is the same model:
//!
//! | asyncio | tokio |
//! | --- | --- |
//! | `await asyncio.sleep(2)` | `tokio::time::sleep(d).await` |
//! | `asyncio.gather(a(), b())` | `tokio::join!(a(), b())` |
//! | `asyncio.create_task(c)`, a `TaskGroup` | `tokio::spawn(c)`, a `JoinSet` |
//! | `asyncio.wait_for(c, 5)` | `tokio::time::timeout(d, c)` |
//! | `asyncio.wait(..., FIRST_COMPLETED)` | `tokio::select!` |
//!
//! The code below is a first attempt. `play` waits with `std::thread::sleep`, which
//! holds the runtime's only thread: no other task runs and tokio's clock stands
//! still. `evening` and `play_all` play one track after another. `play_for` and
//! `first_done` are not written yet.
//!
//! Your tasks:
//! 1. `play`: wait the tokio way.
//! 2. `evening`: the music and the movie at the same time (`join!`): 10 s, not 14.
//! 3. `play_all`: every track a task of its own on a `JoinSet`, all at once; one
//!    `Played` per track in the order they *finish*. A task that panics ends it at
//!    once with `PlayerError::Panicked` naming its track and the panic's message
//!    (`workbook::panic_message`); the tracks still playing stop.
//! 4. `play_for`: the whole track within `limit`, or `TimedOut` when `limit` has
//!    passed — one deadline for all its plays.
//! 5. `first_done`: both tracks at once; return the first to finish, and the other
//!    stops where it is (no more plays).
//!
//! The tests run on tokio's paused clock: time moves only when every task waits, and
//! then jumps to the next timer, so "it took 10 s" is exact and takes no time.
//! Graded by: `cargo test --test ch14_async tasks`.

use std::future::Future;
use std::time::Duration;

use super::sync::{Arc, Mutex};

/// Plays `track` `track.loops` times: each play logs `Start playing: NAME` and
/// lasts `track.length`.
pub async fn play(track: Track, log: Log) -> Played {
    for _ in 0..track.loops {
        log.line(format!("Start playing: {}", track.name));
        // The thread sleeps, and with it every task on it.
        std::thread::sleep(track.length);
    }
    Played {
        track: track.name,
        plays: track.loops,
    }
}

/// The seed's evening: the music and the movie at the same time (`join!`).
pub async fn evening(music: Track, movie: Track, log: Log) -> (Played, Played) {
    // One after the other.
    let music = play(music, log.clone()).await;
    let movie = play(movie, log).await;
    (music, movie)
}

/// Every track of `playlist` as a task of its own, played by `player`, all at once;
/// one `Played` per track, in the order they finish. A task that panics ends the
/// evening at once with [`PlayerError::Panicked`]; the tracks still playing stop.
pub async fn play_all<P, F>(
    playlist: Vec<Track>,
    log: Log,
    player: P,
) -> Result<Vec<Played>, PlayerError>
where
    P: Fn(Track, Log) -> F,
    F: Future<Output = Played> + Send + 'static,
{
    // One after the other, on this task; a panic takes the caller down with it.
    let mut played = Vec::new();
    for track in playlist {
        played.push(player(track, log.clone()).await);
    }
    Ok(played)
}

/// Plays `track`, but for at most `limit` in all (Python's `asyncio.wait_for`).
pub async fn play_for(
    track: Track,
    limit: Duration,
    log: Log,
) -> Result<Played, TimedOut> {
    let _ = (track, limit, log);
    todo!("play the track, but give up with TimedOut once `limit` has passed")
}

/// Plays `a` and `b` at once and returns the first to finish; the other stops.
pub async fn first_done(a: Track, b: Track, log: Log) -> Played {
    let _ = (a, b, log);
    todo!("race the two tracks; the loser stops")
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// One entry of the playlist: the seed's `'爱情买卖.mp3': 3`, played `loops` times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    pub name: String,
    /// How long one play of the track lasts.
    pub length: Duration,
    /// How many times in a row it is played.
    pub loops: u32,
}

impl Track {
    pub fn new(name: &str, seconds: u64, loops: u32) -> Track {
        Track {
            name: name.to_owned(),
            length: Duration::from_secs(seconds),
            loops,
        }
    }
}

/// A track that played to its end, and how many times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Played {
    pub track: String,
    pub plays: u32,
}

/// Why a playlist did not play through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlayerError {
    #[error("the task playing {track} panicked: {message}")]
    Panicked { track: String, message: String },
}

/// A track stopped by its deadline.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{track} did not finish within {after:?}")]
pub struct TimedOut {
    pub track: String,
    pub after: Duration,
}

/// What was played when: each line with the time since the log was made, on tokio's
/// clock (the paused clock in the tests, so the times are exact).
#[derive(Debug, Clone)]
pub struct Log {
    start: tokio::time::Instant,
    lines: Arc<Mutex<Vec<(Duration, String)>>>,
}

impl Log {
    /// A log whose clock starts now.
    pub fn new() -> Log {
        Log {
            start: tokio::time::Instant::now(),
            lines: Default::default(),
        }
    }

    /// Adds a line, stamped with the time since the log was made.
    pub fn line(&self, text: String) {
        let at = self.start.elapsed();
        self.lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((at, text));
    }

    /// Every line so far, in the order they were added.
    pub fn lines(&self) -> Vec<(Duration, String)> {
        self.lines.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Default for Log {
    fn default() -> Log {
        Log::new()
    }
}
