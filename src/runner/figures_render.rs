//! A group of figures as a page shows it: a markdown table, a chart beside it
//! ([`chart`](super::chart)), and where the numbers came from — all made from the data
//! file, so the table, the chart and the data cannot disagree.

use super::chart::{self, Bar, Chart};
use super::figures::{Group, Pair, Throughput};

/// The block written between a page's markers (after the start marker's line).
pub fn block(group: &Group, file: &str) -> String {
    let mut out = format!(
        "<!-- generated from {file} by `cargo run -- sync`: edit the data, not this \
         block -->\n\n"
    );
    let title = group.title.as_deref().unwrap_or(&group.id);
    let (table, bars, axis, reference) = if group.pairs.is_empty() {
        benches(group)
    } else {
        pairs(group)
    };
    out.push_str(&table);
    let chart = Chart {
        title,
        axis: &axis,
        bars: &bars,
        reference,
    };
    out.push_str(&format!(
        "\n<figure class=\"workbook-figure\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n\n",
        chart::svg(&chart),
        chart::escape(title)
    ));
    let how = match group.runs {
        Some(runs) if !group.pairs.is_empty() => format!(
            "{runs} paired runs, each program's wall time from start to exit; medians, and \
             the whiskers span the runs' ratios"
        ),
        _ => format!(
            "criterion's medians; the whiskers are its {} confidence intervals",
            percent(group.confidence.unwrap_or(0.95))
        ),
    };
    out.push_str(&format!(
        "Measured on {} on {} with `{}` ({how}).\n\n",
        group.date, group.machine, group.command
    ));
    out
}

type Parts = (String, Vec<Bar>, String, Option<f64>);

fn benches(group: &Group) -> Parts {
    let second = group.unit.seconds();
    let rates: Vec<Option<(f64, f64, f64, &str)>> = group
        .benchmarks
        .iter()
        .map(|b| {
            let t = b.throughput?;
            let (amount, per, unit) = match t {
                Throughput::Bytes(n) => (n as f64, 1024.0 * 1024.0, "MiB/s"),
                Throughput::BytesDecimal(n) => (n as f64, 1e6, "MB/s"),
                Throughput::Bits(n) => (n as f64, 1e6, "Mbit/s"),
                Throughput::Elements(n) => (n as f64, 1.0, "per second"),
            };
            let rate = |time: f64| amount / per / (time * second);
            Some((rate(b.median), rate(b.high), rate(b.low), unit))
        })
        .collect();
    let with_rates = rates.iter().any(Option::is_some);
    let mut table = format!(
        "| benchmark | median | {} interval |{}\n| --- | ---: | ---: |{}\n",
        percent(group.confidence.unwrap_or(0.95)),
        if with_rates { " throughput |" } else { "" },
        if with_rates { " ---: |" } else { "" },
    );
    for (b, rate) in group.benchmarks.iter().zip(&rates) {
        let unit = time_unit(b.median * second);
        let rate = match rate {
            Some((r, _, _, unit)) => format!(" {} {unit} |", rate_text(*r)),
            None if with_rates => " |".to_owned(),
            None => String::new(),
        };
        table.push_str(&format!(
            "| {} | {} | {}–{} |{rate}\n",
            cell(b.label.as_deref().unwrap_or(&b.name)),
            in_unit(b.median * second, unit),
            digits(b.low * second / unit.1),
            in_unit(b.high * second, unit),
        ));
    }
    let label = |i: usize| {
        let b = &group.benchmarks[i];
        b.label.clone().unwrap_or_else(|| b.name.clone())
    };
    let one_rate_unit = rates.iter().flatten().map(|r| r.3).collect::<Vec<_>>();
    if rates.iter().all(Option::is_some) && one_rate_unit.windows(2).all(|w| w[0] == w[1]) {
        let bars = rates
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, &(value, low, high, unit))| Bar {
                label: label(i),
                value,
                low,
                high,
                text: format!("{} {unit}", rate_text(value)),
            })
            .collect();
        let axis = format!("throughput, {} (higher is faster)", one_rate_unit[0]);
        return (table, bars, axis, None);
    }
    let largest = group.benchmarks.iter().map(|b| b.high).fold(0.0, f64::max);
    let unit = time_unit(largest * second);
    let bars = group
        .benchmarks
        .iter()
        .enumerate()
        .map(|(i, b)| Bar {
            label: label(i),
            value: b.median * second / unit.1,
            low: b.low * second / unit.1,
            high: b.high * second / unit.1,
            text: time_text(b.median * second),
        })
        .collect();
    let axis = format!("time per iteration ({}; shorter is faster)", unit.0);
    (table, bars, axis, None)
}

