//! The coordination committee's page: members by category, meetings by
//! year, the two warnings of the CNCDH's R3 (fewer than two meetings held in
//! a year; no victims' representatives or trade unions), and the forms to add
//! a member and plan a meeting.

use super::committee_view::{MeetingForm, category_label, when};
use super::view::Bar;
use crate::AppState;
use crate::access::authorized::{Authorized, capability, holds};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::{ManageCommittee, ViewCommittee};
use relais_domain::coordination::committee::{
    self as rules, MeetingFact, MemberCategory, NAME_MAX, missing_categories, years_with_too_few_meetings,
};
use relais_domain::email::Email;
use relais_store::coordination::committee::{self, NewMember};
use serde::Deserialize;

/// The member form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct MemberForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    email: String,
}

pub struct MemberView {
    pub id: String,
    pub name: String,
    pub organisation: String,
    pub email: String,
    pub active: bool,
}

pub struct CategoryView {
    pub key: &'static str,
    pub label: String,
    pub active: usize,
    pub members: Vec<MemberView>,
}

pub struct MeetingLine {
    pub id: String,
    pub when: String,
    pub place: String,
    pub held: bool,
    pub present: usize,
}

pub struct YearView {
    pub year: i32,
    pub held: usize,
    pub meetings: Vec<MeetingLine>,
}

#[derive(Template)]
#[template(path = "coordination/committee.html")]
struct CommitteePage<'a> {
    page: &'a Page,
    categories: Vec<CategoryView>,
    /// The required categories no active member represents, as labels.
    missing: Vec<String>,
    /// One sentence per year with fewer than two meetings held.
    shortfalls: Vec<String>,
    years: Vec<YearView>,
    held_bars: Vec<Bar>,
    category_choices: Vec<(&'static str, String)>,
    manages: bool,
    member: MemberForm,
    meeting: MeetingForm,
    errors: FieldErrors,
    notice: Option<String>,
}

async fn render_committee(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    member: MemberForm,
    meeting: MeetingForm,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let view = capability::<ViewCommittee>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let (members, meetings) = committee::committee(&mut tx, &view).await?;
    let present = committee::attendance_counts(&mut tx, &view).await?;
    tx.commit().await?;
    let categories = MemberCategory::ALL
        .into_iter()
        .map(|category| {
            let of: Vec<MemberView> = members
                .iter()
                .filter(|m| m.category == category)
                .map(|m| MemberView {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    organisation: m.organisation_label.clone(),
                    email: m.email.clone(),
                    active: m.active,
                })
                .collect();
            CategoryView {
                key: category.key(),
                label: category_label(&page, category),
                active: of.iter().filter(|m| m.active).count(),
                members: of,
            }
        })
        .collect();
    let missing = missing_categories(members.iter().filter(|m| m.active).map(|m| m.category))
        .into_iter()
        .map(|c| category_label(&page, c))
        .collect();
    let facts: Vec<MeetingFact> = meetings
        .iter()
        .map(|m| MeetingFact {
            start: m.times.start(),
            held: m.held,
        })
        .collect();
    let this_year = page.today(state.clock.now()).year;
    let shortfalls = years_with_too_few_meetings(&facts, &page.zone, this_year)
        .into_iter()
        .map(|s| {
            let key = if s.year == this_year {
                "committee-shortfall-this-year"
            } else {
                "committee-shortfall"
            };
            page.tr.tn(
                key,
                &[
                    ("year", s.year.to_string()),
                    ("held", s.held.to_string()),
                    ("planned", s.planned.to_string()),
                ],
            )
        })
        .collect();
    let per_year = rules::meetings_held_per_year(&facts, &page.zone);
    let most = per_year
        .values()
        .copied()
        .max()
        .unwrap_or(0)
        .max(rules::MIN_MEETINGS_PER_YEAR);
    let held_bars = per_year
        .iter()
        .map(|(year, held)| Bar {
            label: year.to_string(),
            count: *held,
            percent: held * 100 / most,
        })
        .collect();
    let mut years: Vec<YearView> = per_year
        .iter()
        .rev()
        .map(|(year, held)| YearView {
            year: *year,
            held: *held,
            meetings: vec![],
        })
        .collect();
    for meeting in meetings.iter().rev() {
        let year = page.zone.local(meeting.times.start()).date.year;
        if let Some(group) = years.iter_mut().find(|y| y.year == year) {
            group.meetings.push(MeetingLine {
                id: meeting.id.clone(),
                when: when(&page, meeting.times),
                place: meeting.place.clone(),
                held: meeting.held,
                present: present.get(&meeting.id).copied().unwrap_or(0),
            });
        }
    }
    let body = render(&CommitteePage {
        categories,
        missing,
        shortfalls,
        years,
        held_bars,
        category_choices: MemberCategory::ALL
            .into_iter()
            .map(|c| (c.key(), category_label(&page, c)))
            .collect(),
        manages: holds::<ManageCommittee>(user),
        member,
        meeting,
        errors: errors.clone(),
        notice,
        page: &page,
    })?;
    if errors.is_empty() {
        Ok(body)
    } else {
        Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
    }
}

