//! # The super player: one thread per track
//!
//! The seed's player plays a playlist one track after another: `music()` takes 2 s,
//! `movie()` 5 s, so the evening takes 7 s. With one thread per track it takes 5 s,
//! the length of the longest track. Its "super player" starts one thread per entry
//! of a playlist and then joins them all before printing `all end`.
//!
//! The code below is the single-threaded era: `play_all` calls `play` for each track
//! in turn. Your task: play every track on a thread of its own, named after the
//! track, all at the same time, and return only once every track is done.
//!
//! - Start every thread before joining any (joining inside the loop that starts them
//!   puts you back in the single-threaded era).
//! - `play` is shared by all the threads: it must be reachable from each of them.
//! - A track whose thread panics is not lost, and cuts no other track short: once
//!   every other track has finished too, return [`PlayerError::Panicked`] with the
//!   track's name and the panic message (`workbook::panic_message` reads a panic
//!   payload). If several tracks panicked, name the first of them in the playlist.
//! - A thread that cannot be started is [`PlayerError::Spawn`]; the tracks already
//!   playing are still played to the end.
//!
//! Take threads and `Arc` from `super::sync` only (`use super::sync::{thread,
//! Arc};`): a loom model check runs this very file. `Track` and `PlayerError` are
//! given at the end of the file. Graded by: `cargo test --test ch02_threads player`.

/// Plays every track of `playlist` with `play`, each on its own thread named after
/// the track, all at once; returns when every track is done.
pub fn play_all<P>(playlist: &[Track], play: P) -> Result<(), PlayerError>
where
    P: Fn(&Track) + Send + Sync + 'static,
{
    // The single-threaded era: one track after another.
    for track in playlist {
        play(track);
    }
    Ok(())
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// One entry of the playlist: the seed's `'爱情买卖.mp3': 3`, played `loops` times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    pub name: String,
    /// How long one play of the track lasts, in the player's own unit.
    pub length: u64,
    /// How many times in a row it is played.
    pub loops: u32,
}

impl Track {
    pub fn new(name: &str, length: u64, loops: u32) -> Self {
        Track {
            name: name.to_owned(),
            length,
            loops,
        }
    }
}

/// Why a playlist did not play through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlayerError {
    #[error("cannot start a thread for {track}: {reason}")]
    Spawn { track: String, reason: String },
    #[error("the thread playing {track} panicked: {message}")]
    Panicked { track: String, message: String },
}
