//! `cargo run -- quiz`: the interview drill over every chapter, one question at a time.
//!
//! The questions are the book's own — the one source the book shows too: each chapter
//! page's `## Interview questions` section (a `**question?**` line, then its answer), and
//! pages made only of questions (`## question` headings, answers below, a `**Proof:**`
//! paragraph naming the test). The proof of an answer is the tests it names
//! (`exercise::test`), shown on request.
//!
//! `quiz` asks every chapter's questions in a shuffled order, `quiz CHAPTER` one chapter's
//! in the page's order; either way the questions the learner did not know last time come
//! first (`.workbook/quiz.json` remembers them). In Chinese the questions and answers come
//! from the book's translation (`po`), English where it has none.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use anstream::{eprintln, print, println};

use super::i18n::text as t;
use super::po::Catalogue;
use super::ui::{paint, BAD, BOLD, DIM, GOOD};
use super::workbook::Workbook;

const MEMORY: &str = ".workbook/quiz.json";

/// One question of the drill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The chapter it comes from.
    pub chapter: String,
    /// The question and its answer as shown, in the runner's language.
    pub question: String,
    pub answer: String,
    /// The question in English, which the memory of the drill knows it by.
    pub english: String,
    /// The proving tests (`exercise::test`), or empty when the answer cannot be shown.
    pub proof: Vec<String>,
}

impl Question {
    fn key(&self) -> String {
        format!("{}: {}", self.chapter, self.english)
    }
}

/// How a page writes its questions.
#[derive(Clone, Copy)]
enum Form {
    /// `## question` headings.
    Heading,
    /// `**question?**` lines; `glued` when the answer starts on the next line (one
    /// paragraph with the question, in the book's translation too).
    Bold { glued: bool },
}

/// The questions of one page: its interview section, or the whole page when its
/// questions are `## ` headings; translated with `book` when there is one.
pub fn parse(chapter: &str, page: &str, book: Option<&Catalogue>) -> Vec<Question> {
    let lines: Vec<&str> = page.lines().collect();
    let section = lines
        .iter()
        .position(|l| l.trim() == "## Interview questions");
    let mut questions = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    let bold = section.is_some();
    let mut push = |current: &mut Option<(String, Vec<&str>)>| {
        if let Some((question, body)) = current.take() {
            let glued = body.first().is_some_and(|l| !l.trim().is_empty());
            let form = if bold {
                Form::Bold { glued }
            } else {
                Form::Heading
            };
            questions.push(finish(chapter, question, &body, form, book));
        }
    };
    match section {
        Some(start) => {
            for line in &lines[start + 1..] {
                if line.starts_with("## ") || line.starts_with("# ") {
                    break;
                }
                let bold = line
                    .trim()
                    .strip_prefix("**")
                    .and_then(|l| l.strip_suffix("**"));
                match bold {
                    Some(question) if question.ends_with('?') => {
                        push(&mut current);
                        current = Some((question.to_owned(), Vec::new()));
                    }
                    _ => {
                        if let Some((_, body)) = current.as_mut() {
                            body.push(line);
                        }
                    }
                }
            }
        }
        None => {
            for line in &lines {
                if let Some(heading) = line.strip_prefix("## ") {
                    push(&mut current);
                    current = Some((heading.trim().to_owned(), Vec::new()));
                } else if let Some((_, body)) = current.as_mut() {
                    body.push(line);
                }
            }
        }
    }
    push(&mut current);
    questions
}

fn finish(
    chapter: &str,
    question: String,
    body: &[&str],
    form: Form,
    book: Option<&Catalogue>,
) -> Question {
    let text = body.join("\n");
    let (answer, proof_text) = match text.find("**Proof:**") {
        Some(at) => (&text[..at], &text[at..]),
        None => (text.as_str(), text.as_str()),
    };
    let (shown, answer) = match book {
        Some(book) => translated(book, &question, answer.trim(), form),
        None => (question.clone(), answer.trim().to_owned()),
    };
    Question {
        chapter: chapter.to_owned(),
        question: plain(&shown),
        answer: plain(&answer),
        english: plain(&question),
        proof: tests_named(proof_text),
    }
}

/// A question and its answer (Markdown) in the book's translation, each paragraph
/// English where the translation lacks it.
fn translated(book: &Catalogue, question: &str, answer: &str, form: Form) -> (String, String) {
    let bold = format!("**{question}**");
    if let Form::Bold { glued: true } = form {
        let lines: Vec<&str> = answer.lines().collect();
        let cut = lines
            .iter()
            .position(|l| l.trim().is_empty())
            .unwrap_or(lines.len());
        let first = lines[..cut].join("\n");
        let both = book.block(&format!("{bold}\n{first}"));
        if let Some((q, a)) = both.and_then(|b| b.strip_prefix("**")?.split_once("**")) {
            let rest = book.markdown(&lines[cut..].join("\n"));
            let answer = [a.trim(), rest.trim()].join("\n\n");
            return (q.trim().to_owned(), answer.trim().to_owned());
        }
    }
    let shown = match form {
        Form::Heading => book.block(question),
        Form::Bold { .. } => book.block(&bold).map(|b| b.trim().trim_matches('*').trim()),
    };
    let shown = shown.map_or_else(|| question.to_owned(), str::to_owned);
    (shown, book.markdown(answer))
}

/// The `exercise::test` names in backticks.
fn tests_named(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (i, part) in text.split('`').enumerate() {
        let looks_like_test = part.contains("::")
            && !part.contains(' ')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
        if i % 2 == 1 && looks_like_test && !names.iter().any(|n| n == part) {
            names.push(part.to_owned());
        }
    }
    names
}

