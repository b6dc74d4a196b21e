//! What the runner's own suites (`tests/runner_*.rs`) share: the runner binary, a scratch
//! checkout of the workbook to break and mend, and a look at processes left behind.
//!
//! The runner grades the tree it was built from, so these suites pass against either tree
//! (`SOLVED` says which). A scratch checkout is a git copy of this workbook's tracked
//! files under `target/runner-scratch/NAME` (fixed names, so a second run builds
//! incrementally), built into one target folder of its own shared by all scratch
//! checkouts.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::time::Duration;

use assert_cmd::Command;

/// Built with `--features solutions`: the runner grades `solutions/`.
pub const SOLVED: bool = cfg!(feature = "solutions");

/// The graded tree's folder.
pub const TREE: &str = if SOLVED { "solutions" } else { "exercises" };

/// The runner, limited to chapter 10, with a short grading watchdog, no colour.
pub fn runner() -> Command {
    let mut cmd = Command::cargo_bin("workbook").expect("the workbook binary is built for tests");
    cmd.env("WORKBOOK_CHAPTERS", "ch10_interview")
        .env("WORKBOOK_TIMEOUT_SECS", "2")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("WORKBOOK_ROOT")
        // English whatever the machine's locale (`runner_lang` asks for Chinese).
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .timeout(Duration::from_secs(600));
    cmd
}

pub fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

pub fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// This workbook's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch git checkout of the workbook: its files (tracked, or new and not ignored) as
/// they are now, committed.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let base = root().join("target/runner-scratch");
        let dir = base.join(name);
        if dir.exists() {
            // Left by an interrupted run: the files are copied afresh.
            std::fs::remove_dir_all(&dir).expect("cannot clear the scratch checkout");
        }
        std::fs::create_dir_all(&dir).unwrap();
        let files = StdCommand::new("git")
            .args([
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ])
            .current_dir(root())
            .output()
            .expect("git ls-files");
        for file in String::from_utf8_lossy(&files.stdout)
            .split('\0')
            .filter(|f| !f.is_empty())
        {
            let to = dir.join(file);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            if let Ok(bytes) = std::fs::read(root().join(file)) {
                std::fs::write(&to, bytes).unwrap();
            }
        }
        let scratch = Scratch { dir };
        scratch.git(&["init", "-q"]);
        scratch.git(&["add", "."]);
        scratch.git(&["commit", "-q", "-m", "pristine"]);
        scratch
    }

    pub fn git(&self, args: &[&str]) {
        let out = StdCommand::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&self.dir)
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}: {out:?}");
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap()
    }

    pub fn write(&self, relative: &str, text: &str) {
        std::fs::write(self.path(relative), text).unwrap();
    }

    /// Replaces `from` with `to` in a file (which must contain `from`).
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} has no {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    /// The runner working on this checkout, building into the scratch target folder.
    pub fn runner(&self) -> Command {
        let mut cmd = runner();
        cmd.env("WORKBOOK_ROOT", &self.dir).env(
            "CARGO_TARGET_DIR",
            root().join("target/runner-scratch/target"),
        );
        cmd
    }

    /// The same, as a plain `std::process::Command` (to drive it by hand).
    pub fn runner_process(&self) -> StdCommand {
        let mut cmd = StdCommand::new(assert_cmd::cargo::cargo_bin("workbook"));
        cmd.env("WORKBOOK_CHAPTERS", "ch10_interview")
            .env("WORKBOOK_TIMEOUT_SECS", "2")
            .env("WORKBOOK_ROOT", &self.dir)
            .env(
                "CARGO_TARGET_DIR",
                root().join("target/runner-scratch/target"),
            )
            .env_remove("CLICOLOR_FORCE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG");
        cmd
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The pids of processes whose command line mentions `needle` (other than this one).
pub fn processes_mentioning(needle: &str) -> Vec<u32> {
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| *pid != me)
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| String::from_utf8_lossy(&c).contains(needle))
                .unwrap_or(false)
        })
        .collect()
}

/// Waits (at most `within`) until `ready` holds, polling; false if it never did.
pub fn eventually(within: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + within;
    while std::time::Instant::now() < deadline {
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    ready()
}

pub fn exists(path: &Path) -> bool {
    path.exists()
}
