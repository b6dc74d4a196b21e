//! What a learner types for an exercise: `ch01_processes::two_files`, `two_files`,
//! `exercises/ch01_processes/two_files.rs`, a unique part of a name; and close matches for
//! a typo.

use super::i18n::text as t;
use super::workbook::{Ex, Workbook};

/// Why a name did not pick one exercise.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("no exercise called `{query}`{}", suggest(.close))]
    Unknown { query: String, close: Vec<String> },
    #[error("`{query}` could be any of: {}; say which with its chapter", .matches.join(", "))]
    Ambiguous { query: String, matches: Vec<String> },
}

fn suggest(close: &[String]) -> String {
    if close.is_empty() {
        "; `cargo run -- list` shows them all".to_owned()
    } else {
        format!("; did you mean: {}?", close.join(", "))
    }
}

/// What the error says, in the runner's language (in English, its `Display`).
pub fn explain(error: &NameError) -> String {
    match error {
        NameError::Unknown { query, close } if close.is_empty() => {
            t::NO_EXERCISE.fill(&[query, &t::LIST_SHOWS_ALL])
        }
        NameError::Unknown { query, close } => {
            let suggested = t::DID_YOU_MEAN.fill(&[&close.join(", ")]);
            t::NO_EXERCISE.fill(&[query, &suggested])
        }
        NameError::Ambiguous { query, matches } => t::AMBIGUOUS.fill(&[query, &matches.join(", ")]),
    }
}

/// Finds the exercise a learner means, in any of the friendly forms, any case.
pub fn resolve<'a>(workbook: &'a Workbook, query: &str) -> Result<&'a Ex, NameError> {
    let wanted = normalise(query);
    let all = workbook.exercises();
    let exact: Vec<&Ex> = all
        .iter()
        .filter(|e| e.id() == wanted || e.name == wanted)
        .collect();
    let candidates: Vec<&Ex> = if exact.is_empty() && !wanted.is_empty() {
        all.iter().filter(|e| partial_match(e, &wanted)).collect()
    } else {
        exact
    };
    match candidates.as_slice() {
        [one] => Ok(one),
        [] => Err(NameError::Unknown {
            query: query.to_owned(),
            close: close_matches(&wanted, all),
        }),
        many => Err(NameError::Ambiguous {
            query: query.to_owned(),
            matches: many.iter().map(|e| e.id()).collect(),
        }),
    }
}

fn normalise(query: &str) -> String {
    let q = query.trim().to_lowercase().replace('\\', "/");
    let q = q.strip_prefix("./").unwrap_or(&q);
    let q = q.strip_prefix("exercises/").unwrap_or(q);
    let q = q.strip_prefix("solutions/").unwrap_or(q);
    let q = q.strip_suffix(".rs").unwrap_or(q);
    q.replace('/', "::").trim_matches(':').to_owned()
}

fn partial_match(e: &Ex, wanted: &str) -> bool {
    match wanted.split_once("::") {
        Some((chapter, name)) => e.chapter.starts_with(chapter) && e.name.contains(name),
        None => e.name.contains(wanted),
    }
}

/// How close `query` is to `name`: the best of the whole name and each of its words
/// (`tabel` is one letter swap from the `table` of `task_table`).
fn closeness(query: &str, name: &str) -> f64 {
    std::iter::once(name)
        .chain(name.split('_').filter(|w| w.len() >= 3))
        .map(|part| strsim::normalized_damerau_levenshtein(query, part))
        .fold(0.0, f64::max)
}

/// Up to three exercises whose names are close to `wanted`, closest first.
fn close_matches(wanted: &str, all: &[Ex]) -> Vec<String> {
    let name = wanted.rsplit("::").next().unwrap_or(wanted);
    let mut scored: Vec<(f64, String)> = all
        .iter()
        .map(|e| (closeness(name, &e.name), e.id()))
        .filter(|(score, _)| *score >= 0.6)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let best = scored.first().map_or(0.0, |s| s.0);
    scored
        .into_iter()
        .take_while(|(score, _)| best - score < 0.15)
        .take(3)
        .map(|(_, id)| id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Tree;

    fn workbook() -> Workbook {
        Workbook::at(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
            Tree::Exercises,
        )
        .unwrap()
    }

    #[test]
    fn names_resolve_in_every_friendly_form() {
        let wb = workbook();
        for query in [
            "ch01_processes::two_files",
            "two_files",
            "TWO_FILES",
            "ch01_processes/two_files",
            "exercises/ch01_processes/two_files.rs",
            "./solutions/ch01_processes/two_files.rs",
            "ch01::two",
        ] {
            assert_eq!(
                resolve(&wb, query).unwrap().id(),
                "ch01_processes::two_files",
                "{query}"
            );
        }
    }

    #[test]
    fn explained_in_english_errors_read_as_their_display() {
        let wb = workbook();
        for query in ["tabel", "zzzzzzzzzzzz", "er"] {
            let error = resolve(&wb, query).unwrap_err();
            assert_eq!(explain(&error), error.to_string(), "{query}");
        }
    }

    #[test]
    fn typos_get_the_close_name_first_and_nonsense_gets_none() {
        let wb = workbook();
        for (typo, meant) in [
            ("tabel", "ch09_distributed::task_table"),
            ("two_flies", "ch01_processes::two_files"),
            ("semafore", "ch05_sync::semaphore"),
            ("balanse", "ch03_locks::balance"),
        ] {
            match resolve(&wb, typo) {
                Err(NameError::Unknown { close, .. }) => {
                    assert_eq!(
                        close.first().map(String::as_str),
                        Some(meant),
                        "{typo}: {close:?}"
                    )
                }
                other => panic!("{typo}: {other:?}"),
            }
        }
        assert_eq!(
            resolve(&wb, "zzzzzzzzzzzz"),
            Err(NameError::Unknown {
                query: "zzzzzzzzzzzz".into(),
                close: vec![]
            })
        );
    }
}
