//! A forest chart: one row per figure, its interval as a line and its estimate as a dot on one
//! scale, in SVG user units (`templates/observatory/forest.html`). The linkage run draws its
//! estimate over nearby thresholds with it, the estimate page its methods side by side.

use crate::page::Page;

/// One figure to draw; a limit that is not finite (an unbounded interval) runs to the edge.
pub struct Point {
    pub label: String,
    pub estimate: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Drawn bolder: the figure the others are compared with.
    pub chosen: bool,
}

pub struct ForestRow {
    pub label: String,
    pub y: f64,
    pub x_low: f64,
    pub x_high: f64,
    pub x_estimate: f64,
    pub text: String,
    pub chosen: bool,
}

pub struct Forest {
    pub width: f64,
    pub height: f64,
    pub label_x: f64,
    pub rows: Vec<ForestRow>,
    /// The scale's ends, written under the plot.
    pub axis_y: f64,
    pub low_x: f64,
    pub high_x: f64,
    pub low_text: String,
    pub high_text: String,
}

const WIDTH: f64 = 640.0;
const LABEL: f64 = 140.0;
const PLOT: f64 = 380.0;
const ROW: f64 = 30.0;

pub fn forest(page: &Page, points: &[Point]) -> Forest {
    let ends = points
        .iter()
        .flat_map(|p| [p.low, Some(p.estimate), p.high])
        .flatten()
        .filter(|v| v.is_finite());
    let low = ends.clone().fold(f64::INFINITY, f64::min);
    let high = ends.fold(0.0, f64::max);
    let (low, high) = if low.is_finite() && high > low {
        (low, high)
    } else {
        (0.0, 1.0)
    };
    let x = |v: f64| LABEL + ((v - low) / (high - low) * PLOT).clamp(0.0, PLOT);
    let rows: Vec<ForestRow> = points
        .iter()
        .enumerate()
        .map(|(i, p)| ForestRow {
            label: p.label.clone(),
            y: i as f64 * ROW + ROW / 2.0,
            x_low: p.low.map_or(LABEL, x),
            x_high: p.high.map_or(LABEL + PLOT, x),
            x_estimate: x(p.estimate),
            text: page.decimal(p.estimate, 0),
            chosen: p.chosen,
        })
        .collect();
    let axis_y = rows.len() as f64 * ROW + 14.0;
    Forest {
        width: WIDTH,
        height: axis_y + 6.0,
        label_x: LABEL - 10.0,
        rows,
        axis_y,
        low_x: LABEL,
        high_x: LABEL + PLOT,
        low_text: page.decimal(low, 0),
        high_text: page.decimal(high, 0),
    }
}
