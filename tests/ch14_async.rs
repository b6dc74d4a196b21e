//! Chapter 14 — async: from an event loop to tokio. `cargo test --test ch14_async
//! [EXERCISE]`.
//!
//! Nothing here is timed. Concurrency is proven by rendezvous (a client that waits for
//! every other client before it says goodbye, a blocking call that waits for another
//! task), tokio's timing by its paused clock (time moves only when every task waits, and
//! then jumps to the next timer, so "it took 10 s" is exact and takes no time), the
//! executor by loom. Every test that can block on a bug runs under the watchdog. The
//! echo tests talk to 127.0.0.1 only, on ports the OS chooses.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

use grader::loom_check;

grader::chapter!(ch14_async);

/// Runs `body()` on a current-thread tokio runtime whose clock starts paused, under the
/// watchdog (`what` is what the test waits for).
#[track_caller]
fn paused<T, Fut, B>(what: &str, body: B) -> T
where
    B: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
    T: Send + 'static,
{
    grader::watchdog(what, move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("cannot build a tokio runtime")
            .block_on(body())
    })
}

/// Runs `body()` on a plain current-thread tokio runtime (one thread for every task),
/// under the watchdog.
#[track_caller]
fn one_thread<T, Fut, B>(what: &str, body: B) -> T
where
    B: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
    T: Send + 'static,
{
    grader::watchdog(what, move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("cannot build a tokio runtime")
            .block_on(body())
    })
}

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

mod event_loop {
    use super::*;
    use crate::ch14_async::event_loop::{serve, Report};
    use std::cell::RefCell;
    use std::io::{self, BufRead, BufReader, Write};
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::rc::Rc;
    use std::sync::Barrier;
    use std::thread::ThreadId;

    /// What the server thread ends with: `serve`'s result, its own thread, and every
    /// thread the handler ran on.
    type Served = (io::Result<Report>, ThreadId, Vec<ThreadId>);

    /// Runs `serve` on a thread of its own for `connections` clients, with a handler
    /// that answers each line in upper case (and is not `Send`: it holds an `Rc`).
    fn start(listener: TcpListener, connections: usize) -> thread::JoinHandle<Served> {
        thread::Builder::new()
            .name("event loop".into())
            .spawn(move || {
                let seen = Rc::new(RefCell::new(Vec::new()));
                let handler_seen = Rc::clone(&seen);
                let report = serve(listener, connections, move |line| {
                    let me = thread::current().id();
                    if !handler_seen.borrow().contains(&me) {
                        handler_seen.borrow_mut().push(me);
                    }
                    line.to_uppercase()
                });
                (report, thread::current().id(), seen.take())
            })
            .expect("cannot start the server thread")
    }

