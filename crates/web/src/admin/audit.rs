//! Reading the audit trail (itself an audited act): who, what and when in
//! words, one line per request, filtered by a GET form kept in the links.

use super::audit_filter::{Choice, FilterForm, action_choices, object_choices};
use crate::AppState;
use crate::access::authorized::Authorized;
use crate::audit_words::{LineView, line_view};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use relais_domain::access::authz::ViewAuditLog;
use relais_store::audit::log;

const PAGE_LINES: usize = 50;

#[derive(Template)]
#[template(path = "admin/admin_audit.html")]
struct AuditPage<'a> {
    page: &'a Page,
    lines: Vec<LineView>,
    older: Option<String>,
    form: FilterForm,
    errors: FieldErrors,
    people: Vec<Choice>,
    actions: Vec<Choice>,
    objects: Vec<Choice>,
    export_href: String,
    filtered: bool,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ViewAuditLog>,
    Query(form): Query<FilterForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let (filter, errors) = form.check(&page);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let people = log::people(&mut tx, &can).await?;
    let found = log::page(&mut tx, &can, &filter, PAGE_LINES, form.before).await?;
    tx.commit().await?;
    let filters = form.query();
    let link = |before: Option<i64>| {
        let mut parts: Vec<String> = before.map(|b| format!("before={b}")).into_iter().collect();
        if !filters.is_empty() {
            parts.push(filters.clone());
        }
        parts.join("&")
    };
    let people = people
        .into_iter()
        .map(|p| Choice {
            selected: p.user_id == form.person.trim(),
            label: format!("{} ({})", p.name, p.organisation),
            value: p.user_id,
        })
        .collect();
    render(&AuditPage {
        lines: found.lines.iter().filter_map(|l| line_view(&page, l)).collect(),
        older: found.older.map(|b| link(Some(b))),
        people,
        actions: action_choices(&page, form.action.trim()),
        objects: object_choices(&page, form.object.trim()),
        export_href: match link(None) {
            q if q.is_empty() => "/admin/audit.csv".to_owned(),
            q => format!("/admin/audit.csv?{q}"),
        },
        filtered: !filters.is_empty(),
        form,
        errors,
        page: &page,
    })
}
