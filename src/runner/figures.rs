//! The book's measured figures: one data file per chapter, `book/figures/CHAPTER.json`,
//! and the blocks of the pages made from it.
//!
//! A page asks for a group of figures with a pair of markers:
//!
//! ```text
//! <!-- figures: ch03/balance -->
//! <!-- /figures -->
//! ```
//!
//! and `cargo run -- sync` writes between them a table and a chart of that group
//! ([`figures_render`](super::figures_render)); `verify` fails while a block is stale. So
//! the figures and the chart cannot disagree, and the book builds without running a
//! benchmark. The data comes from criterion ([`figures_import`](super::figures_import),
//! `cargo run -- figures bench CHAPTER`) or from `book/python/compare.py` (Python beside
//! Rust, measured in paired runs).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::figures_render;

/// Where the data files are, relative to the root.
pub const DIR: &str = "book/figures";

/// Where a page's block of figures starts (the group's id follows) and ends.
const START: &str = "<!-- figures: ";
const END: &str = "<!-- /figures -->";

/// `book/figures/CHAPTER.json`: what was measured for a chapter, group by group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Data {
    /// `ch03_locks`: the file's own name.
    pub chapter: String,
    pub groups: Vec<Group>,
}

/// One group of figures, measured in one run of one command: criterion's benchmarks of a
/// group (`benchmarks`), or Python programs beside their Rust counterparts (`pairs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Criterion's group id (`ch03/balance`), or `chNN/python_vs_rust`.
    pub id: String,
    /// The chart's caption; kept when the group is measured again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The machine it ran on: CPU, how many, kernel.
    pub machine: String,
    /// The exact command that measured it, from the workbook's root.
    pub command: String,
    /// When (UTC, `YYYY-MM-DD`).
    pub date: String,
    /// The unit of every time in the group: `ns` (criterion's) or `s`.
    pub unit: Unit,
    /// Criterion's confidence level of `low`..`high` (0.95).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benchmarks: Vec<Bench>,
    /// Paired runs: how many per pair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairs: Vec<Pair>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    #[serde(rename = "ns")]
    Ns,
    #[serde(rename = "s")]
    S,
}

impl Unit {
    /// One of this unit in seconds.
    pub fn seconds(self) -> f64 {
        match self {
            Unit::Ns => 1e-9,
            Unit::S => 1.0,
        }
    }
}

/// One benchmark: criterion's median time per iteration and its confidence interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bench {
    /// Its id inside the group: `mutex`, `echo/65536`.
    pub name: String,
    /// What the page calls it; kept when the group is measured again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub median: f64,
    pub low: f64,
    pub high: f64,
    /// What one iteration processes, when the bench declares it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<Throughput>,
}

/// Criterion's throughput of one iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Throughput {
    Bytes(u64),
    BytesDecimal(u64),
    Bits(u64),
    Elements(u64),
}

/// A Python program and its Rust counterpart, timed alternately in the same run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    /// What the program does: "balance, with the lock".
    pub program: String,
    /// `book/python/ch03_balance_locked.py`.
    pub python_file: String,
    /// The interpreter: "CPython 3.11.7", "CPython 3.13.1 free-threaded".
    pub python: String,
    /// The Rust side: `balance` (an entry of `cargo run -- run --release`).
    pub rust_entry: String,
    /// The tree it was built from: `solutions`, or `exercises` (the untouched file).
    pub rust_tree: String,
    /// Medians of the paired runs' wall times (start to exit).
    pub python_median: f64,
    pub rust_median: f64,
    /// Median of the paired runs' ratios (Python time / Rust time), and their range.
    pub ratio: f64,
    pub ratio_low: f64,
    pub ratio_high: f64,
    /// What each side printed last, and in how many of the runs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub python_printed: BTreeMap<String, u32>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rust_printed: BTreeMap<String, u32>,
}

