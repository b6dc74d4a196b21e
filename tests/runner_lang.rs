//! The runner in Simplified Chinese: chosen by `--lang zh` or by the locale
//! (`LC_ALL`, `LC_MESSAGES`, `LANG`), it gives its headings, verdicts, hints, quiz and
//! instructions in Chinese; test failure messages stay as the tests wrote them.

mod runner_support;

use runner_support::*;

/// Whether the text has Chinese in it.
fn chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn lang_zh_gives_the_list_its_states_and_summary_in_chinese() {
    let scratch = Scratch::new("lang-list");
    let assert = scratch.runner().args(["--lang", "zh", "list"]).assert();
    let out = stdout_of(&assert.success());
    assert!(out.contains("ch10_interview::states"), "{out}");
    assert!(out.contains("总计"), "{out}");
    assert!(out.contains("/4 个练习"), "{out}");
    if SOLVED {
        assert!(out.contains("通过        ch10_interview::states"), "{out}");
    } else {
        assert!(out.contains("未开始      ch10_interview::states"), "{out}");
        assert!(out.contains("下一个：ch10_interview::states"), "{out}");
    }
    assert!(
        !out.contains("exercises done"),
        "no English summary:\n{out}"
    );
}

#[test]
fn the_locale_chooses_chinese_and_lang_or_lc_all_overrule_lang() {
    let unknown = |cmd: &mut assert_cmd::Command| {
        let assert = cmd.args(["check", "nosuch"]).assert().code(2);
        stderr_of(&assert)
    };
    let zh = unknown(runner().env("LANG", "zh_CN.UTF-8"));
    assert!(zh.contains("没有名为 `nosuch` 的练习"), "{zh}");
    let zh = unknown(runner().env("LC_ALL", "zh_TW.UTF-8").env("LANG", "C"));
    assert!(zh.contains("没有名为 `nosuch` 的练习"), "{zh}");
    let en = unknown(runner().env("LC_ALL", "C").env("LANG", "zh_CN.UTF-8"));
    assert!(en.contains("no exercise called `nosuch`"), "{en}");
    let en = unknown(runner().env("LANG", "zh_CN.UTF-8").args(["--lang", "en"]));
    assert!(en.contains("no exercise called `nosuch`"), "{en}");
    let en = unknown(&mut runner());
    assert!(en.contains("no exercise called `nosuch`"), "{en}");
}

#[test]
fn an_unknown_language_is_a_usage_error_naming_the_ones_there_are() {
    let assert = runner().args(["--lang", "fr", "list"]).assert().code(2);
    let err = stderr_of(&assert);
    assert!(err.contains("'fr'") && err.contains("en, zh"), "{err}");
    for alias in ["zh-CN", "zh_CN"] {
        let assert = runner().args(["--lang", alias, "check", "nosuch"]).assert();
        assert!(chinese(&stderr_of(&assert.code(2))), "{alias}");
    }
}

/// The hints come from the Chinese book: none of the English page's hint text is left.
#[test]
fn hints_are_the_chinese_books_hints_with_chinese_headings() {
    let scratch = Scratch::new("lang-hint");
    let en = scratch.runner().args(["hint", "states", "--all"]).assert();
    let en = stdout_of(&en.success());
    let zh = scratch
        .runner()
        .args(["--lang", "zh", "hint", "states", "--all"])
        .assert();
    let zh = stdout_of(&zh.success());
    assert!(
        zh.contains("提示 1/") && zh.contains("这是最后一个提示"),
        "{zh}"
    );
    let english_lines: Vec<&str> = en.lines().filter(|l| l.len() > 40).collect();
    assert!(!english_lines.is_empty(), "{en}");
    for line in english_lines {
        assert!(!zh.contains(line), "left in English: {line}\n{zh}");
    }
}

#[test]
fn the_quiz_asks_in_chinese_and_scores_in_chinese() {
    let scratch = Scratch::new("lang-quiz");
    let assert = scratch
        .runner()
        .args(["--lang", "zh", "quiz", "ch10_interview"])
        .write_stdin("\ny\nq\n")
        .assert()
        .success();
    let out = stdout_of(&assert);
    assert!(out.contains("面试题测验"), "{out}");
    let first = out
        .lines()
        .find(|l| l.starts_with("Q1/"))
        .unwrap_or_else(|| panic!("no first question:\n{out}"));
    assert!(chinese(first), "the question in Chinese: {first}");
    assert!(out.contains("[y] 我会"), "{out}");
    assert!(out.contains("你标记的 1 题中会 1 题"), "{out}");
}

/// The verdict's words are Chinese; the failing test's name and message stay as the
/// test wrote them.
#[test]
fn check_summarises_in_chinese_and_keeps_the_tests_own_message() {
    let assert = runner().args(["--lang", "zh", "check", "zombie"]).assert();
    if SOLVED {
        let out = stdout_of(&assert.success());
        assert!(out.contains("ch10_interview::zombie：全部"), "{out}");
    } else {
        let out = stdout_of(&assert.code(1));
        assert!(out.contains("个测试中通过 0 个"), "{out}");
        assert!(out.contains("未通过：zombie::"), "{out}");
        assert!(out.contains("not yet implemented"), "{out}");
        assert!(out.contains("提示：cargo run -- hint zombie"), "{out}");
    }
}

/// `next` shows the exercise's instructions as the Chinese book includes them.
#[test]
fn next_gives_the_instructions_from_the_chinese_book() {
    let scratch = Scratch::new("lang-next");
    let assert = scratch.runner().args(["--lang", "zh", "next"]).assert();
    let out = stdout_of(&assert.success());
    if SOLVED {
        assert!(out.contains("所有练习都已通过"), "{out}");
    } else {
        assert!(
            out.contains("文件：exercises/ch10_interview/states.rs"),
            "{out}"
        );
        assert!(
            out.contains("评分：`cargo test --test ch10_interview states::`"),
            "{out}"
        );
        assert!(
            !out.contains("Your tasks:"),
            "instructions in English:\n{out}"
        );
    }
}
