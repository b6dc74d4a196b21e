//! `workbook.toml`, the one list of chapters and exercises, read into types.
//!
//! Shared, as this very file, by the build script (which derives each chapter's module
//! tree from it) and by the runner (which derives every name, path and command from it),
//! so the two can never read it differently. Depends on `serde` and `toml` only.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The manifest's file name, at the workbook's root.
pub const FILE: &str = "workbook.toml";

/// The whole workbook, in order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Book pages before the chapters (`book/src/PAGE.md`).
    #[serde(default)]
    pub pages: Vec<String>,
    #[serde(rename = "chapter")]
    pub chapters: Vec<Chapter>,
}

/// A chapter: folders `exercises/NAME`, `solutions/NAME`, `book/src/NAME`, suite
/// `tests/NAME.rs`, bench `benches/NAME.rs`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// `ch01_processes`.
    pub name: String,
    /// "Processes".
    pub title: String,
    /// Book pages of the chapter that are not exercises (`book/src/NAME/PAGE.md`), shown
    /// after its index page.
    #[serde(default)]
    pub pages: Vec<String>,
    pub exercises: Vec<Exercise>,
}

/// One exercise of a chapter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// `two_files`: file, test module and page name.
    pub name: String,
    /// Compiled a second time over loom, with `loom_*` model checks.
    #[serde(default)]
    pub loom: bool,
    /// Functions a child process can run (`main` is entry `NAME`, `f` is `NAME::f`).
    #[serde(default)]
    pub entries: Vec<String>,
    /// Other exercises of the chapter this file imports.
    #[serde(default)]
    pub uses: Vec<String>,
    /// Not compiled into the chapter's suite: its tests compile the file on their own
    /// (compile-fail checks with trybuild), so its compile errors stay its own.
    #[serde(default)]
    pub alone: bool,
}

/// Why the manifest could not be read.
#[derive(Debug)]
pub enum Error {
    Read(PathBuf, std::io::Error),
    Parse(PathBuf, String),
    Invalid(PathBuf, String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Read(path, e) => write!(f, "cannot read {}: {e}", path.display()),
            Error::Parse(path, e) => write!(f, "{} is not valid: {e}", path.display()),
            Error::Invalid(path, e) => write!(f, "{}: {e}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

/// The tree a build grades: the learner's files or the reference solutions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tree {
    Exercises,
    Solutions,
}

impl Tree {
    /// The folder: `exercises` or `solutions`.
    pub fn dir(self) -> &'static str {
        match self {
            Tree::Exercises => "exercises",
            Tree::Solutions => "solutions",
        }
    }
}

impl Manifest {
    /// Reads `workbook.toml` at `root`.
    pub fn load(root: &Path) -> Result<Manifest, Error> {
        let path = root.join(FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::Read(path.clone(), e))?;
        Manifest::parse(&text).map_err(|e| match e {
            Error::Parse(_, m) => Error::Parse(path.clone(), m),
            Error::Invalid(_, m) => Error::Invalid(path.clone(), m),
            other => other,
        })
    }

    /// Parses and checks a manifest's text.
    pub fn parse(text: &str) -> Result<Manifest, Error> {
        let here = || PathBuf::from(FILE);
        let manifest: Manifest =
            toml::from_str(text).map_err(|e| Error::Parse(here(), e.to_string()))?;
        manifest.check().map_err(|e| Error::Invalid(here(), e))?;
        Ok(manifest)
    }

    /// Names are identifiers, unique, and `uses` names exercises of the same chapter.
    fn check(&self) -> Result<(), String> {
        let mut chapters = std::collections::BTreeSet::new();
        for chapter in &self.chapters {
            ident(&chapter.name)?;
            if !chapters.insert(&chapter.name) {
                return Err(format!("chapter `{}` is listed twice", chapter.name));
            }
            let mut names = std::collections::BTreeSet::new();
            for exercise in &chapter.exercises {
                ident(&exercise.name)?;
                if !names.insert(&exercise.name) {
                    return Err(format!(
                        "exercise `{}::{}` is listed twice",
                        chapter.name, exercise.name
                    ));
                }
                for entry in &exercise.entries {
                    ident(entry)?;
                }
                if exercise.alone && (exercise.loom || !exercise.entries.is_empty()) {
                    return Err(format!(
                        "`{}::{}` is `alone` (compiled on its own by its tests), so it can \
                         have neither `loom` nor `entries`",
                        chapter.name, exercise.name
                    ));
                }
            }
            for exercise in &chapter.exercises {
                for used in &exercise.uses {
                    if !names.contains(used) || used == &exercise.name {
                        return Err(format!(
                            "`{}::{}` uses `{used}`, which is not another exercise of {}",
                            chapter.name, exercise.name, chapter.name
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    pub fn chapter(&self, name: &str) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.name == name)
    }
}

fn ident(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a lower-case identifier (letters, digits, `_`)"
        ))
    }
}

impl Chapter {
    pub fn exercise(&self, name: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.name == name)
    }

    /// `tests/NAME.rs`, relative to the root.
    pub fn suite(&self) -> PathBuf {
        Path::new("tests").join(format!("{}.rs", self.name))
    }

    /// `benches/NAME.rs`, relative to the root.
    pub fn bench(&self) -> PathBuf {
        Path::new("benches").join(format!("{}.rs", self.name))
    }

    /// `book/src/NAME/index.md`, relative to the root.
    pub fn page(&self) -> PathBuf {
        Path::new("book/src").join(&self.name).join("index.md")
    }
}

impl Exercise {
    /// `TREE/CHAPTER/NAME.rs`, relative to the root.
    pub fn source(&self, tree: Tree, chapter: &Chapter) -> PathBuf {
        Path::new(tree.dir())
            .join(&chapter.name)
            .join(format!("{}.rs", self.name))
    }

    /// `book/src/CHAPTER/NAME.md`, relative to the root.
    pub fn page(&self, chapter: &Chapter) -> PathBuf {
        Path::new("book/src")
            .join(&chapter.name)
            .join(format!("{}.md", self.name))
    }
}

/// The entry name of function `function` of exercise `exercise`: `NAME` for `main`,
/// `NAME::function` otherwise.
pub fn entry_name(exercise: &str, function: &str) -> String {
    if function == "main" {
        exercise.to_owned()
    } else {
        format!("{exercise}::{function}")
    }
}
