//! # The super player: one thread per track — solution
//!
//! The one idea: *start every thread, then join every thread*. The shared `play`
//! lives in an `Arc`, each thread gets a clone of it and of its track, and the
//! handles are kept in a `Vec` so that the second loop can join them all — every
//! one of them, whatever the others did: a panic is kept aside (the first in the
//! playlist wins), not returned on the spot.

use super::sync::{thread, Arc};

/// Plays every track of `playlist` with `play`, each on its own thread named after
/// the track, all at once; returns when every track is done.
pub fn play_all<P>(playlist: &[Track], play: P) -> Result<(), PlayerError>
where
    P: Fn(&Track) + Send + Sync + 'static,
{
    let play = Arc::new(play);
    let mut first_error = None;
    let mut playing = Vec::new();
    for track in playlist {
        let (play, own_track) = (Arc::clone(&play), track.clone());
        let spawned = thread::Builder::new()
            .name(track.name.clone())
            .spawn(move || play(&own_track));
        match spawned {
            Ok(handle) => playing.push((track.name.clone(), handle)),
            Err(e) => {
                first_error = Some(PlayerError::Spawn {
                    track: track.name.clone(),
                    reason: e.to_string(),
                });
                break;
            }
        }
    }
    for (track, handle) in playing {
        if let Err(payload) = handle.join() {
            let message = workbook::panic_message(&*payload);
            first_error.get_or_insert(PlayerError::Panicked { track, message });
        }
    }
    first_error.map_or(Ok(()), Err)
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