fn pairs(group: &Group) -> Parts {
    let second = group.unit.seconds();
    let printed = group
        .pairs
        .iter()
        .any(|p| !p.python_printed.is_empty() || !p.rust_printed.is_empty());
    let mut table =
        String::from("| program | Python | Python's time | Rust's time (release) | ratio |");
    table.push_str(if printed {
        " Python printed | Rust printed |\n"
    } else {
        "\n"
    });
    table.push_str("| --- | --- | ---: | ---: | ---: |");
    table.push_str(if printed { " --- | --- |\n" } else { "\n" });
    for p in &group.pairs {
        table.push_str(&format!(
            "| {} | {} | {} | {} | {}× ({}–{}×) |",
            cell(&p.program),
            cell(&p.python),
            time_text(p.python_median * second),
            time_text(p.rust_median * second),
            ratio_text(p.ratio),
            ratio_text(p.ratio_low),
            ratio_text(p.ratio_high),
        ));
        if printed {
            table.push_str(&format!(
                " {} | {} |",
                outputs(&p.python_printed, group.runs),
                outputs(&p.rust_printed, group.runs)
            ));
        }
        table.push('\n');
    }
    let bars = group
        .pairs
        .iter()
        .map(|p: &Pair| Bar {
            label: format!("{} — {}", p.program, p.python),
            value: p.ratio,
            low: p.ratio_low,
            high: p.ratio_high,
            text: format!("{}×", ratio_text(p.ratio)),
        })
        .collect();
    let axis = "Python's time ÷ Rust's time (the dashed line: the same)".to_owned();
    (table, bars, axis, Some(1.0))
}

/// `0` (3 of 3 runs), `-5` (1 of 3 runs), …
fn outputs(printed: &std::collections::BTreeMap<String, u32>, runs: Option<u32>) -> String {
    let all: Vec<String> = printed
        .iter()
        .map(|(line, n)| match runs {
            Some(runs) => format!("`{}` ({n} of {runs})", line.replace('`', "'")),
            None => format!("`{}` ({n}×)", line.replace('`', "'")),
        })
        .collect();
    cell(&all.join(", "))
}

fn percent(level: f64) -> String {
    format!("{} %", chart_number(level * 100.0))
}

fn chart_number(v: f64) -> String {
    let text = format!("{v:.1}");
    text.trim_end_matches(".0").to_owned()
}

/// A table cell: `|` would end it.
/// A table cell: `|` would end it, and outside a code span `<u64>` would read as an
/// HTML tag.
fn cell(text: &str) -> String {
    let spans = text.split('`').enumerate().map(|(i, span)| {
        if i % 2 == 1 {
            span.to_owned()
        } else {
            span.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        }
    });
    spans.collect::<Vec<_>>().join("`").replace('|', "\\|")
}

/// The unit a time of `seconds` reads best in, and one of it in seconds.
fn time_unit(seconds: f64) -> (&'static str, f64) {
    match seconds {
        s if s >= 1.0 => ("s", 1.0),
        s if s >= 1e-3 => ("ms", 1e-3),
        s if s >= 1e-6 => ("µs", 1e-6),
        _ => ("ns", 1e-9),
    }
}

/// Three significant digits (more for values of 1000 and over).
fn digits(v: f64) -> String {
    match v.abs() {
        a if a >= 100.0 => format!("{v:.0}"),
        a if a >= 10.0 => format!("{v:.1}"),
        _ => format!("{v:.2}"),
    }
}

fn in_unit(seconds: f64, (name, size): (&str, f64)) -> String {
    format!("{} {name}", digits(seconds / size))
}

fn time_text(seconds: f64) -> String {
    in_unit(seconds, time_unit(seconds))
}

fn ratio_text(r: f64) -> String {
    digits(r)
}

/// A rate, with thousands separated: `745`, `8,510`, `1.23`.
fn rate_text(rate: f64) -> String {
    if rate < 1000.0 {
        return digits(rate);
    }
    let magnitude = 10f64.powf(rate.log10().floor() - 2.0);
    let rounded = ((rate / magnitude).round() * magnitude) as u64;
    let text = rounded.to_string();
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && (text.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
#[path = "figures_render_tests.rs"]
mod tests;
