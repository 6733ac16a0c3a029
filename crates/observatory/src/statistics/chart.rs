//! The geometry of the statistics charts, in SVG user units: the page only writes it out.
//! A hidden figure is never drawn to scale: a bar chart writes `<5` or `x` where its bar would
//! be, a trend line breaks at it.

use relais_stats::Published;

use super::series::{Figure, PublishedSeries};

/// Room for the category labels, left of the bars.
pub const LABEL_WIDTH: f64 = 220.0;
/// The longest bar.
pub const BAR_SPACE: f64 = 340.0;
/// Width of a chart: labels, bars and the figure written after the longest bar.
pub const CHART_WIDTH: f64 = LABEL_WIDTH + BAR_SPACE + 80.0;
const ROW_HEIGHT: f64 = 28.0;
const BAR_HEIGHT: f64 = 18.0;

/// One category's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    /// Top of the row.
    pub y: f64,
    /// Zero for a hidden figure: nothing is drawn.
    pub width: f64,
    pub bar_height: f64,
    /// Where the figure is written, and what.
    pub text_x: f64,
    pub text_y: f64,
    pub text: String,
    pub hidden: bool,
}

/// Horizontal bars, one per category, lengths in proportion to the largest published figure.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub width: f64,
    pub height: f64,
    pub label_x: f64,
    pub bar_x: f64,
    pub bars: Vec<Bar>,
}

fn count(figure: &Figure) -> Option<u64> {
    match figure.cell {
        Published::Count(n) => Some(n),
        Published::Primary | Published::Secondary => None,
    }
}

/// The bars of `labels` (one per figure, in order) and their figures.
pub fn bars(labels: Vec<String>, figures: &[Figure]) -> BarChart {
    let largest = figures.iter().filter_map(count).max().unwrap_or(0).max(1) as f64;
    let bars = labels
        .into_iter()
        .zip(figures)
        .enumerate()
        .map(|(i, (label, figure))| {
            let y = i as f64 * ROW_HEIGHT;
            let width = count(figure).map_or(0.0, |n| (n as f64 / largest * BAR_SPACE).round());
            Bar {
                label,
                y,
                width,
                bar_height: BAR_HEIGHT,
                text_x: LABEL_WIDTH + width + 6.0,
                text_y: y + BAR_HEIGHT - 4.0,
                text: figure.text.clone(),
                hidden: figure.cell.is_hidden(),
            }
        })
        .collect::<Vec<_>>();
    BarChart {
        width: CHART_WIDTH,
        height: (bars.len() as f64 * ROW_HEIGHT).max(ROW_HEIGHT),
        label_x: LABEL_WIDTH - 8.0,
        bar_x: LABEL_WIDTH,
        bars,
    }
}

/// Colours of the trend's lines, distinct for readers with a colour-vision deficiency as far
/// as eight lines go (the table beside the chart names every figure).
const PALETTE: [&str; 8] = [
    "#000091", "#c9191e", "#18753c", "#b34000", "#6a6af4", "#009099", "#a558a0", "#3a3a3a",
];

const PLOT_LEFT: f64 = 60.0;
const PLOT_WIDTH: f64 = 420.0;
const PLOT_TOP: f64 = 16.0;
const PLOT_HEIGHT: f64 = 220.0;
const LEGEND_X: f64 = PLOT_LEFT + PLOT_WIDTH + 30.0;
const LEGEND_ROW: f64 = 20.0;

/// A run of consecutive published points of one line.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// `x,y x,y …` for a polyline.
    pub points: String,
}

/// A published point, with its figure for the tooltip.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub colour: &'static str,
    pub segments: Vec<Segment>,
    pub points: Vec<Point>,
    /// The legend's row.
    pub legend_y: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub position: f64,
    pub text: String,
}

/// Counts per year, one line per category.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendChart {
    pub width: f64,
    pub height: f64,
    pub plot_left: f64,
    pub plot_right: f64,
    pub plot_top: f64,
    pub plot_bottom: f64,
    pub legend_x: f64,
    pub years: Vec<Tick>,
    pub levels: Vec<Tick>,
    pub lines: Vec<Line>,
}

