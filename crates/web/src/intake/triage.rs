//! The identification authority's triage queue (file de tri): filter the
//! queue, open an item, ask for information, decide, and mark the
//! child-protection notification as done.

use crate::AppState;
use crate::access::authorized::Authorized;
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::intake::referral_view::{detail_rows, forms_label};
use crate::intake::screening_view::{Catalogues, ScreeningView, catalogues_of, overall_label, screening_of};
use crate::page::{Page, render};
use crate::session::{RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::{Capability, TriageReferrals};
use relais_domain::ids::{PersonId, ReferralId};
use relais_domain::intake::person_match::Reason;
use relais_domain::intake::referral::ReferralKind;
use relais_domain::intake::referral::status::Status;
use relais_domain::intake::screening::Overall;
use relais_domain::intake::triage::Explanation;
use relais_domain::territory::Departement;
use relais_domain::time::Timestamp;
use relais_store::StoreError;
use relais_store::intake::referrals::{Author, Summary};
use relais_store::intake::triage::{self, Item, QueueFilter, QueueKey};
use serde::Deserialize;

const DAY_SECONDS: i64 = 24 * 60 * 60;

fn age_days(now: Timestamp, since: Option<Timestamp>) -> i64 {
    since.map_or(0, |s| now.seconds_since(s).max(0) / DAY_SECONDS)
}

/// The Fluent id of a duplicate-person reason's key (`person_match.same_name`
/// → `person-match-same-name`: Fluent ids cannot contain dots).
pub(crate) fn reason_id(key: &str) -> String {
    key.replace(['.', '_'], "-")
}

pub fn reason_label(page: &Page, reason: &Reason) -> String {
    let key = reason_id(reason.key());
    match reason {
        Reason::AliasMatchesName { alias } => page.tr.t1(&key, "alias", alias),
        _ => page.t(&key),
    }
}

fn screening_label(page: &Page, screening: Option<Overall>) -> String {
    match screening {
        Some(s) => overall_label(page, s),
        None => page.t("triage-screening-none"),
    }
}

fn status_label(page: &Page, status: Status) -> String {
    page.t(&format!("triage-status-{}", status.key()))
}

// ---------------------------------------------------------------- queue

#[derive(Deserialize, Default, Clone)]
pub struct QueueQuery {
    #[serde(default)]
    departement: String,
    #[serde(default)]
    child: String,
    #[serde(default)]
    urgent: String,
    #[serde(default)]
    older_than_days: String,
    #[serde(default)]
    status: String,
    /// Where the page starts (the previous page's last item).
    #[serde(default)]
    after: String,
    done: Option<String>,
}

fn yes_no(raw: &str) -> Option<bool> {
    match raw {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

impl QueueQuery {
    fn filter(&self) -> QueueFilter {
        QueueFilter {
            departement: Departement::parse(&self.departement).map(|d| d.code().to_owned()),
            child: yes_no(&self.child),
            urgent: yes_no(&self.urgent),
            older_than_days: self.older_than_days.trim().parse::<i64>().ok().filter(|d| *d >= 0),
            status: Status::parse(&self.status).filter(|s| *s != Status::Draft),
        }
    }

    /// The next page's query: the same filters, after `key`.
    fn next(&self, key: &QueueKey) -> String {
        self.link(Some(key))
    }

    /// The first page with the same filters.
    pub fn first_page(&self) -> String {
        self.link(None)
    }

    fn link(&self, after: Option<&QueueKey>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("departement", &self.departement)
            .append_pair("child", &self.child)
            .append_pair("urgent", &self.urgent)
            .append_pair("older_than_days", &self.older_than_days)
            .append_pair("status", &self.status);
        if let Some(key) = after {
            query.append_pair("after", &key.encode());
        }
        query.finish()
    }
}

pub struct QueueRow {
    pub id: String,
    pub reference: String,
    pub submitted: String,
    pub age_days: i64,
    pub departement: String,
    pub child: bool,
    pub urgent: bool,
    pub anonymous: bool,
    pub screening: String,
    pub forms: String,
    pub status: String,
}

/// A `<select>` option: value, label, selected.
pub type Choice = (String, String, bool);

#[derive(Template)]
#[template(path = "intake/triage_queue.html")]
struct QueuePage<'a> {
    page: &'a Page,
    query: &'a QueueQuery,
    notice: Option<String>,
    rows: Vec<QueueRow>,
    departements: Vec<Choice>,
    statuses: Vec<Choice>,
    flags: Vec<Choice>,
    /// The next page's query, when there is one.
    next: Option<String>,
    /// Not the first page: the link back to it.
    paged: bool,
}

fn row(page: &Page, now: Timestamp, s: Summary) -> QueueRow {
    QueueRow {
        id: s.id.to_string(),
        reference: s.reference.clone().unwrap_or_default(),
        submitted: s.submitted_at.map(|at| page.day(page.today(at))).unwrap_or_default(),
        age_days: age_days(now, s.submitted_at),
        departement: relais_domain::territory::departement_label(s.departement.as_deref().unwrap_or_default()),
        child: s.child,
        urgent: s.urgent,
        anonymous: s.kind == ReferralKind::AnonymousNotification,
        screening: screening_label(page, s.screening),
        forms: forms_label(page, &s.forms),
        status: status_label(page, s.status),
    }
}

pub async fn queue(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<TriageReferrals>,
    Query(query): Query<QueueQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let after = QueueKey::parse(&query.after);
    let found = triage::queue(&mut tx, &can, &query.filter(), after.as_ref()).await?;
    tx.commit().await?;
    let now = state.clock.now();
    let next = found.next.as_ref().map(|key| query.next(key));
    let rows = found.items.into_iter().map(|s| row(&page, now, s)).collect();
    let departements = Departement::all()
        .map(|d| (d.code().to_owned(), d.label(), query.departement == d.code()))
        .collect();
    let statuses = Status::ALL
        .iter()
        .filter(|s| **s != Status::Draft)
        .map(|s| (s.key().to_owned(), status_label(&page, *s), query.status == s.key()))
        .collect();
    let flags = relais_domain::intake::referral::steps::YES_NO
        .iter()
        .map(|v| ((*v).to_owned(), page.t(&format!("answer-{v}")), false))
        .collect();
    let notice = crate::handler::notice_key(query.done.as_deref()).map(|k| page.t(&format!("notice-{k}")));
    render(&QueuePage {
        page: &page,
        query: &query,
        notice,
        rows,
        departements,
        statuses,
        flags,
        next,
        paged: after.is_some(),
    })
}

// ---------------------------------------------------------------- item

pub struct MessageView {
    pub author: String,
    pub at: String,
    pub body: String,
}

pub struct CandidateView {
    pub person_id: String,
    pub score: u32,
    pub name: String,
    pub aliases: String,
    pub birth_date: String,
    pub nationality: String,
    pub reasons: Vec<String>,
}

pub struct TaskView {
    pub id: String,
    pub departement: String,
    pub due: String,
    pub done: bool,
    pub done_at: String,
    /// Name, email and phone of the unit, when the directory has one.
    pub unit: Option<(String, String, String)>,
}

pub struct ItemView {
    pub id: String,
    pub reference: String,
    pub kind: String,
    pub status: String,
    pub open: bool,
    pub anonymous: bool,
    pub submitted: String,
    pub age_days: i64,
    pub departement: String,
    pub child: bool,
    pub urgent: bool,
    pub screening: String,
    pub presumption: bool,
    pub details: Vec<(String, String)>,
    /// The screening with the "yes" answers by dimension, as labels.
    pub indicators: Option<ScreeningView>,
    pub decision_reason: Option<String>,
    pub thread: Vec<MessageView>,
    pub candidates: Vec<CandidateView>,
    pub tasks: Vec<TaskView>,
}

/// What the officer typed in an item's forms, sent back on an error.
#[derive(Deserialize, Default, Clone)]
pub struct DecisionForm {
    #[serde(default)]
    message: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    person_id: String,
}

#[derive(Template)]
#[template(path = "intake/triage_item.html")]
struct ItemPage<'a> {
    page: &'a Page,
    item: ItemView,
    notice: Option<String>,
    /// With a confirmation once the referral is accepted: the case it opened.
    case_link: Option<String>,
    form: &'a DecisionForm,
    errors: FieldErrors,
}

fn item_view(page: &Page, now: Timestamp, item: Item, catalogues: &Catalogues) -> ItemView {
    let r = &item.referral;
    let s = &r.summary;
    ItemView {
        id: s.id.to_string(),
        reference: s.reference.clone().unwrap_or_default(),
        kind: page.t(&format!("triage-kind-{}", s.kind.key())),
        status: status_label(page, s.status),
        open: s.status.is_open(),
        anonymous: s.kind == ReferralKind::AnonymousNotification,
        submitted: s.submitted_at.map(|t| page.when(t.0)).unwrap_or_default(),
        age_days: age_days(now, s.submitted_at),
        departement: relais_domain::territory::departement_label(s.departement.as_deref().unwrap_or_default()),
        child: s.child,
        urgent: s.urgent,
        screening: screening_label(page, s.screening),
        presumption: s.screening == Some(Overall::Presumption),
        details: detail_rows(page, &r.details),
        indicators: screening_of(page, catalogues, &r.details),
        decision_reason: r.decision_reason.clone(),
        thread: item
            .thread
            .iter()
            .map(|m| MessageView {
                author: page.t(match m.author {
                    Author::Authority => "triage-author-authority",
                    Author::Referrer => "triage-author-referrer",
                    Author::Reporter => "triage-author-reporter",
                }),
                at: page.when(m.at.0),
                body: m.body.clone(),
            })
            .collect(),
        candidates: item
            .candidates
            .iter()
            .map(|(person, candidate)| CandidateView {
                person_id: person.id.to_string(),
                score: candidate.score,
                name: format!("{} {}", person.identity.given_names, person.identity.family_name)
                    .trim()
                    .to_owned(),
                aliases: person.identity.aliases.join(", "),
                birth_date: crate::pickers::birth_date(page, &person.identity.birth_date),
                nationality: crate::pickers::country_name(page, &person.identity.nationality),
                reasons: candidate.reasons.iter().map(|r| reason_label(page, r)).collect(),
            })
            .collect(),
        tasks: item
            .child_tasks
            .iter()
            .map(|t| TaskView {
                id: t.id.clone(),
                departement: relais_domain::territory::departement_label(t.departement.as_deref().unwrap_or_default()),
                due: page.when(t.due_at.0),
                done: t.done,
                done_at: t.done_at.map(|d| page.when(d.0)).unwrap_or_default(),
                unit: t
                    .unit
                    .as_ref()
                    .map(|u| (u.name.clone(), u.email.clone(), u.phone.clone())),
            })
            .collect(),
    }
}

fn referral_id(raw: &str) -> Result<ReferralId, AppError> {
    ReferralId::parse(raw).ok_or(AppError::NotFound)
}

/// Who opens which item, in which request.
struct Opening<'a> {
    state: &'a AppState,
    ctx: &'a RequestContext,
    user: &'a SignedIn,
    can: &'a Capability<TriageReferrals>,
    id: &'a ReferralId,
}

