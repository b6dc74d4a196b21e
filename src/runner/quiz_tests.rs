use super::*;

#[test]
fn an_interview_section_gives_questions_answers_and_proofs() {
    let page = "# Locks\n\n## Interview questions\n\n**Why lock?**\nBecause \
                `balance::loom_no_deposit_is_lost` fails without.\n\n**What is a \
                deadlock?**\nA cycle of waits.\n\n## Benchmarks\n\n**Not a question**\n";
    let q = parse("ch03_locks", page, None);
    assert_eq!(q.len(), 2);
    assert_eq!(q[0].question, "Why lock?");
    assert_eq!(q[0].proof, ["balance::loom_no_deposit_is_lost"]);
    assert_eq!(q[1].answer, "A cycle of waits.");
}

#[test]
fn a_page_of_questions_gives_its_headings_and_proof_paragraphs() {
    let page = "# Q\n\nintro\n\n## One?\n\nAn **answer** in [the book](../a/b.md).\n\n\
                **Proof:** `a::b` in tests/x.rs\n\n## Two?\n\nNo proof here.\n";
    let q = parse("ch10_interview", page, None);
    assert_eq!(q.len(), 2);
    assert_eq!(q[0].answer, "An answer in the book (book: a/b.md).");
    assert_eq!(q[0].proof, ["a::b"]);
    assert!(q[1].proof.is_empty());
}

#[test]
fn every_chapter_has_interview_questions_with_answers() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let workbook = Workbook::at(root, crate::manifest::Tree::Exercises).unwrap();
    let questions = all(&workbook);
    for chapter in &workbook.manifest.chapters {
        let mine = questions
            .iter()
            .filter(|q| q.chapter == chapter.name)
            .count();
        assert!(mine >= 3, "{} has {mine} interview questions", chapter.name);
    }
    for q in &questions {
        assert!(!q.answer.is_empty(), "no answer for {}", q.question);
    }
}

#[test]
fn shuffling_is_a_permutation() {
    let mut items: Vec<u32> = (0..20).collect();
    shuffle(&mut items, 7);
    let mut sorted = items.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..20).collect::<Vec<_>>());
    assert_ne!(items, sorted);
}

#[test]
fn translated_questions_keep_the_english_key_and_fall_back_paragraph_by_paragraph() {
    let po = "msgid \"**Why lock?** Because `a::b` fails _without_.\"\n\
              msgstr \"**为什么要加锁？** 因为没有锁时 `a::b` 会失败。\"\n\n\
              msgid \"**What is a deadlock?**\"\nmsgstr \"**什么是死锁？**\"\n\n\
              msgid \"One?\"\nmsgstr \"一？\"\n\n\
              msgid \"An **answer** in [the book](../a/b.md).\"\n\
              msgstr \"书中的**回答**见[这本书](../a/b.md)。\"\n";
    let book = Catalogue::parse(po);
    let page = "## Interview questions\n\n**Why lock?**\nBecause `a::b` fails\n*without*.\n\n\
                More, untranslated.\n\n**What is a deadlock?**\n\nA cycle of waits.\n";
    let q = parse("ch03_locks", page, Some(&book));
    assert_eq!(q[0].question, "为什么要加锁？");
    assert_eq!(
        q[0].answer,
        "因为没有锁时 a::b 会失败。\n\nMore, untranslated."
    );
    assert_eq!(q[0].key(), "ch03_locks: Why lock?");
    assert_eq!(q[0].proof, ["a::b"]);
    assert_eq!(
        (q[1].question.as_str(), q[1].answer.as_str()),
        ("什么是死锁？", "A cycle of waits.")
    );
    let page = "# Q\n\n## One?\n\nAn **answer** in [the book](../a/b.md).\n\n**Proof:** `a::b`\n\n\
                ## Two?\n\nNo.\n";
    let q = parse("ch10_interview", page, Some(&book));
    assert_eq!(q[0].question, "一？");
    assert_eq!(q[0].answer, "书中的回答见这本书 (book: a/b.md)。");
    assert_eq!(
        (q[1].question.as_str(), q[1].english.as_str()),
        ("Two?", "Two?")
    );
}
