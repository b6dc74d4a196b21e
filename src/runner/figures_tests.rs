//! The data files and the page markers.

use super::*;

pub fn group(id: &str) -> Group {
    Group {
        id: id.to_owned(),
        title: Some("The balance".to_owned()),
        machine: "Test CPU, 2 CPUs, Linux 6.1".to_owned(),
        command: "cargo bench --bench ch03_locks".to_owned(),
        date: "2025-01-02".to_owned(),
        unit: Unit::Ns,
        confidence: Some(0.95),
        benchmarks: vec![Bench {
            name: "mutex".to_owned(),
            label: None,
            median: 2.0e6,
            low: 1.9e6,
            high: 2.2e6,
            throughput: None,
        }],
        runs: None,
        pairs: vec![],
    }
}

fn index_of(groups: &[Group]) -> Index {
    let file = path("ch03_locks");
    groups
        .iter()
        .map(|g| (g.id.clone(), (file.clone(), g.clone())))
        .collect()
}

#[test]
fn a_data_file_round_trips_and_is_checked() {
    let data = Data {
        chapter: "ch03_locks".into(),
        groups: vec![group("ch03/balance")],
    };
    let text = data.to_text();
    assert_eq!(Data::parse(&text, "ch03_locks").unwrap(), data);
    assert!(Data::parse(&text, "ch04_queues")
        .unwrap_err()
        .contains("ch03_locks"));
    let mut bad = data.clone();
    bad.groups[0].benchmarks[0].low = 3.0e6;
    assert!(Data::parse(&bad.to_text(), "ch03_locks")
        .unwrap_err()
        .contains("low"));
    bad.groups = vec![group("a"), group("a")];
    assert!(Data::parse(&bad.to_text(), "ch03_locks")
        .unwrap_err()
        .contains("twice"));
}

#[test]
fn blocks_are_written_between_their_markers_and_the_rest_is_kept() {
    let index = index_of(&[group("ch03/balance")]);
    let page = "# Locks\n\nbefore\n\n<!-- figures: ch03/balance -->\nold\n<!-- /figures \
                -->\n\nafter\n";
    let once = with_figures(page, &index).unwrap();
    assert!(once.starts_with("# Locks\n\nbefore\n\n<!-- figures: ch03/balance -->\n"));
    assert!(once.ends_with("<!-- /figures -->\n\nafter\n"), "{once}");
    assert!(!once.contains("old") && once.contains("<svg") && once.contains("| mutex |"));
    assert_eq!(
        with_figures(&once, &index).unwrap(),
        once,
        "writing twice changes nothing"
    );
}

#[test]
fn a_missing_group_or_end_marker_is_an_error_naming_it() {
    let index = index_of(&[group("ch03/balance")]);
    let unknown = with_figures("<!-- figures: ch03/nope -->\n<!-- /figures -->", &index);
    assert!(unknown.unwrap_err().contains("`ch03/nope`"));
    let open = with_figures("<!-- figures: ch03/balance -->\n", &index);
    assert!(open.unwrap_err().contains("no `<!-- /figures -->`"));
}
