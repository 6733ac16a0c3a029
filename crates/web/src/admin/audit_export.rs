//! The filtered audit log as CSV, columns in words with a French or English
//! header, every cell neutralised against formulas; the export is written
//! to the audit trail in the same transaction (`audit.export`).

use super::audit_filter::FilterForm;
use crate::AppState;
use crate::access::authorized::Authorized;
use crate::audit_words::{act, who};
use crate::download::{FileKind, attachment};
use crate::error::AppError;
use crate::page::Page;
use crate::session::RequestContext;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use relais_domain::access::authz::ViewAuditLog;
use relais_domain::spreadsheet::safe_cell;
use relais_store::audit::log;

const HEADER: [&str; 9] = [
    "audit-csv-seq",
    "audit-csv-at",
    "audit-csv-who",
    "audit-csv-organisation",
    "audit-csv-action",
    "audit-csv-object",
    "audit-csv-reference",
    "audit-csv-request",
    "audit-csv-code",
];

pub async fn export(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ViewAuditLog>,
    Query(form): Query<FilterForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let (filter, errors) = form.check(&page);
    if !errors.is_empty() {
        // The page shows what is wrong, with the values as typed.
        let query = form.query();
        return Ok(Redirect::to(&format!("/admin/audit?{query}")).into_response());
    }
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let entries = log::export(&mut tx, &can, &filter).await?;
    tx.commit().await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |_| AppError::Internal("audit export".to_owned());
    writer
        .write_record(HEADER.iter().map(|key| page.t(key)))
        .map_err(failed)?;
    for entry in &entries {
        let words = act(&page, entry);
        let row = [
            entry.seq.to_string(),
            // Local time, written so that a spreadsheet sorts it.
            page.zone.local(relais_domain::time::Timestamp(entry.at.0)).iso(),
            who(&page, entry),
            entry.organisation_name.clone().unwrap_or_default(),
            words.action,
            words.object,
            words.reference.unwrap_or_default(),
            entry.request_id.clone().unwrap_or_default(),
            entry.action.clone(),
        ];
        writer
            .write_record(row.iter().map(|cell| safe_cell(cell).into_owned()))
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|_| AppError::Internal("audit export".to_owned()))?;
    Ok(attachment(FileKind::Csv, "journal-audit", bytes))
}
