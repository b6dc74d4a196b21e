//! The two flavours of the facade offer the same names and methods: this module compiles
//! one body of code against each (a learner's file compiles in the std copy and the loom
//! copy alike), and runs both, the loom one as a model.

macro_rules! uses_every_name {
    ($name:ident, $sync:path) => {
        pub mod $name {
        #[allow(dead_code, unused_imports, clippy::all)]
        pub fn condvar() {
            use std::time::Duration;
            use $sync as sync;
            use sync::atomic::{fence, AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
            use sync::mpsc::{self, RecvTimeoutError, TryRecvError, TrySendError};
            use sync::thread::{self, Builder, JoinHandle, Scope, ScopedJoinHandle};
            use sync::{Arc, Barrier, BarrierWaitResult, Condvar, LockResult, Mutex, MutexGuard};
            use sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError};
            use sync::{TryLockResult, WaitTimeoutResult};

            sync::thread_local!(static LOCAL: std::cell::Cell<u8> = std::cell::Cell::new(0));
            sync::thread_local! {
                static CONST: std::cell::Cell<u8> = const { std::cell::Cell::new(1) };
                static PLAIN: std::cell::Cell<u8> = std::cell::Cell::new(2);
            }
            assert_eq!(CONST.with(|c| c.get()) + PLAIN.with(|c| c.get()), 3);
            LOCAL.with(|l| l.set(1));
            let pair = Arc::new((Mutex::new(0u8), Condvar::new()));
            let waker = {
                let pair = Arc::clone(&pair);
                thread::spawn(move || {
                    *pair.0.lock().unwrap() = 1;
                    pair.1.notify_all();
                })
            };
            let guard = pair.1.wait_while(pair.0.lock().unwrap(), |n| *n == 0).unwrap();
            let (guard, result) = pair
                .1
                .wait_timeout_while(guard, Duration::from_secs(1), |n| *n == 0)
                .unwrap();
            let _: bool = result.timed_out();
            drop(guard);
            waker.join().unwrap();
            let _ = pair.0.try_lock().map(|g| *g);
        }

        #[allow(dead_code, unused_imports, clippy::all)]
        pub fn scoped() {
            use $sync as sync;
            use sync::thread::{self, Builder};
            let mut total = 0;
            let data = [1, 2];
            thread::scope(|s| {
                let a = s.spawn(|| data[0]);
                let b = Builder::new()
                    .name("b".into())
                    .spawn_scoped(s, || data[1])
                    .unwrap();
                total = a.join().unwrap() + b.join().unwrap();
            });
            assert_eq!(total, 3);
        }

        #[allow(dead_code, unused_imports, clippy::all)]
        pub fn channels() {
            use std::time::Duration;
            use $sync as sync;
            use sync::mpsc::{self, RecvTimeoutError, TryRecvError, TrySendError};
            use sync::thread;
            let (tx, rx) = mpsc::channel::<u8>();
            let tx2 = tx.clone();
            tx2.send(1).unwrap();
            drop((tx, tx2));
            assert_eq!(rx.iter().collect::<Vec<_>>(), [1]);
            assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
            let (tx, rx) = mpsc::sync_channel::<u8>(1);
            tx.try_send(1).unwrap();
            assert!(matches!(tx.try_send(2), Err(TrySendError::Full(2))));
            assert_eq!(rx.recv_timeout(Duration::from_millis(1)), Ok(1));
            assert_eq!(rx.try_iter().count(), 0);
            let (tx, rx) = mpsc::sync_channel::<u8>(0);
            let sender = thread::spawn(move || tx.send(7).unwrap());
            assert_eq!(rx.recv(), Ok(7));
            sender.join().unwrap();
        }

        #[allow(dead_code, unused_imports, clippy::all)]
        pub fn the_rest() {
            use std::time::Duration;
            use $sync as sync;
            use sync::atomic::{fence, AtomicUsize, Ordering};
            use sync::thread;
            use sync::{Arc, Barrier, BarrierWaitResult, RwLock};
            let barrier = Arc::new(Barrier::new(2));
            let other = {
                let barrier = Arc::clone(&barrier);
                thread::spawn(move || barrier.wait().is_leader())
            };
            let leaders = [barrier.wait().is_leader(), other.join().unwrap()];
            assert_eq!(leaders.iter().filter(|l| **l).count(), 1);

            let lock = RwLock::new(5);
            let read = *lock.read().unwrap();
            assert_eq!(read + *lock.write().unwrap(), 10);
            let n = AtomicUsize::new(0);
            n.fetch_add(1, Ordering::SeqCst);
            fence(Ordering::SeqCst);
            thread::sleep(Duration::from_millis(1));
            thread::yield_now();
            let _ = thread::current().name();
            let _ = thread::available_parallelism();
            sync::hint::spin_loop();
        }

        #[allow(dead_code, unused_imports, clippy::all)]
        pub fn cells_and_once() {
            use $sync as sync;
            use sync::cell::UnsafeCell;
            use sync::thread;
            use sync::{Arc, LazyLock, OnceLock};
            let mut cell = UnsafeCell::new(1u8);
            cell.with_mut(|p| unsafe { *p += 1 });
            assert_eq!(cell.with(|p| unsafe { *p }), 2);
            *cell.get_mut() += 1;
            assert_eq!(cell.into_inner(), 3);
            let _ = format!("{:?}", UnsafeCell::<u8>::default());

            let once = Arc::new(OnceLock::<u8>::new());
            let runs = Arc::new(sync::atomic::AtomicUsize::new(0));
            let init = {
                let runs = Arc::clone(&runs);
                move || {
                    runs.fetch_add(1, sync::atomic::Ordering::Relaxed);
                    7
                }
            };
            let other = {
                let (once, init) = (Arc::clone(&once), init.clone());
                thread::spawn(move || *once.get_or_init(init))
            };
            let mine = *once.get_or_init(init);
            assert_eq!((mine, other.join().unwrap()), (7, 7));
            assert_eq!(runs.load(sync::atomic::Ordering::Relaxed), 1, "initialised twice");
            assert_eq!(once.get(), Some(&7));
            assert_eq!(once.set(8), Err(8));
            let mut once = Arc::try_unwrap(once).unwrap();
            assert_eq!(once.get_mut(), Some(&mut 7));
            assert_eq!(once.take(), Some(7));
            assert_eq!(once.into_inner(), None);
            let _ = format!("{:?}", OnceLock::<u8>::default());

            let lazy: LazyLock<u8> = LazyLock::new(|| 5);
            assert_eq!(*LazyLock::force(&lazy) + *lazy, 10);
            let boxed = LazyLock::new(Box::new(|| 6u8) as Box<dyn FnOnce() -> u8 + Send>);
            assert_eq!(*boxed, 6);
            let _ = format!("{lazy:?}");
        }
        }
    };
}

uses_every_name!(std_flavour, workbook::sync);
uses_every_name!(loom_flavour, crate::loom::sync);

#[test]
fn the_std_flavour_runs() {
    std_flavour::condvar();
    std_flavour::scoped();
    std_flavour::channels();
    std_flavour::the_rest();
    std_flavour::cells_and_once();
}

#[test]
fn the_loom_flavour_runs_as_a_model() {
    loom::model(loom_flavour::condvar);
    loom::model(loom_flavour::scoped);
    loom::model(loom_flavour::channels);
    loom::model(loom_flavour::the_rest);
    loom::model(loom_flavour::cells_and_once);
}
