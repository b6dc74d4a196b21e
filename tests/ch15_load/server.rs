//! The chapter's HTTP server: a thread per connection on 127.0.0.1, an OS-chosen
//! port, and counters for everything the tests check. Shared by the suite and the
//! bench (`#[path]`).
//!
//! Endpoints (any other path is a 404):
//! - `/ok`: 200;
//! - `/fail`: 500;
//! - `/flaky`: the third, sixth, … request of this path gets a 503, the others a 200;
//! - `/garbage`: a line that is not HTTP;
//! - `/hold`: no answer until the server is dropped; a client that gives up and
//!   closes its connection is seen doing so ([`Server::held`] counts those still
//!   connected);
//! - `/together`: waits at a start line of [`Server::together`]'s size: 200 once
//!   that many requests were inside at one moment, 503 if they never were (and
//!   every later one at once).
//!
//! Each connection carries one request; the server writes its response, ends its
//! side, and reads until the client closes: [`Server::open`] counts connections a
//! client has not closed. A request is "inside" ([`Server::peak`]) from the moment
//! it has been read until just before its response is written, so a client that
//! waits for each response before sending the next request is never seen twice.

#![allow(dead_code)] // the suite and the bench use different parts

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use grader::{PeakCounter, StartLine};

#[derive(Default)]
struct Shared {
    /// Requests read, in all.
    requests: AtomicUsize,
    /// Requests by path.
    by_path: Mutex<HashMap<String, usize>>,
    /// Requests that were not a well-formed GET.
    bad: AtomicUsize,
    /// Responses with a 2xx status written (or about to be).
    ok: AtomicUsize,
    /// Connections accepted, and those the client has closed since.
    accepted: AtomicUsize,
    closed: AtomicUsize,
    /// `/hold` requests whose client is still connected.
    held: AtomicUsize,
    inside: PeakCounter,
    together: Mutex<Option<Arc<StartLine>>>,
    broken_start: AtomicBool,
    stop: AtomicBool,
    /// A clone of every open connection, so that dropping the server can end them.
    streams: Mutex<HashMap<usize, TcpStream>>,
    handlers: Mutex<Vec<JoinHandle<()>>>,
}

/// The running server; dropping it answers every held request, closes every
/// connection and joins every thread.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("cannot listen on 127.0.0.1");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let shared = Arc::new(Shared::default());
        let acceptor = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("test server".into())
                .spawn(move || accept(listener, shared))
                .expect("cannot start the server thread")
        };
        Server {
            addr,
            shared,
            acceptor: Some(acceptor),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Requests received, in all.
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Requests received for `path`.
    pub fn requests_for(&self, path: &str) -> usize {
        let by_path = self
            .shared
            .by_path
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        by_path.get(path).copied().unwrap_or(0)
    }

    /// Requests that were not a well-formed GET.
    pub fn bad(&self) -> usize {
        self.shared.bad.load(Ordering::SeqCst)
    }

    /// Responses with a 2xx status.
    pub fn ok(&self) -> usize {
        self.shared.ok.load(Ordering::SeqCst)
    }

    /// The most requests that were ever inside at once.
    pub fn peak(&self) -> usize {
        self.shared.inside.peak()
    }

    /// Connections the client has not closed yet.
    pub fn open(&self) -> usize {
        let accepted = self.shared.accepted.load(Ordering::SeqCst);
        accepted - self.shared.closed.load(Ordering::SeqCst)
    }

    /// `/hold` requests whose client is still connected.
    pub fn held(&self) -> usize {
        self.shared.held.load(Ordering::SeqCst)
    }

    /// `/together` requests answer once `n` of them are inside at one moment.
    pub fn together(&self, n: usize) {
        *self
            .shared
            .together
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(StartLine::new(n)));
    }

    /// Waits (at most the grader's limit) until every connection was closed by its
    /// client; false if some never were.
    pub fn all_closed(&self) -> bool {
        grader::eventually(|| self.open() == 0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor, then end every connection (held ones included).
        let _ = TcpStream::connect(self.addr);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        let streams = self
            .shared
            .streams
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        for stream in streams.values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        drop(streams);
        let handlers = std::mem::take(
            &mut *self
                .shared
                .handlers
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        );
        for handler in handlers {
            let _ = handler.join();
        }
    }
}

