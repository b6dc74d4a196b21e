//! `std::thread`'s names over loom's threads: what loom has, plus `scope` (scoped threads
//! that borrow from the caller), `Builder::spawn_scoped`, `JoinHandle::is_finished`,
//! `sleep` and `park_timeout` (time does not pass in a model: they let the other threads
//! run) and `available_parallelism`.

use std::marker::PhantomData;
use std::num::NonZeroUsize;
use std::sync::Mutex as StdMutex;
use std::time::Duration;

pub use loom::thread::{current, park, yield_now, AccessError, LocalKey, Thread, ThreadId};
pub use std::thread::{panicking, Result};

use loom::sync::atomic::{AtomicBool, Ordering};
use loom::sync::Arc;

/// In a model time does not pass: sleeping only lets the other threads run.
pub fn sleep(_duration: Duration) {
    yield_now();
}

/// Returns at once, as `park_timeout` may (time does not pass in a model).
pub fn park_timeout(_timeout: Duration) {
    yield_now();
}

/// Two: a model has few threads.
pub fn available_parallelism() -> std::io::Result<NonZeroUsize> {
    Ok(NonZeroUsize::new(2).expect("two is not zero"))
}

/// A handle to a thread, as `std::thread::JoinHandle`.
#[derive(Debug)]
pub struct JoinHandle<T> {
    inner: loom::thread::JoinHandle<T>,
    finished: Arc<AtomicBool>,
}

impl<T> JoinHandle<T> {
    #[track_caller]
    pub fn join(self) -> Result<T> {
        self.inner.join()
    }

    pub fn thread(&self) -> &Thread {
        self.inner.thread()
    }

    pub fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }
}

/// Starts a thread, as `std::thread::spawn`.
#[track_caller]
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    Builder::new().spawn(f).expect("loom threads always start")
}

/// A thread factory, as `std::thread::Builder`.
#[derive(Debug, Default)]
pub struct Builder {
    name: Option<String>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    pub fn name(mut self, name: String) -> Builder {
        self.name = Some(name);
        self
    }

    /// Accepted and ignored: loom threads are not OS threads.
    pub fn stack_size(self, _size: usize) -> Builder {
        self
    }

    #[track_caller]
    pub fn spawn<F, T>(self, f: F) -> std::io::Result<JoinHandle<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let finished = Arc::new(AtomicBool::new(false));
        let done = finished.clone();
        let mut builder = loom::thread::Builder::new();
        if let Some(name) = self.name {
            builder = builder.name(name);
        }
        let inner = builder.spawn(move || {
            let value = f();
            done.store(true, Ordering::Release);
            value
        })?;
        Ok(JoinHandle { inner, finished })
    }

    /// A scoped thread with this builder's name, as `std::thread::Builder::spawn_scoped`.
    #[track_caller]
    pub fn spawn_scoped<'scope, 'env, F, T>(
        self,
        scope: &'scope Scope<'scope, 'env>,
        f: F,
    ) -> std::io::Result<ScopedJoinHandle<'scope, T>>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        scope.spawn_with(self, f)
    }
}

/// The scope of [`scope`]: threads spawned in it may borrow what outlives it.
pub struct Scope<'scope, 'env: 'scope> {
    /// Every thread spawned in the scope; `None` once joined through its handle.
    threads: StdMutex<Vec<Option<JoinHandle<()>>>>,
    _scope: PhantomData<&'scope mut &'scope ()>,
    _env: PhantomData<&'env mut &'env ()>,
}

/// A handle to a scoped thread, as `std::thread::ScopedJoinHandle`.
pub struct ScopedJoinHandle<'scope, T> {
    /// Where the thread leaves what it returns (a loom thread's own result must be
    /// `'static`; this one may borrow).
    result: std::sync::Arc<StdMutex<Option<T>>>,
    index: usize,
    threads: &'scope StdMutex<Vec<Option<JoinHandle<()>>>>,
}

impl<T> ScopedJoinHandle<'_, T> {
    #[track_caller]
    pub fn join(self) -> Result<T> {
        let handle = self.threads.lock().unwrap_or_else(|e| e.into_inner())[self.index].take();
        if let Some(handle) = handle {
            handle.join()?;
        }
        Ok(self
            .result
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("a joined scoped thread has left its result"))
    }

    pub fn is_finished(&self) -> bool {
        self.result
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }
}

impl<'scope> Scope<'scope, '_> {
    /// Spawns a scoped thread, as `std::thread::Scope::spawn`.
    #[track_caller]
    pub fn spawn<F, T>(&'scope self, f: F) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        self.spawn_with(Builder::new(), f)
            .expect("loom threads always start")
    }

    #[track_caller]
    fn spawn_with<F, T>(
        &'scope self,
        builder: Builder,
        f: F,
    ) -> std::io::Result<ScopedJoinHandle<'scope, T>>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        let result = std::sync::Arc::new(StdMutex::new(None));
        let slot = result.clone();
        let body: Box<dyn FnOnce() + Send + 'scope> = Box::new(move || {
            let value = f();
            *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(value);
        });
        // SAFETY: `scope` joins every thread spawned in it before it returns, even when
        // its closure panics, so nothing the body borrows ('scope) is gone while it runs.
        let body: Box<dyn FnOnce() + Send + 'static> = unsafe { std::mem::transmute(body) };
        let handle = builder.spawn(body)?;
        let mut threads = self.threads.lock().unwrap_or_else(|e| e.into_inner());
        threads.push(Some(handle));
        Ok(ScopedJoinHandle {
            result,
            index: threads.len() - 1,
            threads: &self.threads,
        })
    }

    /// Joins every thread not joined yet; true if one of them panicked.
    fn join_all(&self) -> bool {
        let mut panicked = false;
        loop {
            let next = {
                let mut threads = self.threads.lock().unwrap_or_else(|e| e.into_inner());
                threads.iter_mut().find_map(Option::take)
            };
            match next {
                Some(handle) => panicked |= handle.join().is_err(),
                None => return panicked,
            }
        }
    }
}

/// Runs `f` with a scope whose threads may borrow from the caller; every thread is
/// joined before it returns, as `std::thread::scope`.
#[track_caller]
pub fn scope<'env, F, T>(f: F) -> T
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
{
    let scope = Scope {
        threads: StdMutex::new(Vec::new()),
        _scope: PhantomData,
        _env: PhantomData,
    };
    /// Joins the scope's threads even while `f` unwinds.
    struct JoinOnExit<'a, 'scope, 'env>(&'a Scope<'scope, 'env>);
    impl Drop for JoinOnExit<'_, '_, '_> {
        fn drop(&mut self) {
            if self.0.join_all() && !std::thread::panicking() {
                panic!("a scoped thread panicked");
            }
        }
    }
    let join = JoinOnExit(&scope);
    let value = f(&scope);
    drop(join);
    value
}