impl Data {
    /// Parses and checks a data file's text; `chapter` is the name it is filed under.
    pub fn parse(text: &str, chapter: &str) -> Result<Data, String> {
        let data: Data = serde_json::from_str(text).map_err(|e| e.to_string())?;
        data.check(chapter)?;
        Ok(data)
    }

    fn check(&self, chapter: &str) -> Result<(), String> {
        if self.chapter != chapter {
            return Err(format!("says chapter `{}`", self.chapter));
        }
        let mut ids = std::collections::BTreeSet::new();
        for g in &self.groups {
            if !ids.insert(&g.id) {
                return Err(format!("group `{}` is there twice", g.id));
            }
            if g.benchmarks.is_empty() == g.pairs.is_empty() {
                return Err(format!(
                    "group `{}` must have either `benchmarks` or `pairs`",
                    g.id
                ));
            }
            let spans = g
                .benchmarks
                .iter()
                .map(|b| (&b.name, b.low, b.median, b.high));
            let ratios = g
                .pairs
                .iter()
                .map(|p| (&p.program, p.ratio_low, p.ratio, p.ratio_high));
            for (name, low, mid, high) in spans.chain(ratios) {
                let ok = [low, mid, high].iter().all(|v| v.is_finite() && *v >= 0.0);
                if !ok || low > mid || mid > high {
                    return Err(format!(
                        "`{}` of group `{}`: need 0 <= low <= median <= high, got \
                         {low}, {mid}, {high}",
                        name, g.id
                    ));
                }
            }
        }
        Ok(())
    }

    /// The text of the file: pretty JSON, as `compare.py` writes it too.
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("figures serialize");
        text.push('\n');
        text
    }
}

/// The data file of `chapter`, relative to the root.
pub fn path(chapter: &str) -> String {
    format!("{DIR}/{chapter}.json")
}

/// Reads the data file of `chapter` (`Ok(None)` when there is none yet).
pub fn load(root: &Path, chapter: &str) -> Result<Option<Data>, String> {
    let file = path(chapter);
    match std::fs::read_to_string(root.join(&file)) {
        Ok(text) => Data::parse(&text, chapter)
            .map(Some)
            .map_err(|e| format!("{file}: {e}")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {file}: {e}")),
    }
}

/// Every group of every data file, by id, with the file it is in.
pub type Index = BTreeMap<String, (String, Group)>;

/// Reads every data file of `chapters`.
pub fn index(root: &Path, chapters: &[&str]) -> Result<Index, String> {
    let mut all = Index::new();
    for chapter in chapters {
        for group in load(root, chapter)?.map_or_else(Vec::new, |d| d.groups) {
            if let Some((other, _)) = all.get(&group.id) {
                return Err(format!(
                    "group `{}` is in {other} and {}",
                    group.id,
                    path(chapter)
                ));
            }
            all.insert(group.id.clone(), (path(chapter), group));
        }
    }
    Ok(all)
}

/// Whether a page asks for figures at all.
pub fn wanted(text: &str) -> bool {
    text.contains(START)
}

/// `text` with every block of figures written from `index`.
pub fn with_figures(text: &str, index: &Index) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(START) {
        let after = &rest[at + START.len()..];
        let close = after
            .find("-->")
            .ok_or("a `<!-- figures:` marker is not closed")?;
        let id = after[..close].trim();
        let body = &after[close + 3..];
        let end = body
            .find(END)
            .ok_or_else(|| format!("the figures of `{id}` have no `{END}`"))?;
        if body[..end].contains(START) {
            return Err(format!(
                "the figures of `{id}` have no `{END}` before the next"
            ));
        }
        let (file, group) = index.get(id).ok_or_else(|| {
            let known: Vec<&str> = index.keys().map(String::as_str).collect();
            format!(
                "asks for figures `{id}`, which no file in {DIR}/ has (there: {})",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )
        })?;
        out.push_str(&rest[..at]);
        out.push_str(&format!("{START}{id} -->\n"));
        out.push_str(&figures_render::block(group, file));
        out.push_str(END);
        rest = &body[end + END.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
#[path = "figures_tests.rs"]
pub(crate) mod tests;
