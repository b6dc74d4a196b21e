//! The runner's language: English, or Simplified Chinese (`--lang zh`, or a `zh…` locale).
//!
//! The language is chosen once at start ([`init`]) and read anywhere ([`lang`]). Every
//! user-facing message of the learner's commands is a [`Msg`] of [`text`], in both
//! languages; `{0}`, `{1}`… in a message are filled in by [`Msg::fill`]. The book's own
//! words (hints, interview questions) come from the book's translation instead
//! (`po`). Maintainer commands (`verify`, `sync`, `figures`) and what tests print stay
//! English.

pub mod text;

use std::fmt;
use std::sync::OnceLock;

/// A language the runner speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese (简体中文).
    #[value(alias = "zh-CN", alias = "zh_CN")]
    Zh,
}

static CHOSEN: OnceLock<Lang> = OnceLock::new();

/// Chooses the language for the rest of the run: `explicit` (`--lang`) if given, else
/// the environment's ([`from_env`]). Only the first call counts.
pub fn init(explicit: Option<Lang>) -> Lang {
    *CHOSEN.get_or_init(|| explicit.unwrap_or_else(from_env))
}

/// The language chosen at start; English before (or without) [`init`], as in unit tests.
pub fn lang() -> Lang {
    CHOSEN.get().copied().unwrap_or(Lang::En)
}

/// Whether the runner speaks Chinese.
pub fn is_zh() -> bool {
    lang() == Lang::Zh
}

/// The language of the environment: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is
/// set and not empty; Chinese when it starts with `zh`, else English (`C`, `POSIX`…).
pub fn from_env() -> Lang {
    from_locale(|name| std::env::var(name).ok())
}

/// [`from_env`] over any source of variables.
pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| var(name))
        .find(|value| !value.is_empty());
    match locale {
        Some(value) if value.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

/// One message in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Msg {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Msg {
    /// The message in the chosen language.
    pub fn get(self) -> &'static str {
        self.of(lang())
    }

    pub fn of(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }

    /// The message with `{0}`, `{1}`… replaced by `args` (any other text, braces
    /// included, is left as it is).
    pub fn fill(self, args: &[&dyn fmt::Display]) -> String {
        fill(self.get(), args)
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

fn fill(template: &str, args: &[&dyn fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let arg = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|i| args.get(i));
        match arg {
            Some(arg) if after[digits..].starts_with('}') => {
                out.push_str(&arg.to_string());
                rest = &after[digits + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` padded with spaces to `width` columns on screen, a CJK character counting two.
pub fn pad(text: &str, width: usize) -> String {
    let wide = |c: char| {
        matches!(c, '\u{1100}'..='\u{115f}' | '\u{2e80}'..='\u{a4cf}'
        | '\u{ac00}'..='\u{d7a3}' | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ff60}' | '\u{ffe0}'..='\u{ffe6}')
    };
    let columns: usize = text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(columns)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locale_comes_from_the_first_variable_set_and_not_empty() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(from_locale(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(
            from_locale(env(&[("LC_ALL", "zh_TW"), ("LANG", "C")])),
            Lang::Zh
        );
        assert_eq!(
            from_locale(env(&[("LC_ALL", ""), ("LANG", "zh_CN")])),
            Lang::Zh
        );
        let messages_first = env(&[("LC_MESSAGES", "en_US.UTF-8"), ("LANG", "zh_CN")]);
        assert_eq!(from_locale(messages_first), Lang::En);
        assert_eq!(from_locale(env(&[("LANG", "POSIX")])), Lang::En);
        assert_eq!(from_locale(env(&[])), Lang::En);
    }

    #[test]
    fn messages_are_filled_by_position_and_other_braces_stay() {
        let args: [&dyn fmt::Display; 2] = [&3, &"x"];
        assert_eq!(fill("{1} of {0}, {0}", &args), "x of 3, 3");
        assert_eq!(fill("{ a } {9} {x}", &args), "{ a } {9} {x}");
        assert_eq!(pad("通过", 6), "通过  ");
        assert_eq!(pad("done", 6), format!("{:<6}", "done"));
    }

    #[test]
    fn every_message_has_both_languages_with_the_same_placeholders() {
        for msg in text::ALL {
            assert!(!msg.en.is_empty() && !msg.zh.is_empty(), "{msg:?}");
            for i in 0..10 {
                let slot = format!("{{{i}}}");
                assert_eq!(msg.en.contains(&slot), msg.zh.contains(&slot), "{msg:?}");
            }
        }
    }
}
