//! Onward referrals (issue 6, part 3): from a case to a service, and the
//! safe distant placement with its matching page; the receiving
//! organisation's inbox, where it sees only what it was sent.

use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::casework::header::{self, CaseHeader, Tab};
use crate::casework::view::{open_case, open_to_change, parse_id, shared_for};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::{DoneQuery, notice_key};
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::CaseAccess;
use relais_domain::access::authz::ViewCaseFile;
use relais_domain::casework::case_access::{CaseArea, Mode};
use relais_domain::casework::onward_referral::{self, DataItem, DeclineReason, Event, Kind, Shared};
use relais_domain::casework::placement::{self, Exclusion, Verdict};
use relais_domain::casework::sharing::{self, Justification};
use relais_domain::ids::CaseId;
use relais_domain::territory::Departement;
use relais_store::casework::onward::{self, Extras, OnwardSummary};

/// Longest free text of a request (needs, constraints).
const MAX_TEXT: usize = relais_domain::intake::referral::steps::MAX_TEXT;

pub struct OnwardView {
    pub id: String,
    pub kind: String,
    pub service: String,
    pub organisation: String,
    pub status: String,
    /// The badge's DSFR colour class.
    pub status_tone: &'static str,
    pub decline_reason: String,
    pub sent_at: String,
    pub updated_at: String,
    pub can_withdraw: bool,
}

fn view(page: &Page, o: &OnwardSummary) -> OnwardView {
    OnwardView {
        id: o.id.clone(),
        kind: page.t(&format!("onward-kind-{}", o.kind.key())),
        service: o.service.clone(),
        organisation: o.organisation.clone(),
        status: page.t(&format!("onward-status-{}", o.status.key())),
        status_tone: crate::badge::onward(o.status),
        decline_reason: o
            .decline_reason
            .map(|r| page.t(&format!("onward-decline-{}", r.key())))
            .unwrap_or_default(),
        sent_at: page.when(o.sent_at.0),
        updated_at: page.when(o.updated_at.0),
        can_withdraw: onward_referral::apply(o.status, Event::Withdraw).is_ok(),
    }
}

/// The request as typed, kept whole when it comes back with errors.
#[derive(serde::Deserialize, Default, Clone)]
pub struct RequestForm {
    #[serde(default)]
    service_id: String,
    #[serde(default)]
    places: String,
    #[serde(default)]
    avoid: String,
    #[serde(default)]
    children: String,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    needs: String,
    #[serde(default)]
    constraints: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    override_reason: String,
}

/// A checked request.
struct Request {
    justification: Justification,
    extras: Extras,
    avoid: Vec<Departement>,
    languages: Vec<String>,
}

/// Département codes separated by spaces or commas; `None` when one is unknown.
fn departements(raw: &str) -> Option<Vec<Departement>> {
    raw.split([' ', ','])
        .filter(|w| !w.is_empty())
        .map(Departement::parse)
        .collect()
}

fn check(page: &Page, form: &RequestForm, placement: bool) -> Result<Request, FieldErrors> {
    let mut errors = FieldErrors::default();
    let justification = sharing::justify(&form.basis, &form.override_reason);
    if let Err(problem) = &justification {
        errors.add(problem.field(), page.t(problem.key()));
    }
    let places = departements(&form.places);
    let avoid = departements(&form.avoid);
    let children = if form.children.trim().is_empty() {
        Some(0)
    } else {
        form.children.trim().parse::<u8>().ok().filter(|c| *c <= 12)
    };
    if placement {
        match &places {
            None => errors.add("places", page.t("onward-problem-departements")),
            Some(list) if list.is_empty() => errors.add("places", page.t("onward-problem-places-required")),
            Some(_) => {}
        }
        if avoid.is_none() {
            errors.add("avoid", page.t("onward-problem-departements"));
        }
        if children.is_none() {
            errors.add("children", page.t("onward-problem-children"));
        }
    }
    let languages: Vec<String> = form
        .languages
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if languages
        .iter()
        .any(|l| l.len() != 2 || !l.bytes().all(|b| b.is_ascii_lowercase()))
    {
        errors.add("languages", page.t("onward-problem-languages"));
    }
    for (field, value) in [("needs", &form.needs), ("constraints", &form.constraints)] {
        if value.chars().count() > MAX_TEXT {
            errors.add(field, page.tr.t1("field-too-long", "max", &MAX_TEXT.to_string()));
        }
    }
    match (justification, errors.is_empty()) {
        (Ok(justification), true) => Ok(Request {
            justification,
            extras: Extras {
                needs: form.needs.clone(),
                children: children.unwrap_or(0),
                places_of_exploitation: places.unwrap_or_default(),
                constraints: form.constraints.clone(),
            },
            avoid: avoid.unwrap_or_default(),
            languages,
        }),
        _ => Err(errors),
    }
}

