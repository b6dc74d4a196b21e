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
