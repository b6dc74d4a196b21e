//! What `verify` checks of the files themselves, against the manifest: every listed
//! exercise has its stub, solution, test module and page; nothing exists that is not
//! listed; the two trees declare the same public API and the same given code; the derived
//! files are current; every chapter has its bench.

use std::collections::BTreeSet;

use super::derived;
use super::workbook::Workbook;
use crate::manifest::Tree;

/// The line after which an exercise file holds given code: everything from it to the end
/// of the file is the same, byte for byte, in `exercises/` and `solutions/`.
pub const GIVEN: &str = "// ---- given: the tests rely on everything below; leave it as it is ----";

/// The widest a line of an exercise or solution may be: the book's code panel.
pub const WIDTH: usize = 85;

/// Every layout problem of `chapters`, each naming its file; with every chapter, also
/// what is not listed at all and the derived files.
pub fn problems(workbook: &Workbook, chapters: &[&str]) -> (usize, Vec<String>) {
    let mut checks = Checks::default();
    let root = &workbook.root;
    let selected = workbook
        .manifest
        .chapters
        .iter()
        .filter(|c| chapters.contains(&c.name.as_str()));
    for chapter in selected {
        let suite = root.join(chapter.suite());
        let suite_text = std::fs::read_to_string(&suite).unwrap_or_default();
        checks.check(suite.is_file(), || {
            format!("{}: missing", chapter.suite().display())
        });
        checks.check(root.join(chapter.page()).is_file(), || {
            format!("{}: missing (the chapter's page)", chapter.page().display())
        });
        checks.check(root.join(chapter.bench()).is_file(), || {
            format!(
                "{}: missing (the chapter's bench)",
                chapter.bench().display()
            )
        });
        for page in &chapter.pages {
            let page = format!("book/src/{}/{page}.md", chapter.name);
            checks.check(root.join(&page).is_file(), || format!("{page}: missing"));
        }
        for exercise in &chapter.exercises {
            let id = format!("{}::{}", chapter.name, exercise.name);
            for path in [
                exercise.source(Tree::Exercises, chapter),
                exercise.source(Tree::Solutions, chapter),
                exercise.page(chapter),
            ] {
                checks.check(root.join(&path).is_file(), || {
                    format!("{id}: missing {}", path.display())
                });
            }
            checks.check(
                suite_text.contains(&format!("\nmod {} {{", exercise.name))
                    || suite_text.contains(&format!("\nmod {};", exercise.name)),
                || {
                    format!(
                        "{id}: {} has no `mod {} {{ … }}` (or `mod {1};` with its `#[path]`)",
                        chapter.suite().display(),
                        exercise.name
                    )
                },
            );
            let read = |tree| std::fs::read_to_string(root.join(exercise.source(tree, chapter)));
            for tree in [Tree::Exercises, Tree::Solutions] {
                let file = exercise.source(tree, chapter);
                let text = read(tree).unwrap_or_default();
                let wide = text.lines().position(|l| l.chars().count() > WIDTH);
                checks.check(wide.is_none(), || {
                    format!(
                        "{}:{}: wider than {WIDTH} columns (the book's code panel would \
                         scroll)",
                        file.display(),
                        wide.unwrap_or(0) + 1
                    )
                });
            }
            if let (Ok(stub), Ok(solution)) = (read(Tree::Exercises), read(Tree::Solutions)) {
                same_api(&mut checks, &id, &stub, &solution);
                same_given(&mut checks, &id, &stub, &solution);
                for used in imports(&stub).union(&imports(&solution)) {
                    checks.check(
                        exercise.uses.contains(used) || chapter.exercise(used).is_none(),
                        || {
                            format!(
                                "{id}: the file uses `super::{used}`, but workbook.toml does not \
                             list it in `uses`"
                            )
                        },
                    );
                }
            }
        }
        // Nothing in the trees that the manifest does not list.
        for tree in [Tree::Exercises, Tree::Solutions] {
            let dir = root.join(tree.dir()).join(&chapter.name);
            for file in rs_files(&dir) {
                checks.check(chapter.exercise(&file).is_some(), || {
                    format!(
                        "{}/{}/{file}.rs is not listed in workbook.toml (add it to {}'s \
                         exercises, or remove it)",
                        tree.dir(),
                        chapter.name,
                        chapter.name
                    )
                });
            }
        }
        let bench = format!("name = \"{}\"", chapter.name);
        let cargo_toml = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
        checks.check(cargo_toml.contains(&bench), || {
            format!("Cargo.toml: no [[bench]] {bench} (with harness = false)")
        });
    }
    if chapters.len() < workbook.manifest.chapters.len() {
        return (checks.passed, checks.problems);
    }
    for tree in [Tree::Exercises, Tree::Solutions] {
        for dir in subdirs(&root.join(tree.dir())) {
            checks.check(workbook.manifest.chapter(&dir).is_some(), || {
                format!(
                    "{}/{dir}/ is not a chapter listed in workbook.toml",
                    tree.dir()
                )
            });
        }
    }
    for suite in rs_files(&root.join("tests")) {
        let is_chapter = workbook.manifest.chapter(&suite).is_some();
        checks.check(is_chapter || suite.starts_with("runner"), || {
            format!(
                "tests/{suite}.rs is neither a chapter listed in workbook.toml nor a runner \
                 suite (tests/runner_*.rs)"
            )
        });
    }
    for (path, why) in derived::stale(workbook) {
        let path = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        checks.problems.push(format!("{path}: {why}"));
    }
    (checks.passed, checks.problems)
}

