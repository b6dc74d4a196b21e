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

/// A line of progress on stderr (long runs: cargo test of whole chapters, loom).
pub fn progress(message: impl std::fmt::Display) {
    anstream::eprintln!("{}", paint(DIM, format!("… {message}")));
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
