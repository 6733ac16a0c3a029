//! A release's frozen content as pages show it — the analyst's check before
//! publishing and the public report are the same figures, drawn by the
//! statistics page's own view.

use super::statistics_view::{Figures, dimension_label, figures_view};
use super::view::SourceNote;
use crate::error::AppError;
use crate::page::Page;
use relais_observatory::release::Content;
use relais_store::observatory::release::Release;

/// One frozen table.
pub struct TableView {
    /// Prefix of its ids, and its anchor.
    pub anchor: String,
    /// "Source — Sexe".
    pub heading: String,
    pub figures: Figures,
}

/// Everything a release shows.
pub struct ContentView {
    pub tables: Vec<TableView>,
    /// Each source's definitions, once, in the order of the tables.
    pub notes: Vec<SourceNote>,
    /// What `<5` and `x` mean.
    pub rules: String,
    /// How the counts were noised, when the release is differentially private.
    pub privacy: Option<String>,
}

/// ε in hundredths, in the reader's notation ("0,5").
pub fn epsilon(page: &Page, hundredths: u32) -> String {
    let text = page.decimal(f64::from(hundredths) / 100.0, 2);
    // "0,50" reads better as "0,5", "1,00" as "1".
    let trimmed = text.trim_end_matches('0');
    trimmed.trim_end_matches([',', '.']).to_owned()
}

/// A stored release's content.
pub fn content(release: &Release) -> Result<Content, AppError> {
    serde_json::from_str(&release.content_json).map_err(|_| AppError::Internal("unreadable release content".into()))
}

pub fn view(page: &Page, content: &Content) -> Result<ContentView, AppError> {
    let mut notes: Vec<SourceNote> = Vec::new();
    let mut tables = Vec::new();
    for (i, table) in content.tables.iter().enumerate() {
        let unreadable = || AppError::Internal("unreadable release table".into());
        let definition = &table.source.definition;
        if !notes.iter().any(|n| n.code == definition.code.as_str()) {
            notes.push(SourceNote::of(page, definition));
        }
        let figures = figures_view(page, &table.series, content.year).ok_or_else(unreadable)?;
        tables.push(TableView {
            anchor: format!("t{}-", i + 1),
            heading: format!(
                "{} — {}",
                definition.name,
                dimension_label(page, table.series.dimension)
            ),
            figures,
        });
    }
    let threshold = content.tables.first().map_or(0, |t| t.series.threshold);
    let privacy = content.epsilon.map(|total| {
        let share = content.tables.first().and_then(|t| t.epsilon).map_or(total, |e| e);
        page.tr.tn(
            "release-privacy",
            &[
                ("total", epsilon(page, total.hundredths())),
                ("share", epsilon(page, share.hundredths())),
            ],
        )
    });
    Ok(ContentView {
        tables,
        notes,
        rules: page.tr.t1("observatory-stats-rules", "min", &threshold.to_string()),
        privacy,
    })
}

/// "Version 2, publiée le 4 décembre 2026" or "Brouillon préparé le…".
pub fn standing(page: &Page, release: &Release) -> String {
    match (release.version, release.decided_at) {
        (Some(version), Some(at)) => page.tr.tn(
            "release-standing-published",
            &[("version", version.to_string()), ("day", page.when(at.0))],
        ),
        _ => page
            .tr
            .t1("release-standing-draft", "day", &page.when(release.created_at.0)),
    }
}
