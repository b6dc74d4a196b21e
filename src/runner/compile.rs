//! Building chapter test binaries with cargo, and reading what it says: the executable of
//! each chapter that built, the first compile error of each that did not.
//!
//! One `cargo test --no-run --no-fail-fast --message-format=json` builds every chapter
//! asked for; `--no-fail-fast` keeps cargo going past a chapter that does not compile, so
//! one broken file never stops the others.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use super::exec;
use super::i18n::text as t;
use super::ui;
use crate::manifest::Tree;

/// A chapter that does not compile: its first error, where it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CompileError {
    /// `exercises/ch03_locks/balance.rs:12:5` (relative to the root when inside it).
    pub place: String,
    /// The compiler's message: "mismatched types".
    pub message: String,
    /// The compiler's whole rendering of it (source lines, notes).
    pub rendered: String,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// What one build produced, by chapter.
#[derive(Debug, Default)]
pub struct Built {
    pub exes: BTreeMap<String, PathBuf>,
    pub errors: BTreeMap<String, CompileError>,
}

impl Built {
    pub fn result(&self, chapter: &str) -> Result<&Path, &CompileError> {
        match self.exes.get(chapter) {
            Some(exe) => Ok(exe),
            None => Err(self.errors.get(chapter).unwrap_or(&NOT_BUILT)),
        }
    }
}

static NOT_BUILT: CompileError = CompileError {
    place: String::new(),
    message: String::new(),
    rendered: String::new(),
};

#[derive(Deserialize)]
struct Message {
    reason: String,
    target: Option<Target>,
    executable: Option<PathBuf>,
    profile: Option<Profile>,
    message: Option<Diagnostic>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct Profile {
    test: bool,
}

#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    message: String,
    rendered: Option<String>,
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: u32,
    column_start: u32,
    is_primary: bool,
}

/// The cargo that started us (`cargo run` sets `CARGO`), or `cargo`.
pub fn cargo(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root);
    cmd
}

/// Builds the test binaries of `chapters` from `tree`. `Err` only when cargo itself could
/// not run; a chapter that does not compile is in [`Built::errors`].
pub fn build(root: &Path, tree: Tree, chapters: &[&str]) -> Result<Built, String> {
    build_with(root, tree, chapters, &[])
}

/// [`build`] in release mode (`cargo test --no-run --release`): for programs whose speed
/// is the point (`cargo run -- run --release`).
pub fn build_release(root: &Path, tree: Tree, chapters: &[&str]) -> Result<Built, String> {
    build_profile(root, tree, chapters, &[], true)
}

/// [`build`] with variables added to cargo's environment (`WORKBOOK_TREE_DIR` to build a
/// patched copy of a tree, `CARGO_TARGET_DIR` to keep it apart).
pub fn build_with(
    root: &Path,
    tree: Tree,
    chapters: &[&str],
    env: &[(&str, &std::ffi::OsStr)],
) -> Result<Built, String> {
    build_profile(root, tree, chapters, env, false)
}

fn build_profile(
    root: &Path,
    tree: Tree,
    chapters: &[&str],
    env: &[(&str, &std::ffi::OsStr)],
    release: bool,
) -> Result<Built, String> {
    let mut built = Built::default();
    if chapters.is_empty() {
        return Ok(built);
    }
    let mut cmd = cargo(root);
    cmd.envs(env.iter().copied());
    cmd.args([
        "test",
        "--no-run",
        "--no-fail-fast",
        "--message-format=json",
    ]);
    if tree == Tree::Solutions {
        cmd.args(["--features", "solutions"]);
    }
    if release {
        cmd.arg("--release");
    }
    for chapter in chapters {
        cmd.args(["--test", chapter]);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let building = t::BUILDING.fill(&[&chapters.join(", ")]);
    ui::note(&building);
    let spinner = ui::Spinner::start(building);
    let mut child = exec::spawn_guarded(&mut cmd).map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = child.stderr.take().expect("piped stderr");
    let echo = {
        let spinner = spinner.clone();
        std::thread::spawn(move || cargo_progress(stderr, &spinner))
    };
    let stdout = child.stdout.take().expect("piped stdout");
    let mut global: Option<CompileError> = None;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        let Ok(message) = serde_json::from_str::<Message>(&line) else {
            continue;
        };
        read_message(root, chapters, message, &mut built, &mut global);
    }
    let status = child.wait().map_err(|e| format!("cargo: {e}"));
    exec::finish(&child);
    let status = status?;
    let cargo_said = echo.join().unwrap_or_default();
    spinner.finish();
    for chapter in chapters {
        if built.exes.contains_key(*chapter) || built.errors.contains_key(*chapter) {
            continue;
        }
        let error = global.clone().unwrap_or_else(|| CompileError {
            place: "cargo".to_owned(),
            message: format!("`cargo test --no-run --test {chapter}` failed ({status})"),
            rendered: cargo_said.clone(),
        });
        built.errors.insert((*chapter).to_owned(), error);
    }
    Ok(built)
}

fn read_message(
    root: &Path,
    chapters: &[&str],
    message: Message,
    built: &mut Built,
    global: &mut Option<CompileError>,
) {
    let Some(target) = message.target else {
        return;
    };
    let ours = chapters.contains(&target.name.as_str()) && target.kind.iter().any(|k| k == "test");
    match message.reason.as_str() {
        "compiler-artifact" if ours && message.profile.is_some_and(|p| p.test) => {
            if let Some(exe) = message.executable {
                built.exes.insert(target.name, exe);
            }
        }
        "compiler-message" => {
            let Some(diagnostic) = message.message.filter(|d| d.level == "error") else {
                return;
            };
            let error = compile_error(root, diagnostic);
            if ours {
                built.errors.entry(target.name).or_insert(error);
            } else if global.is_none() {
                // The library, the grader or the build script: every chapter needs them.
                *global = Some(error);
            }
        }
        _ => {}
    }
}

fn compile_error(root: &Path, d: Diagnostic) -> CompileError {
    let place = d
        .spans
        .iter()
        .find(|s| s.is_primary)
        .or(d.spans.first())
        .map(|s| {
            let file = Path::new(&s.file_name);
            let file = file.strip_prefix(root).unwrap_or(file);
            format!("{}:{}:{}", file.display(), s.line_start, s.column_start)
        })
        .unwrap_or_else(|| "?".to_owned());
    CompileError {
        place,
        message: d.message,
        rendered: d.rendered.unwrap_or_default(),
    }
}

/// Shows cargo's `Compiling …` lines on the spinner; returns the rest of what it said.
fn cargo_progress(stderr: impl Read, spinner: &ui::Spinner) -> String {
    let mut said = String::new();
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        let trimmed = line.trim();
        if let Some(what) = trimmed.strip_prefix("Compiling ") {
            spinner.set(format!("compiling {what}"));
        } else if !trimmed.is_empty() {
            said.push_str(&line);
            said.push('\n');
        }
    }
    said
}
