//! # The player as tasks: spawn, JoinSet, join!, select!, timeout — solution
//!
//! The one idea: *a task waits by returning to the runtime, never by holding its
//! thread*. `tokio::time::sleep` is a timer the runtime keeps while it runs other
//! tasks; `join!`, a `JoinSet`, `timeout` and `select!` are ways to wait for several
//! such waits at once — and whatever is dropped stops where it stood.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use tokio::task::JoinSet;

use super::sync::{Arc, Mutex};

/// Plays `track` `track.loops` times: each play logs `Start playing: NAME` and
/// lasts `track.length`.
pub async fn play(track: Track, log: Log) -> Played {
    for _ in 0..track.loops {
        log.line(format!("Start playing: {}", track.name));
        tokio::time::sleep(track.length).await;
    }
    Played {
        track: track.name,
        plays: track.loops,
    }
}

/// The seed's evening: the music and the movie at the same time (`join!`).
pub async fn evening(music: Track, movie: Track, log: Log) -> (Played, Played) {
    tokio::join!(play(music, log.clone()), play(movie, log))
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
    let mut tasks = JoinSet::new();
    let mut names = HashMap::new();
    for track in playlist {
        let name = track.name.clone();
        let handle = tasks.spawn(player(track, log.clone()));
        names.insert(handle.id(), name);
    }
    let mut played = Vec::with_capacity(names.len());
    while let Some(result) = tasks.join_next_with_id().await {
        match result {
            Ok((_, done)) => played.push(done),
            Err(error) => {
                let track = names.remove(&error.id()).unwrap_or_default();
                let message = if error.is_panic() {
                    workbook::panic_message(&*error.into_panic())
                } else {
                    error.to_string()
                };
                // Returning drops the JoinSet, which aborts every task still in it.
                return Err(PlayerError::Panicked { track, message });
            }
        }
    }
    Ok(played)
}

/// Plays `track`, but for at most `limit` in all (Python's `asyncio.wait_for`).
pub async fn play_for(
    track: Track,
    limit: Duration,
    log: Log,
) -> Result<Played, TimedOut> {
    for _ in 0..track.loops {
        log.line(format!("Start playing: {}", track.name));
        if tokio::time::timeout(limit, tokio::time::sleep(track.length))
            .await
            .is_err()
        {
            return Err(TimedOut {
                track: track.name,
                after: limit,
            });
        }
    }
    Ok(Played {
        track: track.name,
        plays: track.loops,
    })
}

/// Plays `a` and `b` at once and returns the first to finish; the other stops.
pub async fn first_done(a: Track, b: Track, log: Log) -> Played {
    tokio::select! {
        played = play(a, log.clone()) => played,
        played = play(b, log) => played,
    }
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
