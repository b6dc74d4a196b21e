//! `UnsafeCell` over loom's, with exactly the methods the std flavour has: loom checks
//! every access (a read not ordered after the write it may see, or two accesses at
//! once of which one writes, is a "Causality violation" naming both places).

use std::fmt;

/// loom's `UnsafeCell`, as `workbook::sync::cell::UnsafeCell`.
#[derive(Default)]
pub struct UnsafeCell<T: ?Sized>(loom::cell::UnsafeCell<T>);

impl<T> UnsafeCell<T> {
    #[track_caller]
    pub fn new(value: T) -> UnsafeCell<T> {
        UnsafeCell(loom::cell::UnsafeCell::new(value))
    }

    pub fn into_inner(self) -> T {
        self.0.into_inner()
    }
}

impl<T: ?Sized> UnsafeCell<T> {
    /// Calls `f` with a pointer for reading; loom checks the read.
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        self.0.with(f)
    }

    /// Calls `f` with a pointer for writing; loom checks the write.
    #[track_caller]
    pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        self.0.with_mut(f)
    }

    /// The data, through an exclusive borrow of the cell.
    #[track_caller]
    pub fn get_mut(&mut self) -> &mut T {
        // SAFETY: `&mut self` is exclusive; loom records the access as a write.
        self.0.with_mut(|p| unsafe { &mut *p })
    }
}

impl<T: ?Sized> fmt::Debug for UnsafeCell<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UnsafeCell { .. }")
    }
}
