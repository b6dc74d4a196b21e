//! Horizontal bar charts as inline SVG, for the book's figures.
//!
//! Inline, not an image file: text, axes and whiskers are drawn in `currentColor`, the
//! page's own text colour, so one chart reads in mdBook's light and dark themes alike.
//! Each label sits on its own line above its bar, wrapped to the chart's width, so no
//! label is ever cut off; the chart scales down on a narrow screen (`max-width: 100%`).
//! The output has no blank line: markdown keeps an HTML block whole until one.

/// One bar: `value` with a whisker from `low` to `high` (all in the axis's unit), and the
/// text written at its end.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub text: String,
}

/// A chart: its title (for screen readers), the axis's name, the bars, and an optional
/// dashed reference line (a ratio of 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart<'a> {
    pub title: &'a str,
    pub axis: &'a str,
    pub bars: &'a [Bar],
    pub reference: Option<f64>,
}

const WIDTH: f64 = 640.0;
const PAD: f64 = 8.0;
const LINE: f64 = 16.0;
const BAR: f64 = 14.0;
const GAP: f64 = 10.0;
const FILL: &str = "#4f8fd6";

/// A generous estimate of the width of `text` at 12 px: wide (CJK) characters count
/// double. Overestimating only leaves some room.
pub fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if c as u32 >= 0x2E80 { 12.0 } else { 7.0 })
        .sum()
}

/// `text` in lines no wider than `width`, broken at spaces (inside a word too long).
pub fn wrap(text: &str, width: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        let joined = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(&joined) <= width {
            *line = joined;
            continue;
        }
        let mut piece = String::new();
        for c in word.chars() {
            if !piece.is_empty() && text_width(&format!("{piece}{c}")) > width {
                lines.push(std::mem::take(&mut piece));
            }
            piece.push(c);
        }
        lines.push(piece);
    }
    lines.retain(|l| !l.is_empty());
    lines
}

/// The axis: a round step (1, 2, 2.5 or 5 × 10ⁿ) and the last tick, at or above `max`.
pub fn ticks(max: f64) -> (f64, f64) {
    let max = if max > 0.0 && max.is_finite() {
        max
    } else {
        1.0
    };
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude);
    let top = (max / step - 1e-9).ceil().max(1.0) * step;
    (step, top)
}

