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
//! given at the end of the file, with `main`, the seed's evening as a program:
//! `cargo run -- run player threads 0.1` plays it through `play_all`, each track
//! saying which thread plays it. Graded by: `cargo test --test ch02_threads player`.

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
