//! Tables, charts and provenance made from groups.

use super::*;
use crate::runner::figures::tests::group;
use crate::runner::figures::{Bench, Pair, Unit};

#[test]
fn numbers_read_well() {
    assert_eq!(time_text(0.0321), "32.1 ms");
    assert_eq!(time_text(1.59), "1.59 s");
    assert_eq!(time_text(66e-6), "66.0 µs");
    assert_eq!(time_text(460e-9), "460 ns");
    assert_eq!(rate_text(8512.3), "8,510");
    assert_eq!(rate_text(1_234_567.0), "1,230,000");
    assert_eq!(rate_text(745.4), "745");
    assert_eq!(percent(0.95), "95 %");
}

#[test]
fn a_cell_escapes_html_outside_code_spans() {
    assert_eq!(
        cell("Mutex<u64> & `Vec<u8>`"),
        "Mutex&lt;u64&gt; &amp; `Vec<u8>`"
    );
    assert_eq!(cell("a|b"), "a\\|b");
}

#[test]
fn a_criterion_group_is_a_table_a_chart_and_its_provenance() {
    let mut g = group("ch03/balance");
    g.benchmarks.push(Bench {
        name: "per|thread".into(),
        label: Some("per-thread `sums`".into()),
        median: 5.0e5,
        low: 4.0e5,
        high: 6.0e5,
        throughput: None,
    });
    let block = block(&g, "book/figures/ch03_locks.json");
    assert!(
        block.contains("| benchmark | median | 95 % interval |\n"),
        "{block}"
    );
    assert!(
        block.contains("| mutex | 2.00 ms | 1.90–2.20 ms |\n"),
        "{block}"
    );
    assert!(
        block.contains("| per-thread `sums` | 500 µs | 400–600 µs |\n"),
        "{block}"
    );
    assert!(block.contains("time per iteration (ms; shorter is faster)"));
    assert!(block.contains("<figcaption>The balance</figcaption>"));
    assert!(block.contains("with `cargo bench --bench ch03_locks`"));
    assert!(block.contains("Test CPU, 2 CPUs, Linux 6.1"));
    assert!(block.contains("book/figures/ch03_locks.json"));
}

#[test]
fn throughput_groups_chart_the_rate() {
    let mut g = group("ch08/communicate");
    g.benchmarks[0].throughput = Some(Throughput::Bytes(2 * 1024 * 1024));
    g.benchmarks[0].median = 1.0e6; // 2 MiB in 1 ms: 2000 MiB/s
    let block = block(&g, "f");
    assert!(
        block.contains("| throughput |") && block.contains(" 2,000 MiB/s |"),
        "{block}"
    );
    assert!(block.contains("throughput, MiB/s (higher is faster)"));
}

#[test]
fn paired_runs_show_both_times_the_ratio_and_what_was_printed() {
    let mut g = group("ch03/python_vs_rust");
    g.benchmarks.clear();
    g.unit = Unit::S;
    g.runs = Some(3);
    g.pairs.push(Pair {
        program: "balance, with the lock".into(),
        python_file: "book/python/ch03_balance_locked.py".into(),
        python: "CPython 3.11.7".into(),
        rust_entry: "balance".into(),
        rust_tree: "solutions".into(),
        python_median: 1.59,
        rust_median: 0.0321,
        ratio: 49.5,
        ratio_low: 45.0,
        ratio_high: 52.3,
        python_printed: [("0".to_owned(), 3)].into(),
        rust_printed: [("balance: 0".to_owned(), 3)].into(),
    });
    let block = block(&g, "f");
    assert!(
        block.contains(
            "| balance, with the lock | CPython 3.11.7 | 1.59 s | 32.1 ms | 49.5× (45.0–52.3×) \
         | `0` (3 of 3) | `balance: 0` (3 of 3) |"
        ),
        "{block}"
    );
    assert!(
        block.contains("stroke-dasharray"),
        "the line of equal speed"
    );
    assert!(block.contains("3 paired runs"));
}
