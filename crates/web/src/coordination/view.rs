//! What the pages of this area share: the plan codes, years and round ids
//! read from URLs, labels of statuses, gaps, credit natures and round
//! states, and the counts of a set of measures as bars with their numbers.

use crate::error::AppError;
use crate::page::Page;
use relais_domain::coordination::budget::CreditNature;
use relais_domain::coordination::completeness::{Gap, Summary};
use relais_domain::coordination::funding::FundingSource;
use relais_domain::coordination::measure::{MeasureRecord, PlanCode};
use relais_domain::coordination::round::UpdateStatus;
use relais_domain::coordination::status::{MeasureStatus, Rating};

pub(super) fn plan_code(raw: &str) -> Result<PlanCode, AppError> {
    PlanCode::parse(raw).ok_or(AppError::NotFound)
}

pub(super) fn status_label(page: &Page, status: Option<MeasureStatus>) -> String {
    page.t(&format!("plan-status-{}", status.map_or("unknown", MeasureStatus::key)))
}

/// A funding source as the page's language names it.
pub(super) fn funding_label(page: &Page, funding: &FundingSource) -> String {
    match funding {
        FundingSource::Budget { programme, action } => page.tr.tn(
            "annual-funding-budget-label",
            &[("programme", programme.clone()), ("action", action.clone())],
        ),
        FundingSource::Other(label) => label.clone(),
        other => page.t(&format!("annual-funding-{}", other.kind())),
    }
}

pub(super) fn rating_label(page: &Page, rating: Option<Rating>) -> String {
    page.t(&format!("plan-rating-{}", rating.map_or("unassessed", Rating::key)))
}

/// One bar of a chart: a label, a count and its share of the whole.
pub struct Bar {
    pub label: String,
    pub count: usize,
    /// Width in per cent of the chart.
    pub percent: usize,
}

fn bar(label: String, count: usize, total: usize) -> Bar {
    Bar {
        label,
        count,
        percent: (count * 100).checked_div(total).unwrap_or(0),
    }
}

/// The counts a plan page and the public page show, as labelled bars.
pub struct SummaryView {
    pub measures: usize,
    pub done_percent: usize,
    pub status: Vec<Bar>,
    pub rating: Vec<Bar>,
    /// Per gap: how many measures lack it.
    pub missing: Vec<Bar>,
    pub complete: usize,
    pub divergent: usize,
    pub cost_total: String,
}

pub(super) fn summary_view(page: &Page, summary: &Summary) -> SummaryView {
    let total = summary.measures;
    let mut status: Vec<Bar> = MeasureStatus::ALL
        .into_iter()
        .map(|s| bar(status_label(page, Some(s)), summary.count_of(s), total))
        .collect();
    status.push(bar(status_label(page, None), summary.status_unknown, total));
    let mut rating: Vec<Bar> = Rating::ALL
        .into_iter()
        .map(|r| bar(rating_label(page, Some(r)), summary.rated(r), total))
        .collect();
    rating.push(bar(rating_label(page, None), summary.unassessed, total));
    SummaryView {
        measures: total,
        done_percent: summary.done_percent(),
        status,
        rating,
        missing: Gap::ALL
            .into_iter()
            .map(|g| bar(page.t(&format!("plan-gap-{}", g.key())), summary.lacking(g), total))
            .collect(),
        complete: summary.complete,
        divergent: summary.divergent,
        cost_total: summary.cost_total.french(),
    }
}

/// An axis of a plan with the counts of its measures.
pub struct AxisView {
    pub title: String,
    pub summary: SummaryView,
}

/// The measures grouped by axis in axis order, those placed in no axis last.
pub(super) fn by_axis(page: &Page, measures: &[&MeasureRecord]) -> Vec<AxisView> {
    let mut axes: Vec<Option<u32>> = measures.iter().map(|m| m.axis).collect();
    axes.sort_by_key(|a| (a.is_none(), *a));
    axes.dedup();
    axes.into_iter()
        .map(|axis| {
            let of_axis: Vec<&MeasureRecord> = measures.iter().copied().filter(|m| m.axis == axis).collect();
            let title = match axis {
                Some(number) => {
                    let named = of_axis.iter().map(|m| m.axis_title.as_str()).find(|t| !t.is_empty());
                    match named {
                        Some(title) => page.tr.tn(
                            "plan-axis-titled",
                            &[("number", number.to_string()), ("title", title.to_owned())],
                        ),
                        None => page.tr.t1("plan-axis-untitled", "number", &number.to_string()),
                    }
                }
                None => page.t("plan-axis-none"),
            };
            AxisView {
                title,
                summary: summary_view(page, &Summary::of(of_axis)),
            }
        })
        .collect()
}

pub(super) fn nature_label(page: &Page, nature: CreditNature) -> String {
    page.t(&format!("budget-nature-{}", nature.key()))
}

pub(super) fn measure_label(page: &Page, number: u32, title: &str) -> String {
    page.tr.tn(
        "budget-measure-titled",
        &[("number", number.to_string()), ("title", title.to_owned())],
    )
}

pub(super) fn state_label(page: &Page, state: UpdateStatus) -> String {
    page.t(&format!("round-state-{}", state.key()))
}

/// A round id from a URL: 32 hex digits, or not found.
pub(super) fn round_id(raw: &str) -> Result<String, AppError> {
    (raw.len() == 32 && raw.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| raw.to_owned())
        .ok_or(AppError::NotFound)
}

/// A year in the URL: four digits (the store checks it is one of the plan's).
pub(super) fn year(raw: &str) -> Result<i32, AppError> {
    (raw.len() == 4 && raw.bytes().all(|b| b.is_ascii_digit()))
        .then(|| raw.parse().ok())
        .flatten()
        .ok_or(AppError::NotFound)
}