fn number(v: f64) -> String {
    let text = format!("{v:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// `&`, `<`, `>` and `"` escaped, for text and attributes.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart as one `<svg>` element.
pub fn svg(chart: &Chart) -> String {
    let value_room = chart
        .bars
        .iter()
        .map(|b| text_width(&b.text))
        .fold(0.0, f64::max)
        + 2.0 * PAD;
    let (x0, x1) = (PAD, WIDTH - value_room);
    let max = chart
        .bars
        .iter()
        .map(|b| b.high.max(b.value))
        .chain(chart.reference)
        .fold(0.0, f64::max);
    let (step, top) = ticks(max);
    let x = |v: f64| x0 + (v.max(0.0) / top) * (x1 - x0);
    let mut rows = String::new();
    let mut y = PAD;
    for bar in chart.bars {
        for line in wrap(&bar.label.replace('`', ""), WIDTH - 2.0 * PAD) {
            y += LINE;
            rows.push_str(&format!(
                "<text x=\"{x0}\" y=\"{}\">{}</text>\n",
                y - 4.0,
                escape(&line)
            ));
        }
        let (top_y, mid) = (y + 2.0, y + 2.0 + BAR / 2.0);
        rows.push_str(&format!(
            "<rect x=\"{x0}\" y=\"{top_y}\" width=\"{:.1}\" height=\"{BAR}\" fill=\"{FILL}\" \
             fill-opacity=\"0.8\"/>\n",
            x(bar.value) - x0
        ));
        let (lo, hi) = (x(bar.low), x(bar.high));
        rows.push_str(&format!(
            "<path d=\"M{lo:.1} {mid}H{hi:.1}M{lo:.1} {}V{}M{hi:.1} {}V{}\" \
             stroke=\"currentColor\" stroke-width=\"1.5\" fill=\"none\"/>\n",
            mid - 4.0,
            mid + 4.0,
            mid - 4.0,
            mid + 4.0
        ));
        rows.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\">{}</text>\n",
            hi.max(x(bar.value)) + 6.0,
            mid + 4.0,
            escape(&bar.text)
        ));
        y += 2.0 + BAR + GAP;
    }
    let axis_y = y;
    let mut axis =
        format!("<path d=\"M{x0} {axis_y}H{x1}\" stroke=\"currentColor\" stroke-width=\"1\"/>\n");
    // The grid goes first, under the bars.
    let mut grid = String::new();
    let count = (top / step).round() as usize;
    for i in 0..=count {
        let v = step * i as f64;
        let tx = x(v);
        grid.push_str(&format!(
            "<path d=\"M{tx:.1} {PAD}V{axis_y}\" stroke=\"currentColor\" stroke-opacity=\"0.15\"/>\n"
        ));
        axis.push_str(&format!(
            "<path d=\"M{tx:.1} {axis_y}v4\" stroke=\"currentColor\"/>\n\
             <text x=\"{tx:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            axis_y + 16.0,
            number(v)
        ));
    }
    if let Some(r) = chart.reference {
        axis.push_str(&format!(
            "<path d=\"M{:.1} {PAD}V{axis_y}\" stroke=\"currentColor\" stroke-dasharray=\"4 3\"/>\n",
            x(r)
        ));
    }
    axis.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
        (x0 + x1) / 2.0,
        axis_y + 34.0,
        escape(chart.axis)
    ));
    let height = axis_y + 42.0;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{}\" \
         font-family=\"sans-serif\" font-size=\"12\" fill=\"currentColor\" \
         style=\"max-width:100%;height:auto\">\n{grid}{rows}{axis}</svg>",
        escape(chart.title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64, low: f64, high: f64) -> Bar {
        let text = format!("{value} ms");
        Bar {
            label: label.to_owned(),
            value,
            low,
            high,
            text,
        }
    }

    #[test]
    fn ticks_are_round_and_cover_the_largest_value() {
        assert_eq!(ticks(9.0), (2.0, 10.0));
        assert_eq!(ticks(10.0), (2.0, 10.0));
        assert_eq!(ticks(11.0), (2.5, 12.5));
        assert_eq!(ticks(0.032), (0.01, 0.04));
        assert_eq!(ticks(0.0), (0.2, 1.0));
    }

    #[test]
    fn long_labels_wrap_within_the_chart_and_nothing_is_lost() {
        let label = "one-way pipe (socket pair) to a thread, with a very long explanation \
                     that cannot fit on a single line of the chart at all";
        let lines = wrap(label, WIDTH - 2.0 * PAD);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l) <= WIDTH - 2.0 * PAD));
        assert_eq!(lines.join(" "), label);
        let cjk = wrap(&"锁".repeat(80), 100.0);
        assert!(cjk.iter().all(|l| text_width(l) <= 100.0) && cjk.concat() == "锁".repeat(80));
    }

    #[test]
    fn bars_and_whiskers_are_scaled_to_the_axis_and_text_is_escaped() {
        let bars = [bar("a <b> & `c`", 5.0, 4.0, 6.0), bar("d", 10.0, 9.0, 11.0)];
        let chart = Chart {
            title: "T \"x\"",
            axis: "time (ms)",
            bars: &bars,
            reference: Some(1.0),
        };
        let svg = svg(&chart);
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(
            !svg.contains("\n\n"),
            "no blank line may end the HTML block"
        );
        assert!(svg.contains("a &lt;b&gt; &amp; c</text>"), "{svg}");
        assert!(svg.contains("aria-label=\"T &quot;x&quot;\""));
        assert!(svg.contains("stroke-dasharray"));
        // 11 is the largest value: the axis goes to 12.5 in steps of 2.5.
        assert!(svg.contains(">12.5</text>") && !svg.contains(">15</text>"));
        let widths: Vec<f64> = svg
            .lines()
            .filter(|l| l.starts_with("<rect"))
            .map(|l| {
                l.split("width=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            })
            .collect();
        assert_eq!(widths.len(), 2);
        assert!((widths[1] / widths[0] - 2.0).abs() < 0.01, "{widths:?}");
        assert!(svg.contains("currentColor"));
    }
}
