//! The partners' exports (issue 14, part 7): `/observatory/exports` picks a year and
//! downloads the Eurostat `crim_thb`-shaped table (from the `relais-mnr` records, through the
//! disclosure policy) and the CTDC-style de-identified extract (from the cases, k-anonymous
//! and checked). The HTCDS export of one case is identifying and lives on the case page
//! (`casework::letter` neighbours it: `/cases/{id}/htcds.json`). The files are written by
//! `relais_observatory::exports`.

use crate::AppState;
use crate::access::authorized::Authorized;
use crate::download::{FileKind, attachment};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::{RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use relais_domain::access::authz::{Capability, ManageObservatory};
use relais_domain::observatory::source::SourceCode;
use relais_observatory::exports::anonymity::AnonymityError;
use relais_observatory::exports::{REPORTING_COUNTRY, ctdc, eurostat::EurostatTable};
use relais_observatory::nrm;
use relais_stats::Disclosure;
use relais_store::observatory::{self as store, exports};
use serde::Deserialize;

/// How many years back the picker offers.
const YEARS_OFFERED: i32 = 10;

/// What the analyst asked for, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct ExportQuery {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub k: String,
}

#[derive(Template)]
#[template(path = "observatory/exports.html")]
struct ExportsPage<'a> {
    page: &'a Page,
    /// (value, selected) of each year offered, latest first.
    years: Vec<(i32, bool)>,
    k: String,
    default_k: usize,
    threshold: usize,
    errors: FieldErrors,
}

fn page_with(
    state: &AppState,
    ctx: &RequestContext,
    query: &ExportQuery,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    let this_year = page.today(state.clock.now()).year;
    let chosen = query.year.trim().parse::<i32>().unwrap_or(this_year - 1);
    let failed = !errors.is_empty();
    let body = render(&ExportsPage {
        page: &page,
        years: (0..YEARS_OFFERED)
            .map(|back| this_year - back)
            .map(|y| (y, y == chosen))
            .collect(),
        k: if query.k.trim().is_empty() {
            ctdc::DEFAULT_K.to_string()
        } else {
            query.k.clone()
        },
        default_k: ctdc::DEFAULT_K,
        threshold: state.settings.statistics.min_group,
        errors,
    })?;
    Ok(crate::page::form_status(body, failed))
}

/// GET /observatory/exports
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    _: Authorized<ManageObservatory>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    page_with(&state, &ctx, &query, FieldErrors::default())
}

/// The year asked for, if it is one the picker offers.
fn year(state: &AppState, ctx: &RequestContext, query: &ExportQuery) -> Option<i32> {
    let this_year = Page::new(state, ctx).today(state.clock.now()).year;
    query
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (this_year - YEARS_OFFERED + 1..=this_year).contains(y))
}

fn refused(
    state: &AppState,
    ctx: &RequestContext,
    query: &ExportQuery,
    field: &'static str,
    key: &str,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::default();
    errors.add(field, Page::new(state, ctx).t(key));
    page_with(state, ctx, query, errors)
}

/// GET /observatory/exports/eurostat.csv?year=
pub async fn eurostat(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let Some(year) = year(&state, &ctx, &query) else {
        return refused(&state, &ctx, &query, "eurostat-year", "exports-year-invalid");
    };
    let source = SourceCode::parse(nrm::CODE).ok_or(AppError::NotFound)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let rows = match store::current_rows(&mut tx, &can, &source).await {
        Ok(rows) => rows,
        // Before the NRM's first daily extract its source does not exist: nobody to count yet.
        Err(relais_store::StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    exports::eurostat_produced(&mut tx, &can, year).await?;
    tx.commit().await?;
    let rows = rows.map(|r| r.rows).unwrap_or_default();
    let policy = Disclosure::new(state.settings.statistics.min_group);
    let table =
        EurostatTable::build(&rows, year, REPORTING_COUNTRY, policy).map_err(|e| AppError::Internal(e.to_string()))?;
    let csv = table.to_csv().map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment(FileKind::Csv, &format!("eurostat-crim-thb-{year}"), csv))
}

/// GET /observatory/exports/ctdc.csv?year=&k=
pub async fn ctdc(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let Some(year) = year(&state, &ctx, &query) else {
        return refused(&state, &ctx, &query, "ctdc-year", "exports-year-invalid");
    };
    let k = match query.k.trim() {
        "" => ctdc::DEFAULT_K,
        typed => match typed.parse::<usize>() {
            Ok(k) if (2..=100).contains(&k) => k,
            _ => return refused(&state, &ctx, &query, "ctdc-k", "exports-k-invalid"),
        },
    };
    extract(&state, &ctx, &user, &query, can, year, k).await
}

async fn extract(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    query: &ExportQuery,
    can: Capability<ManageObservatory>,
    year: i32,
    k: usize,
) -> Result<Response, AppError> {
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let people = exports::victims(&mut tx, &can, year).await?;
    let checked = match ctdc::extract(&people, k) {
        Ok(checked) => checked,
        Err(AnonymityError::TooFew { .. } | AnonymityError::SmallClass { .. } | AnonymityError::ZeroK) => {
            // Nothing is written, but the read of the cases is recorded, as an extract of no
            // line (a transaction commits only once audited).
            exports::extract_produced(&mut tx, &can, year, 0, k).await?;
            tx.commit().await?;
            return refused(state, ctx, query, "ctdc-k", "exports-too-few");
        }
    };
    exports::extract_produced(&mut tx, &can, year, checked.lines().len(), k).await?;
    tx.commit().await?;
    let csv = ctdc::to_csv(&checked).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment(FileKind::Csv, &format!("ctdc-extract-{year}"), csv))
}
