//! Temporary files for tests: they remove themselves.

use std::path::{Path, PathBuf};

/// Writes `contents` to a file called `name` inside `dir` and returns its path.
pub fn write_file(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    path
}

/// A fresh temporary directory that removes itself when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("workbook-")
        .tempdir()
        .expect("cannot create a temporary directory")
}
