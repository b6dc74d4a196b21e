//! The book's translation, for `hint` and `quiz` in Chinese: the gettext catalogue
//! `book/po/zh-CN.po` that mdbook-i18n-helpers makes the Chinese book from.
//!
//! Its entries are one Markdown block each (a paragraph, a heading, a list item, a table
//! cell): `msgid` the English text, `msgstr` the translation. A fragment of a page is
//! translated block by block; a block the catalogue lacks (or has only as fuzzy or
//! empty) stays English. The catalogue writes a paragraph on one line, emphasis as
//! `_x_` and some punctuation escaped, so a block the exact text does not find is
//! looked up again with those differences smoothed out on both sides.

use std::collections::HashMap;

use super::i18n;
use super::workbook::Workbook;

/// The Chinese book's catalogue, relative to the workbook's root.
pub const ZH: &str = "book/po/zh-CN.po";

/// Translations by English text.
#[derive(Debug, Default)]
pub struct Catalogue {
    exact: HashMap<String, String>,
    loose: HashMap<String, String>,
}

impl Catalogue {
    /// The catalogue to translate the book's words with: read only when the runner
    /// speaks Chinese; `None` in English, or when the file is missing.
    pub fn for_workbook(workbook: &Workbook) -> Option<Catalogue> {
        if !i18n::is_zh() {
            return None;
        }
        let text = std::fs::read_to_string(workbook.path(ZH)).ok()?;
        Some(Catalogue::parse(&text))
    }

    /// The translated entries of a `.po` file (the header, fuzzy, plural and
    /// untranslated entries left out; the first of two equal msgids wins).
    pub fn parse(text: &str) -> Catalogue {
        let mut catalogue = Catalogue::default();
        for (id, translation) in entries(text) {
            // Emphasis beside Chinese is HTML in the catalogue (a `*` there would not
            // survive the book's rebuild of the Markdown); the terminal shows `*x*`.
            let translation = translation.replace("<em>", "*").replace("</em>", "*");
            catalogue
                .loose
                .entry(loose(&id))
                .or_insert_with(|| translation.clone());
            catalogue.exact.entry(id).or_insert(translation);
        }
        catalogue
    }

    /// The translation of one entry, its msgid exactly as the catalogue has it.
    pub fn entry(&self, id: &str) -> Option<&str> {
        self.exact.get(id).map(String::as_str)
    }

    /// The translation of one Markdown block (its lines as on the page).
    pub fn block(&self, markdown: &str) -> Option<&str> {
        let text = markdown.trim();
        let joined: Vec<&str> = text.lines().map(str::trim).collect();
        self.exact
            .get(text)
            .or_else(|| self.exact.get(&joined.join(" ")))
            .or_else(|| self.loose.get(&loose(text)))
            .map(String::as_str)
    }

    /// A Markdown fragment translated block by block; code blocks and HTML stay as they
    /// are, and so does every block without a translation.
    pub fn markdown(&self, markdown: &str) -> String {
        let lines: Vec<&str> = markdown.lines().collect();
        let mut out: Vec<String> = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i].trim_start();
            if line.is_empty() {
                out.push(String::new());
                i += 1;
            } else if line.starts_with("```") || line.starts_with("~~~") {
                let fence = &line[..3];
                out.push(lines[i].to_owned());
                i += 1;
                while i < lines.len() {
                    out.push(lines[i].to_owned());
                    i += 1;
                    if lines[i - 1].trim_start().starts_with(fence) {
                        break;
                    }
                }
            } else {
                let start = i;
                while i < lines.len() && !ends_block(lines[i]) {
                    i += 1;
                }
                out.extend(self.blocks(&lines[start..i]));
            }
        }
        out.join("\n")
    }

    /// The lines of one block (no blank line in it), translated.
    fn blocks(&self, lines: &[&str]) -> Vec<String> {
        let first = lines[0].trim_start();
        let kept = || lines.iter().map(|l| (*l).to_owned()).collect();
        if first.starts_with('<') {
            return kept();
        }
        if first.starts_with('|') {
            return lines.iter().map(|row| self.row(row)).collect();
        }
        if first.starts_with('>') {
            let inner: Vec<&str> = lines
                .iter()
                .map(|l| l.trim_start().trim_start_matches('>').trim_start())
                .collect();
            return match self.block(&inner.join("\n")) {
                Some(t) => vec![format!("> {t}")],
                _ => kept(),
            };
        }
        if let Some(level) = first
            .split_once(' ')
            .map(|(h, _)| h)
            .filter(|h| !h.is_empty() && h.len() <= 6 && h.chars().all(|c| c == '#'))
        {
            let text = first[level.len()..].trim();
            return match self.block(text) {
                Some(t) if lines.len() == 1 => vec![format!("{level} {t}")],
                _ => kept(),
            };
        }
        if marker(first).is_some() {
            return self.list(lines);
        }
        match self.block(&lines.join("\n")) {
            Some(t) => vec![t.to_owned()],
            None => kept(),
        }
    }

    /// A list's items, each translated on its own (its marker and indentation kept).
    fn list(&self, lines: &[&str]) -> Vec<String> {
        let mut items: Vec<Vec<&str>> = Vec::new();
        for line in lines {
            match items.last_mut() {
                Some(item) if marker(line.trim_start()).is_none() => item.push(line),
                _ => items.push(vec![line]),
            }
        }
        let mut out = Vec::new();
        for item in items {
            let head = item[0].trim_start();
            let indent = &item[0][..item[0].len() - head.len()];
            let mark = marker(head).unwrap_or(0);
            let mut text = vec![&head[mark..]];
            text.extend(&item[1..]);
            match self.block(&text.join("\n")) {
                Some(t) => out.push(format!("{indent}{}{t}", &head[..mark])),
                None => out.extend(item.iter().map(|l| (*l).to_owned())),
            }
        }
        out
    }

    /// A table row, cell by cell (`| --- |` rows and untranslated cells as they are).
    fn row(&self, row: &str) -> String {
        let cells: Vec<&str> = row.trim().trim_matches('|').split('|').collect();
        let cells: Vec<String> = cells
            .iter()
            .map(|cell| match self.block(cell) {
                Some(t) if !cell.trim().is_empty() => format!(" {t} "),
                _ => (*cell).to_owned(),
            })
            .collect();
        format!("|{}|", cells.join("|"))
    }
}