    fn listener() -> (TcpListener, SocketAddr) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("cannot listen on 127.0.0.1");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        (listener, addr)
    }

    /// The server's report, after checking that the handler ran on its thread only.
    fn finish(server: thread::JoinHandle<Served>) -> Report {
        let (report, thread, seen) = server.join().expect("serve panicked");
        let report = report.expect("serve returned an error");
        assert_eq!(
            seen,
            [thread],
            "the handler must run on the thread that called serve, and only there"
        );
        report
    }

    struct Client {
        reader: BufReader<TcpStream>,
        writer: TcpStream,
    }

    impl Client {
        fn new(stream: TcpStream) -> Client {
            let writer = stream.try_clone().expect("cannot clone a socket");
            Client {
                reader: BufReader::new(stream),
                writer,
            }
        }

        fn connect(addr: SocketAddr) -> Client {
            Client::new(TcpStream::connect(addr).expect("cannot connect to the server"))
        }

        fn send(&mut self, text: &str) {
            self.writer
                .write_all(text.as_bytes())
                .expect("cannot write to the server");
        }

        /// The next line from the server, without its `\n`.
        fn line(&mut self) -> String {
            let mut line = String::new();
            self.reader
                .read_line(&mut line)
                .expect("cannot read from the server");
            assert!(
                line.ends_with('\n'),
                "the server hung up (or sent a line without `\\n`): got {:?}",
                line.chars().take(60).collect::<String>()
            );
            line.pop();
            line
        }

        /// One request, one reply.
        fn ask(&mut self, text: &str) -> String {
            self.send(&format!("{text}\n"));
            self.line()
        }
    }

    /// Fifty clients, all connected before the server starts, and each one, once
    /// answered, waits for all the others to be answered too before it says goodbye:
    /// a server that serves one client at a time never gets them all there. The
    /// handler runs on the serving thread only.
    #[test]
    fn fifty_clients_are_served_at_once_by_one_thread() {
        const CLIENTS: usize = 50;
        let report = grader::watchdog(
            "50 echo clients, each answered and then waiting for the other 49 before it \
             says goodbye (does the server serve them all at once, or one after another?)",
            || {
                let (listener, addr) = listener();
                // All connected before the server starts: they wait in the backlog
                // together, and one readiness event announces them all.
                let streams: Vec<_> = (0..CLIENTS)
                    .map(|_| TcpStream::connect(addr).expect("cannot connect"))
                    .collect();
                let server = start(listener, CLIENTS);
                let all_answered = Arc::new(Barrier::new(CLIENTS));
                let clients: Vec<_> = streams
                    .into_iter()
                    .enumerate()
                    .map(|(i, stream)| {
                        let all_answered = Arc::clone(&all_answered);
                        thread::spawn(move || {
                            let mut client = Client::new(stream);
                            assert_eq!(client.ask(&format!("hello {i}")), format!("HELLO {i}"));
                            all_answered.wait();
                            assert_eq!(client.ask("bye"), "BYE");
                        })
                    })
                    .collect();
                for client in clients {
                    client.join().expect("a client failed");
                }
                finish(server)
            },
        );
        assert_eq!(
            report,
            Report {
                connections: CLIENTS,
                lines: 2 * CLIENTS
            },
            "the report counts every client that came and went, and every line answered"
        );
    }

    /// A line sent in two pieces, with another client's whole exchange in between;
    /// then three lines in one write; then bytes without a `\n` before hanging up.
    #[test]
    fn a_line_may_come_in_pieces_and_lines_together() {
        let report = grader::watchdog(
            "a client that sent half a line, while another client asks and is answered \
             (does the server wait for the rest of the line instead of serving the other?)",
            || {
                let (listener, addr) = listener();
                let server = start(listener, 2);
                let mut a = Client::connect(addr);
                a.send("hel");
                let mut b = Client::connect(addr);
                assert_eq!(b.ask("ping"), "PING");
                drop(b);
                a.send("lo\nsecond\nthird\n");
                assert_eq!(a.line(), "HELLO", "a line that came in two pieces");
                assert_eq!(a.line(), "SECOND", "the second of three lines in one write");
                assert_eq!(a.line(), "THIRD", "the third of three lines in one write");
                a.send("no newline before the hang-up");
                drop(a);
                finish(server)
            },
        );
        assert_eq!(
            report,
            Report {
                connections: 2,
                lines: 4
            },
            "four whole lines were answered; the bytes after the last `\\n` are dropped"
        );
    }

    /// A 1 MiB line whose reply cannot fit the socket (small buffers on both sides,
    /// and its client reads nothing until another client has been served): the
    /// server must keep the rest of the reply and serve the other client meanwhile.
    #[test]
    fn a_reply_too_big_for_the_socket_waits_while_the_others_are_served() {
        const BIG: usize = 1 << 20;
        let report = grader::watchdog(
            "a second client's reply, while the 1 MiB reply to the first one does not fit \
             its socket (does the server block, or spin, writing it?)",
            || {
                let (listener, addr) = listener();
                // Accepted sockets inherit the listener's buffer sizes.
                socket2::SockRef::from(&listener)
                    .set_send_buffer_size(4096)
                    .expect("cannot set SO_SNDBUF");
                let server = start(listener, 2);
                let socket =
                    socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)
                        .expect("cannot make a socket");
                socket
                    .set_recv_buffer_size(4096)
                    .expect("cannot set SO_RCVBUF");
                socket
                    .connect(&addr.into())
                    .expect("cannot connect to the server");
                let mut a = Client::new(socket.into());
                a.send(&format!("{}\n", "x".repeat(BIG)));
                let mut b = Client::connect(addr);
                assert_eq!(
                    b.ask("ping"),
                    "PING",
                    "the other client is served while the big reply waits"
                );
                drop(b);
                let reply = a.line();
                assert!(
                    reply.len() == BIG && reply.bytes().all(|c| c == b'X'),
                    "the big reply came back whole: {} bytes of the {BIG} expected",
                    reply.len()
                );
                drop(a);
                finish(server)
            },
        );
        assert_eq!(
            report,
            Report {
                connections: 2,
                lines: 2
            }
        );
    }

    /// One client hangs up at once, another resets its connection; a third one, served
    /// before and after them, is not disturbed, and the server counts all three.
    #[test]
    fn a_client_that_hangs_up_or_resets_ends_only_its_own_connection() {
        let report = grader::watchdog(
            "clients that hang up or reset while another client stays connected (does \
             the server serve the newcomers while the first client is still there?)",
            || {
                let (listener, addr) = listener();
                let server = start(listener, 3);
                let mut stays = Client::connect(addr);
                assert_eq!(stays.ask("one"), "ONE");
                drop(TcpStream::connect(addr).expect("cannot connect"));
                let mut resets = Client::connect(addr);
                assert_eq!(resets.ask("two"), "TWO");
                resets.send("half a li");
                socket2::SockRef::from(&resets.writer)
                    .set_linger(Some(Duration::ZERO))
                    .expect("cannot set SO_LINGER");
                drop(resets);
                assert_eq!(
                    stays.ask("three"),
                    "THREE",
                    "a reset ends only its own client"
                );
                drop(stays);
                finish(server)
            },
        );
        assert_eq!(
            report,
            Report {
                connections: 3,
                lines: 3
            },
            "three clients came and went (one of them by a reset), three lines answered"
        );
    }
}

