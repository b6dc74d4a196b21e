//! Stage 4: `report::junit`, `escape` and `exit_code`, and the `report` program.
//! The report is parsed back with an XML parser, as a CI server would read it.

use super::*;
use crate::ch16_runner::report::{escape, exit_code, junit};

fn result(name: &str, outcome: Outcome, stdout: &str, millis: u64) -> TestResult {
    TestResult {
        name: name.to_owned(),
        outcome,
        stdout: stdout.to_owned(),
        stderr: String::new(),
        duration: Duration::from_millis(millis),
    }
}

fn mixed() -> Vec<TestResult> {
    vec![
        result("passes", Outcome::Passed, "fine\n", 1500),
        result("fails", Outcome::Failed { code: 2 }, "", 20),
        result("hangs", Outcome::TimedOut, "", 3000),
        result("crashes", Outcome::Killed { signal: 11 }, "", 5),
        result(
            "missing",
            Outcome::Error {
                reason: "cannot start x".into(),
            },
            "",
            0,
        ),
    ]
}

/// Parses `xml` and hands its document to `check`.
#[track_caller]
fn parsed<T>(xml: &str, check: impl FnOnce(&roxmltree::Document) -> T) -> T {
    match roxmltree::Document::parse(xml) {
        Ok(doc) => check(&doc),
        Err(e) => panic!("the report is not well-formed XML ({e}):\n{xml}"),
    }
}

fn element<'a>(doc: &'a roxmltree::Document, tag: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants().filter(|n| n.has_tag_name(tag)).collect()
}

fn attr<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    node.attribute(name)
        .unwrap_or_else(|| panic!("<{}> has no `{name}` attribute", node.tag_name().name()))
}

fn child_text(node: roxmltree::Node, tag: &str) -> Option<String> {
    node.children()
        .find(|c| c.has_tag_name(tag))
        .map(|c| c.text().unwrap_or("").to_owned())
}

#[test]
fn the_suite_counts_tests_failures_and_errors() {
    let xml = junit("mixed", &mixed());
    parsed(&xml, |doc| {
        let root = doc.root_element();
        assert!(
            root.has_tag_name("testsuites"),
            "the root is <testsuites>:\n{xml}"
        );
        let suites = element(doc, "testsuite");
        assert_eq!(suites.len(), 1, "one <testsuite>:\n{xml}");
        let suite = suites[0];
        assert_eq!(attr(suite, "name"), "mixed");
        let counts = [
            attr(suite, "tests"),
            attr(suite, "failures"),
            attr(suite, "errors"),
        ];
        assert_eq!(
            counts,
            ["5", "1", "3"],
            "tests, failures (a non-zero exit), errors (timed out, killed, not \
             started):\n{xml}"
        );
    });
}

#[test]
fn each_test_is_a_testcase_in_order_with_its_verdict() {
    let xml = junit("mixed", &mixed());
    parsed(&xml, |doc| {
        let cases = element(doc, "testcase");
        let names: Vec<&str> = cases.iter().map(|c| attr(*c, "name")).collect();
        assert_eq!(
            names,
            ["passes", "fails", "hangs", "crashes", "missing"],
            "{xml}"
        );
        let verdicts: Vec<Vec<&str>> = cases
            .iter()
            .map(|c| {
                c.children()
                    .filter(|n| n.has_tag_name("failure") || n.has_tag_name("error"))
                    .map(|n| n.tag_name().name())
                    .collect()
            })
            .collect();
        assert_eq!(
            verdicts,
            [
                vec![],
                vec!["failure"],
                vec!["error"],
                vec!["error"],
                vec!["error"]
            ],
            "a pass has neither <failure> nor <error>, a non-zero exit has <failure>, \
             anything else one <error>:\n{xml}"
        );
    });
}

#[test]
fn times_are_in_seconds() {
    let xml = junit("mixed", &mixed());
    parsed(&xml, |doc| {
        let cases = element(doc, "testcase");
        let time: f64 = attr(cases[0], "time")
            .parse()
            .unwrap_or_else(|e| panic!("a testcase's time is a number of seconds ({e}):\n{xml}"));
        assert!(
            (time - 1.5).abs() < 0.001,
            "a test of 1500 ms has time=\"1.5\" (seconds), not {time}:\n{xml}"
        );
    });
}

