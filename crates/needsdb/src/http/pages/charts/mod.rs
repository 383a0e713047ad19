//! Charts drawn by the server as SVG: they need no script, print sharply,
//! and carry a `<title>` and `<desc>`. Colours are presentation attributes
//! (the CSP allows no inline style). Every chart has a table beside it with
//! the same figures.

pub mod map;

/// Viridis in five steps, dark to light: readable by colour-blind readers
/// and in greyscale. Unmet need is dark; coverage light.
pub const VIRIDIS: [&str; 5] = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];
/// A state with no need counted.
pub const NO_DATA: &str = "#e4e4e4";
/// Outlines that are no state of the reference data.
pub const BACKGROUND: &str = "#f3f3f3";

/// The class of a coverage percentage: 0–19.9, 20–39.9, … 80–100.
pub fn class_of(pct: f64) -> usize {
    ((pct / 20.0).floor().max(0.0) as usize).min(4)
}

/// A figure as JSON gives it (a number, or a decimal in a string).
pub fn number(v: &serde_json::Value) -> f64 {
    match v {
        serde_json::Value::Number(n) => n.as_f64().unwrap_or(0.0),
        serde_json::Value::String(s) => s.parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// A coverage bar's four parts, which add up to what is needed: arrived;
/// funded but not yet arrived; promised (announced or pledged) within what
/// is unmet; and unmet with no promise.
pub fn parts(c: &needsdb_store::Coverage) -> [f64; 4] {
    let needed = number(&c.needed);
    let unmet = number(&c.unmet).min(needed);
    let met = needed - unmet;
    let delivered = number(&c.delivered).min(met);
    let promised = (number(&c.announced) + number(&c.pledged)).min(unmet);
    [delivered, met - delivered, promised, unmet - promised]
}

/// Escapes text for SVG (the templates escape everything else).
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

use std::fmt::Write;

/// How a chart is read: left to right, or right to left (Arabic). The
/// charts mirror their own geometry and set `direction="ltr"` on the SVG,
/// so a text anchor means the same on an Arabic page.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    /// An x position of a box of width `w`, mirrored when right to left.
    fn x(self, x: f64, w: f64, width: f64) -> f64 {
        match self {
            Direction::Ltr => x,
            Direction::Rtl => width - x - w,
        }
    }
    fn start(self) -> &'static str {
        match self {
            Direction::Ltr => "start",
            Direction::Rtl => "end",
        }
    }
}

/// One state on the map: its colour class (None: no need counted), the
/// words of its hover title, and where it links.
pub struct MapState {
    pub iso3: String,
    pub class: Option<usize>,
    pub title: String,
    pub href: String,
    /// A member or observer state: drawn as a circle when too small to see,
    /// even with no need (other small territories only when they have one).
    pub member: bool,
}

/// The choropleth: every state of the map, coloured by class; small states
/// and those the outlines lack as circles. Each links to its country page,
/// so the drawing is a group of links (an image may not hold links).
pub fn map_svg(title: &str, desc: &str, states: &[MapState]) -> String {
    let world = map::world();
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        r##"<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="{}" role="group" aria-labelledby="map-title" aria-describedby="map-desc"><title id="map-title">{}</title><desc id="map-desc">{}</desc><g stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round">"##,
        world.view_box,
        esc(title),
        esc(desc)
    );
    for d in &world.others {
        let _ = write!(out, r#"<path d="{d}" fill="{BACKGROUND}"/>"#);
    }
    let mut dots = String::new();
    for s in states {
        let Some(shape) = world.shapes.get(&s.iso3) else {
            continue;
        };
        let fill = s.class.map_or(NO_DATA, |c| VIRIDIS[c]);
        let t = esc(&s.title);
        if !shape.path.is_empty() {
            let _ = write!(
                out,
                r#"<a href="{}" data-iso3="{}"><path d="{}" fill="{fill}"><title>{t}</title></path></a>"#,
                esc(&s.href),
                s.iso3,
                shape.path
            );
        }
        if let (Some((x, y)), true) = (shape.dot, s.member || s.class.is_some()) {
            // Circles go on top, so a small state is never hidden by its neighbour.
            let _ = write!(
                dots,
                r##"<a href="{}" data-iso3="{}"><circle cx="{:.0}" cy="{:.0}" r="{}" fill="{fill}" stroke="#333333" stroke-width="0.8"><title>{t}</title></circle></a>"##,
                esc(&s.href),
                s.iso3,
                x,
                y,
                map::DOT
            );
        }
    }
    out.push_str("</g><g>");
    out.push_str(&dots);
    out.push_str("</g></svg>");
    out
}