// ------------------------------------------------------------------ the case's referrals

#[derive(Template)]
#[template(path = "casework/onward_case.html")]
struct CasePage<'a> {
    page: &'a Page,
    header: Option<CaseHeader>,
    access: &'a CaseAccess,
    shared_for: Option<String>,
    id: String,
    referrals: Vec<OnwardView>,
    /// Safe distant placements the reader may not locate: how far each went.
    withheld: Vec<String>,
    /// Empty unless the reader may send referrals.
    services: Vec<(String, String)>,
    form: RequestForm,
    errors: FieldErrors,
    notice: Option<String>,
}

impl CasePage<'_> {
    fn may(&self, area: CaseArea, mode: Mode) -> bool {
        self.access.may(area, mode)
    }
}

async fn render_case(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &CaseId,
    form: RequestForm,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let (mut tx, access) = open_case(state, ctx, user, id).await?;
    let referrals = onward::for_case(&mut tx, &access).await?;
    let services = if access.may(CaseArea::OnwardReferrals, Mode::Write) {
        onward::services(&mut tx).await?
    } else {
        vec![]
    };
    // Read after the page's own read, which stays the main act of its audit line.
    let header = header::read(&mut tx, state, &Page::new(state, ctx), user, &access, Tab::Onward, None).await?;
    tx.commit().await?;
    let page = Page::new(state, ctx);
    let withdraws = access.may(CaseArea::OnwardReferrals, Mode::Write);
    render(&CasePage {
        header: Some(header),
        shared_for: shared_for(&page, &access),
        id: id.to_string(),
        referrals: referrals
            .located
            .iter()
            .map(|o| {
                let mut row = view(&page, o);
                row.can_withdraw &= withdraws;
                row
            })
            .collect(),
        withheld: referrals
            .withheld
            .iter()
            .map(|p| page.t(&format!("onward-placement-progress-{}", p.key())))
            .collect(),
        services,
        access: &access,
        form,
        errors,
        notice,
        page: &page,
    })
}

/// GET /cases/{id}/onward
pub async fn case_referrals(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let notice = done.notice(&Page::new(&state, &ctx));
    render_case(
        &state,
        &ctx,
        &user,
        &id,
        RequestForm::default(),
        FieldErrors::default(),
        notice,
    )
    .await
}

/// POST /cases/{id}/onward — a referral to a service of the directory.
pub async fn send_to_service(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<RequestForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (mut tx, access) = open_to_change(&state, &ctx, &user, &id, CaseArea::OnwardReferrals).await?;
    let page = Page::new(&state, &ctx);
    let checked = check(&page, &form, false);
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    if form.service_id.trim().is_empty() {
        errors.add("service_id", page.t("referral-problem-choose"));
    }
    let request = match checked {
        Ok(request) if errors.is_empty() => request,
        _ => {
            drop(tx);
            let body = render_case(&state, &ctx, &user, &id, form, errors, None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    onward::send(
        &mut tx,
        &access,
        Kind::Service,
        form.service_id.trim(),
        &request.justification,
        &request.extras,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/onward?done=onward-sent")).into_response())
}

/// POST /cases/{id}/onward/{referral}/withdraw
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, referral)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (mut tx, access) = open_to_change(&state, &ctx, &user, &id, CaseArea::OnwardReferrals).await?;
    onward::withdraw(&mut tx, &access, &referral).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/onward?done=onward-withdrawn")).into_response())
}

// ------------------------------------------------------------------ safe distant placement

pub struct AssessmentView {
    pub service_id: String,
    pub name: String,
    pub organisation: String,
    pub departement: String,
    pub distance: String,
    pub places: String,
    pub updated_at: String,
    pub proposed: bool,
    pub reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "casework/onward_placement.html")]
struct PlacementPage<'a> {
    page: &'a Page,
    header: Option<CaseHeader>,
    id: String,
    form: RequestForm,
    errors: FieldErrors,
    min_distance_km: String,
    /// `None` before the request is checked.
    assessments: Option<Vec<AssessmentView>>,
}