/// A minimal executor and waiting primitives of the suite's own, so each `executor`
/// test grades one piece of the learner's file at a time.
mod reference {
    use super::*;

    struct Unpark(thread::Thread);

    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }

    pub fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let waker = Waker::from(Arc::new(Unpark(thread::current())));
        let mut cx = Context::from_waker(&waker);
        loop {
            if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
                return value;
            }
            thread::park();
        }
    }

    /// Pending once (waking itself at once), then ready.
    pub async fn yield_now() {
        let mut yielded = false;
        std::future::poll_fn(|cx| {
            if yielded {
                Poll::Ready(())
            } else {
                yielded = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await
    }

    /// A flag to wait for, done right.
    #[derive(Default)]
    pub struct Flag(Mutex<(bool, Option<Waker>)>);

    impl Flag {
        pub fn set(&self) {
            let waker = {
                let mut state = self.0.lock().unwrap();
                state.0 = true;
                state.1.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        }

        pub async fn wait(&self) {
            std::future::poll_fn(|cx| {
                let mut state = self.0.lock().unwrap();
                if state.0 {
                    return Poll::Ready(());
                }
                state.1 = Some(cx.waker().clone());
                Poll::Pending
            })
            .await
        }
    }
}

mod executor {
    use super::reference;
    use super::*;
    use crate::ch14_async::executor::{block_on, join, Flag};

    /// Pending on its first poll, after handing its waker to another thread; ready
    /// once that thread says it has called the waker. Polled again before that, it
    /// remembers that the executor did not wait.
    struct Knock {
        polls: usize,
        waker_to: mpsc::Sender<(Waker, i32)>,
        woken: Arc<AtomicBool>,
        spun: Arc<AtomicBool>,
    }

    impl Future for Knock {
        type Output = usize;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
            self.polls += 1;
            if self.polls == 1 {
                let _ = self.waker_to.send((cx.waker().clone(), grader::tid()));
                return Poll::Pending;
            }
            if !self.woken.load(Ordering::SeqCst) {
                self.spun.store(true, Ordering::SeqCst);
                return Poll::Pending;
            }
            Poll::Ready(self.polls)
        }
    }

    /// `block_on` must sleep while the future is `Pending` and poll it again once
    /// its waker is called from another thread — not poll it in a loop of its own.
    #[test]
    fn block_on_sleeps_until_the_waker_is_called() {
        let spun = grader::watchdog(
            "block_on to return after the future's waker was called from another thread \
             (does the waker unpark the thread that block_on parked?)",
            || {
                assert_eq!(block_on(async { 7 }), 7, "a ready future's output");
                let (waker_to, wakers) = mpsc::channel();
                let woken = Arc::new(AtomicBool::new(false));
                let spun = Arc::new(AtomicBool::new(false));
                let knocker = {
                    let (woken, spun) = (Arc::clone(&woken), Arc::clone(&spun));
                    thread::spawn(move || {
                        let (waker, tid): (Waker, i32) = wakers.recv().expect("never polled");
                        // Until block_on's thread sleeps (or has polled again).
                        grader::eventually(|| {
                            spun.load(Ordering::SeqCst) || grader::thread_asleep(tid)
                        });
                        woken.store(true, Ordering::SeqCst);
                        waker.wake();
                    })
                };
                let knock = Knock {
                    polls: 0,
                    waker_to,
                    woken,
                    spun: Arc::clone(&spun),
                };
                block_on(knock);
                knocker.join().expect("the waking thread failed");
                spun.load(Ordering::SeqCst)
            },
        );
        assert!(
            !spun,
            "block_on polled the future again before its waker was called: while a \
             future is Pending, park the thread (thread::park) until the waker unparks it"
        );
    }

    /// Two futures that wait for each other: `a` sets the first flag and waits for the
    /// second, `b` waits for the first and sets the second. Only a `join` that polls
    /// both gets them done, whichever it polls first.
    #[test]
    fn join_polls_both_so_two_that_wait_for_each_other_finish() {
        let both = grader::watchdog(
            "join(a, b) where a waits for b and b for a (does join poll b while a is \
             still pending?)",
            || {
                let (first, second) = (reference::Flag::default(), reference::Flag::default());
                let a = async {
                    first.set();
                    second.wait().await;
                    'a'
                };
                let b = async {
                    first.wait().await;
                    second.set();
                    'b'
                };
                reference::block_on(join(a, b))
            },
        );
        assert_eq!(
            both,
            ('a', 'b'),
            "join is ready with both outputs, in order"
        );
    }

    /// `a` finishes while `b` still needs three more polls: a `join` that polls `a`
    /// again after it was ready panics ("`async fn` resumed after completion").
    #[test]
    fn join_never_polls_a_finished_future_again() {
        let both = grader::watchdog(
            "join(a, b) where a needs b to start first, and b needs three more polls \
             after a is done",
            || {
                let flag = reference::Flag::default();
                let a = async {
                    flag.wait().await;
                    1
                };
                let b = async {
                    flag.set();
                    for _ in 0..3 {
                        reference::yield_now().await;
                    }
                    2
                };
                reference::block_on(join(a, b))
            },
        );
        assert_eq!(both, (1, 2));
    }

    /// The waiter polls `flag.wait()`, gets `Pending` and its thread goes to sleep;
    /// only then does another thread call `set`. The waiter must wake up.
    #[test]
    fn flag_wait_wakes_when_another_thread_sets_it() {
        grader::watchdog(
            "flag.wait() to return after another thread called flag.set() (a future \
             that returns Pending must leave cx.waker() where set finds it, or nobody \
             ever polls it again)",
            || {
                let flag = Arc::new(Flag::new());
                assert!(!flag.is_set(), "a new flag is not set");
                let (tid_tx, tid_rx) = mpsc::channel();
                let setter = {
                    let flag = Arc::clone(&flag);
                    thread::spawn(move || {
                        let tid = tid_rx.recv().expect("the waiter never started");
                        grader::eventually(|| grader::thread_asleep(tid));
                        flag.set();
                    })
                };
                tid_tx.send(grader::tid()).unwrap();
                reference::block_on(flag.wait());
                setter.join().expect("the setter failed");
                assert!(flag.is_set());
                reference::block_on(flag.wait());
            },
        );
    }

    /// Loom: `wait` on one thread (driven by loom's own `block_on`), `set` on another,
    /// in every order — including a `set` between `wait`'s check and its `Pending`.
    #[test]
    fn loom_a_set_from_another_thread_is_never_missed() {
        loom_check("executor::Flag: wait on one thread, set on another", || {
            use crate::model::executor::Flag;
            use crate::model::sync::{thread, Arc};
            let flag = Arc::new(Flag::new());
            let setter = {
                let flag = flag.clone();
                thread::spawn(move || flag.set())
            };
            loom::future::block_on(flag.wait());
            assert!(flag.is_set(), "wait returned before the flag was set");
            setter.join().unwrap();
        });
    }

    /// Loom: the learner's `block_on` (over loom's park and unpark) runs a future whose
    /// waker another thread calls, in every order: it must neither miss the wake-up
    /// nor spin (loom gives up on a thread that loops without anyone else moving).
    #[test]
    fn loom_block_on_sleeps_until_woken() {
        loom_check(
            "executor::block_on with a waker called from another thread",
            || {
                use crate::model::executor::block_on;
                use crate::model::sync::{thread, Arc, Mutex};
                let state: Arc<Mutex<(bool, Option<Waker>)>> = Arc::new(Mutex::new((false, None)));
                let waker = {
                    let state = state.clone();
                    thread::spawn(move || {
                        let waker = {
                            let mut state = state.lock().unwrap();
                            state.0 = true;
                            state.1.take()
                        };
                        if let Some(waker) = waker {
                            waker.wake();
                        }
                    })
                };
                block_on(std::future::poll_fn(|cx| {
                    let mut state = state.lock().unwrap();
                    if state.0 {
                        return Poll::Ready(());
                    }
                    state.1 = Some(cx.waker().clone());
                    Poll::Pending
                }));
                waker.join().unwrap();
            },
        );
    }
}

mod tasks {
    use super::*;
    use crate::ch14_async::tasks::{
        evening, first_done, play, play_all, play_for, Log, Played, PlayerError, TimedOut, Track,
    };
    use tokio::time::Instant;

    /// What the slow tests wait for (on the untouched code, `play` sleeps for real).
    const EVENING: &str = "the evening, music 2 × 2 s and movie 2 × 5 s, on the paused \
        clock (a std::thread::sleep in a task holds the runtime's only thread, and \
        tokio's clock stands still)";
    const PLAY_ALL: &str = "play_all of three tracks of 2 × 3 s, 2 × 5 s and 2 × 4 s, on \
        the paused clock (a std::thread::sleep in a task holds the runtime's only \
        thread, and tokio's clock stands still)";
    const PANICKING: &str = "play_all with a track whose task panics at 3 s, on the \
        paused clock (a std::thread::sleep in a task holds the runtime's only thread, \
        and tokio's clock stands still)";

    fn started(log: &Log, name: &str) -> Vec<Duration> {
        let line = format!("Start playing: {name}");
        log.lines()
            .into_iter()
            .filter(|(_, l)| *l == line)
            .map(|(at, _)| at)
            .collect()
    }

    fn played(track: &str, plays: u32) -> Played {
        Played {
            track: track.to_owned(),
            plays,
        }
    }

    /// One track, two plays of 2 s: the second starts at 2 s and the track is done at
    /// 4 s of tokio's clock (a thread that sleeps stops that clock).
    #[test]
    fn play_plays_each_loop_on_tokios_clock() {
        let (result, took, starts) = paused(
            "play(爱情买卖, 2 s × 2) on the paused clock (a std::thread::sleep in a task \
             holds the runtime's only thread)",
            || async {
                let log = Log::new();
                let start = Instant::now();
                let result = play(Track::new("爱情买卖", 2, 2), log.clone()).await;
                (result, start.elapsed(), started(&log, "爱情买卖"))
            },
        );
        assert_eq!(result, played("爱情买卖", 2));
        assert_eq!(
            starts,
            [secs(0), secs(2)],
            "each play starts when the one before it has lasted its length, on tokio's \
             clock (tokio::time::sleep, not std::thread::sleep)"
        );
        assert_eq!(took, secs(4), "two plays of 2 s take 4 s of tokio's clock");
    }

    /// The seed's evening: music 2 × 2 s and the movie 2 × 5 s, at the same time.
    #[test]
    fn evening_plays_music_and_movie_at_once() {
        let (result, took, music, movie) = paused(EVENING, || async {
            let log = Log::new();
            let start = Instant::now();
            let result = evening(
                Track::new("爱情买卖", 2, 2),
                Track::new("tree", 5, 2),
                log.clone(),
            )
            .await;
            let (music, movie) = (started(&log, "爱情买卖"), started(&log, "tree"));
            (result, start.elapsed(), music, movie)
        });
        assert_eq!(result, (played("爱情买卖", 2), played("tree", 2)));
        assert_eq!(music, [secs(0), secs(2)], "the music starts at once");
        assert_eq!(movie, [secs(0), secs(5)], "the movie starts at once too");
        assert_eq!(took, secs(10), "both at once: 10 s, not 2×2 + 2×5 = 14 s");
    }

    /// The seed's super player: three tracks at once, reported in the order they
    /// finish (which is not the playlist's order).
    #[test]
    fn play_all_plays_every_track_at_once_in_finish_order() {
        let (result, took) = paused(PLAY_ALL, || async {
            let playlist = vec![
                Track::new("爱情买卖.mp3", 3, 2),
                Track::new("阿凡达.mp4", 5, 2),
                Track::new("tree.mp4", 4, 2),
            ];
            let start = Instant::now();
            let result = play_all(playlist, Log::new(), play).await;
            (result, start.elapsed())
        });
        assert_eq!(
            result,
            Ok(vec![
                played("爱情买卖.mp3", 2),
                played("tree.mp4", 2),
                played("阿凡达.mp4", 2)
            ]),
            "one Played per track, in the order they finished (6 s, 8 s, 10 s)"
        );
        assert_eq!(took, secs(10), "all at once: as long as the longest track");
    }

    /// A track whose task panics after 3 s ends `play_all` at 3 s, naming the track;
    /// the others, still playing, stop (no play starts after that).
    #[test]
    fn play_all_reports_a_panicking_track_at_once_and_stops_the_others() {
        let (result, took, later) = paused(PANICKING, || async {
            let log = Log::new();
            let player = |track: Track, log: Log| async move {
                if track.name == "scratched.mp3" {
                    tokio::time::sleep(secs(3)).await;
                    panic!("the disc is scratched");
                }
                play(track, log).await
            };
            let playlist = vec![
                Track::new("tree.mp4", 2, 5),
                Track::new("scratched.mp3", 1, 1),
                Track::new("阿凡达.mp4", 5, 2),
            ];
            let start = Instant::now();
            let result = play_all(playlist, log.clone(), player).await;
            let took = start.elapsed();
            tokio::time::sleep(secs(20)).await;
            let later: Vec<_> = log
                .lines()
                .into_iter()
                .filter(|(at, _)| *at > secs(3))
                .collect();
            (result, took, later)
        });
        assert_eq!(
            result,
            Err(PlayerError::Panicked {
                track: "scratched.mp3".into(),
                message: "the disc is scratched".into()
            })
        );
        assert_eq!(took, secs(3), "the panic ends play_all at once, at 3 s");
        assert!(
            later.is_empty(),
            "after the panic the other tracks must stop, but they went on: {later:?}"
        );
    }

    /// `play_for`: one deadline for the whole track, however many plays it has.
    #[test]
    fn play_for_stops_a_track_at_its_deadline() {
        let (short, short_took, long, long_took, later) =
            paused("play_for with a deadline", || async {
                let log = Log::new();
                let start = Instant::now();
                let short = play_for(Track::new("爱情买卖", 2, 2), secs(5), log.clone()).await;
                let short_took = start.elapsed();
                let start = Instant::now();
                let long = play_for(Track::new("tree", 2, 3), secs(5), log.clone()).await;
                let long_took = start.elapsed();
                tokio::time::sleep(secs(10)).await;
                (short, short_took, long, long_took, started(&log, "tree"))
            });
        assert_eq!(short, Ok(played("爱情买卖", 2)), "4 s of music fit in 5 s");
        assert_eq!(short_took, secs(4));
        assert_eq!(
            long,
            Err(TimedOut {
                track: "tree".into(),
                after: secs(5)
            }),
            "3 plays of 2 s do not fit in 5 s: one deadline for the whole track, not one \
             per play"
        );
        assert_eq!(long_took, secs(5), "given up at the deadline, 5 s");
        assert_eq!(
            later,
            [secs(4), secs(6), secs(8)],
            "the track stopped at the deadline: no play after it"
        );
    }

    /// The first track to finish wins, whichever argument it is; the other one stops.
    #[test]
    fn first_done_returns_the_first_to_finish_and_stops_the_other() {
        for (a, b, winner, loser) in [
            (("fast", 2, 2), ("slow", 3, 3), "fast", "slow"),
            (("slow", 3, 3), ("fast", 2, 2), "fast", "slow"),
        ] {
            let (result, took, loser_starts) =
                paused("first_done of two tracks", move || async move {
                    let log = Log::new();
                    let start = Instant::now();
                    let result = first_done(
                        Track::new(a.0, a.1, a.2),
                        Track::new(b.0, b.1, b.2),
                        log.clone(),
                    )
                    .await;
                    let took = start.elapsed();
                    tokio::time::sleep(secs(20)).await;
                    (result, took, started(&log, loser))
                });
            assert_eq!(result, played(winner, 2), "the first to finish is returned");
            assert_eq!(took, secs(4), "returned as soon as the winner finished");
            assert_eq!(
                loser_starts,
                [secs(0), secs(3)],
                "the loser must stop when the winner finishes (at 4 s), not play on at 6 s"
            );
        }
    }
}

mod cancellation {
    use super::*;
    use crate::ch14_async::cancellation::{sum_pairs, worker, Job, Journal};
    use tokio::sync::mpsc as tokio_mpsc;
    use tokio::time::Instant;
    use tokio_util::sync::CancellationToken;

    /// Numbers 1, 2, 3, 4 arrive at 0.5 s, 1.5 s, 2.5 s and 3.5 s, and the progress
    /// timer ticks every second, so it fires while each pair is half received.
    #[test]
    fn sum_pairs_loses_no_number_when_the_timer_fires_mid_pair() {
        let (pairs, sums, reports) = paused("sum_pairs of 1, 2, 3, 4", || async {
            let start = Instant::now();
            let (numbers, rx) = tokio_mpsc::channel(8);
            let (sums_tx, mut sums_rx) = tokio_mpsc::channel(8);
            tokio::spawn(async move {
                for (ms, n) in [(500, 1), (1500, 2), (2500, 3), (3500, 4)] {
                    tokio::time::sleep_until(start + Duration::from_millis(ms)).await;
                    numbers
                        .send(n)
                        .await
                        .expect("sum_pairs dropped its receiver");
                }
                tokio::time::sleep_until(start + Duration::from_millis(3800)).await;
            });
            let reports = Arc::new(Mutex::new(Vec::new()));
            let seen = Arc::clone(&reports);
            let pairs =
                sum_pairs(rx, sums_tx, secs(1), move |n| seen.lock().unwrap().push(n)).await;
            let mut sums = Vec::new();
            while let Some(sum) = sums_rx.recv().await {
                sums.push(sum);
            }
            let reports = reports.lock().unwrap().clone();
            (pairs, sums, reports)
        });
        assert_eq!(
            sums,
            [3, 7],
            "the pairs are (1, 2) and (3, 4); a number taken out of the channel inside a \
             select! branch that then lost to the timer is dropped with that branch"
        );
        assert_eq!(pairs, 2);
        assert_eq!(
            reports,
            [0, 0, 1, 1],
            "progress is reported at once and every second, with the pairs so far"
        );
    }

    fn jobs(journal: &Journal, ids: &[u32], cost: u64) -> tokio_mpsc::Receiver<Job> {
        let (tx, rx) = tokio_mpsc::channel(16);
        for &id in ids {
            tx.try_send(Job {
                id,
                cost: secs(cost),
                journal: journal.clone(),
            })
            .unwrap();
        }
        rx
    }

    /// Three jobs of 10 s; the stop comes at 15 s, in the middle of job 2: job 2 is
    /// finished (at 20 s), job 3 never starts.
    #[test]
    fn a_stopped_worker_finishes_the_job_in_hand() {
        let (done, took, journal) = paused("a worker stopped in the middle of a job", || async {
            let journal = Journal::new();
            let rx = jobs(&journal, &[1, 2, 3], 10);
            let stop = CancellationToken::new();
            let stopper = stop.clone();
            tokio::spawn(async move {
                tokio::time::sleep(secs(15)).await;
                stopper.cancel();
            });
            let start = Instant::now();
            let done = worker(rx, stop).await;
            (done, start.elapsed(), journal.lines())
        });
        assert_eq!(
            journal,
            ["start 1", "done 1", "start 2", "done 2"],
            "a stop in the middle of job 2 must let it finish (a job dropped half done \
             says `abandoned`), and start no other"
        );
        assert_eq!(done, [1, 2]);
        assert_eq!(took, secs(20), "the worker returns once job 2 is done");
    }

    /// The stop comes while job 1 runs and job 2 waits in the queue: when job 1 is
    /// done, both "stop" and "a job" are ready, and stopping must win, every time.
    /// A closed queue ends the worker once every job is done; an idle worker stops at
    /// once.
    #[test]
    fn a_stopped_worker_starts_no_new_job_even_with_one_waiting() {
        for round in 0..32 {
            let (done, journal) = paused("a worker stopped with a job waiting", || async {
                let journal = Journal::new();
                let rx = jobs(&journal, &[1, 2], 10);
                let stop = CancellationToken::new();
                let stopper = stop.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(secs(5)).await;
                    stopper.cancel();
                });
                (worker(rx, stop).await, journal.lines())
            });
            assert_eq!(
                journal,
                ["start 1", "done 1"],
                "round {round}: stopped during job 1 with job 2 waiting, the worker must \
                 finish job 1 and start no other"
            );
            assert_eq!(done, [1]);
        }
        let done = paused("a worker whose queue is closed", || async {
            let journal = Journal::new();
            let rx = jobs(&journal, &[1, 2], 1);
            worker(rx, CancellationToken::new()).await
        });
        assert_eq!(done, [1, 2], "a closed queue: every job done, then return");
        let (done, took) = paused(
            "an idle worker (its queue open and empty) stopped at 5 s (does it watch the \
             stop signal while it waits for a job?)",
            || async {
                let (_keep_open, rx) = tokio_mpsc::channel::<Job>(1);
                let stop = CancellationToken::new();
                let stopper = stop.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(secs(5)).await;
                    stopper.cancel();
                });
                let start = Instant::now();
                (worker(rx, stop).await, start.elapsed())
            },
        );
        assert_eq!(
            (done, took),
            (vec![], secs(5)),
            "an idle worker stops at once"
        );
    }
}

