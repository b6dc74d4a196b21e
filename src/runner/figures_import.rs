//! Criterion's own results into a chapter's data file: `cargo run -- figures import
//! CHAPTER --command "…"` reads what a bench run left under the target folder, and
//! `cargo run -- figures bench CHAPTER [-- CRITERION-ARGS]` runs the chapter's bench and
//! imports what that run measured, recording the exact command itself.
//!
//! Criterion leaves, per benchmark, `criterion/GROUP/BENCH/new/benchmark.json` (its id)
//! and `new/estimates.json` (the estimates, in nanoseconds per iteration). The workbook's
//! bench groups are named `chNN/…` after their chapter, so that prefix picks a chapter's.
//! Benchmarks run one after another, so the files' times give the order they ran in: a
//! group keeps the order of its bench file.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Deserialize;

use super::figures::{Bench, Data, Group, Throughput, Unit};

#[derive(Deserialize)]
struct BenchmarkId {
    group_id: String,
    function_id: Option<String>,
    value_str: Option<String>,
    throughput: Option<CriterionThroughput>,
}

#[derive(Deserialize)]
enum CriterionThroughput {
    Bits(u64),
    Bytes(u64),
    BytesDecimal(u64),
    Elements(u64),
    ElementsAndBytes { elements: u64 },
}

#[derive(Deserialize)]
struct Estimates {
    median: Estimate,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
    confidence_interval: Interval,
}

#[derive(Deserialize)]
struct Interval {
    confidence_level: f64,
    lower_bound: f64,
    upper_bound: f64,
}

/// One benchmark's result as criterion left it.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub group: String,
    pub bench: Bench,
    pub confidence: f64,
    /// When criterion wrote it.
    pub modified: SystemTime,
}

/// Where criterion writes: `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else
/// `target/criterion` under the root (criterion's own order).
pub fn criterion_dir(root: &Path) -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(target) => root.join(target).join("criterion"),
        None => root.join("target/criterion"),
    }
}

/// The group prefix of a chapter's benches: `ch03_locks` → `ch03/`.
pub fn prefix(chapter: &str) -> String {
    format!("{}/", chapter.split('_').next().unwrap_or(chapter))
}

/// Every result under `dir` whose group starts with `prefix` (written at or after
/// `since`, if given), in the order they were written.
pub fn read(dir: &Path, prefix: &str, since: Option<SystemTime>) -> Result<Vec<Measured>, String> {
    let mut found = Vec::new();
    new_dirs(dir, 0, &mut found);
    let mut all = Vec::new();
    for new in found {
        let read = |name: &str| {
            let path = new.join(name);
            std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        };
        let id: BenchmarkId = serde_json::from_str(&read("benchmark.json")?)
            .map_err(|e| format!("{}/benchmark.json: {e}", new.display()))?;
        if !id.group_id.starts_with(prefix) {
            continue;
        }
        let modified = std::fs::metadata(new.join("estimates.json"))
            .and_then(|m| m.modified())
            .map_err(|e| format!("{}/estimates.json: {e}", new.display()))?;
        if since.is_some_and(|since| modified < since) {
            continue;
        }
        let estimates: Estimates = serde_json::from_str(&read("estimates.json")?)
            .map_err(|e| format!("{}/estimates.json: {e}", new.display()))?;
        let parts: Vec<String> = [id.function_id, id.value_str]
            .into_iter()
            .flatten()
            .collect();
        let name = match parts.is_empty() {
            true => id.group_id[prefix.len()..].to_owned(),
            false => parts.join("/"),
        };
        let m = estimates.median;
        all.push(Measured {
            group: id.group_id,
            bench: Bench {
                name,
                label: None,
                median: m.point_estimate,
                low: m.confidence_interval.lower_bound,
                high: m.confidence_interval.upper_bound,
                throughput: id.throughput.map(|t| match t {
                    CriterionThroughput::Bits(n) => Throughput::Bits(n),
                    CriterionThroughput::Bytes(n) => Throughput::Bytes(n),
                    CriterionThroughput::BytesDecimal(n) => Throughput::BytesDecimal(n),
                    CriterionThroughput::Elements(n)
                    | CriterionThroughput::ElementsAndBytes { elements: n } => {
                        Throughput::Elements(n)
                    }
                }),
            },
            confidence: m.confidence_interval.confidence_level,
            modified,
        });
    }
    all.sort_by_key(|m| m.modified);
    Ok(all)
}

/// The `new` folders holding a `benchmark.json` (criterion's other folders are reports,
/// and `base`, the run before).
fn new_dirs(dir: &Path, depth: usize, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subdirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    for sub in subdirs {
        if sub.ends_with("new") && sub.join("benchmark.json").is_file() {
            found.push(sub);
        } else if depth < 6 && !sub.ends_with("report") && !sub.ends_with("base") {
            new_dirs(&sub, depth + 1, found);
        }
    }
}

/// The results as groups, in the order their first benchmark ran.
pub fn groups(results: Vec<Measured>, command: &str, machine: &str) -> Vec<Group> {
    let mut groups: Vec<(Group, SystemTime)> = Vec::new();
    for m in results {
        let at = groups.iter().position(|(g, _)| g.id == m.group);
        let (group, newest) = match at {
            Some(i) => &mut groups[i],
            None => {
                groups.push((
                    Group {
                        id: m.group.clone(),
                        title: None,
                        machine: machine.to_owned(),
                        command: command.to_owned(),
                        date: String::new(),
                        unit: Unit::Ns,
                        confidence: Some(m.confidence),
                        benchmarks: Vec::new(),
                        runs: None,
                        pairs: Vec::new(),
                    },
                    m.modified,
                ));
                groups.last_mut().expect("just pushed")
            }
        };
        *newest = (*newest).max(m.modified);
        group.benchmarks.push(m.bench);
    }
    groups
        .into_iter()
        .map(|(mut g, newest)| {
            g.date = date(newest);
            g
        })
        .collect()
}

/// `new` into `data`: a group measured again replaces the old one where it was, keeping
/// its title and its benchmarks' labels; the others are added at the end.
pub fn merge(data: &mut Data, new: Vec<Group>) {
    for mut group in new {
        match data.groups.iter_mut().find(|g| g.id == group.id) {
            Some(old) => {
                group.title = old.title.take();
                for b in &mut group.benchmarks {
                    let same = old.benchmarks.iter().find(|o| o.name == b.name);
                    b.label = same.and_then(|o| o.label.clone());
                }
                *old = group;
            }
            None => data.groups.push(group),
        }
    }
}

/// The machine, as the figures record it: `CPU model, N CPUs, Linux release`.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")?
                .split_once(':')
                .map(|(_, m)| m.trim())
        })
        .unwrap_or("unknown CPU")
        .to_owned();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!("{model}, {cpus} CPUs, {} {}", os_name(), release.trim())
        .trim_end()
        .to_owned()
}

fn os_name() -> &'static str {
    match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "macOS",
        other => other,
    }
}

/// The UTC day of `time`: `YYYY-MM-DD` (the civil calendar from days since 1970).
pub fn date(time: SystemTime) -> String {
    let secs = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
#[path = "figures_import_tests.rs"]
mod tests;
