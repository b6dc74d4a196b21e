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

/// The program (`cargo run -- run player sequential|threads SCALE`): the seed's
/// evening, music (爱情买卖, 2 s, twice) and a movie (tree, 5 s, twice), every second
/// scaled by `SCALE`; `sequential` plays one after the other as the seed's first
/// player does, `threads` through `play_all`. `book/python/compare.py` times it
/// beside the seed's two Python programs.
pub fn main(args: &[String]) -> Result<(), String> {
    const USAGE: &str = "usage: player sequential|threads SCALE";
    let [mode, scale] = args else {
        return Err(USAGE.into());
    };
    let scale: f64 = match scale.parse() {
        Ok(s) if s >= 0.0 && f64::is_finite(s) => s,
        _ => return Err(format!("{USAGE} ({scale:?})")),
    };
    // Lengths in milliseconds, the seed's seconds times `scale`.
    let evening = [
        Track::new("爱情买卖", (2000.0 * scale) as u64, 2),
        Track::new("tree", (5000.0 * scale) as u64, 2),
    ];
    let play = |track: &Track| {
        for _ in 0..track.loops {
            let me = std::thread::current();
            let on = me.name().unwrap_or("an unnamed thread").to_owned();
            println!("{} plays on thread {on}", track.name);
            std::thread::sleep(std::time::Duration::from_millis(track.length));
        }
    };
    match mode.as_str() {
        "sequential" => evening.iter().for_each(play),
        "threads" => play_all(&evening, play).map_err(|e| e.to_string())?,
        _ => return Err(format!("{USAGE} ({mode:?})")),
    }
    println!("all end");
    Ok(())
}