/// Whether a line ends the block before it: a blank line or a code fence.
fn ends_block(line: &str) -> bool {
    let line = line.trim_start();
    line.is_empty() || line.starts_with("```") || line.starts_with("~~~")
}

/// The length of a list item's marker (`- `, `* `, `+ `, `1. `, `1) `) at the start.
fn marker(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return Some(2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
}

/// The text as the loose lookup sees it: no emphasis marks, no escaping backslashes, one
/// space for any run of white space.
fn loose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(char::is_ascii_punctuation) => {}
            '*' | '_' => {}
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// What a `.po` entry is being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    Context,
    Id,
    Plural,
    Str,
}

/// The `(msgid, msgstr)` pairs worth using: translated, not fuzzy, not plural, not
/// the header.
fn entries(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let (mut id, mut plural, mut strs) = (String::new(), false, String::new());
    let (mut fuzzy, mut field) = (false, Field::None);
    let mut finish = |id: &mut String, plural: &mut bool, strs: &mut String, fuzzy: &mut bool| {
        if !id.is_empty() && !strs.is_empty() && !*plural && !*fuzzy {
            found.push((std::mem::take(id), std::mem::take(strs)));
        }
        id.clear();
        strs.clear();
        *plural = false;
        *fuzzy = false;
    };
    for line in text.lines().map(str::trim) {
        let keyword = line.split([' ', '\t', '"']).next().unwrap_or("");
        let starts_entry = line.starts_with('#') || keyword == "msgctxt" || keyword == "msgid";
        if line.is_empty() || (starts_entry && field == Field::Str) {
            finish(&mut id, &mut plural, &mut strs, &mut fuzzy);
            field = Field::None;
        }
        if line.is_empty() || line.starts_with("#~") {
            continue;
        }
        if let Some(flags) = line.strip_prefix("#,") {
            fuzzy |= flags.split(',').any(|f| f.trim() == "fuzzy");
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let value = if line.starts_with('"') {
            line
        } else {
            field = match keyword {
                "msgctxt" => Field::Context,
                "msgid" => Field::Id,
                "msgid_plural" => Field::Plural,
                "msgstr" => Field::Str,
                k if k.starts_with("msgstr[") => Field::Str,
                _ => Field::None,
            };
            plural |= field == Field::Plural;
            line[keyword.len()..].trim_start()
        };
        let Some(value) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
            continue;
        };
        match field {
            Field::Id => id.push_str(&unescape(value)),
            Field::Str => strs.push_str(&unescape(value)),
            _ => {}
        }
    }
    finish(&mut id, &mut plural, &mut strs, &mut fuzzy);
    found
}

/// A C string's escapes: `\n`, `\t`, `\r`, `\"`, `\\` (any other kept as written).
fn unescape(quoted: &str) -> String {
    let mut out = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(c @ ('"' | '\\')) => out.push(c),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
#[path = "po_tests.rs"]
mod tests;
