//! `workbook hint EXERCISE`: the hints of the exercise's book page, one step at a time.
//!
//! A page's `## Hints` section holds them, gentle first, each in a `<details>` block (the
//! book folds them) or as a numbered list. Each `hint` shows the next one; `--all` shows
//! every one. How far a learner got is remembered in `.workbook/hints.json`. In Chinese the
//! hints come from the book's translation (`po`), each paragraph English where it has none.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anstream::{eprintln, println};

use super::i18n::text as t;
use super::learner::resolve_or_explain;
use super::po::Catalogue;
use super::ui::{paint, BAD, BOLD, DIM};
use super::workbook::Workbook;

const SEEN: &str = ".workbook/hints.json";

/// The hints of a page, in order.
pub fn parse(page: &str) -> Vec<String> {
    let Some(start) = page.lines().position(|line| line.trim() == "## Hints") else {
        return Vec::new();
    };
    let section: Vec<&str> = page
        .lines()
        .skip(start + 1)
        .take_while(|line| !line.starts_with("## ") && !line.starts_with("# "))
        .collect();
    let text = section.join("\n");
    if text.contains("<details>") {
        text.split("<details>")
            .skip(1)
            .filter_map(|block| {
                let body = block.split("</details>").next()?;
                let body = body.split_once("</summary>").map_or(body, |(_, b)| b);
                let body = body.trim();
                (!body.is_empty()).then(|| body.to_owned())
            })
            .collect()
    } else {
        numbered(&section)
    }
}

/// Items of a numbered list (`1. …`, continuation lines indented).
fn numbered(lines: &[&str]) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for line in lines {
        let trimmed = line.trim_start();
        let starts_item = trimmed
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if starts_item && !line.starts_with(' ') {
            let (_, text) = trimmed.split_once(". ").unwrap_or_default();
            items.push(text.to_owned());
        } else if let Some(last) = items.last_mut() {
            if !trimmed.is_empty() {
                last.push('\n');
                last.push_str(trimmed);
            }
        }
    }
    items
}

/// `workbook hint EXERCISE [--all]`.
pub fn hint(workbook: &Workbook, query: &str, all: bool) -> ExitCode {
    let ex = match resolve_or_explain(workbook, query) {
        Ok(ex) => ex,
        Err(code) => return code,
    };
    let page = std::fs::read_to_string(workbook.path(&ex.page())).unwrap_or_default();
    let mut hints = parse(&page);
    if hints.is_empty() {
        eprintln!(
            "{} {}",
            paint(BAD, t::ERROR),
            t::NO_HINTS.fill(&[&ex.page()])
        );
        return ExitCode::FAILURE;
    }
    if let Some(book) = Catalogue::for_workbook(workbook) {
        hints = hints.iter().map(|hint| book.markdown(hint)).collect();
    }
    let path = workbook.root.join(SEEN);
    let mut seen: BTreeMap<String, usize> = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let before = seen.get(&ex.id()).copied().unwrap_or(0);
    let upto = if all {
        hints.len()
    } else {
        (before + 1).min(hints.len())
    };
    println!("{} {}", paint(BOLD, t::HINTS_FOR), ex.id());
    for (i, hint) in hints.iter().enumerate().take(upto) {
        let heading = t::HINT_OF.fill(&[&(i + 1), &hints.len()]);
        if i + 1 < upto {
            println!("\n{}\n{}", paint(DIM, heading), paint(DIM, hint));
        } else {
            println!("\n{}\n{hint}", paint(BOLD, heading));
        }
    }
    if upto < hints.len() {
        println!(
            "\n{}",
            paint(DIM, t::STUCK_STILL.fill(&[&ex.name, &(hints.len() - upto)]))
        );
    } else {
        println!("\n{}", paint(DIM, t::LAST_HINT));
    }
    seen.insert(ex.id(), upto.max(before));
    let saved = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&path, serde_json::to_vec(&seen).unwrap_or_default()));
    if let Err(e) = saved {
        eprintln!("{}", t::HINTS_NOT_REMEMBERED.fill(&[&path.display(), &e]));
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn hints_come_from_details_blocks_or_a_numbered_list() {
        let details = "# T\n\n## Hints\n\n<details><summary>Hint 1</summary>\n\nLook at the \
                       lock.\n\n</details>\n<details><summary>Hint 2</summary>\n\nUse `while`.\n\
                       </details>\n\n## After\nno\n";
        assert_eq!(parse(details), ["Look at the lock.", "Use `while`."]);
        let list = "## Hints\n\n1. one\n   more of one\n2. two\n\n## After\n3. not a hint\n";
        assert_eq!(parse(list), ["one\nmore of one", "two"]);
        assert!(parse("# T\nnothing").is_empty());
    }
}