mod blocking {
    use super::*;
    use crate::ch14_async::blocking::{checksum, count, write_record, BlockingError, Sink};
    use std::collections::HashMap;

    /// The hash blocks (in a std channel) until another task of the same
    /// current-thread runtime has run: only a hash off the runtime's thread lets it.
    #[test]
    fn a_blocking_hash_does_not_stall_the_other_tasks() {
        let sum = one_thread(
            "checksum, whose blocking hash waits for another task of the same runtime to \
             run (a blocking call on the runtime's thread stalls every other task)",
            || async {
                let (ran, has_run) = mpsc::channel();
                let other = tokio::spawn(async move {
                    ran.send(()).unwrap();
                });
                let hash = move |data: &[u8]| {
                    has_run.recv().expect("the other task is gone");
                    data.iter().map(|&b| u64::from(b)).sum()
                };
                let sum = checksum(vec![1, 2, 3], hash).await;
                other.await.unwrap();
                sum
            },
        );
        assert_eq!(sum, Ok(6));
    }

    #[test]
    fn a_panicking_hash_is_an_error() {
        let result = one_thread("checksum with a hash that panics", || async {
            tokio::spawn(checksum(vec![1], |_: &[u8]| -> u64 {
                panic!("the data is corrupt")
            }))
            .await
        });
        let result = result.unwrap_or_else(|e| {
            panic!(
                "checksum panicked instead of returning BlockingError::Panicked: {}",
                workbook::panic_message(&*e.into_panic())
            )
        });
        assert_eq!(
            result,
            Err(BlockingError::Panicked("the data is corrupt".into()))
        );
    }

