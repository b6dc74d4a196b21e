//! The importer against a small criterion-shaped folder: the files criterion 0.8 writes
//! (`GROUP/BENCH/new/benchmark.json` and `estimates.json`), with their times set.

use std::path::Path;
use std::time::{Duration, SystemTime};

use super::*;
use crate::runner::figures::{Data, Throughput};

/// One benchmark's `new/` folder, as criterion writes it, modified at `at` seconds.
fn result(root: &Path, dir: &str, id: (&str, Option<&str>, Option<&str>), t: &str, at: u64) {
    let new = root.join(dir).join("new");
    std::fs::create_dir_all(&new).unwrap();
    let json = |v: Option<&str>| v.map_or("null".to_owned(), |v| format!("\"{v}\""));
    let full = [Some(id.0), id.1, id.2]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("/");
    std::fs::write(
        new.join("benchmark.json"),
        format!(
            "{{\"group_id\":\"{}\",\"function_id\":{},\"value_str\":{},\"throughput\":{t},\
             \"full_id\":\"{full}\",\"directory_name\":\"{dir}\",\"title\":\"{full}\"}}",
            id.0,
            json(id.1),
            json(id.2)
        ),
    )
    .unwrap();
    let estimate = |p: f64| {
        format!(
            "{{\"confidence_interval\":{{\"confidence_level\":0.95,\"lower_bound\":{},\
             \"upper_bound\":{}}},\"point_estimate\":{p},\"standard_error\":{}}}",
            p * 0.9,
            p * 1.2,
            p * 0.05
        )
    };
    let median = 1000.0 * at as f64;
    let estimates = format!(
        "{{\"mean\":{},\"median\":{},\"median_abs_dev\":{},\"slope\":null,\"std_dev\":{}}}",
        estimate(median * 1.01),
        estimate(median),
        estimate(median * 0.02),
        estimate(median * 0.03)
    );
    let file = new.join("estimates.json");
    std::fs::write(&file, estimates).unwrap();
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + at);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(when)
        .unwrap();
    // The run before, which the importer must ignore.
    std::fs::create_dir_all(root.join(dir).join("base")).unwrap();
}

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Alphabetically "atomic" < "mutex", but "mutex" ran first.
    result(
        root,
        "ch03_balance/mutex",
        ("ch03/balance", Some("mutex"), None),
        "null",
        1,
    );
    result(
        root,
        "ch03_balance/atomic",
        ("ch03/balance", Some("atomic"), None),
        "null",
        2,
    );
    result(
        root,
        "ch03_echo/echo/65536",
        ("ch03/echo", Some("echo"), Some("65536")),
        "{\"Bytes\":65536}",
        3,
    );
    result(
        root,
        "ch03_handshake_ sign + verify",
        ("ch03/handshake: sign + verify", None, None),
        "null",
        4,
    );
    result(
        root,
        "ch04_queue/BoundedQueue",
        ("ch04/queue", Some("BoundedQueue"), None),
        "null",
        5,
    );
    std::fs::create_dir_all(root.join("report")).unwrap();
    dir
}

#[test]
fn results_are_read_for_the_chapter_only_in_the_order_they_ran() {
    let dir = fixture();
    let found = read(dir.path(), &prefix("ch03_locks"), None).unwrap();
    let names: Vec<(&str, &str)> = found
        .iter()
        .map(|m| (m.group.as_str(), m.bench.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("ch03/balance", "mutex"),
            ("ch03/balance", "atomic"),
            ("ch03/echo", "echo/65536"),
            ("ch03/handshake: sign + verify", "handshake: sign + verify"),
        ]
    );
    let mutex = &found[0].bench;
    assert_eq!(
        (mutex.median, mutex.low, mutex.high),
        (1000.0, 900.0, 1200.0)
    );
    assert_eq!(found[0].confidence, 0.95);
    assert_eq!(found[2].bench.throughput, Some(Throughput::Bytes(65536)));
    assert_eq!(mutex.throughput, None);
}

#[test]
fn a_bench_run_imports_only_what_it_measured() {
    let dir = fixture();
    let since = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_002);
    let found = read(dir.path(), "ch03/", Some(since)).unwrap();
    let names: Vec<&str> = found.iter().map(|m| m.bench.name.as_str()).collect();
    assert_eq!(names, ["atomic", "echo/65536", "handshake: sign + verify"]);
}

#[test]
fn groups_record_the_command_the_machine_and_the_day() {
    let dir = fixture();
    let found = read(dir.path(), "ch03/", None).unwrap();
    let groups = groups(found, "cargo bench --bench ch03_locks", "Test CPU");
    assert_eq!(groups.len(), 3);
    let balance = &groups[0];
    assert_eq!(balance.id, "ch03/balance");
    assert_eq!(balance.benchmarks.len(), 2);
    assert_eq!(balance.command, "cargo bench --bench ch03_locks");
    assert_eq!(balance.machine, "Test CPU");
    assert_eq!(balance.date, "2023-11-14");
    assert_eq!(balance.unit, Unit::Ns);
    assert_eq!(balance.confidence, Some(0.95));
}

#[test]
fn measuring_again_keeps_titles_labels_and_other_groups() {
    let dir = fixture();
    let mut first = groups(read(dir.path(), "ch03/", None).unwrap(), "old", "m");
    first[0].title = Some("The balance, three ways".into());
    first[0].benchmarks[0].label = Some("`Mutex<i64>`".into());
    let mut data = Data {
        chapter: "ch03_locks".into(),
        groups: first,
    };
    let mut again = groups(read(dir.path(), "ch03/", None).unwrap(), "new", "m");
    again.retain(|g| g.id == "ch03/balance");
    again[0].benchmarks[0].median = 1.0;
    again[0].benchmarks[0].low = 1.0;
    again.push(Group {
        id: "ch03/new".into(),
        ..again[0].clone()
    });
    merge(&mut data, again);
    let ids: Vec<&str> = data.groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "ch03/balance",
            "ch03/echo",
            "ch03/handshake: sign + verify",
            "ch03/new"
        ]
    );
    let balance = &data.groups[0];
    assert_eq!(balance.command, "new");
    assert_eq!(balance.title.as_deref(), Some("The balance, three ways"));
    assert_eq!(balance.benchmarks[0].label.as_deref(), Some("`Mutex<i64>`"));
    assert_eq!(balance.benchmarks[0].median, 1.0);
    assert_eq!(data.groups[1].command, "old");
}

#[test]
fn a_broken_result_is_an_error_naming_its_file() {
    let dir = fixture();
    std::fs::write(
        dir.path().join("ch03_balance/mutex/new/benchmark.json"),
        "{",
    )
    .unwrap();
    let error = read(dir.path(), "ch03/", None).unwrap_err();
    assert!(
        error.contains("ch03_balance/mutex/new/benchmark.json"),
        "{error}"
    );
}

#[test]
fn days_are_utc_calendar_dates() {
    let day = |secs: u64| date(SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
    assert_eq!(day(0), "1970-01-01");
    assert_eq!(day(951_782_400), "2000-02-29");
    assert_eq!(day(1_735_689_599), "2024-12-31");
    assert_eq!(day(1_735_689_600), "2025-01-01");
}

#[test]
fn the_machine_names_its_cpus_and_kernel() {
    let machine = machine();
    assert!(machine.contains(" CPUs, "), "{machine}");
}