async fn render_item(
    at: &Opening<'_>,
    notice: Option<String>,
    form: &DecisionForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let page = Page::new(at.state, at.ctx);
    let mut tx = crate::handler::begin(at.state, at.ctx, at.user).await?;
    let item = triage::open(&mut tx, at.can, at.id).await?;
    tx.commit().await?;
    let catalogues = catalogues_of(at.state, &item.referral).await?;
    let case_link = item
        .referral
        .case_id
        .as_ref()
        .filter(|_| notice.is_some())
        .map(|case| format!("/cases/{case}"));
    let item = item_view(&page, at.state.clock.now(), item, &catalogues);
    render(&ItemPage {
        page: &page,
        item,
        notice,
        case_link,
        form,
        errors,
    })
}

pub async fn item(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<TriageReferrals>,
    Path(raw): Path<String>,
    Query(done): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let id = referral_id(&raw)?;
    let page = Page::new(&state, &ctx);
    let notice = done.notice(&page);
    render_item(
        &opening(&state, &ctx, &user, &can, &id),
        notice,
        &DecisionForm::default(),
        FieldErrors::default(),
    )
    .await
}

/// Shows the item again with the errors and what was typed (422).
async fn refuse(
    at: &Opening<'_>,
    form: &DecisionForm,
    (field, key): (&'static str, &str),
) -> Result<Response, AppError> {
    let page = Page::new(at.state, at.ctx);
    let mut errors = FieldErrors::default();
    errors.add(field, page.t(key));
    let body = render_item(at, None, form, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
}

fn opening<'a>(
    state: &'a AppState,
    ctx: &'a RequestContext,
    user: &'a SignedIn,
    can: &'a Capability<TriageReferrals>,
    id: &'a ReferralId,
) -> Opening<'a> {
    Opening {
        state,
        ctx,
        user,
        can,
        id,
    }
}

