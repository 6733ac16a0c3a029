//! The observatory's published releases, without login (issue 14, part 7):
//! the list, each report (charts, tables, methodology, definitions; printable)
//! and its open data — the CSV, its Data Package with the Table Schema and
//! the checksum, and a workbook. Only what a release froze is read: figures
//! already through the disclosure policy, never a row of a source.

use super::release_view::{self, ContentView};
use crate::AppState;
use crate::download::{FileKind, attachment};
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use relais_observatory::release::{self as frozen, Content};
use relais_store::observatory::release::{self as store, Release};

pub struct PublicationRow {
    pub title: String,
    pub year: i32,
    pub version: u32,
    pub standing: String,
    /// "Remplacée par la version 2", when a later version of the year is out.
    pub replaced: Option<String>,
}

#[derive(Template)]
#[template(path = "observatory/publications.html")]
struct ListPage<'a> {
    page: &'a Page,
    rows: Vec<PublicationRow>,
}

fn replaced(page: &Page, release: &Release) -> Option<String> {
    release
        .replaced_by
        .map(|v| page.tr.t1("publication-replaced", "version", &v.to_string()))
}

/// GET /publications
pub async fn list(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let releases = store::published(&state.store).await?;
    render(&ListPage {
        rows: releases
            .iter()
            .filter_map(|r| {
                Some(PublicationRow {
                    title: r.title.clone(),
                    year: r.year,
                    version: r.version?,
                    standing: release_view::standing(&page, r),
                    replaced: replaced(&page, r),
                })
            })
            .collect(),
        page: &page,
    })
}

#[derive(Template)]
#[template(path = "observatory/publication.html")]
struct ReportPage<'a> {
    page: &'a Page,
    release: Release,
    version: u32,
    standing: String,
    replaced: Option<String>,
    content: ContentView,
}

/// The published release of the path's year and version.
async fn published(state: &AppState, year: &str, version: &str) -> Result<(Release, u32), AppError> {
    let year: i32 = year.parse().map_err(|_| AppError::NotFound)?;
    let version: u32 = version.parse().map_err(|_| AppError::NotFound)?;
    Ok((store::published_release(&state.store, year, version).await?, version))
}

/// GET /publications/{year}/{version}
pub async fn report(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((year, version)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let (release, version) = published(&state, &year, &version).await?;
    let content = release_view::view(&page, &release_view::content(&release)?)?;
    render(&ReportPage {
        standing: release_view::standing(&page, &release),
        replaced: replaced(&page, &release),
        content,
        version,
        page: &page,
        release,
    })
}

fn file_stem(release: &Release, version: u32) -> String {
    format!("relais-observatoire-{}-v{version}", release.year)
}

/// GET /publications/{year}/{version}/tableaux.csv
pub async fn csv(
    State(state): State<AppState>,
    Path((year, version)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (release, version) = published(&state, &year, &version).await?;
    let content = release_view::content(&release)?;
    Ok(attachment(
        FileKind::Csv,
        &file_stem(&release, version),
        frozen::csv(&content),
    ))
}

/// GET /publications/{year}/{version}/datapackage.json
pub async fn datapackage(
    State(state): State<AppState>,
    Path((year, version)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (release, version) = published(&state, &year, &version).await?;
    let content = release_view::content(&release)?;
    let package = frozen::datapackage(&content, &file_stem(&release, version), &release.title);
    Ok(axum::Json(package).into_response())
}

/// GET /publications/{year}/{version}/tableaux.xlsx
pub async fn workbook(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((year, version)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let (release, version) = published(&state, &year, &version).await?;
    let content = release_view::content(&release)?;
    let view = release_view::view(&page, &content)?;
    let bytes = sheets(&page, &release, version, &content, &view)
        .map_err(|e| AppError::Internal(format!("release workbook: {e}")))?;
    Ok(attachment(FileKind::Xlsx, &file_stem(&release, version), bytes))
}

/// A sheet of notes (the release, its methodology, the sources' definitions), then a sheet per
/// table as the report shows it: categories down, years across, totals last. Strings are
/// written as strings, so no cell is ever read as a formula.
fn sheets(
    page: &Page,
    release: &Release,
    version: u32,
    content: &Content,
    view: &ContentView,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
    let notes = workbook.add_worksheet();
    notes.set_name(page.t("publication-sheet-notes"))?;
    notes.set_column_width(0, 28)?;
    notes.set_column_width(1, 90)?;
    let mut line = 0u32;
    let mut pair = |sheet: &mut rust_xlsxwriter::Worksheet, label: String, value: &str| {
        let at = line;
        line += 1;
        sheet
            .write_string_with_format(at, 0, label, &bold)
            .and_then(|s| s.write_string_with_format(at, 1, value, &wrap))
            .map(|_| ())
    };
    pair(notes, page.t("release-field-title"), &release.title)?;
    pair(notes, page.t("release-field-year"), &release.year.to_string())?;
    pair(notes, page.t("publication-version"), &version.to_string())?;
    pair(notes, page.t("publication-checksum"), &release.sha256)?;
    pair(notes, page.t("release-field-note"), &release.note)?;
    pair(notes, page.t("publication-rules"), &view.rules)?;
    for note in &view.notes {
        pair(notes, page.t("observatory-field-name"), &note.name)?;
        pair(notes, page.t("observatory-field-producer"), &note.producer)?;
        pair(notes, page.t("observatory-field-unit"), &note.unit)?;
        pair(notes, page.t("observatory-field-counting_rule"), &note.counting_rule)?;
        pair(notes, page.t("observatory-field-period"), &note.period)?;
        pair(notes, page.t("observatory-field-territory"), &note.territory)?;
        pair(notes, page.t("observatory-field-quality_notes"), &note.quality_notes)?;
    }
    for (i, (table, shown)) in content.tables.iter().zip(&view.tables).enumerate() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(format!("T{}", i + 1))?;
        sheet.write_string_with_format(0, 0, &shown.heading, &bold)?;
        let f = &shown.figures;
        let header = std::iter::once(f.dimension.clone())
            .chain(table.series.years.iter().map(i32::to_string))
            .chain([page.t("observatory-stats-total")]);
        for (col, text) in (0u16..).zip(header) {
            sheet.write_string_with_format(2, col, text, &bold)?;
        }
        let rows = f
            .trend_rows
            .iter()
            .map(|r| (r.label.clone(), r.cells.clone(), r.total.clone()))
            .chain([(
                page.t("observatory-stats-total"),
                f.trend_totals.clone(),
                f.grand_total.clone(),
            )]);
        for (row, (label, cells, total)) in (3u32..).zip(rows) {
            sheet.write_string(row, 0, label)?;
            for (col, cell) in (1u16..).zip(cells.iter().chain([&total])) {
                // A count is written as a number (its French spaces removed), a mark as text.
                match cell.replace('\u{202f}', "").parse::<f64>() {
                    Ok(n) => sheet.write_number(row, col, n)?,
                    Err(_) => sheet.write_string(row, col, cell)?,
                };
            }
        }
        sheet.set_column_width(0, 40)?;
    }
    workbook.save_to_buffer()
}
