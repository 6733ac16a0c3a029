//! The HTCDS v2 export of one case (issue 14, part 7): what Relais holds about the person,
//! the victim context, the case and its referral, as IOM's Human Trafficking Case Data
//! Standard fields (`relais_observatory::exports::htcds`). It names the person, so only the
//! identification authority that holds the case in its territory, and may read the person's
//! identity on it, downloads it; the read is audited on the case (ADR 0045).

use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::casework::view::parse_id;
use crate::download::{FileKind, attachment};
use crate::error::AppError;
use crate::session::RequestContext;
use axum::extract::{Path, State};
use axum::response::Response;
use relais_domain::access::authz::IdentifyVictims;
use relais_domain::access::authz::ViewCaseFile;
use relais_observatory::exports::htcds;
use relais_store::casework::case_access;
use relais_store::observatory::exports;

/// GET /cases/{id}/htcds.json
pub async fn export(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { user, .. }: Authorized<IdentifyVictims>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let file = capability::<ViewCaseFile>(&user, &ctx.path)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let access = case_access::open(&mut tx, &file, &id).await?;
    let record = exports::case_record(&mut tx, &access).await?;
    tx.commit().await?;
    let json = serde_json::to_vec_pretty(&htcds::case(&record)).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment(FileKind::Json, &format!("htcds-{id}"), json))
}
