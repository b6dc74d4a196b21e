//! The workbook the runner works on: its root, its manifest, its exercises in order.

use std::path::{Path, PathBuf};

use crate::manifest::{self, Manifest, Tree};

/// One exercise, with what the runner needs to know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ex {
    /// `ch01_processes`.
    pub chapter: String,
    /// `two_files`.
    pub name: String,
    /// Position in the whole workbook, from 0.
    pub index: usize,
    pub loom: bool,
    /// Function names a child process can run (`main` → entry `name`).
    pub entries: Vec<String>,
    /// Other exercises of the chapter the file imports.
    pub uses: Vec<String>,
}

impl Ex {
    /// `ch01_processes::two_files`.
    pub fn id(&self) -> String {
        format!("{}::{}", self.chapter, self.name)
    }

    /// `exercises/ch01_processes/two_files.rs` (relative to the root).
    pub fn file(&self) -> String {
        self.source(Tree::Exercises)
    }

    /// `TREE/CHAPTER/NAME.rs` (relative to the root).
    pub fn source(&self, tree: Tree) -> String {
        format!("{}/{}/{}.rs", tree.dir(), self.chapter, self.name)
    }

    /// `book/src/CHAPTER/NAME.md` (relative to the root).
    pub fn page(&self) -> String {
        format!("book/src/{}/{}.md", self.chapter, self.name)
    }

    /// The libtest filter of exactly this exercise's tests (loom checks included).
    pub fn filter(&self) -> String {
        format!("{}::", self.name)
    }

    /// The plain cargo command that grades it.
    pub fn test_command(&self) -> String {
        format!("cargo test --test {} {}", self.chapter, self.filter())
    }

    /// Its entry names (`two_files`, `two_files::reader`).
    pub fn entry_names(&self) -> Vec<String> {
        self.entries
            .iter()
            .map(|f| manifest::entry_name(&self.name, f))
            .collect()
    }
}

/// The workbook: where it is, what it holds, which tree this runner grades.
#[derive(Debug)]
pub struct Workbook {
    pub root: PathBuf,
    pub manifest: Manifest,
    pub tree: Tree,
    exercises: Vec<Ex>,
}

impl Workbook {
    /// The workbook at `WORKBOOK_ROOT` if set (the runner's own tests point it at a
    /// scratch checkout), else the one this binary was built from; grading `solutions/`
    /// when the binary was built with `--features solutions`.
    pub fn open() -> Result<Workbook, manifest::Error> {
        let root = std::env::var_os("WORKBOOK_ROOT")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        let tree = if cfg!(feature = "solutions") {
            Tree::Solutions
        } else {
            Tree::Exercises
        };
        Workbook::at(&root, tree)
    }

    pub fn at(root: &Path, tree: Tree) -> Result<Workbook, manifest::Error> {
        let manifest = Manifest::load(root)?;
        let mut exercises = Vec::new();
        for chapter in &manifest.chapters {
            for exercise in &chapter.exercises {
                exercises.push(Ex {
                    chapter: chapter.name.clone(),
                    name: exercise.name.clone(),
                    index: exercises.len(),
                    loom: exercise.loom,
                    entries: exercise.entries.clone(),
                    uses: exercise.uses.clone(),
                });
            }
        }
        Ok(Workbook {
            root: root.to_path_buf(),
            manifest,
            tree,
            exercises,
        })
    }

    /// Every exercise, in the order a learner meets them.
    pub fn exercises(&self) -> &[Ex] {
        &self.exercises
    }

    /// The exercises of chapter `name`.
    pub fn of_chapter<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Ex> + 'a {
        self.exercises.iter().filter(move |e| e.chapter == name)
    }

    /// The chapters `list`, `next` and `watch` go through: all, or those named in
    /// `WORKBOOK_CHAPTERS` (comma-separated; to focus on some, and for the runner's tests).
    pub fn focus(&self) -> Vec<&str> {
        let only = std::env::var("WORKBOOK_CHAPTERS").unwrap_or_default();
        let only: Vec<&str> = only
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        self.manifest
            .chapters
            .iter()
            .map(|c| c.name.as_str())
            .filter(|c| only.is_empty() || only.contains(c))
            .collect()
    }

    pub fn title(&self, chapter: &str) -> &str {
        self.manifest
            .chapter(chapter)
            .map_or("", |c| c.title.as_str())
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// The exercise after `ex` in the whole workbook.
    pub fn after(&self, ex: &Ex) -> Option<&Ex> {
        self.exercises.get(ex.index + 1)
    }

    /// Finds a chapter by name or prefix (`ch01`).
    pub fn find_chapter(&self, name: &str) -> Option<&str> {
        self.manifest
            .chapters
            .iter()
            .map(|c| c.name.as_str())
            .find(|c| *c == name || c.starts_with(&format!("{name}_")))
    }
}