    /// Three counts at once on one thread: a std guard held across the lookup's await
    /// makes the second one wait for the lock on the only thread, for ever.
    #[test]
    fn counts_at_once_on_one_thread_do_not_deadlock() {
        let counts = one_thread(
            "three counts at once on one thread (a std MutexGuard held across .await: \
             the next count waits for the lock, and the holder never runs again to \
             release it)",
            || async {
                let counts = Arc::new(Mutex::new(HashMap::new()));
                tokio::join!(
                    count(Arc::clone(&counts), "Apple".into()),
                    count(Arc::clone(&counts), " apple".into()),
                    count(Arc::clone(&counts), "pear".into()),
                );
                let counts = counts.lock().unwrap().clone();
                counts
            },
        );
        let want: HashMap<String, u64> = [("apple".into(), 2), ("pear".into(), 1)].into();
        assert_eq!(counts, want, "counted under the canonical spelling");
    }

    /// Where the exercise file is, in the tree this suite was built from.
    fn exercise_file() -> std::path::PathBuf {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let tree = match option_env!("WORKBOOK_TREE_DIR") {
            Some(dir) => root.join(dir),
            None if cfg!(feature = "solutions") => root.join("solutions"),
            None => root.join("exercises"),
        };
        tree.join("ch14_async/blocking.rs")
    }

