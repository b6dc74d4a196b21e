//! # The super player: one thread per track — results over a channel
//!
//! Each thread reports how its track went over an mpsc channel; `play_all` reads
//! until every sender is gone (every track is done) and keeps the panic of the
//! track earliest in the playlist.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::sync::{mpsc, thread, Arc};

/// Plays every track of `playlist` with `play`, each on its own thread named after
/// the track, all at once; returns when every track is done.
pub fn play_all<P>(playlist: &[Track], play: P) -> Result<(), PlayerError>
where
    P: Fn(&Track) + Send + Sync + 'static,
{
    let play = Arc::new(play);
    let (done, outcomes) = mpsc::channel();
    let mut first_error = None;
    for (index, track) in playlist.iter().enumerate() {
        let (play, own_track, done) =
            (Arc::clone(&play), track.clone(), done.clone());
        let spawned =
            thread::Builder::new()
                .name(track.name.clone())
                .spawn(move || {
                    let outcome =
                        catch_unwind(AssertUnwindSafe(|| play(&own_track)));
                    let outcome = outcome
                        .map_err(|payload| workbook::panic_message(&*payload));
                    let _ = done.send((index, own_track.name, outcome));
                });
        if let Err(e) = spawned {
            first_error = Some(PlayerError::Spawn {
                track: track.name.clone(),
                reason: e.to_string(),
            });
            break;
        }
    }
    // Ours is gone: the channel ends once every track's thread has sent its outcome.
    drop(done);
    let mut earliest: Option<(usize, PlayerError)> = None;
    for (index, track, outcome) in outcomes.iter() {
        if let Err(message) = outcome {
            if earliest.as_ref().is_none_or(|(first, _)| index < *first) {
                earliest = Some((index, PlayerError::Panicked { track, message }));
            }
        }
    }
    first_error
        .or(earliest.map(|(_, error)| error))
        .map_or(Ok(()), Err)
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