impl PlacementPage<'_> {
    /// The request's one-line fields: name, label key, hint key, value.
    fn text_fields(&self) -> [(&'static str, &'static str, &'static str, &str); 4] {
        let f = &self.form;
        [
            (
                "places",
                "onward-places-of-exploitation",
                "onward-departements-hint",
                &f.places,
            ),
            ("avoid", "onward-avoid", "onward-avoid-hint", &f.avoid),
            ("children", "onward-children", "onward-children-hint", &f.children),
            ("languages", "onward-languages", "onward-languages-hint", &f.languages),
        ]
    }

    /// The request again, so that choosing a shelter sends what was matched.
    fn hidden_fields(&self) -> [(&'static str, &str); 8] {
        let f = &self.form;
        [
            ("places", &f.places),
            ("avoid", &f.avoid),
            ("children", &f.children),
            ("languages", &f.languages),
            ("needs", &f.needs),
            ("constraints", &f.constraints),
            ("basis", &f.basis),
            ("override_reason", &f.override_reason),
        ]
    }
}

fn exclusion_text(page: &Page, exclusion: &Exclusion) -> String {
    match exclusion {
        Exclusion::TooClose { departement, km } => page.tr.tn(
            "onward-exclusion-too-close",
            &[
                ("departement", departement.code().to_owned()),
                ("km", format!("{km:.0}")),
            ],
        ),
        Exclusion::SameDepartement(departement) => {
            page.tr
                .t1("onward-exclusion-same-departement", "departement", departement.code())
        }
        other => page.t(&format!("onward-exclusion-{}", other.key())),
    }
}

async fn render_placement(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &CaseId,
    form: RequestForm,
    errors: FieldErrors,
    request: Option<&Request>,
) -> Result<Response, AppError> {
    let (mut tx, access) = open_case(state, ctx, user, id).await?;
    let facts = onward::person_facts(&mut tx, &access).await?;
    let assessments = match request {
        Some(request) => {
            let offers = onward::placement_offers(&mut tx, &access).await?;
            let matched = placement::assess(
                &placement_request(&facts, request),
                &offers.iter().map(|o| o.offer.clone()).collect::<Vec<_>>(),
                state.settings.placement_min_distance_km,
            );
            Some((offers, matched))
        }
        None => None,
    };
    // Read after the page's own read, which stays the main act of its audit line.
    let header = header::read(&mut tx, state, &Page::new(state, ctx), user, &access, Tab::Onward, None).await?;
    tx.commit().await?;
    let page = Page::new(state, ctx);
    let mut form = form;
    if request.is_none() && form.avoid.is_empty() && errors.is_empty() {
        // Where the person was met is a place to stay away from.
        form.avoid = facts.departement.map(|d| d.code().to_owned()).unwrap_or_default();
    }
    if request.is_none() && form.languages.is_empty() && errors.is_empty() {
        // The languages the person speaks, as the directory declares them (two letters):
        // those with no two-letter code (Edo, Dari…) cannot be matched, and are left out.
        let codes = relais_domain::reference::language_codes(&facts.person.languages);
        let mut two: Vec<&str> = codes
            .into_iter()
            .filter_map(relais_domain::reference::iso_639_1)
            .collect();
        two.dedup();
        form.languages = two.join(" ");
    }
    let assessments = assessments.map(|(offers, matched)| {
        matched
            .iter()
            .filter_map(|a| {
                let offer = offers.iter().find(|o| o.service_id == a.offer_id)?;
                Some(AssessmentView {
                    service_id: offer.service_id.clone(),
                    name: offer.name.clone(),
                    organisation: offer.organisation.clone(),
                    departement: offer.offer.departement.code().to_owned(),
                    distance: a.distance_km.map(|km| format!("{km:.0} km")).unwrap_or_default(),
                    places: format!("{} / {}", offer.free, offer.total),
                    updated_at: page.when(offer.updated_at.0),
                    proposed: a.verdict.is_proposed(),
                    reasons: match &a.verdict {
                        Verdict::Proposed => vec![page.t("onward-proposed-why")],
                        Verdict::Excluded(reasons) => reasons.iter().map(|r| exclusion_text(&page, r)).collect(),
                    },
                })
            })
            .collect()
    });
    render(&PlacementPage {
        header: Some(header),
        id: id.to_string(),
        form,
        errors,
        min_distance_km: format!("{:.0}", state.settings.placement_min_distance_km),
        assessments,
        page: &page,
    })
}

fn placement_request(facts: &onward::PersonFacts, request: &Request) -> placement::Request {
    placement::Request {
        exploitation: request.extras.places_of_exploitation.clone(),
        avoid: request.avoid.clone(),
        sex: facts.sex.unwrap_or(relais_domain::intake::referral::Sex::Unknown),
        age: facts.age,
        children: request.extras.children,
        forms: facts.forms.clone(),
        languages: request.languages.clone(),
    }
}

/// GET /cases/{id}/onward/placement
pub async fn placement_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    render_placement(
        &state,
        &ctx,
        &user,
        &id,
        RequestForm::default(),
        FieldErrors::default(),
        None,
    )
    .await
}

