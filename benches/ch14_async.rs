//! Chapter 14 benchmarks: `cargo bench --features solutions --bench ch14_async`.
//!
//! They call the chapter's code, so on the untouched exercises they fail at the first
//! broken piece: run them with `--features solutions` (or once your own code passes).
//!
//! - `ch14/sleepers`: 10 000 tasks that each sleep 10 ms on tokio vs 10 000 threads
//!   that each sleep 10 ms (spawn, sleep, join); the memory each costs is printed
//!   once, as the resident-set growth while all 10 000 are alive.
//! - `ch14/echo`: N clients (10, 100, 1 000), each 10 round trips on loopback,
//!   against the chapter's event loop (one thread), a thread per connection, and
//!   tokio.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

grader::chapter!(ch14_async);

const SLEEPERS: usize = 10_000;
const ROUND_TRIPS: usize = 10;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// RSS growth with `SLEEPERS` threads alive, then with `SLEEPERS` tasks alive.
fn memory() {
    let before = rss_kib();
    let gate = Arc::new(Barrier::new(SLEEPERS + 1));
    let threads: Vec<_> = (0..SLEEPERS)
        .map(|_| {
            let gate = Arc::clone(&gate);
            thread::spawn(move || {
                gate.wait();
            })
        })
        .collect();
    let threads_kib = rss_kib().saturating_sub(before);
    gate.wait();
    threads.into_iter().for_each(|t| t.join().unwrap());
    let rt = runtime();
    let before = rss_kib();
    let tasks_kib = rt.block_on(async {
        let gate = Arc::new(tokio::sync::Barrier::new(SLEEPERS + 1));
        let tasks: Vec<_> = (0..SLEEPERS)
            .map(|_| {
                let gate = Arc::clone(&gate);
                tokio::spawn(async move {
                    gate.wait().await;
                })
            })
            .collect();
        tokio::task::yield_now().await;
        let grown = rss_kib().saturating_sub(before);
        gate.wait().await;
        for t in tasks {
            t.await.unwrap();
        }
        grown
    });
    eprintln!(
        "ch14/sleepers memory: {SLEEPERS} threads alive: +{threads_kib} KiB RSS; \
         {SLEEPERS} tasks alive: +{tasks_kib} KiB RSS; ratio {:.0}:1",
        threads_kib as f64 / tasks_kib.max(1) as f64
    );
}

fn sleepers(c: &mut Criterion) {
    memory();
    let mut group = c.benchmark_group("ch14/sleepers");
    group.sample_size(10);
    let rt = runtime();
    group.bench_function("10 000 tokio tasks, 10 ms sleep each", |b| {
        b.iter(|| {
            rt.block_on(async {
                let tasks: Vec<_> = (0..SLEEPERS)
                    .map(|_| tokio::spawn(tokio::time::sleep(Duration::from_millis(10))))
                    .collect();
                for t in tasks {
                    t.await.unwrap();
                }
            })
        })
    });
    group.bench_function("10 000 threads, 10 ms sleep each", |b| {
        b.iter(|| {
            let threads: Vec<_> = (0..SLEEPERS)
                .map(|_| thread::spawn(|| thread::sleep(Duration::from_millis(10))))
                .collect();
            threads.into_iter().for_each(|t| t.join().unwrap());
        })
    });
    group.finish();
}

/// `clients` clients at once (tokio tasks on their own runtime), each `ROUND_TRIPS`
/// round trips; returns once all are done.
fn clients(rt: &tokio::runtime::Runtime, addr: SocketAddr, clients: usize) {
    rt.block_on(async {
        let tasks: Vec<_> = (0..clients)
            .map(|i| {
                tokio::spawn(async move {
                    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
                    let (read, mut write) = stream.into_split();
                    let mut lines = tokio::io::BufReader::new(read).lines();
                    for j in 0..ROUND_TRIPS {
                        write
                            .write_all(format!("client {i} line {j}\n").as_bytes())
                            .await
                            .unwrap();
                        lines.next_line().await.unwrap().expect("a reply");
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
    });
}

fn thread_per_connection(listener: TcpListener, connections: usize) {
    let handles: Vec<_> = (0..connections)
        .map(|_| {
            let (stream, _) = listener.accept().unwrap();
            thread::spawn(move || {
                let mut writer = stream.try_clone().unwrap();
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    writer.write_all(format!("{line}\n").as_bytes()).unwrap();
                }
            })
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().unwrap());
}

fn tokio_server(listener: TcpListener, connections: usize) {
    listener.set_nonblocking(true).unwrap();
    runtime().block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        let mut tasks = Vec::new();
        for _ in 0..connections {
            let (stream, _) = listener.accept().await.unwrap();
            tasks.push(tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = tokio::io::BufReader::new(read).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    write
                        .write_all(format!("{line}\n").as_bytes())
                        .await
                        .unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
}

type Server = fn(TcpListener, usize);

/// A loopback listener whose backlog holds a thousand clients connecting at once. std's
/// `bind` asks for 128: the connections beyond it wait for the kernel to retry their
/// handshake, and the bench would measure that wait instead of the servers.
fn listener() -> TcpListener {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    socket.listen(1024).unwrap();
    socket.into()
}

fn echo(c: &mut Criterion) {
    let mut group = c.benchmark_group("ch14/echo");
    group.sample_size(10);
    let client_rt = runtime();
    let servers: [(&str, Server); 3] = [
        ("event loop (one thread)", |l, n| {
            crate::ch14_async::event_loop::serve(l, n, str::to_owned).unwrap();
        }),
        ("thread per connection", thread_per_connection),
        ("tokio", tokio_server),
    ];
    for n in [10, 100, 1_000] {
        for (name, server) in servers {
            group.bench_with_input(BenchmarkId::new(name, n), &n, |b, &n| {
                b.iter_custom(|iters| {
                    let listener = listener();
                    let addr = listener.local_addr().unwrap();
                    let total = n * iters as usize;
                    let server = thread::spawn(move || server(listener, total));
                    let start = Instant::now();
                    for _ in 0..iters {
                        clients(&client_rt, addr, n);
                    }
                    let took = start.elapsed();
                    server.join().unwrap();
                    took
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, sleepers, echo);
criterion_main!(benches);
