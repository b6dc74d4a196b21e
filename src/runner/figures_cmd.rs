//! `workbook figures`: measured results into the book's data files.
//!
//! - `figures bench CHAPTER [-- ARGS]` runs `cargo bench --features solutions --bench
//!   CHAPTER -- ARGS` and imports what that run measured, with that command;
//! - `figures import CHAPTER --command "…"` imports what criterion holds now for the
//!   chapter (after a bench run of your own: `--command` says which).
//!
//! Either writes `book/figures/CHAPTER.json`; `cargo run -- sync` then writes the pages.

use std::path::Path;
use std::process::ExitCode;
use std::time::SystemTime;

use anstream::{eprintln, println};

use super::exec;
use super::figures::{self, Data};
use super::figures_import::{self as import, criterion_dir};
use super::learner::USAGE;
use super::ui::{paint, BAD, GOOD};
use super::workbook::Workbook;

/// The chapter a name or prefix means, or a message listing the chapters.
fn chapter<'a>(workbook: &'a Workbook, name: &str) -> Result<&'a str, ExitCode> {
    workbook.find_chapter(name).ok_or_else(|| {
        let known: Vec<&str> = workbook.focus();
        eprintln!(
            "{} no chapter `{name}`; chapters are: {}",
            paint(BAD, "error:"),
            known.join(", ")
        );
        ExitCode::from(USAGE)
    })
}

/// `workbook figures import CHAPTER --command "…" [--machine "…"] [--from DIR]`.
pub fn import(
    workbook: &Workbook,
    name: &str,
    command: &str,
    machine: Option<&str>,
    from: Option<&Path>,
) -> ExitCode {
    let chapter = match chapter(workbook, name) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let dir = from.map_or_else(|| criterion_dir(&workbook.root), Path::to_path_buf);
    write(workbook, chapter, &dir, command, machine, None)
}

/// `workbook figures bench CHAPTER [--machine "…"] [-- CRITERION-ARGS]`.
pub fn bench(workbook: &Workbook, name: &str, machine: Option<&str>, args: &[String]) -> ExitCode {
    let chapter = match chapter(workbook, name) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut words: Vec<String> = [
        "cargo",
        "bench",
        "--features",
        "solutions",
        "--bench",
        chapter,
    ]
    .map(String::from)
    .to_vec();
    if !args.is_empty() {
        words.push("--".to_owned());
        words.extend(args.iter().cloned());
    }
    let command = words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ");
    let mut cmd = super::compile::cargo(&workbook.root);
    cmd.args(&words[1..]);
    println!("running {command}");
    let since = SystemTime::now();
    match exec::run_in_foreground(&mut cmd) {
        Ok(status) if status.success() => {}
        Ok(status) => {
            eprintln!(
                "{} `{command}` failed ({status}); nothing imported",
                paint(BAD, "error:")
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("{} cannot run cargo: {e}", paint(BAD, "error:"));
            return ExitCode::FAILURE;
        }
    }
    let dir = criterion_dir(&workbook.root);
    write(workbook, chapter, &dir, &command, machine, Some(since))
}

fn write(
    workbook: &Workbook,
    chapter: &str,
    dir: &Path,
    command: &str,
    machine: Option<&str>,
    since: Option<SystemTime>,
) -> ExitCode {
    let prefix = import::prefix(chapter);
    let results = match import::read(dir, &prefix, since) {
        Ok(r) if r.is_empty() => {
            eprintln!(
                "{} no criterion results of groups `{prefix}…` in {}: run `cargo bench \
                 --features solutions --bench {chapter}` first",
                paint(BAD, "error:"),
                dir.display()
            );
            return ExitCode::FAILURE;
        }
        Ok(r) => r,
        Err(e) => {
            eprintln!("{} {e}", paint(BAD, "error:"));
            return ExitCode::FAILURE;
        }
    };
    let machine = machine.map_or_else(import::machine, str::to_owned);
    let groups = import::groups(results, command, &machine);
    let mut data = match figures::load(&workbook.root, chapter) {
        Ok(data) => data.unwrap_or_else(|| Data {
            chapter: chapter.to_owned(),
            groups: vec![],
        }),
        Err(e) => {
            eprintln!("{} {e}", paint(BAD, "error:"));
            return ExitCode::FAILURE;
        }
    };
    for g in &groups {
        let names: Vec<&str> = g.benchmarks.iter().map(|b| b.name.as_str()).collect();
        println!(
            "{} {} ({}): {}",
            paint(GOOD, "imported"),
            g.id,
            g.date,
            names.join(", ")
        );
    }
    import::merge(&mut data, groups);
    let file = figures::path(chapter);
    let path = workbook.path(&file);
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&path, data.to_text()));
    match written {
        Ok(()) => {
            println!(
                "{} {file}; `cargo run -- sync` writes the pages' `<!-- figures: GROUP -->` \
                 blocks",
                paint(GOOD, "wrote")
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{} cannot write {file}: {e}", paint(BAD, "error:"));
            ExitCode::FAILURE
        }
    }
}

/// A word as a shell would need it to mean itself.
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn commands_are_recorded_as_a_shell_would_read_them() {
        assert_eq!(super::quote("--warm-up-time"), "--warm-up-time");
        assert_eq!(super::quote("ch03/balance"), "ch03/balance");
        assert_eq!(super::quote("a b"), "'a b'");
        assert_eq!(super::quote("it's"), r"'it'\''s'");
        assert_eq!(super::quote(""), "''");
    }
}