    /// Compiles a small program that hands `count` to `tokio::spawn` on a
    /// multi-threaded runtime (so its future must be `Send`), and runs it; and shows
    /// that the compiler rejects a std `MutexGuard` held across an `.await` in a
    /// future that must be `Send` (tests/ch14_async/guard_across_await.rs).
    #[test]
    fn compile_spawn_takes_count_and_rejects_a_std_guard_across_await() {
        let dir = grader::temp_dir();
        let program = dir.path().join("spawn_count.rs");
        let source = format!(
            "#[path = {:?}]\n#[allow(dead_code)]\nmod blocking;\n{}",
            exercise_file().display().to_string(),
            include_str!("ch14_async/spawn_count.rs")
        );
        std::fs::write(&program, source).expect("cannot write the test program");
        let cases = trybuild::TestCases::new();
        cases.pass(&program);
        cases.compile_fail("tests/ch14_async/guard_across_await.rs");
        // The cases run here, when `cases` is dropped (and before `dir` is).
        drop(cases);
    }

    /// Two records written at once: every line of one comes before every line of the
    /// other, in whichever order the records go.
    #[test]
    fn a_record_is_written_whole() {
        let lines = one_thread("two records written at once", || async {
            let sink = Arc::new(tokio::sync::Mutex::new(Sink::default()));
            let a = ["a1", "a2", "a3"].map(String::from).to_vec();
            let b = ["b1", "b2"].map(String::from).to_vec();
            tokio::join!(
                write_record(Arc::clone(&sink), a),
                write_record(Arc::clone(&sink), b),
            );
            let lines = sink.lock().await.lines.clone();
            lines
        });
        let whole = [
            ["a1", "a2", "a3", "b1", "b2"],
            ["b1", "b2", "a1", "a2", "a3"],
        ];
        assert!(
            whole.iter().any(|w| lines == *w),
            "the lines of two records mixed: {lines:?} (hold the sink's lock for the \
             whole record)"
        );
    }
}

