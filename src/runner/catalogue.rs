//! Each exercise's catalogue of common mistakes and correct alternatives:
//! `mistakes/CHAPTER/NAME.toml`. A mistake is a realistic wrong solution, written as edits
//! of the reference solution (or a whole file); an alternative is another correct design
//! the exercise text allows. `verify --mistakes` applies each and requires every mistake to
//! fail on every run (the tests it names among the failures) and every alternative to
//! pass; the book's page lists them (`cargo run -- sync`).
//!
//! ```toml
//! [[mistake]]
//! name = "load_then_store"
//! says = "Reads the balance, then stores the sum: an update in between is lost."
//! caught_by = ["balance::loom_no_deposit_is_lost"]
//! edit = [{ find = "*balance += n", replace = "let b = *balance; *balance = b + n" }]
//!
//! [[alternative]]
//! name = "guard_in_a_block"
//! says = "Takes the guard in a block instead of a helper."
//! file = "guard_in_a_block.rs"   # mistakes/CHAPTER/NAME/guard_in_a_block.rs
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One exercise's catalogue.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    #[serde(default, rename = "mistake")]
    pub mistakes: Vec<Entry>,
    #[serde(default, rename = "alternative")]
    pub alternatives: Vec<Entry>,
}

/// A wrong solution or a correct alternative.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// A short identifier: `if_instead_of_while`.
    pub name: String,
    /// What it does, in a sentence the learner recognises.
    pub says: String,
    /// The tests that catch it (mistakes only): each must fail on every run.
    #[serde(default)]
    pub caught_by: Vec<String>,
    /// Edits of the reference solution: each `find` must occur in it exactly once.
    #[serde(default)]
    pub edit: Vec<Edit>,
    /// Or a whole file instead of the solution, beside the catalogue.
    pub file: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub find: String,
    pub replace: String,
}

/// `mistakes/CHAPTER/NAME.toml`, relative to the root.
pub fn path(chapter: &str, exercise: &str) -> PathBuf {
    Path::new("mistakes")
        .join(chapter)
        .join(format!("{exercise}.toml"))
}

/// The catalogue of an exercise: `Ok(None)` when it has none.
pub fn load(root: &Path, chapter: &str, exercise: &str) -> Result<Option<Catalogue>, String> {
    let file = root.join(path(chapter, exercise));
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", file.display())),
    };
    toml::from_str(&text)
        .map(Some)
        .map_err(|e| format!("{} is not a valid catalogue: {e}", file.display()))
}

impl Entry {
    /// The source this entry grades: the solution with its edits, or its own file.
    pub fn source(&self, root: &Path, chapter: &str, exercise: &str) -> Result<String, String> {
        if let Some(file) = &self.file {
            let path = root
                .join("mistakes")
                .join(chapter)
                .join(exercise)
                .join(file);
            return std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: cannot read {}: {e}", self.name, path.display()));
        }
        let solution = root.join(format!("solutions/{chapter}/{exercise}.rs"));
        let mut text = std::fs::read_to_string(&solution)
            .map_err(|e| format!("cannot read {}: {e}", solution.display()))?;
        if self.edit.is_empty() {
            return Err(format!("{}: neither `edit` nor `file`", self.name));
        }
        for edit in &self.edit {
            match text.matches(&edit.find).count() {
                1 => text = text.replacen(&edit.find, &edit.replace, 1),
                n => {
                    return Err(format!(
                        "{}: `{}` occurs {n} times in solutions/{chapter}/{exercise}.rs \
                         (it must occur exactly once)",
                        self.name, edit.find
                    ))
                }
            }
        }
        Ok(text)
    }
}

/// The page section listing an exercise's catalogue (between the page's markers).
pub fn page_section(catalogue: &Catalogue) -> String {
    let mut out = String::from("## Common mistakes\n\n");
    out.push_str(
        "Each of these was written as a wrong solution and is proven caught, on every run, \
         by the tests named (`cargo run -- verify --mistakes`).\n\n",
    );
    for m in &catalogue.mistakes {
        let tests: Vec<String> = m.caught_by.iter().map(|t| format!("`{t}`")).collect();
        out.push_str(&format!(
            "- **{}** {} Caught by {}.\n",
            m.name,
            m.says,
            tests.join(", ")
        ));
    }
    if !catalogue.alternatives.is_empty() {
        out.push_str("\nAlso correct, and accepted by the same tests:\n\n");
        for a in &catalogue.alternatives {
            out.push_str(&format!("- **{}** {}\n", a.name, a.says));
        }
    }
    out
}
