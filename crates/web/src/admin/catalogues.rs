//! Indicator catalogues: the versions in use, their entries, and the import
//! of a new version by an administrator.

use crate::AppState;
use crate::access::authorized::{Authorized, capability, privileged};
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::ManageCatalogues;
use relais_domain::intake::catalogue::{Labels, Strength, Verification};
use relais_store::intake::catalogues::{self, CatalogueVersion, ImportError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/admin_catalogues.html")]
struct ListPage<'a> {
    page: &'a Page,
    versions: Vec<(CatalogueVersion, String, String)>,
    content: &'a str,
    errors: Vec<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ImportedQuery {
    imported: Option<String>,
}

fn label(page: &Page, labels: &Labels) -> String {
    if page.lang() == "en" {
        labels.en.clone()
    } else {
        labels.fr.clone()
    }
}

async fn render_list(
    state: &AppState,
    ctx: &RequestContext,
    content: &str,
    errors: Vec<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    let versions = catalogues::list(&state.store)
        .await?
        .into_iter()
        .map(|v| {
            let title = if page.lang() == "en" {
                v.title_en.clone()
            } else {
                v.title_fr.clone()
            };
            let at = page.when(v.imported_at.0);
            (v, title, at)
        })
        .collect();
    render(&ListPage {
        page: &page,
        versions,
        content,
        errors,
        notice,
    })
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    _: Authorized<ManageCatalogues>,
    Query(query): Query<ImportedQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let notice = query
        .imported
        .map(|v| page.tr.t1("notice-catalogue-imported", "version", &v));
    render_list(&state, &ctx, "", vec![], notice).await
}

#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    content: String,
}

pub async fn import(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<ImportForm>,
) -> Result<Response, AppError> {
    let can = privileged::<ManageCatalogues>(&user, state.clock.now(), "/admin/catalogues")?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match catalogues::import(&mut tx, &can, &form.content).await {
        Ok(version) => {
            tx.commit().await?;
            let done = format!("{}@{}", version.id, version.version);
            let encoded: String = form_urlencoded::byte_serialize(done.as_bytes()).collect();
            Ok(Redirect::to(&format!("/admin/catalogues?imported={encoded}")).into_response())
        }
        // Catalogue files are technical documents: their errors (line, entry,
        // field, problem) are shown as the parser states them.
        Err(ImportError::Invalid(errors)) => {
            refuse(
                &state,
                &ctx,
                &form.content,
                errors.0.iter().map(ToString::to_string).collect(),
            )
            .await
        }
        Err(exists @ ImportError::AlreadyImported { .. }) => {
            refuse(&state, &ctx, &form.content, vec![exists.to_string()]).await
        }
        Err(ImportError::Store(error)) => Err(error.into()),
    }
}

/// The list page again with the errors, keeping what was pasted.
async fn refuse(
    state: &AppState,
    ctx: &RequestContext,
    content: &str,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let body = render_list(state, ctx, content, errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
}

pub struct EntryRow {
    pub dimension: String,
    pub label: String,
    pub strength: String,
    pub status: String,
    pub page: String,
    pub note: String,
}

pub struct SetView {
    pub title: String,
    pub rows: Vec<EntryRow>,
}

#[derive(Template)]
#[template(path = "admin/admin_catalogue.html")]
struct DetailPage<'a> {
    page: &'a Page,
    title: String,
    id: String,
    version: i64,
    sets: Vec<SetView>,
}

fn strength_key(strength: Option<Strength>) -> &'static str {
    match strength {
        Some(Strength::Strong) => "strength-strong",
        Some(Strength::Medium) => "strength-medium",
        Some(Strength::Weak) => "strength-weak",
        None => "strength-none",
    }
}

fn status_key(status: Verification) -> &'static str {
    match status {
        Verification::Verified => "verification-verified",
        Verification::Secondary => "verification-secondary",
        Verification::Unverified => "verification-unverified",
        Verification::Disputed => "verification-disputed",
    }
}

pub async fn detail(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, version)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    capability::<ManageCatalogues>(&user, &ctx.path)?;
    let catalogue = catalogues::get(&state.store, &id, version).await?;
    let page = Page::new(&state, &ctx);
    let sets = catalogue
        .sets()
        .iter()
        .map(|set| SetView {
            title: label(&page, &set.labels),
            rows: set
                .entries
                .iter()
                .map(|entry| EntryRow {
                    dimension: entry
                        .dimension
                        .as_ref()
                        .and_then(|d| catalogue.dimension(d.as_str()))
                        .map(|d| label(&page, &d.labels))
                        .unwrap_or_default(),
                    label: label(&page, &entry.labels),
                    strength: page.t(strength_key(entry.strength)),
                    status: page.t(status_key(entry.provenance.status)),
                    page: entry
                        .provenance
                        .page
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| page.t("page-unchecked")),
                    note: entry.provenance.note.clone().unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    let title = label(&page, catalogue.title());
    render(&DetailPage {
        page: &page,
        title,
        id,
        version,
        sets,
    })
}