fn accept(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let id = shared.accepted.fetch_add(1, Ordering::SeqCst);
        if let Ok(clone) = stream.try_clone() {
            let mut streams = shared.streams.lock().unwrap_or_else(|e| e.into_inner());
            streams.insert(id, clone);
        }
        let handler = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("test server connection".into())
                .spawn(move || {
                    let _ = serve(stream, &shared);
                    let mut streams = shared.streams.lock().unwrap_or_else(|e| e.into_inner());
                    streams.remove(&id);
                    drop(streams);
                    shared.closed.fetch_add(1, Ordering::SeqCst);
                })
        };
        match handler {
            Ok(handler) => {
                let mut handlers = shared.handlers.lock().unwrap_or_else(|e| e.into_inner());
                handlers.retain(|h| !h.is_finished());
                handlers.push(handler);
            }
            Err(_) => {
                let mut streams = shared.streams.lock().unwrap_or_else(|e| e.into_inner());
                streams.remove(&id);
                drop(streams);
                shared.closed.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

/// Reads until the peer closes (or the server ends the connection).
fn drain(stream: &mut TcpStream) {
    let mut buf = [0u8; 512];
    while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
}

/// One connection: read the request head, answer, wait for the client to close.
fn serve(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(()); // closed before a whole request
        }
        head.extend_from_slice(&buf[..n]);
    }
    if shared.stop.load(Ordering::SeqCst) {
        return Ok(());
    }
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let text = String::from_utf8_lossy(&head);
    let mut words = text.split_whitespace();
    let (method, path, version) = (words.next(), words.next(), words.next());
    let has_host = text
        .lines()
        .any(|l| l.to_ascii_lowercase().starts_with("host:"));
    let well_formed = method == Some("GET")
        && path.is_some_and(|p| p.starts_with('/'))
        && version.is_some_and(|v| v.starts_with("HTTP/1."))
        && (has_host || version == Some("HTTP/1.0"));
    let path = path.unwrap_or_default().to_owned();
    let nth = {
        let mut by_path = shared.by_path.lock().unwrap_or_else(|e| e.into_inner());
        let count = by_path.entry(path.clone()).or_default();
        *count += 1;
        *count
    };
    let inside = shared.inside.enter();
    let status = if !well_formed {
        shared.bad.fetch_add(1, Ordering::SeqCst);
        400
    } else {
        match path.as_str() {
            "/ok" => 200,
            "/fail" => 500,
            "/flaky" if nth % 3 == 0 => 503,
            "/flaky" => 200,
            "/garbage" => {
                drop(inside);
                stream.write_all(b"hello, this is not HTTP\r\n")?;
                stream.shutdown(Shutdown::Write)?;
                drain(&mut stream);
                return Ok(());
            }
            "/hold" => {
                shared.held.fetch_add(1, Ordering::SeqCst);
                // Returns when the client closes, or when the server is dropped.
                drain(&mut stream);
                shared.held.fetch_sub(1, Ordering::SeqCst);
                return Ok(());
            }
            "/together" => {
                let line = shared
                    .together
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone();
                match line {
                    Some(line) if !shared.broken_start.load(Ordering::SeqCst) => {
                        if line.arrive().is_ok() {
                            200
                        } else {
                            shared.broken_start.store(true, Ordering::SeqCst);
                            503
                        }
                    }
                    _ => 503,
                }
            }
            _ => 404,
        }
    };
    if (200..300).contains(&status) {
        shared.ok.fetch_add(1, Ordering::SeqCst);
    }
    drop(inside);
    let body = format!("{status}\n");
    let response = format!(
        "HTTP/1.1 {status} Whatever\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes())?;
    stream.shutdown(Shutdown::Write)?;
    drain(&mut stream);
    Ok(())
}
