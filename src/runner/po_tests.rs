use super::*;

const PO: &str = r#"# A header comment
msgid ""
msgstr ""
"Project-Id-Version: test\n"
"Language: zh_CN\n"

#: src/a.md
msgid "Hints"
msgstr "提示"

#: src/a.md
msgid ""
"Look at the _lock_ and "
"the \"guard\": a \\ and a\ttab."
msgstr ""
"看看_锁_和"
"“守卫”：一个 \\ 和一个\t制表符。"

#, fuzzy
msgid "Fuzzy one"
msgstr "模糊"

msgid "Untranslated"
msgstr ""

msgid "// a comment\n"
"// two lines\n"
msgstr "// 注释\n"
"// 两行\n"
#: src/b.md
msgid "`a`\\-load it"
msgstr "`a` 加载它"
msgid "one"
msgid_plural "many"
msgstr[0] "一"
msgstr[1] "多"

#~ msgid "Obsolete"
#~ msgstr "过时"
msgid "Item one"
msgstr "第一项"

msgid "Cell"
msgstr "单元格"
"#;

#[test]
fn entries_are_read_with_continuations_and_escapes_and_without_the_rest() {
    let found = entries(PO);
    let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "Hints",
            "Look at the _lock_ and the \"guard\": a \\ and a\ttab.",
            "// a comment\n// two lines\n",
            "`a`\\-load it",
            "Item one",
            "Cell",
        ]
    );
    assert_eq!(found[1].1, "看看_锁_和“守卫”：一个 \\ 和一个\t制表符。");
    assert_eq!(found[2].1, "// 注释\n// 两行\n");
}

#[test]
fn a_block_is_found_as_written_on_the_page_emphasis_and_escapes_aside() {
    let book = Catalogue::parse(PO);
    assert_eq!(book.block("Hints"), Some("提示"));
    let page = "Look at the *lock* and\nthe \"guard\": a \\ and a\ttab.";
    assert_eq!(
        book.block(page),
        Some("看看_锁_和“守卫”：一个 \\ 和一个\t制表符。")
    );
    assert_eq!(book.block("`a`-load it"), Some("`a` 加载它"));
    for missing in ["Fuzzy one", "Untranslated", "one", "Obsolete", ""] {
        assert_eq!(book.block(missing), None, "{missing}");
    }
}

#[test]
fn a_fragment_is_translated_block_by_block_and_the_rest_stays_english() {
    let book = Catalogue::parse(PO);
    let text = "## Hints\n\nLook at the _lock_ and\nthe \"guard\": a \\ and a\ttab.\n\n\
                Not in the catalogue,\non two lines.\n\n```rust\nHints\n```\n\n\
                - Item one\n- Item two\n  continued\n\n| Cell | other |\n| --- | --- |";
    assert_eq!(
        book.markdown(text),
        "## 提示\n\n看看_锁_和“守卫”：一个 \\ 和一个\t制表符。\n\n\
         Not in the catalogue,\non two lines.\n\n```rust\nHints\n```\n\n\
         - 第一项\n- Item two\n  continued\n\n| 单元格 | other |\n| --- | --- |"
    );
}

/// Whether a line of Markdown still reads as English prose: no Chinese (nor full-width
/// punctuation), and three words of letters outside code spans.
fn english_prose(line: &str) -> bool {
    if line.chars().any(|c| c >= '\u{3000}') {
        return false;
    }
    let mut prose = String::new();
    let mut in_code = false;
    for part in line.split('`') {
        if !in_code {
            prose.push_str(part);
            prose.push(' ');
        }
        in_code = !in_code;
    }
    let words: Vec<&str> = prose
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() > 1)
        .collect();
    words.len() >= 3
}

/// The English left in a translated fragment, code blocks and HTML tags aside.
fn english_left(markdown: &str) -> Vec<String> {
    let mut fenced = false;
    let mut left = Vec::new();
    for line in markdown.lines() {
        let text = line.trim();
        if text.starts_with("```") {
            fenced = !fenced;
        } else if !fenced && !text.starts_with(['<', '|']) && english_prose(text) {
            left.push(line.to_owned());
        }
    }
    left
}

/// What `hint`, `quiz` and `next` show in Chinese is found in the book's catalogue,
/// every paragraph of it: a hint or question the catalogue does not match is English
/// in the runner even where the Chinese book has it.
#[test]
fn every_hint_question_and_instruction_of_the_book_is_found_translated() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let workbook = Workbook::at(root, crate::manifest::Tree::Exercises).unwrap();
    let text = std::fs::read_to_string(workbook.path(ZH)).expect("book/po/zh-CN.po");
    let book = Catalogue::parse(&text);
    let mut english = Vec::new();
    for ex in workbook.exercises() {
        let page = std::fs::read_to_string(workbook.path(&ex.page())).unwrap();
        for (i, hint) in crate::runner::hints::parse(&page).iter().enumerate() {
            for line in english_left(&book.markdown(hint)) {
                english.push(format!("{} hint {}: {line}", ex.id(), i + 1));
            }
        }
        let file = workbook.path(&ex.file());
        let shown = crate::runner::learner::instructions(&file, Some(&book)).unwrap();
        if let Some(line) = english_left(&shown).first() {
            english.push(format!("{} instructions: {line}", ex.id()));
        }
    }
    for chapter in &workbook.manifest.chapters {
        let pages = std::iter::once("index".to_owned()).chain(chapter.pages.iter().cloned());
        for page in pages {
            let path = workbook.path(&format!("book/src/{}/{page}.md", chapter.name));
            let text = std::fs::read_to_string(path).unwrap_or_default();
            if page == "index" && !text.contains("## Interview questions") {
                continue;
            }
            for q in crate::runner::quiz::parse(&chapter.name, &text, Some(&book)) {
                for line in english_left(&q.question)
                    .iter()
                    .chain(&english_left(&q.answer))
                {
                    english.push(format!("{} quiz {:?}: {line}", chapter.name, q.english));
                }
            }
        }
    }
    assert!(
        english.is_empty(),
        "{} lines stay English in Chinese:\n{}",
        english.len(),
        english.join("\n")
    );
}
