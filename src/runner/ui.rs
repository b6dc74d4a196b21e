//! How the runner talks: colour only on a terminal (anstream strips the styles when stdout
//! is piped, when `NO_COLOR` is set, or after `--no-color`), progress on stderr.

use anstyle::{AnsiColor, Style};

pub const GOOD: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
pub const BAD: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
pub const WARN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
pub const DIM: Style = Style::new().dimmed();
pub const BOLD: Style = Style::new().bold();

/// Turns colour off for the rest of the run (`--no-color`).
pub fn disable_colour() {
    anstream::ColorChoice::Never.write_global();
}

/// `text` in `style` (plain when colour is off: anstream removes the codes).
pub fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// A progress bar of `width` cells: `[#####-----]`.
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    format!("[{}{}]", "#".repeat(filled), "-".repeat(width - filled))
}

/// A line on stderr saying what the runner is doing, when stderr is not a terminal (on a
/// terminal the spinners and bars say it): logs and the runner's own tests read it.
pub fn note(message: impl std::fmt::Display) {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        anstream::eprintln!("… {message}");
    }
}

/// Every spinner and bar is drawn through one `MultiProgress`, so that several at once
/// (chapters graded side by side by `verify --mistakes`) each keep a line of their own.
fn drawn(bar: indicatif::ProgressBar) -> indicatif::ProgressBar {
    static ALL: std::sync::LazyLock<indicatif::MultiProgress> =
        std::sync::LazyLock::new(indicatif::MultiProgress::new);
    ALL.add(bar)
}

/// A spinner with a message on stderr while something runs (a build, tests); drawn only
/// on a terminal, gone when finished.
#[derive(Clone)]
pub struct Spinner(indicatif::ProgressBar);

impl Spinner {
    pub fn start(message: impl Into<String>) -> Spinner {
        let bar = drawn(indicatif::ProgressBar::new_spinner());
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.set_message(message.into());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Spinner(bar)
    }

    pub fn set(&self, message: impl Into<String>) {
        self.0.set_message(message.into());
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// A bar for `total` steps with a message on stderr (only on a terminal).
pub fn steps(total: usize, message: impl Into<String>) -> indicatif::ProgressBar {
    let bar = drawn(indicatif::ProgressBar::new(total as u64));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("#>-"),
    );
    bar.set_message(message.into());
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_in_proportion_and_never_overflow() {
        assert_eq!(bar(0, 4, 8), "[--------]");
        assert_eq!(bar(2, 4, 8), "[####----]");
        assert_eq!(bar(4, 4, 8), "[########]");
        assert_eq!(bar(0, 0, 4), "[----]");
    }
}
