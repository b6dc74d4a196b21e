//! `cargo run -- quiz`: chapter 10's interview questions, one at a time.
//!
//! The questions, model answers and proving tests are read from the book page
//! `book/src/ch10_interview/questions.md` — the one source the book shows too. Each
//! `## ` heading is a question; the paragraphs under it are the answer; a paragraph that
//! starts with `**Proof:**` names the test that demonstrates it.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use anstream::{eprintln, print, println};

use super::ui::{paint, BAD, BOLD, DIM, GOOD};
use super::workbook::Workbook;

/// Where the questions live, relative to the workbook root.
pub const QUESTIONS: &str = "book/src/ch10_interview/questions.md";

/// One question of the drill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub question: String,
    pub answer: String,
    /// The proving test(s), or empty when the answer cannot be demonstrated.
    pub proof: String,
}

/// Reads the questions from the page's markdown.
pub fn parse(page: &str) -> Vec<Question> {
    let mut questions = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in page.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            questions.extend(current.take().map(finish));
            current = Some((heading.trim().to_owned(), Vec::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push(line);
        }
    }
    questions.extend(current.map(finish));
    questions
}

fn finish((question, body): (String, Vec<&str>)) -> Question {
    let split = body
        .iter()
        .position(|line| line.starts_with("**Proof:**"))
        .unwrap_or(body.len());
    let answer = body[..split].join("\n").trim().to_owned();
    let proof = body[split..].join("\n");
    let proof = proof.trim_start_matches("**Proof:**").trim().to_owned();
    Question {
        question: plain(&question),
        answer: plain(&answer),
        proof: plain(&proof),
    }
}

/// Markdown to terminal text: `[text](target)` becomes `text (target)` for files and
/// `text` otherwise; `**`, backticks are dropped.
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
        let text = &rest[open + 1..close];
        let target = &rest[close + 2..end];
        out.push_str(text);
        if !target.starts_with("http") && !target.is_empty() {
            out.push_str(&format!(" (book: {})", target.trim_start_matches("../")));
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out.replace("**", "").replace('`', "")
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

/// `workbook quiz [--from N]`.
pub fn run(workbook: &Workbook, from: usize) -> ExitCode {
    let path = workbook.path(QUESTIONS);
    let questions = match std::fs::read_to_string(&path) {
        Ok(page) => parse(&page),
        Err(e) => {
            eprintln!(
                "{} cannot read {}: {e}",
                paint(BAD, "error:"),
                path.display()
            );
            return ExitCode::FAILURE;
        }
    };
    if questions.is_empty() || from == 0 || from > questions.len() {
        eprintln!(
            "{} there are {} questions; start from 1 to {}",
            paint(BAD, "error:"),
            questions.len(),
            questions.len()
        );
        return ExitCode::from(super::learner::USAGE);
    }
    println!(
        "{} {} questions. Answer in your head, then press Enter for the model answer.",
        paint(BOLD, "Interview drill:"),
        questions.len()
    );
    let mut knew = Vec::new();
    let mut missed = Vec::new();
    for (i, q) in questions.iter().enumerate().skip(from - 1) {
        let number = i + 1;
        println!(
            "\n{} {}",
            paint(BOLD, format!("Q{number}/{}.", questions.len())),
            q.question
        );
        match ask("[Enter] show the answer · [s] skip · [q] quit >").as_deref() {
            None | Some("q") => break,
            Some("s") => continue,
            Some(_) => {}
        }
        println!("{}", q.answer);
        loop {
            let prompt = if q.proof.is_empty() {
                "[y] I knew it · [n] I did not · [q] quit >"
            } else {
                "[p] the proving test · [y] I knew it · [n] I did not · [q] quit >"
            };
            match ask(prompt).as_deref() {
                Some("p") if !q.proof.is_empty() => {
                    println!("{} {}", paint(BOLD, "Proof:"), q.proof)
                }
                Some("y") => {
                    knew.push(number);
                    break;
                }
                Some("n") => {
                    missed.push(number);
                    break;
                }
                None | Some("q") => return summary(&knew, &missed),
                Some(_) => {}
            }
        }
    }
    summary(&knew, &missed)
}

fn summary(knew: &[usize], missed: &[usize]) -> ExitCode {
    let marked = knew.len() + missed.len();
    println!(
        "\n{} you knew {} of the {marked} you marked.",
        paint(GOOD, "Score:"),
        knew.len()
    );
    if !missed.is_empty() {
        let list: Vec<String> = missed.iter().map(|n| format!("Q{n}")).collect();
        println!(
            "Review {} (start there with `cargo run -- quiz --from {}`).",
            list.join(", "),
            missed[0]
        );
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_questions_answers_and_proofs() {
        let page = "# Q\n\nintro\n\n## One?\n\nAn **answer** in [the book](../a/b.md).\n\n\
**Proof:** `a::b` in tests/x.rs\n\n## Two?\n\nNo proof here.\n";
        let q = parse(page);
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].question, "One?");
        assert_eq!(q[0].answer, "An answer in the book (book: a/b.md).");
        assert_eq!(q[0].proof, "a::b in tests/x.rs");
        assert_eq!(q[1].proof, "");
    }

    #[test]
    fn the_chapter_page_has_every_seed_question_with_an_answer() {
        let page = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(QUESTIONS),
        )
        .unwrap();
        let questions = parse(&page);
        assert!(questions.len() >= 9, "{questions:#?}");
        for q in &questions {
            assert!(!q.answer.is_empty(), "no answer for {}", q.question);
        }
    }
}