mod limits {
    use super::*;
    use crate::ch14_async::limits::{fetch_all, pipeline, LimitError};
    use grader::PeakCounter;

    /// Ten requests, a limit of 3: three fetches are inside at once (all holding a
    /// permit while they wait), never four; the later requests finish first, and the
    /// responses still come in the order of the requests.
    #[test]
    fn fetch_all_runs_at_most_limit_at_once_and_answers_in_order() {
        let (responses, peak) = paused("fetch_all of 10 requests, 3 at a time", || async {
            let inside = Arc::new(PeakCounter::new());
            let counter = Arc::clone(&inside);
            let fetch = move |request: u32| {
                let inside = Arc::clone(&counter);
                async move {
                    let _inside = inside.enter();
                    tokio::time::sleep(secs(u64::from(20 - request))).await;
                    format!("page {request}")
                }
            };
            let responses = fetch_all((0..10).collect(), 3, fetch).await;
            (responses, inside.peak())
        });
        let want: Vec<String> = (0..10).map(|r| format!("page {r}")).collect();
        assert_eq!(
            responses,
            Ok(want),
            "the responses in the order of the requests"
        );
        assert_eq!(
            peak, 3,
            "a limit of 3 must let 3 fetches in at once and never more, but {peak} were \
             inside together (is the permit held for the whole fetch?)"
        );
    }

