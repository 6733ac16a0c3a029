//! Reading the audit trail (itself an audited act).

use crate::AppState;
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use relais_domain::access::authz::{self, ViewAuditLog};
use relais_domain::audit::AuditRow;
use relais_store::audit;
use serde::Deserialize;

const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "admin/admin_audit.html")]
struct AuditPage<'a> {
    page: &'a Page,
    rows: Vec<(AuditRow, String)>,
    older: Option<i64>,
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    before: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let can = authz::authorize::<ViewAuditLog>(&user.principal).map_err(|d| AppError::denied(d, &ctx.path))?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let rows = audit::recent(&mut tx, &can, PAGE_SIZE, query.before).await?;
    tx.commit().await?;
    let older = (rows.len() as i64 == PAGE_SIZE)
        .then(|| rows.last().map(|r| r.seq))
        .flatten();
    let page = Page::new(&state, &ctx);
    let rows = rows
        .into_iter()
        .map(|r| {
            let at = page.when(r.fields.at);
            (r, at)
        })
        .collect();
    render(&AuditPage {
        page: &page,
        rows,
        older,
    })
}