fn back(id: &ReferralId, done: &str) -> Response {
    Redirect::to(&format!("/triage/{id}?done={done}")).into_response()
}

pub async fn request_information(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<TriageReferrals>,
    Path(raw): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let id = referral_id(&raw)?;
    let Some(message) = Explanation::parse(&form.message) else {
        return refuse(
            &opening(&state, &ctx, &user, &can, &id),
            &form,
            ("message", "triage-message-required"),
        )
        .await;
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    triage::request_information(&mut tx, &can, &id, message.as_str()).await?;
    tx.commit().await?;
    Ok(back(&id, "triage-information-requested"))
}

pub async fn accept(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<TriageReferrals>,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let id = referral_id(&raw)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    triage::accept(&mut tx, &can, &id).await?;
    tx.commit().await?;
    Ok(back(&id, "triage-accepted"))
}

pub async fn reject(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<TriageReferrals>,
    Path(raw): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let id = referral_id(&raw)?;
    let Some(reason) = Explanation::parse(&form.reason) else {
        return refuse(
            &opening(&state, &ctx, &user, &can, &id),
            &form,
            ("reason", "triage-reason-required"),
        )
        .await;
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    triage::reject(&mut tx, &can, &id, reason.as_str()).await?;
    tx.commit().await?;
    Ok(back(&id, "triage-rejected"))
}

pub async fn duplicate(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<TriageReferrals>,
    Path(raw): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let id = referral_id(&raw)?;
    let Some(person) = PersonId::parse(&form.person_id) else {
        return refuse(
            &opening(&state, &ctx, &user, &can, &id),
            &form,
            ("person_id", "triage-person-required"),
        )
        .await;
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match triage::mark_duplicate(&mut tx, &can, &id, &person).await {
        Ok(()) => {}
        // The referral was found in scope: an unknown person is a form error.
        Err(StoreError::NotFound) => {
            drop(tx);
            return refuse(
                &opening(&state, &ctx, &user, &can, &id),
                &form,
                ("person_id", "triage-person-required"),
            )
            .await;
        }
        Err(other) => return Err(other.into()),
    }
    tx.commit().await?;
    Ok(back(&id, "triage-duplicate"))
}

pub async fn record(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<TriageReferrals>,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let id = referral_id(&raw)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    triage::record(&mut tx, &can, &id).await?;
    tx.commit().await?;
    Ok(back(&id, "triage-recorded"))
}

pub async fn task_done(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<TriageReferrals>,
    Path(task): Path<String>,
) -> Result<Response, AppError> {
    // Task ids are 32 lowercase hex characters.
    if task.len() != 32 || !task.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(AppError::NotFound);
    }
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let id = triage::complete_task(&mut tx, &can, &task).await?;
    tx.commit().await?;
    Ok(back(&id, "triage-notified"))
}