    #[test]
    fn a_limit_or_capacity_of_zero_is_an_error() {
        let (fetched, piped) = paused("fetch_all and pipeline with a limit of 0", || async {
            let fetched = fetch_all(vec![1, 2], 0, |r| async move { r.to_string() }).await;
            let piped = pipeline(3, 0, u64::from, |item| async move { item }).await;
            (fetched, piped)
        });
        assert_eq!(
            fetched,
            Err(LimitError::Zero),
            "fetch_all with a limit of 0"
        );
        assert_eq!(
            piped,
            Err(LimitError::Zero),
            "pipeline with a capacity of 0"
        );
    }

    /// A producer that makes items at once and a consumer that takes 1 s for each, with
    /// a channel of 3: the producer can be ahead by the 3 in the channel, the one being
    /// consumed and the one it holds — not by all 20.
    #[test]
    fn pipeline_producer_waits_when_the_channel_is_full() {
        let (results, ahead) = paused("a pipeline of 20 items through a channel of 3", || async {
            let produced = Arc::new(AtomicUsize::new(0));
            let consumed = Arc::new(AtomicUsize::new(0));
            let most_ahead = Arc::new(AtomicUsize::new(0));
            let produce = {
                let (produced, consumed, most_ahead) =
                    (produced.clone(), consumed.clone(), most_ahead.clone());
                move |i: u32| {
                    let made = produced.fetch_add(1, Ordering::SeqCst) + 1;
                    let ahead = made - consumed.load(Ordering::SeqCst);
                    most_ahead.fetch_max(ahead, Ordering::SeqCst);
                    u64::from(i)
                }
            };
            let consume = move |item: u64| {
                let consumed = Arc::clone(&consumed);
                async move {
                    tokio::time::sleep(secs(1)).await;
                    consumed.fetch_add(1, Ordering::SeqCst);
                    item * 10
                }
            };
            let results = pipeline(20, 3, produce, consume).await;
            (results, most_ahead.load(Ordering::SeqCst))
        });
        let want: Vec<u64> = (0..20).map(|i| i * 10).collect();
        assert_eq!(results, Ok(want), "every item consumed, in order");
        assert!(
            (3..=5).contains(&ahead),
            "with a channel of 3 the producer may be at most 3 + 2 items ahead of the \
             consumer, and it does use the channel's room (at least 3 ahead); it was \
             {ahead} ahead"
        );
    }
}