/// Markdown to terminal text: `[text](target)` becomes `text (book: target)` for pages,
/// `text` otherwise; `**` and backticks are dropped.
pub fn plain(markdown: &str) -> String {
    let mut out = String::new();
    let mut rest = markdown;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        let target = &rest[close + 2..end];
        if !target.starts_with("http") && !target.is_empty() {
            out.push_str(&t::BOOK_LINK.fill(&[&target.trim_start_matches("../")]));
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out.replace("**", "").replace('`', "")
}

/// Every question of the workbook, chapter by chapter, in the pages' order.
pub fn all(workbook: &Workbook) -> Vec<Question> {
    let book = Catalogue::for_workbook(workbook);
    let mut questions = Vec::new();
    for chapter in &workbook.manifest.chapters {
        let pages = std::iter::once("index".to_owned()).chain(chapter.pages.iter().cloned());
        for page in pages {
            let path = workbook.path(&format!("book/src/{}/{page}.md", chapter.name));
            if let Ok(text) = std::fs::read_to_string(path) {
                let found = parse(&chapter.name, &text, book.as_ref());
                // A page of `## ` questions only counts when it is a chapter's extra page.
                if page == "index" && !text.contains("## Interview questions") {
                    continue;
                }
                questions.extend(found);
            }
        }
    }
    questions
}

/// What the learner typed at a prompt; `None` when standard input ended.
fn ask(prompt: &str) -> Option<String> {
    print!("{} ", paint(DIM, prompt));
    let _ = io::stdout().flush();
    let mut line = String::new();
    match io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => {
            println!();
            None
        }
        Ok(_) => Some(line.trim().to_lowercase()),
    }
}

/// The questions missed last time: key → still to learn.
fn memory(workbook: &Workbook) -> BTreeMap<String, bool> {
    std::fs::read(workbook.path(MEMORY))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn remember(workbook: &Workbook, memory: &BTreeMap<String, bool>) {
    let path = workbook.path(MEMORY);
    let saved = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&path, serde_json::to_vec(memory).unwrap_or_default()));
    if let Err(e) = saved {
        eprintln!("{}", t::QUIZ_NOT_REMEMBERED.fill(&[&path.display(), &e]));
    }
}

/// Shuffles with a small xorshift generator (an order, not a secret).
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    seed |= 1;
    for i in (1..items.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        items.swap(i, (seed % (i as u64 + 1)) as usize);
    }
}

/// `workbook quiz [CHAPTER] [--seed N]`.
pub fn run(workbook: &Workbook, chapter: Option<&str>, seed: Option<u64>) -> ExitCode {
    let mut questions = all(workbook);
    if let Some(name) = chapter {
        let Some(found) = workbook.find_chapter(name) else {
            eprintln!("{} {}", paint(BAD, t::ERROR), t::NO_CHAPTER.fill(&[&name]));
            return ExitCode::from(super::learner::USAGE);
        };
        questions.retain(|q| q.chapter == found);
    } else {
        let seed = seed.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
        shuffle(&mut questions, seed);
    }
    if questions.is_empty() {
        eprintln!("{} {}", paint(BAD, t::ERROR), t::NO_QUESTIONS);
        return ExitCode::FAILURE;
    }
    let mut memory = memory(workbook);
    // The ones not known last time first (a stable sort keeps the rest in order).
    questions.sort_by_key(|q| !memory.get(&q.key()).copied().unwrap_or(false));
    let again = questions
        .iter()
        .filter(|q| memory.get(&q.key()) == Some(&true))
        .count();
    let again = if again > 0 {
        t::MISSED_FIRST.fill(&[&again])
    } else {
        String::new()
    };
    println!(
        "{} {}",
        paint(BOLD, t::DRILL),
        t::DRILL_INTRO.fill(&[&questions.len(), &again])
    );
    let (mut knew, mut missed) = (0, Vec::new());
    for (i, q) in questions.iter().enumerate() {
        println!(
            "\n{} {} {}",
            paint(BOLD, format!("Q{}/{}.", i + 1, questions.len())),
            paint(DIM, format!("[{}]", q.chapter)),
            q.question
        );
        match ask(t::ASK_ANSWER.get()).as_deref() {
            None | Some("q") => break,
            Some("s") => continue,
            Some(_) => {}
        }
        println!("{}", q.answer);
        let known = loop {
            let prompt = if q.proof.is_empty() {
                t::ASK_KNEW
            } else {
                t::ASK_KNEW_PROOF
            };
            match ask(prompt.get()).as_deref() {
                Some("p") if !q.proof.is_empty() => {
                    let suite = format!("tests/{}.rs", q.chapter);
                    let proof = t::PROOF_IN.fill(&[&q.proof.join(", "), &suite]);
                    println!("{} {proof}", paint(BOLD, t::PROOF));
                }
                Some("y") => break Some(true),
                Some("n") => break Some(false),
                None | Some("q") => break None,
                Some(_) => {}
            }
        };
        match known {
            Some(true) => {
                knew += 1;
                memory.insert(q.key(), false);
            }
            Some(false) => {
                missed.push(i + 1);
                memory.insert(q.key(), true);
            }
            None => break,
        }
    }
    remember(workbook, &memory);
    let marked = knew + missed.len();
    let score = t::YOU_KNEW.fill(&[&knew, &marked]);
    println!("\n{} {score}", paint(GOOD, t::SCORE));
    if !missed.is_empty() {
        let list: Vec<String> = missed.iter().map(|n| format!("Q{n}")).collect();
        println!("{}", t::REVIEW.fill(&[&list.join(", ")]));
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
#[path = "quiz_tests.rs"]
mod tests;
