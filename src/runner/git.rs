//! The pristine exercise files, as git has them (`git show HEAD:<path>`).
//!
//! "Pristine" means the version committed at `HEAD`: on a fresh clone, the exercise as
//! shipped. The runner uses it to tell "not started" from "failing" and to `reset` a file.

use std::path::Path;
use std::process::Command;

/// Why git could not give the pristine version.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run git ({0}): is git installed?")]
    Missing(std::io::Error),
    #[error(
        "{root} is not a git checkout, so there is no pristine copy to compare with or restore \
         from (git said: {said}); clone the workbook with git to use this"
    )]
    NotACheckout { root: String, said: String },
    #[error("{path} is not in the last commit (HEAD), so there is no pristine copy of it")]
    NotCommitted { path: String },
}

fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(root);
    cmd
}

/// Fails unless `root` is inside a git work tree.
pub fn ensure_checkout(root: &Path) -> Result<(), GitError> {
    let out = git(root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .map_err(GitError::Missing)?;
    if out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "true" {
        Ok(())
    } else {
        Err(GitError::NotACheckout {
            root: root.display().to_string(),
            said: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        })
    }
}

/// The committed (`HEAD`) contents of `relative` (a path under `root`, `/`-separated).
pub fn pristine(root: &Path, relative: &str) -> Result<Vec<u8>, GitError> {
    ensure_checkout(root)?;
    let out = git(root)
        .arg("show")
        .arg(format!("HEAD:./{relative}"))
        .output()
        .map_err(GitError::Missing)?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError::NotCommitted {
            path: relative.to_owned(),
        })
    }
}

/// Whether the file at `relative` is byte for byte its pristine version; `None` when that
/// cannot be known (no git, not a checkout, not committed, unreadable).
pub fn is_pristine(root: &Path, relative: &str) -> Option<bool> {
    let committed = pristine(root, relative).ok()?;
    let current = std::fs::read(root.join(relative)).ok()?;
    Some(committed == current)
}