#[derive(Default)]
struct Checks {
    passed: usize,
    problems: Vec<String>,
}

impl Checks {
    fn check(&mut self, ok: bool, problem: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
        } else {
            self.problems.push(problem());
        }
    }
}

/// The exercise and its solution declare the same public items with the same signatures:
/// the suite compiles against both, and a learner's file can always be swapped for the
/// solution.
fn same_api(checks: &mut Checks, id: &str, stub: &str, solution: &str) {
    let (stub, solution) = (signatures(stub), signatures(solution));
    checks.check(stub == solution, || {
        let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
            a.difference(b).cloned().collect::<Vec<_>>().join(" | ")
        };
        format!(
            "{id}: the exercise and the solution differ in their public API: only in \
             exercises/: [{}]; only in solutions/: [{}]",
            only(&stub, &solution),
            only(&solution, &stub)
        )
    });
}

/// The given part of both files (from [`GIVEN`] to the end) is the same, byte for byte.
fn same_given(checks: &mut Checks, id: &str, stub: &str, solution: &str) {
    let given = |text: &str| text.find(GIVEN).map(|at| text[at..].to_owned());
    let (a, b) = (given(stub), given(solution));
    checks.check(a == b, || match (&a, &b) {
        (Some(a), Some(b)) => {
            let line = a
                .lines()
                .zip(b.lines())
                .position(|(x, y)| x != y)
                .unwrap_or_else(|| a.lines().count().min(b.lines().count()));
            format!(
                "{id}: the given code (below `{GIVEN}`) differs between exercises/ and \
                 solutions/, from its line {} on",
                line + 1
            )
        }
        _ => format!("{id}: only one of exercises/ and solutions/ has the given-code line"),
    });
}

/// Each `pub` item's signature: from `pub` to its first `{` or `;` outside brackets,
/// whitespace collapsed (multi-line signatures included).
pub fn signatures(source: &str) -> BTreeSet<String> {
    const KINDS: [&str; 9] = [
        "fn ", "struct ", "enum ", "const ", "static ", "trait ", "type ", "mod ", "use ",
    ];
    let code: String = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("pub ") {
        let before = rest[..at].chars().last();
        let item = &rest[at..];
        rest = &rest[at + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '(') {
            continue;
        }
        let after = &item[4..];
        if !KINDS.iter().any(|k| after.trim_start().starts_with(k)) {
            continue;
        }
        // Brackets that may hold a `{` or `;` (`[u8; 4]`, `Result<(), E>`); a `<` counts
        // only right after a name (generics, not `1 << 20`), a `>` not after `-` (`->`).
        let (mut depth, mut angles, mut previous) = (0i32, 0i32, ' ');
        let end = item
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '(' | '[' => depth += 1,
                    ')' | ']' => depth -= 1,
                    '<' if previous.is_alphanumeric() || previous == '_' || previous == ':' => {
                        angles += 1
                    }
                    '>' if previous != '-' && angles > 0 => angles -= 1,
                    _ => {}
                }
                previous = c;
                depth <= 0 && angles == 0 && (c == '{' || c == ';')
            })
            .map_or(item.len(), |(i, _)| i);
        let signature: Vec<&str> = item[..end].split_whitespace().collect();
        found.insert(signature.join(" "));
    }
    found
}

/// The sibling exercises a file imports: `super::NAME`.
fn imports(source: &str) -> BTreeSet<String> {
    source
        .match_indices("super::")
        .filter_map(|(at, _)| {
            let name: String = source[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (name != "sync" && !name.is_empty()).then_some(name)
        })
        .collect()
}

fn rs_files(dir: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".rs")
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

fn subdirs(dir: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_whole_and_bodies_are_left_out() {
        let source = "pub fn a(x: u8,\n    y: u8) -> u8 {\n    todo!()\n}\nfn private() {}\n\
                      pub(crate) fn hidden() {}\n    pub fn method(&self) {}\n\
                      pub struct S<T: Clone> {\n    pub field: u8,\n}\n\
                      // pub fn commented() {}\npub const N: usize = 3;\n";
        let items: Vec<_> = signatures(source).into_iter().collect();
        assert_eq!(
            items,
            [
                "pub const N: usize = 3",
                "pub fn a(x: u8, y: u8) -> u8",
                "pub fn method(&self)",
                "pub struct S<T: Clone>"
            ]
        );
    }

    #[test]
    fn a_file_imports_its_siblings_through_super() {
        let source =
            "use super::sync::Mutex;\nuse super::frames::{Message};\nsuper::task_table::x();\n";
        let found: Vec<_> = imports(source).into_iter().collect();
        assert_eq!(found, ["frames", "task_table"]);
    }
}