/// GET /coordination/committee
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let notice = query.notice(&Page::new(&state, &ctx));
    render_committee(
        &state,
        &ctx,
        &user,
        MemberForm::default(),
        MeetingForm::default(),
        FieldErrors::default(),
        notice,
    )
    .await
}

fn check_member(page: &Page, form: &MemberForm) -> Result<NewMember, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = form.name.trim();
    if name.is_empty() {
        errors.add("member-name", page.t("committee-error-name"));
    } else if name.chars().count() > NAME_MAX {
        errors.add("member-name", page.t("committee-error-too-long"));
    }
    let category = MemberCategory::parse(&form.category);
    if category.is_none() {
        errors.add("member-category", page.t("committee-error-category"));
    }
    let organisation = form.organisation.trim();
    if organisation.is_empty() {
        errors.add("member-organisation", page.t("committee-error-organisation"));
    } else if organisation.chars().count() > NAME_MAX {
        errors.add("member-organisation", page.t("committee-error-too-long"));
    }
    let email = Email::parse(&form.email).ok();
    if email.is_none() {
        errors.add("member-email", page.t("committee-error-email"));
    }
    match (category, email) {
        (Some(category), Some(email)) if errors.is_empty() => Ok(NewMember {
            name: name.to_owned(),
            category,
            organisation_label: organisation.to_owned(),
            email: email.as_str().to_owned(),
        }),
        _ => Err(errors),
    }
}

/// POST /coordination/committee/members
pub async fn add_member(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageCommittee>,
    Form(form): Form<MemberForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let member = match check_member(&page, &form) {
        Ok(member) => member,
        Err(errors) => {
            return render_committee(&state, &ctx, &user, form, MeetingForm::default(), errors, None).await;
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    committee::add_member(&mut tx, &can, &member).await?;
    tx.commit().await?;
    Ok(Redirect::to("/coordination/committee?done=committee-member-added#members").into_response())
}

/// POST /coordination/committee/members/{id}/active: a member leaves, or comes back.
pub async fn set_member_active(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageCommittee>,
    Path(id): Path<String>,
    Form(form): Form<crate::handler::ActiveForm>,
) -> Result<Response, AppError> {
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match committee::set_member_active(&mut tx, &can, &id, form.active()).await {
        Ok(()) => {}
        Err(relais_store::StoreError::NotFound) => return Err(AppError::NotFound),
        Err(other) => return Err(other.into()),
    }
    tx.commit().await?;
    let done = if form.active() {
        "committee-member-activated"
    } else {
        "committee-member-deactivated"
    };
    Ok(Redirect::to(&format!("/coordination/committee?done={done}#members")).into_response())
}

/// POST /coordination/committee/meetings: plans a meeting, then shows it.
pub async fn add_meeting(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageCommittee>,
    Form(form): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let draft = match form.check(&page) {
        Ok(draft) => draft,
        Err(errors) => {
            return render_committee(&state, &ctx, &user, MemberForm::default(), form, errors, None).await;
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let id = committee::add_meeting(&mut tx, &can, &draft).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/coordination/committee/meetings/{id}?done=committee-meeting-added"
    ))
    .into_response())
}
