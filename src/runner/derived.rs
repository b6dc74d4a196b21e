//! Files derived from the manifest and kept in the repository, because their tools read
//! them as files: the book's `SUMMARY.md`, the README's chapter table, and the sections of
//! pages made from data (common mistakes from `mistakes/`, figures from `book/figures/`).
//! `cargo run -- sync` writes them; `verify` fails, naming the file, while one is stale.

use std::path::PathBuf;
use std::process::ExitCode;

use anstream::{eprintln, println};

use super::catalogue;
use super::figures;
use super::ui::{paint, BAD, GOOD};
use super::workbook::Workbook;

/// Where the README's generated table starts and ends.
const TABLE_START: &str = "<!-- chapters: generated from workbook.toml by `cargo run -- sync` -->";
const TABLE_END: &str = "<!-- /chapters -->";

/// Where a page's generated "Common mistakes" section starts and ends.
const MISTAKES_START: &str = "<!-- mistakes: generated from mistakes/ by `cargo run -- sync` -->";
const MISTAKES_END: &str = "<!-- /mistakes -->";

/// A derived file: where it goes and what it must hold.
pub struct Derived {
    pub path: String,
    pub contents: Result<String, String>,
}

/// Every derived file of the workbook, as it should be now.
pub fn all(workbook: &Workbook) -> Vec<Derived> {
    let mut all = vec![
        Derived {
            path: "book/src/SUMMARY.md".into(),
            contents: summary(workbook),
        },
        Derived {
            path: "README.md".into(),
            contents: readme(workbook),
        },
    ];
    let chapters: Vec<&str> = workbook
        .manifest
        .chapters
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let index = figures::index(&workbook.root, &chapters);
    for (page, exercise) in pages(workbook) {
        let catalogue = match exercise {
            Some(ex) => catalogue::load(&workbook.root, &ex.chapter, &ex.name),
            None => Ok(None),
        };
        let text = std::fs::read_to_string(workbook.path(&page));
        let wants_figures = text.as_deref().is_ok_and(figures::wanted);
        if matches!(catalogue, Ok(None)) && !wants_figures {
            continue;
        }
        let contents = text
            .map_err(|e| format!("cannot read {page}: {e}"))
            .and_then(|text| match catalogue? {
                Some(catalogue) => with_mistakes(&text, &page, &catalogue),
                None => Ok(text),
            })
            .and_then(|text| match wants_figures {
                true => figures::with_figures(&text, index.as_ref().map_err(Clone::clone)?)
                    .map_err(|e| format!("{page}: {e}")),
                false => Ok(text),
            });
        all.push(Derived {
            path: page,
            contents,
        });
    }
    all
}

/// Every page of the book (relative to the root), with its exercise if it is one's.
fn pages(workbook: &Workbook) -> Vec<(String, Option<&super::workbook::Ex>)> {
    let mut pages: Vec<_> = workbook
        .manifest
        .pages
        .iter()
        .map(|p| (format!("book/src/{p}.md"), None))
        .collect();
    for chapter in &workbook.manifest.chapters {
        let name = &chapter.name;
        pages.push((format!("book/src/{name}/index.md"), None));
        pages.extend(
            chapter
                .pages
                .iter()
                .map(|p| (format!("book/src/{name}/{p}.md"), None)),
        );
        pages.extend(workbook.of_chapter(name).map(|ex| (ex.page(), Some(ex))));
    }
    pages
}

/// The page with its "Common mistakes" section made from the catalogue.
fn with_mistakes(
    text: &str,
    page: &str,
    catalogue: &catalogue::Catalogue,
) -> Result<String, String> {
    let (Some(start), Some(end)) = (text.find(MISTAKES_START), text.find(MISTAKES_END)) else {
        return Err(format!(
            "{page} must hold its common mistakes between `{MISTAKES_START}` and \
             `{MISTAKES_END}`"
        ));
    };
    let section = catalogue::page_section(catalogue);
    Ok(format!(
        "{}{MISTAKES_START}\n\n{section}\n{}",
        &text[..start],
        &text[end..]
    ))
}

/// The first `# ` heading of a page, without backticks (the book's table of contents
/// shows it as plain text).
fn heading(workbook: &Workbook, page: &str) -> Result<String, String> {
    let path = workbook.path(&format!("book/src/{page}.md"));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text.lines()
        .find_map(|line| line.strip_prefix("# "))
        .map(|h| h.replace('`', "").trim().to_owned())
        .ok_or_else(|| format!("{} has no `# ` heading", path.display()))
}

fn summary(workbook: &Workbook) -> Result<String, String> {
    let mut out = String::from("# Summary\n\n");
    for page in &workbook.manifest.pages {
        out.push_str(&format!("[{}]({page}.md)\n", heading(workbook, page)?));
    }
    out.push('\n');
    for chapter in &workbook.manifest.chapters {
        let name = &chapter.name;
        out.push_str(&format!("- [{}]({name}/index.md)\n", chapter.title));
        let pages = chapter
            .pages
            .iter()
            .chain(chapter.exercises.iter().map(|e| &e.name));
        for page in pages {
            let title = heading(workbook, &format!("{name}/{page}"))?;
            out.push_str(&format!("    - [{title}]({name}/{page}.md)\n"));
        }
    }
    Ok(out)
}

fn readme(workbook: &Workbook) -> Result<String, String> {
    let path = workbook.path("README.md");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (Some(start), Some(end)) = (text.find(TABLE_START), text.find(TABLE_END)) else {
        return Err(format!(
            "README.md must hold the chapter table between `{TABLE_START}` and `{TABLE_END}`"
        ));
    };
    let mut table = format!("{TABLE_START}\n\n| chapter | | exercises |\n| --- | --- | --- |\n");
    for chapter in &workbook.manifest.chapters {
        let names: Vec<String> = chapter
            .exercises
            .iter()
            .map(|e| format!("`{}`", e.name))
            .collect();
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            chapter.name,
            chapter.title,
            names.join(", ")
        ));
    }
    table.push('\n');
    Ok(format!("{}{table}{}", &text[..start], &text[end..]))
}

/// The derived files that are not as they should be: (file, why).
pub fn stale(workbook: &Workbook) -> Vec<(PathBuf, String)> {
    all(workbook)
        .into_iter()
        .filter_map(|d| {
            let path = workbook.path(&d.path);
            match d.contents {
                Err(e) => Some((path, e)),
                Ok(want) => (std::fs::read_to_string(&path).ok().as_deref() != Some(&want))
                    .then(|| (path, "stale: run `cargo run -- sync`".to_owned())),
            }
        })
        .collect()
}

/// `workbook sync`: writes every derived file.
pub fn sync(workbook: &Workbook) -> ExitCode {
    let mut ok = true;
    for d in all(workbook) {
        let path = workbook.path(&d.path);
        match d.contents {
            Err(e) => {
                eprintln!("{} {e}", paint(BAD, "error:"));
                ok = false;
            }
            Ok(want) => {
                if std::fs::read_to_string(&path).ok().as_deref() == Some(&want) {
                    println!("{} is up to date", d.path);
                } else if let Err(e) = std::fs::write(&path, want) {
                    eprintln!("{} cannot write {}: {e}", paint(BAD, "error:"), d.path);
                    ok = false;
                } else {
                    println!("{} {}", paint(GOOD, "wrote"), d.path);
                }
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
