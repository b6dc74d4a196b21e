//! The pristine exercise files, as git has them (`git show HEAD:<path>`).
//!
//! "Pristine" means the version committed at `HEAD`: on a fresh clone, the exercise as
//! shipped. The runner uses it to tell "not started" (without running anything: `verify`
//! proves in CI that every untouched exercise fails) and to `reset` a file.

use std::collections::BTreeSet;
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

/// The exercise files that differ from `HEAD` (paths relative to the root, `/`-separated),
/// from one `git status`; `None` when git cannot say (no git, not a checkout).
pub fn changed_exercises(root: &Path) -> Option<BTreeSet<String>> {
    let out = git(root)
        .args([
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--",
            "exercises",
        ])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    // Entries are `XY PATH`, NUL-separated; a rename is followed by its old path.
    let mut changed = BTreeSet::new();
    let mut entries = text.split('\0').filter(|e| !e.is_empty());
    while let Some(entry) = entries.next() {
        let (code, path) = entry.split_at(entry.len().min(3));
        changed.insert(path.to_owned());
        if code.starts_with('R') || code.starts_with('C') {
            entries.next();
        }
    }
    Some(changed)
}
