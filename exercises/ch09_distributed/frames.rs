//! # Typed, length-prefixed frames
//!
//! The seed's `BaseManager` sends Python *pickles* over the socket: whoever gets
//! through the door can make the other side run code. Ours send data only: each
//! message is a [`Message`] (a Rust enum, so the type says exactly what may be
//! said), encoded as JSON with serde, behind a 4-byte length prefix so the reader
//! knows where it ends. TCP is a byte stream: without the prefix, two messages could
//! arrive glued together or one cut in two.
//!
//! The message type, the errors, `encode` and `write_frame` are written for you, at
//! the bottom of the file. Your task, `read_frame`: read one frame and decode it,
//! and reject everything else with a clear [`FrameError`] (the cases are listed on
//! the function). The bytes come from anyone who can connect: never panic, and never
//! trust the length — a prefix that says 4 GiB must not make you allocate (or wait
//! for) that much: check it before you make room for a body that long. And TCP
//! delivers bytes in pieces of any size: one `read` may bring a single byte of a
//! frame, or two frames at once.
//!
//! Graded by: `cargo test --test ch09_distributed frames`.

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};

/// Reads exactly one frame and decodes it.
///
/// - end of input before the first byte: [`FrameError::Closed`];
/// - end of input inside the header or the body: [`FrameError::Truncated`];
/// - a length over [`MAX_FRAME`]: [`FrameError::TooLarge`], *without reading the
///   body* or making room for it;
/// - an empty body, or one that is not a JSON [`Message`]:
///   [`FrameError::Malformed`].
pub fn read_frame(mut reader: impl Read) -> Result<Message, FrameError> {
    let _ = &mut reader;
    todo!(
        "read the 4-byte length, check it, read the body, decode it with serde_json"
    )
}

// ---- given: the tests rely on everything below; leave it as it is ----

/// The largest frame body accepted, in bytes. Every real message is far smaller.
pub const MAX_FRAME: usize = 16 * 1024;

/// Bytes of the length prefix (a big-endian `u32`: the body's length).
pub const HEADER_LEN: usize = 4;

/// Everything master and workers say to each other. The JSON body names the variant
/// in its `type` field: `{"type":"task","id":3,"n":4096}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message {
    /// Master → worker, first: prove that you know the key, using these fresh bytes.
    Challenge { nonce: Vec<u8> },
    /// Worker → master: its name and HMAC-SHA256(key, nonce).
    Proof { worker: String, mac: Vec<u8> },
    /// Master → worker: the proof holds; ask for tasks.
    Welcome,
    /// Master → worker, then the master hangs up.
    Refused { reason: String },
    /// Worker → master: give me a task.
    Ask,
    /// Master → worker: compute `n * n` for task `id`.
    Task { id: u64, n: u64 },
    /// Master → worker: nothing to hand out right now; ask again later.
    NoTask,
    /// Worker → master: the answer for task `id`.
    Result { id: u64, n: u64, square: u64 },
    /// Master → worker: result noted (`duplicate`: someone else's came first).
    Ack { id: u64, duplicate: bool },
    /// Either side, before hanging up on a bad frame.
    Error { reason: String },
}

/// Why no message could be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("the peer closed the connection")]
    Closed,
    #[error("a frame of {len} bytes is over the limit of {max} bytes")]
    TooLarge { len: usize, max: usize },
    #[error("the connection ended in the middle of a frame")]
    Truncated,
    #[error("malformed frame: {0}")]
    Malformed(String),
    #[error("i/o error: {0}")]
    Io(#[from] io::Error),
}

/// The bytes of one frame: the body's length as a big-endian `u32`, then the JSON
/// body. Given.
pub fn encode(message: &Message) -> Result<Vec<u8>, FrameError> {
    let body = serde_json::to_vec(message)
        .map_err(|e| FrameError::Malformed(e.to_string()))?;
    if body.len() > MAX_FRAME {
        return Err(FrameError::TooLarge {
            len: body.len(),
            max: MAX_FRAME,
        });
    }
    let mut frame = Vec::with_capacity(HEADER_LEN + body.len());
    frame.extend_from_slice(&(body.len() as u32).to_be_bytes());
    frame.extend_from_slice(&body);
    Ok(frame)
}

/// Writes one frame (in one `write_all`, so a frame is never interleaved). Given.
pub fn write_frame(
    mut writer: impl Write,
    message: &Message,
) -> Result<(), FrameError> {
    writer.write_all(&encode(message)?)?;
    writer.flush()?;
    Ok(())
}