/// The trend of every category of `series` (labels in the order of its categories).
pub fn trend(labels: Vec<String>, series: &PublishedSeries) -> TrendChart {
    let years = &series.years;
    let categories = series.categories.len();
    let figures: Vec<Vec<Figure>> = (0..categories)
        .map(|i| (0..years.len()).map(|j| series.cell(i, j)).collect())
        .collect();
    let largest = figures.iter().flatten().filter_map(count).max().unwrap_or(0);
    let top = nice_ceiling(largest);
    let bottom = PLOT_TOP + PLOT_HEIGHT;
    let x = |j: usize| {
        if years.len() <= 1 {
            PLOT_LEFT + PLOT_WIDTH / 2.0
        } else {
            PLOT_LEFT + j as f64 * PLOT_WIDTH / (years.len() - 1) as f64
        }
    };
    let y = |n: u64| bottom - n as f64 / top as f64 * PLOT_HEIGHT;
    let lines = labels
        .into_iter()
        .zip(&figures)
        .enumerate()
        .map(|(i, (label, row))| {
            let mut segments = Vec::new();
            let mut run: Vec<String> = Vec::new();
            let mut points = Vec::new();
            for (j, figure) in row.iter().enumerate() {
                match count(figure) {
                    Some(n) => {
                        run.push(format!("{},{}", x(j), y(n)));
                        points.push(Point {
                            x: x(j),
                            y: y(n),
                            text: figure.text.clone(),
                        });
                    }
                    None if !run.is_empty() => segments.push(Segment {
                        points: std::mem::take(&mut run).join(" "),
                    }),
                    None => {}
                }
            }
            if !run.is_empty() {
                segments.push(Segment { points: run.join(" ") });
            }
            Line {
                label,
                colour: PALETTE[i % PALETTE.len()],
                segments,
                points,
                legend_y: PLOT_TOP + i as f64 * LEGEND_ROW,
            }
        })
        .collect::<Vec<_>>();
    let levels = (0..=4)
        .map(|k| {
            let n = top * k / 4;
            Tick {
                position: y(n),
                text: super::series::french_count(n),
            }
        })
        .collect();
    TrendChart {
        width: LEGEND_X + 200.0,
        height: (bottom + 30.0).max(PLOT_TOP + lines.len() as f64 * LEGEND_ROW + 10.0),
        plot_left: PLOT_LEFT,
        plot_right: PLOT_LEFT + PLOT_WIDTH,
        plot_top: PLOT_TOP,
        plot_bottom: bottom,
        legend_x: LEGEND_X,
        years: years
            .iter()
            .enumerate()
            .map(|(j, year)| Tick {
                position: x(j),
                text: year.to_string(),
            })
            .collect(),
        levels,
        lines,
    }
}

/// The smallest of 1, 2 or 5 times a power of ten, times four, that is at least `n`: the top
/// of the vertical scale, so that its four steps read as round numbers.
fn nice_ceiling(n: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step.saturating_mul(m).saturating_mul(4) >= n {
                return step.saturating_mul(m).saturating_mul(4);
            }
        }
        step = step.saturating_mul(10);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consolidate::Dimension;
    use crate::statistics::series::{Category, ProtectedSeries, Series};
    use relais_stats::{Disclosure, TwoWayTable};

    fn protected(categories: &[&str], years: &[i32], counts: Vec<u64>) -> PublishedSeries {
        let series = Series {
            dimension: Dimension::Sex,
            categories: categories.iter().map(|c| Category::Value((*c).to_owned())).collect(),
            years: years.to_vec(),
            counts: TwoWayTable::new(categories.len(), years.len(), counts).unwrap(),
            left_out: 0,
        };
        ProtectedSeries::new(series, Disclosure::default()).published()
    }

    #[test]
    fn a_hidden_figure_has_no_bar_and_says_why() {
        let series = protected(&["F", "M", "X"], &[2024], vec![40, 3, 20]);
        let (figures, _) = series.year(2024).unwrap();
        let chart = bars(vec!["Femme".into(), "Homme".into(), "Autre".into()], &figures);
        assert_eq!(chart.bars[0].width, BAR_SPACE, "the largest figure has the longest bar");
        assert_eq!(chart.bars[1].width, 0.0);
        assert_eq!(chart.bars[1].text, "<5");
        assert!(chart.bars[1].hidden);
        let protector = &chart.bars[2];
        assert_eq!(
            (protector.width, protector.text.as_str()),
            (0.0, "x"),
            "20 = 63 − 40 − 3 is hidden too"
        );
        assert!(chart.bars.iter().all(|b| b.text != "3"));
        assert_eq!(chart.bars[2].y, 56.0);
    }

    #[test]
    fn a_trend_line_breaks_at_a_hidden_year() {
        let series = protected(&["F", "M"], &[2022, 2023, 2024], vec![30, 40, 50, 20, 3, 25]);
        let chart = trend(vec!["Femme".into(), "Homme".into()], &series);
        assert_eq!(
            chart.years.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
            ["2022", "2023", "2024"]
        );
        let men = &chart.lines[1];
        let hidden_year = chart.years[1].position;
        assert!(
            men.points.iter().all(|p| p.x != hidden_year && p.text != "3"),
            "{men:?}"
        );
        assert!(
            men.segments
                .iter()
                .all(|s| !s.points.contains(&format!("{hidden_year},")))
        );

        let growing = trend(vec!["Femme".into()], &protected(&["F"], &[2022, 2024], vec![30, 50]));
        let points = &growing.lines[0].points;
        assert!(points[0].y > points[1].y, "more people draw higher");
        assert_eq!(growing.lines[0].segments.len(), 1);
        assert_eq!(growing.levels.last().unwrap().position, growing.plot_top);
        assert_eq!(growing.levels.last().unwrap().text, "80");
        assert_eq!(growing.levels[0].text, "0");
    }

    #[test]
    fn the_scale_ends_on_a_round_number() {
        assert_eq!(nice_ceiling(0), 4);
        assert_eq!(nice_ceiling(7), 8);
        assert_eq!(nice_ceiling(50), 80);
        assert_eq!(nice_ceiling(1234), 2000);
    }
}