/// One bar of a stacked bar chart: its label, and its segments' values.
pub struct Stack {
    pub label: String,
    pub values: Vec<f64>,
    /// The words of each segment's hover title.
    pub titles: Vec<String>,
}

/// Okabe and Ito's colours, safe for colour-blind readers: delivered,
/// funded but not yet arrived, promised, and unmet (grey).
pub const STACK_COLOURS: [&str; 4] = ["#009e73", "#0072b2", "#e69f00", "#bbbbbb"];

/// About how wide `text` is at `size` px: ideographs and kana take a full
/// em, other letters a little over half of one (there is no font to
/// measure with at the server).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| {
            let wide = matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFF60);
            if wide { size } else { size * 0.56 }
        })
        .sum()
}

/// Horizontal stacked bars on one scale (the largest total is full width).
pub fn stacked_bars(id: &str, title: &str, desc: &str, bars: &[Stack], dir: Direction) -> String {
    let (width, row) = (760.0, 30.0);
    // Room for the longest label, so none runs under the bars; the bars
    // keep at least 60 % of the width.
    let label_w = bars
        .iter()
        .map(|b| text_width(&b.label, 13.0) + 16.0)
        .fold(120.0, f64::max)
        .min(width * 0.4);
    let height = row * bars.len() as f64 + 10.0;
    let max = bars
        .iter()
        .map(|b| b.values.iter().sum::<f64>())
        .fold(0.0, f64::max)
        .max(1e-9);
    let plot = width - label_w - 10.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="chart" direction="ltr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(desc)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 5.0 + row * i as f64;
        let tx = dir.x(0.0, label_w - 8.0, width) + if dir == Direction::Rtl { label_w - 8.0 } else { 0.0 };
        let _ = write!(
            out,
            r##"<text x="{tx:.0}" y="{:.0}" font-size="13" text-anchor="{}" fill="#1a1a1a">{}</text>"##,
            y + row * 0.6,
            dir.start(),
            esc(&b.label)
        );
        let mut x = label_w;
        for (j, v) in b.values.iter().enumerate() {
            let w = v / max * plot;
            if w > 0.0 {
                let _ = write!(
                    out,
                    r#"<rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{:.0}" fill="{}"><title>{}</title></rect>"#,
                    dir.x(x, w, width),
                    y + 3.0,
                    row - 8.0,
                    STACK_COLOURS[j % STACK_COLOURS.len()],
                    esc(b.titles.get(j).map_or("", String::as_str))
                );
            }
            x += w;
        }
    }
    out.push_str("</svg>");
    out
}

