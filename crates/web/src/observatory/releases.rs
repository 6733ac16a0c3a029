//! The observatory's releases, on the analyst's side (issue 14, part 7): the
//! list, a new release (title, data year, methodology note, the tables to
//! freeze), the frozen figures to check, then publish or discard.

use super::release_view::{self, ContentView};
use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::DoneQuery;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::ManageObservatory;
use relais_domain::observatory::release::{Act, DraftInput, Status};
use relais_observatory::release::{self as frozen, Prepared};
use relais_stats::Disclosure;
use relais_store::StoreError;
use relais_store::observatory::{self as store, release::Release};

pub struct ReleaseRow {
    pub id: String,
    pub title: String,
    pub year: i32,
    pub status: String,
    pub tone: &'static str,
    pub standing: String,
}

#[derive(Template)]
#[template(path = "observatory/releases.html")]
struct ReleasesPage<'a> {
    page: &'a Page,
    rows: Vec<ReleaseRow>,
    notice: Option<String>,
}

fn tone(status: Status) -> &'static str {
    match status {
        Status::Draft => "fr-badge--new",
        Status::Published => "fr-badge--success",
        Status::Discarded => "fr-badge--warning",
    }
}

/// GET /observatory/releases
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let releases = store::release::releases(&mut tx, &can).await?;
    tx.commit().await?;
    render(&ReleasesPage {
        rows: releases
            .iter()
            .map(|r| ReleaseRow {
                id: r.id.clone(),
                title: r.title.clone(),
                year: r.year,
                status: page.t(&format!("release-status-{}", r.status.key())),
                tone: tone(r.status),
                standing: release_view::standing(&page, r),
            })
            .collect(),
        notice: done.notice(&page),
        page: &page,
    })
}

/// A source's tables on the form: one checkbox per dimension.
pub struct SourceChoice {
    pub name: String,
    /// (value, label, checked)
    pub tables: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "observatory/release_new.html")]
struct NewPage<'a> {
    page: &'a Page,
    form: ReleaseForm,
    sources: Vec<SourceChoice>,
    errors: FieldErrors,
}

/// The form as typed; the checked tables repeat `tables`.
#[derive(serde::Deserialize, Default)]
pub struct ReleaseForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub tables: Vec<String>,
    #[serde(default)]
    pub epsilon: String,
}

async fn new_page(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    form: ReleaseForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let can = capability::<ManageObservatory>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let sources = store::sources(&mut tx, &can).await?;
    tx.commit().await?;
    let sources = sources
        .iter()
        .filter(|s| s.current.is_some())
        .map(|s| SourceChoice {
            name: s.definition.name.clone(),
            tables: frozen::declared_dimensions(s)
                .into_iter()
                .map(|d| {
                    let value = format!("{}/{}", s.definition.code.as_str(), d.key());
                    let checked = form.tables.contains(&value);
                    (value, super::statistics_view::dimension_label(&page, d), checked)
                })
                .collect(),
        })
        .filter(|s| !s.tables.is_empty())
        .collect();
    let failed = !errors.is_empty();
    let body = render(&NewPage {
        page: &page,
        form,
        sources,
        errors,
    })?;
    Ok(crate::page::form_status(body, failed))
}

/// GET /observatory/releases/new: last year's report by default.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let form = ReleaseForm {
        year: (page.today(state.clock.now()).year - 1).to_string(),
        ..ReleaseForm::default()
    };
    new_page(&state, &ctx, &user, form, FieldErrors::default()).await
}

/// POST /observatory/releases: freezes the chosen tables into a draft.
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Form(form): Form<ReleaseForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let input = DraftInput {
        title: form.title.clone(),
        year: form.year.clone(),
        note: form.note.clone(),
        tables: form.tables.clone(),
        epsilon: form.epsilon.clone(),
    };
    let draft = match input.check(page.today(state.clock.now()).year) {
        Ok(draft) => draft,
        Err(problems) => {
            let mut errors = FieldErrors::default();
            for p in problems {
                errors.add(p.field, page.t(&format!("release-problem-{}-{}", p.field, p.key)));
            }
            return new_page(&state, &ctx, &user, form, errors).await;
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let policy = Disclosure::new(state.settings.statistics.min_group);
    let id = match frozen::prepare(&mut tx, &can, &draft, policy).await? {
        Prepared::Drafted(id) => id,
        Prepared::Refused(refused) => {
            let sources = store::sources(&mut tx, &can).await?;
            drop(tx);
            let mut errors = FieldErrors::default();
            for (pick, why) in refused {
                let name = sources
                    .iter()
                    .find(|s| s.definition.code == pick.source)
                    .map_or_else(|| pick.source.as_str().to_owned(), |s| s.definition.name.clone());
                errors.add(
                    "tables",
                    page.tr.tn(
                        &format!("release-refused-{}", why.key()),
                        &[("source", name), ("year", draft.year.to_string())],
                    ),
                );
            }
            return new_page(&state, &ctx, &user, form, errors).await;
        }
    };
    tx.commit().await?;
    Ok(Redirect::to(&format!("/observatory/releases/{id}?done=release-drafted")).into_response())
}

#[derive(Template)]
#[template(path = "observatory/release.html")]
struct ReleasePage<'a> {
    page: &'a Page,
    release: Release,
    status: String,
    standing: String,
    /// The public address, once published.
    public_path: Option<String>,
    content: ContentView,
    /// What each table spent of the privacy budget: (table, ε).
    ledger: Vec<(String, String)>,
    notice: Option<String>,
}

/// GET /observatory/releases/{id}: the frozen figures, as readers will see them.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let release = store::release::release(&mut tx, &can, &id).await?;
    let ledger = store::release::ledger(&mut tx, &can, &id).await?;
    tx.commit().await?;
    let content = release_view::view(&page, &release_view::content(&release)?)?;
    let ledger = ledger
        .iter()
        .zip(&content.tables)
        .map(|(spend, table)| {
            (
                table.heading.clone(),
                release_view::epsilon(&page, spend.epsilon_hundredths),
            )
        })
        .collect();
    render(&ReleasePage {
        status: page.t(&format!("release-status-{}", release.status.key())),
        standing: release_view::standing(&page, &release),
        public_path: release.version.map(|v| format!("/publications/{}/{v}", release.year)),
        content,
        ledger,
        notice: done.notice(&page),
        page: &page,
        release,
    })
}

async fn decide(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &str,
    act: Act,
) -> Result<Response, AppError> {
    let can = capability::<ManageObservatory>(user, &ctx.path)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    match store::release::decide(&mut tx, &can, id, act).await {
        Ok(_) => tx.commit().await?,
        Err(StoreError::Conflict(_)) => {
            drop(tx);
            return Ok(
                Redirect::to(&format!("/observatory/releases/{id}?done=release-already-decided")).into_response(),
            );
        }
        Err(error) => return Err(error.into()),
    }
    let done = match act {
        Act::Publish => "release-published",
        Act::Discard => "release-discarded",
    };
    Ok(Redirect::to(&format!("/observatory/releases/{id}?done={done}")).into_response())
}

/// POST /observatory/releases/{id}/publish
pub async fn publish(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    decide(&state, &ctx, &user, &id, Act::Publish).await
}

/// POST /observatory/releases/{id}/discard
pub async fn discard(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    decide(&state, &ctx, &user, &id, Act::Discard).await
}
