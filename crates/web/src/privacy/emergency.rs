//! Emergency access (*bris de glace*): the form where an identification
//! officer states why they must open a case outside their reach, the
//! read-only view it opens for two hours, the alerts (in the application
//! and by e-mail through the outbox) to the case's lead organisations and
//! the data-protection officers, and the lead organisation's alert list.

use crate::AppState;
use crate::access::authorized::{Authorized, capability, optional};
use crate::casework::view::stage_label;
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::DoneQuery;
use crate::i18n::{Locale, Tr};
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::{self, EmergencyAccess, ViewCaseFile};
use relais_domain::privacy::Reason;
use relais_store::privacy::emergency::{self, Outcome};
use relais_store::{StoreError, outbox};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "privacy/emergency_form.html")]
struct FormPage<'a> {
    page: &'a Page,
    form: &'a EmergencyForm,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct EmergencyForm {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    certify: String,
}

fn form_page(
    state: &AppState,
    ctx: &RequestContext,
    form: &EmergencyForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&FormPage {
        page: &page,
        form,
        errors,
    })?;
    Ok((status, body).into_response())
}

/// GET /emergency-access
pub async fn form(
    State(state): State<AppState>,
    ctx: RequestContext,
    _: Authorized<EmergencyAccess>,
) -> Result<Response, AppError> {
    form_page(&state, &ctx, &EmergencyForm::default(), FieldErrors::default())
}

/// The alert e-mail, in the recipient's language: the reference and a link, no name.
fn alert_mail(state: &AppState, locale: Option<&str>, reference: &str) -> (String, String) {
    let tr = Tr::new(
        locale.and_then(Locale::parse).unwrap_or(Locale::Fr),
        state.translations.clone(),
    );
    let subject = tr.t1("privacy-mail-subject", "reference", reference);
    let body = format!(
        "{}\n\n{}\n\n{}\n",
        tr.t1("privacy-mail-body", "reference", reference),
        tr.t1(
            "privacy-mail-link",
            "url",
            &format!("{}/privacy", state.settings.public_url)
        ),
        tr.t("privacy-mail-footer"),
    );
    (subject, body)
}

/// POST /emergency-access: checks the reason, opens the case, alerts.
pub async fn open(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<EmergencyAccess>,
    Form(form): Form<EmergencyForm>,
) -> Result<Response, AppError> {
    let ordinary = optional::<ViewCaseFile>(&user);
    let page = Page::new(&state, &ctx);
    let mut errors = FieldErrors::default();
    if form.reference.trim().is_empty() {
        errors.add("reference", page.t("privacy-reference-missing"));
    }
    let reason = Reason::parse(&form.reason)
        .map_err(|e| errors.add("reason", crate::privacy::view::reason_problem(&page, e)))
        .ok();
    if form.certify != "yes" {
        errors.add("certify", page.t("privacy-emergency-certify-missing"));
    }
    let Some(reason) = reason.filter(|_| errors.is_empty()) else {
        return form_page(&state, &ctx, &form, errors);
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match emergency::request(&mut tx, &can, ordinary.as_ref(), &form.reference, &reason).await {
        Ok(Outcome::InReach(case)) => Ok(Redirect::to(&format!("/cases/{case}/file")).into_response()),
        Ok(Outcome::Granted {
            grant,
            reference,
            recipients,
        }) => {
            for recipient in &recipients {
                let (subject, body) = alert_mail(&state, recipient.locale.as_deref(), &reference);
                outbox::enqueue(&mut tx, &recipient.email, &subject, &body).await?;
            }
            tx.commit().await?;
            Ok(Redirect::to(&format!("/emergency-access/{grant}")).into_response())
        }
        Err(StoreError::NotFound) => {
            drop(tx);
            errors.add("reference", page.t("privacy-reference-unknown"));
            form_page(&state, &ctx, &form, errors)
        }
        Err(other) => Err(other.into()),
    }
}

pub struct NoteView {
    pub at: String,
    pub level: &'static str,
    pub level_label: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "privacy/emergency_file.html")]
struct FilePage<'a> {
    page: &'a Page,
    reference: String,
    stage: String,
    departement: String,
    until: String,
    person: relais_domain::casework::case_people::Person,
    dependants: usize,
    notes: Vec<NoteView>,
}

/// GET /emergency-access/{grant}: the case, read-only, while the access lasts.
pub async fn view(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<EmergencyAccess>,
    Path(grant): Path<String>,
) -> Result<Response, AppError> {
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let file = emergency::open(&mut tx, &can, &grant).await?;
    tx.commit().await?;
    let page = Page::new(&state, &ctx);
    render(&FilePage {
        reference: file.reference.clone(),
        stage: stage_label(&page, file.status),
        departement: relais_domain::territory::departement_label(file.departement.as_deref().unwrap_or_default()),
        until: page.when(file.expires_at.0),
        dependants: file.dependants,
        notes: file
            .notes
            .iter()
            .map(|n| NoteView {
                at: page.when(n.at.0),
                level: n.level.key(),
                level_label: page.t(&format!("case-file-level-{}", n.level.key())),
                body: n.body.clone(),
            })
            .collect(),
        person: file.person,
        page: &page,
    })
}

pub struct AlertView {
    pub id: String,
    pub reference: String,
    pub who: String,
    pub when: String,
    pub reason: String,
    pub acknowledged: Option<String>,
}

#[derive(Template)]
#[template(path = "privacy/alerts.html")]
struct AlertsPage<'a> {
    page: &'a Page,
    alerts: Vec<AlertView>,
    notice: Option<String>,
}

fn case_worker(user: &SignedIn, ctx: &RequestContext) -> Result<authz::Capability<ViewCaseFile>, AppError> {
    capability::<ViewCaseFile>(user, &ctx.path)
}

/// GET /privacy/alerts: emergency accesses to cases one's organisation leads.
pub async fn alerts(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let can = case_worker(&user, &ctx)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let found = emergency::alerts(&mut tx, &can).await?;
    tx.commit().await?;
    let page = Page::new(&state, &ctx);
    render(&AlertsPage {
        alerts: found
            .iter()
            .map(|a| AlertView {
                id: a.id.clone(),
                reference: a.reference.clone(),
                who: format!("{} — {}", a.user, a.organisation),
                when: page.when(a.granted_at.0),
                reason: a.reason.clone(),
                acknowledged: a.acknowledged.as_ref().map(|(by, at)| {
                    page.tr
                        .tn("privacy-by-on", &[("name", by.clone()), ("date", page.when(at.0))])
                }),
            })
            .collect(),
        notice: crate::privacy::view::notice(&page, &done),
        page: &page,
    })
}

/// POST /privacy/alerts/{id}/acknowledge
pub async fn acknowledge(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let can = case_worker(&user, &ctx)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    emergency::acknowledge(&mut tx, &can, &id).await?;
    tx.commit().await?;
    Ok(Redirect::to("/privacy/alerts?done=alert-acknowledged").into_response())
}