/// Lines over evenly spaced points (months), with the first and last
/// labels and the largest value marked on the axis.
pub fn lines(
    title: &str,
    desc: &str,
    labels: &[String],
    series: &[(String, Vec<f64>)],
    max_label: &str,
    dir: Direction,
) -> String {
    let (width, height, pad) = (720.0, 260.0, 40.0);
    let n = labels.len().max(2);
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0, f64::max)
        .max(1e-9);
    let px = |i: usize| {
        let x = pad + (width - 2.0 * pad) * i as f64 / (n - 1) as f64;
        dir.x(x, 0.0, width)
    };
    let py = |v: f64| height - pad - (height - 2.0 * pad) * v / max;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg class="chart" direction="ltr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-labelledby="series-title series-desc"><title id="series-title">{}</title><desc id="series-desc">{}</desc><g stroke="#999999" stroke-width="1"><line x1="{pad}" y1="{b}" x2="{r}" y2="{b}"/></g>"##,
        esc(title),
        esc(desc),
        b = height - pad,
        r = width - pad
    );
    for (k, (name, values)) in series.iter().enumerate() {
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", px(i), py(*v)))
            .collect();
        let _ = write!(
            out,
            r#"<polyline fill="none" stroke="{}" stroke-width="3" stroke-dasharray="{}" points="{}"><title>{}</title></polyline>"#,
            ["#555555", "#e69f00", "#0072b2", "#009e73"][k % 4],
            ["", "6 3", "2 3", ""][k % 4],
            points.join(" "),
            esc(name)
        );
    }
    if let (Some(first), Some(last)) = (labels.first(), labels.last()) {
        let _ = write!(
            out,
            r##"<text x="{:.0}" y="{:.0}" font-size="12" text-anchor="middle" fill="#1a1a1a">{}</text><text x="{:.0}" y="{:.0}" font-size="12" text-anchor="middle" fill="#1a1a1a">{}</text>"##,
            px(0),
            height - pad + 18.0,
            esc(first),
            px(labels.len().saturating_sub(1)),
            height - pad + 18.0,
            esc(last)
        );
    }
    let _ = write!(
        out,
        r##"<text x="{:.0}" y="{:.0}" font-size="12" text-anchor="{}" fill="#1a1a1a">{}</text></svg>"##,
        dir.x(pad, 0.0, width),
        pad - 8.0,
        dir.start(),
        esc(max_label)
    );
    out
}

/// The Lorenz curve: the share of deliveries against the share of people,
/// states ordered from the least served per person; the diagonal is equality.
pub fn lorenz(title: &str, desc: &str, points: &[(f64, f64)], dir: Direction) -> String {
    let (size, pad) = (260.0, 20.0);
    let span = size - 2.0 * pad;
    let at = |p: f64, d: f64| (dir.x(pad + p * span, 0.0, size), size - pad - d * span);
    let mut out = String::new();
    let (x0, y0) = at(0.0, 0.0);
    let (x1, y1) = at(1.0, 1.0);
    let _ = write!(
        out,
        r##"<svg class="chart lorenz" direction="ltr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" aria-labelledby="lorenz-title lorenz-desc"><title id="lorenz-title">{}</title><desc id="lorenz-desc">{}</desc><rect x="{pad}" y="{pad}" width="{span}" height="{span}" fill="none" stroke="#999999"/><line x1="{x0:.1}" y1="{y0:.1}" x2="{x1:.1}" y2="{y1:.1}" stroke="#999999" stroke-dasharray="4 3"/>"##,
        esc(title),
        esc(desc)
    );
    let pts: Vec<String> = points
        .iter()
        .map(|(p, d)| {
            let (x, y) = at(*p, *d);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = write!(
        out,
        r##"<polyline fill="none" stroke="#0072b2" stroke-width="3" points="{}"/></svg>"##,
        pts.join(" ")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the first bar starts, read back from the SVG.
    fn first_bar_x(svg: &str) -> f64 {
        let at = svg.find("<rect x=\"").map(|i| i + 9).unwrap_or(0);
        svg[at..].split('"').next().and_then(|x| x.parse().ok()).unwrap_or(0.0)
    }

    #[test]
    fn bars_start_after_their_longest_label() {
        for label in [
            "lower-middle income · share of deliveries",
            "中等偏下收入 · 交付占比与人口占比",
        ] {
            let bars = [Stack {
                label: label.into(),
                values: vec![1.0],
                titles: vec![String::new()],
            }];
            let svg = stacked_bars("t", "t", "d", &bars, Direction::Ltr);
            assert!(
                first_bar_x(&svg) >= text_width(label, 13.0),
                "{label}: the bar starts at {} under a label {} wide",
                first_bar_x(&svg),
                text_width(label, 13.0)
            );
        }
        // Ideographs are a full em, Latin letters about half of one.
        assert!(text_width("交付", 13.0) > text_width("ab", 13.0) * 1.5);
    }
}