#[test]
fn what_a_test_printed_is_in_system_out_and_system_err() {
    let mut results = mixed();
    results[0].stderr = "warned\n".into();
    let xml = junit("mixed", &results);
    parsed(&xml, |doc| {
        let case = element(doc, "testcase")[0];
        assert_eq!(
            child_text(case, "system-out").as_deref(),
            Some("fine\n"),
            "{xml}"
        );
        assert_eq!(
            child_text(case, "system-err").as_deref(),
            Some("warned\n"),
            "{xml}"
        );
    });
}

#[test]
fn markup_and_control_characters_in_names_and_output_survive() {
    let name = "a<b & \"c\" 'd'>";
    let printed = "if a < b && c > d { \"ok\" }\n\x1b[31mred\x1b[0m\x07\ttab\n";
    let results = vec![result(name, Outcome::Failed { code: 1 }, printed, 1)];
    let xml = junit("suite <&>", &results);
    parsed(&xml, |doc| {
        let suite = element(doc, "testsuite")[0];
        assert_eq!(attr(suite, "name"), "suite <&>", "{xml}");
        let case = element(doc, "testcase")[0];
        assert_eq!(
            attr(case, "name"),
            name,
            "a name with markup, read back whole"
        );
        assert_eq!(
            child_text(case, "system-out").as_deref(),
            Some("if a < b && c > d { \"ok\" }\n\u{FFFD}[31mred\u{FFFD}[0m\u{FFFD}\ttab\n"),
            "markup read back whole; control characters XML cannot carry (ESC, BEL) \
             as U+FFFD, tab and newline kept:\n{xml}"
        );
    });
}

#[test]
fn escape_keeps_plain_text_and_replaces_what_xml_cannot_carry() {
    assert_eq!(escape("plain text, 中文 too"), "plain text, 中文 too");
    let escaped = escape("<&>\"\u{1}\u{1b}");
    let xml = format!("<x a=\"{escaped}\">{escaped}</x>");
    parsed(&xml, |doc| {
        let x = doc.root_element();
        assert_eq!(attr(x, "a"), "<&>\"\u{FFFD}\u{FFFD}", "{xml}");
        assert_eq!(x.text(), Some("<&>\"\u{FFFD}\u{FFFD}"), "{xml}");
    });
}

#[test]
fn the_exit_code_is_zero_only_when_everything_passed() {
    let passed = result("p", Outcome::Passed, "", 0);
    let all = [passed.clone(), passed.clone()];
    assert_eq!(exit_code(&all), 0, "every test passed");
    assert_eq!(exit_code(&[]), 0, "an empty suite has nothing failing");
    for bad in &mixed()[1..] {
        let results = [passed.clone(), bad.clone()];
        assert_eq!(
            exit_code(&results),
            1,
            "one test {:?} is a failing suite",
            bad.outcome
        );
    }
}

#[test]
fn the_program_runs_a_suite_file_and_writes_the_report() {
    let dir = grader::temp_dir();
    let suite = grader::write_file(
        dir.path(),
        "suite.txt",
        "# two tests\nok: echo hello\n\nbad: echo oops >&2; exit 3\n",
    );
    let report = dir.path().join("report.xml");
    let out = grader::run_program(
        "report",
        &[
            "--workers",
            "2",
            "--junit",
            &report.to_string_lossy(),
            &suite.to_string_lossy(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failing test fails the run: {out:?}"
    );
    assert!(
        stdout.contains("2 tests: 1 passed, 1 failed, 0 errors"),
        "the summary line: {stdout}"
    );
    let xml = std::fs::read_to_string(&report).expect("the report file is written");
    parsed(&xml, |doc| {
        let cases = element(doc, "testcase");
        assert_eq!(cases.len(), 2, "{xml}");
        assert_eq!(
            child_text(cases[0], "system-out").as_deref(),
            Some("hello\n")
        );
        assert_eq!(
            child_text(cases[1], "system-err").as_deref(),
            Some("oops\n")
        );
    });

    let green = grader::write_file(dir.path(), "green.txt", "a: true\nb: true\n");
    let out = grader::run_program("report", &[&green.to_string_lossy()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a suite that passes exits with 0: {out:?}"
    );
}