/// POST /cases/{id}/onward/placement — checks the request and shows the matching.
pub async fn placement_match(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<RequestForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    // The matching reads the person's facts for a placement only its senders ask for.
    drop(open_to_change(&state, &ctx, &user, &id, CaseArea::Placement).await?);
    let page = Page::new(&state, &ctx);
    match check(&page, &form, true) {
        Ok(request) => render_placement(&state, &ctx, &user, &id, form, FieldErrors::default(), Some(&request)).await,
        Err(errors) => {
            let body = render_placement(&state, &ctx, &user, &id, form, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

/// POST /cases/{id}/onward/placement/send — sends the request to a proposed
/// shelter, after checking again that it still fits (places change).
pub async fn placement_send(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<RequestForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (mut tx, access) = open_to_change(&state, &ctx, &user, &id, CaseArea::Placement).await?;
    let page = Page::new(&state, &ctx);
    let request = match check(&page, &form, true) {
        Ok(request) => request,
        Err(errors) => {
            drop(tx);
            let body = render_placement(&state, &ctx, &user, &id, form, errors, None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    let facts = onward::person_facts(&mut tx, &access).await?;
    let offers = onward::placement_offers(&mut tx, &access).await?;
    let chosen: Vec<_> = offers
        .iter()
        .filter(|o| o.service_id == form.service_id)
        .map(|o| o.offer.clone())
        .collect();
    let fits = placement::assess(
        &placement_request(&facts, &request),
        &chosen,
        state.settings.placement_min_distance_km,
    )
    .first()
    .is_some_and(|a| a.verdict.is_proposed());
    if !fits {
        drop(tx);
        let mut errors = FieldErrors::default();
        errors.add("places", page.t("onward-problem-no-longer-fits"));
        let body = render_placement(&state, &ctx, &user, &id, form, errors, Some(&request)).await?;
        return Ok((StatusCode::CONFLICT, body).into_response());
    }
    onward::send(
        &mut tx,
        &access,
        Kind::DistantPlacement,
        &form.service_id,
        &request.justification,
        &request.extras,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/onward?done=onward-sent")).into_response())
}

// ------------------------------------------------------------------ the receiver

#[derive(Template)]
#[template(path = "casework/onward_inbox.html")]
struct InboxPage<'a> {
    page: &'a Page,
    referrals: Vec<OnwardView>,
}

/// GET /onward — what the user's organisation has been sent.
pub async fn inbox(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ViewCaseFile>,
) -> Result<Response, AppError> {
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let referrals = onward::inbox(&mut tx, &can).await?;
    tx.commit().await?;
    let page = Page::new(&state, &ctx);
    render(&InboxPage {
        referrals: referrals.iter().map(|o| view(&page, o)).collect(),
        page: &page,
    })
}

#[derive(Template)]
#[template(path = "casework/onward_received.html")]
struct ReceivedPage<'a> {
    page: &'a Page,
    referral: OnwardView,
    /// (label, value) of each item sent.
    shared: Vec<(String, String)>,
    events: Vec<(&'static str, String)>,
    decline_reasons: Vec<(&'static str, String)>,
    form: AnswerForm,
    errors: FieldErrors,
    notice: Option<String>,
}

/// What was shared, item by item in the order of [`DataItem::ALL`], empty items left out.
fn shared_rows(page: &Page, shared: &Shared) -> Vec<(String, String)> {
    DataItem::ALL
        .into_iter()
        .filter_map(|item| {
            let value = match item {
                DataItem::FirstName => shared.first_name.clone(),
                DataItem::Age => shared.age.clone(),
                DataItem::Sex => shared.sex.as_ref().map(|s| page.t(&format!("sex-{s}"))),
                DataItem::Languages => shared.languages.clone(),
                DataItem::Needs => shared.needs.clone(),
                DataItem::Children => shared.children.map(|c| c.to_string()),
                DataItem::PlacesOfExploitation => shared.places_of_exploitation.as_ref().map(|p| p.join(", ")),
                DataItem::Constraints => shared.constraints.clone(),
                DataItem::SafeContact => shared.safe_contact.as_ref().map(|c| {
                    let mut parts = vec![];
                    if c.do_not_call {
                        parts.push(page.t("people-do-not-call"));
                    }
                    parts.extend(
                        [c.safe_times.clone(), c.through_whom.clone()]
                            .into_iter()
                            .filter(|p| !p.is_empty()),
                    );
                    parts.join(" — ")
                }),
            };
            let value = value.filter(|v| !v.is_empty())?;
            Some((page.t(&format!("onward-item-{}", item.key())), value))
        })
        .collect()
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct AnswerForm {
    #[serde(default)]
    event: String,
    #[serde(default)]
    decline_reason: String,
}

async fn render_received(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &str,
    form: AnswerForm,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let can = capability::<ViewCaseFile>(user, &ctx.path)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let received = onward::received(&mut tx, &can, id).await?;
    tx.commit().await?;
    let page = Page::new(state, ctx);
    render(&ReceivedPage {
        shared: shared_rows(&page, &received.shared),
        events: onward_referral::possible(received.summary.status)
            .into_iter()
            .filter(|e| onward_referral::actor_side(*e) == onward_referral::Side::Receiver)
            .map(|e| (e.key(), page.t(&format!("onward-event-{}", e.key()))))
            .collect(),
        decline_reasons: DeclineReason::ALL
            .iter()
            .map(|r| (r.key(), page.t(&format!("onward-decline-{}", r.key()))))
            .collect(),
        referral: view(&page, &received.summary),
        form,
        errors,
        notice,
        page: &page,
    })
}

/// GET /onward/{id}
pub async fn received(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = done.notice(&Page::new(&state, &ctx));
    render_received(
        &state,
        &ctx,
        &user,
        &id,
        AnswerForm::default(),
        FieldErrors::default(),
        notice,
    )
    .await
}

/// POST /onward/{id}/answer — accept, decline with a reason, or complete.
pub async fn answer(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ViewCaseFile>,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut errors = FieldErrors::default();
    let event = Event::parse(&form.event);
    if event.is_none() {
        errors.add("event", page.t("referral-problem-choose"));
    }
    let reason = DeclineReason::parse(&form.decline_reason);
    if event == Some(Event::Decline) && reason.is_none() {
        errors.add("decline_reason", page.t("onward-problem-decline-reason"));
    }
    let Some(event) = event.filter(|_| errors.is_empty()) else {
        let body = render_received(&state, &ctx, &user, &id, form, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    onward::answer(&mut tx, &can, &id, event, reason.filter(|_| event == Event::Decline)).await?;
    tx.commit().await?;
    let done = notice_key(Some("onward-answered")).unwrap_or_default();
    Ok(Redirect::to(&format!("/onward/{id}?done={done}")).into_response())
}
