//! One committee meeting: its agenda, the attendance checklist and minutes
//! (recorded as held), decisions, action items linked to plan measures, the
//! change of its date or place, and the invitations sent to every active
//! member with a calendar attachment.

use super::committee_view::{MeetingForm, category_label, when};
use crate::AppState;
use crate::access::authorized::{Authorized, capability, holds};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::i18n::{Locale, Tr};
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::{ManageCommittee, ViewCommittee};
use relais_domain::coordination::committee::{self as rules, LONG_TEXT_MAX, NAME_MAX, SHORT_TEXT_MAX};
use relais_domain::coordination::invitation::Invitation;
use relais_store::StoreError;
use relais_store::coordination::committee::{self, Meeting, MeetingRecord, NewActionItem};
use relais_store::outbox::{self, Attachment};
use serde::Deserialize;

/// The attendance and minutes form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct RecordForm {
    #[serde(default)]
    present: Vec<String>,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    held: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    measure: String,
}

#[derive(Deserialize)]
pub struct DoneForm {
    #[serde(default)]
    done: String,
}

/// What a refused form sends back to the page, as typed.
#[derive(Default)]
struct Typed {
    record: Option<RecordForm>,
    decision: Option<DecisionForm>,
    action: Option<ActionForm>,
    details: Option<MeetingForm>,
}

pub struct AttendeeView {
    pub id: String,
    pub name: String,
    pub organisation: String,
    pub category: String,
    pub present: bool,
}

pub struct ActionView {
    pub id: String,
    pub text: String,
    pub owner: String,
    pub due: String,
    pub done: bool,
    pub overdue: bool,
    /// The measure's link and label, when the item points at one.
    pub measure: Option<(String, String)>,
}

/// One plan's measures in the picker.
pub struct MeasureGroup {
    pub plan: String,
    pub measures: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "coordination/meeting.html")]
struct MeetingPage<'a> {
    page: &'a Page,
    id: String,
    when: String,
    place: String,
    agenda: String,
    minutes: String,
    held: bool,
    invitations_sent: i64,
    active_members: usize,
    attendees: Vec<AttendeeView>,
    decisions: Vec<String>,
    actions: Vec<ActionView>,
    measure_groups: Vec<MeasureGroup>,
    manages: bool,
    record: RecordForm,
    decision: DecisionForm,
    action: ActionForm,
    details: MeetingForm,
    errors: FieldErrors,
    notice: Option<String>,
}

fn meeting_url(id: &str, done: &str) -> String {
    format!("/coordination/committee/meetings/{id}?done={done}")
}

/// Store refusals of a meeting that does not exist become a 404.
fn found<T>(result: Result<T, StoreError>) -> Result<T, AppError> {
    result.map_err(|e| match e {
        StoreError::NotFound => AppError::NotFound,
        other => other.into(),
    })
}

async fn render_meeting(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &str,
    typed: Typed,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let view = capability::<ViewCommittee>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let file = found(committee::meeting(&mut tx, &view, id).await)?;
    let (members, _) = committee::committee(&mut tx, &view).await?;
    let choices = committee::measure_choices(&mut tx, &view).await?;
    tx.commit().await?;
    let meeting = &file.meeting;
    let record = typed.record.unwrap_or_else(|| RecordForm {
        present: file.present.clone(),
        minutes: meeting.minutes.clone(),
        held: if meeting.held { "true".to_owned() } else { String::new() },
    });
    // Active members, and anyone recorded present who has left since.
    let attendees = members
        .iter()
        .filter(|m| m.active || file.present.contains(&m.id))
        .map(|m| AttendeeView {
            id: m.id.clone(),
            name: m.name.clone(),
            organisation: m.organisation_label.clone(),
            category: category_label(&page, m.category),
            present: record.present.contains(&m.id),
        })
        .collect();
    let today = page.today(state.clock.now());
    let actions = file
        .action_items
        .iter()
        .map(|a| ActionView {
            id: a.id.clone(),
            text: a.text.clone(),
            owner: a.owner.clone(),
            due: page.day(a.due),
            done: a.done,
            overdue: rules::action_item_overdue(a.due, a.done, today),
            measure: a.measure.as_ref().map(|m| {
                (
                    format!("/coordination/plans/{}/measures/{}", m.plan_code, m.number),
                    page.tr.tn(
                        "committee-measure-label",
                        &[
                            ("plan", m.plan_code.clone()),
                            ("number", m.number.to_string()),
                            ("title", m.title.clone()),
                        ],
                    ),
                )
            }),
        })
        .collect();
    let mut measure_groups: Vec<MeasureGroup> = vec![];
    for choice in &choices {
        let label = page.tr.tn(
            "committee-measure-choice",
            &[("number", choice.number.to_string()), ("title", choice.title.clone())],
        );
        match measure_groups.last_mut() {
            Some(group) if group.plan == choice.plan_code => group.measures.push((choice.id.clone(), label)),
            _ => measure_groups.push(MeasureGroup {
                plan: choice.plan_code.clone(),
                measures: vec![(choice.id.clone(), label)],
            }),
        }
    }
    let body = render(&MeetingPage {
        id: meeting.id.clone(),
        when: when(&page, meeting.times),
        place: meeting.place.clone(),
        agenda: meeting.agenda.clone(),
        minutes: meeting.minutes.clone(),
        held: meeting.held,
        invitations_sent: meeting.invitations_sent,
        active_members: members.iter().filter(|m| m.active).count(),
        attendees,
        decisions: file.decisions.iter().map(|d| d.text.clone()).collect(),
        actions,
        measure_groups,
        manages: holds::<ManageCommittee>(user),
        record,
        decision: typed.decision.unwrap_or_default(),
        action: typed.action.unwrap_or_default(),
        details: typed.details.unwrap_or_else(|| MeetingForm::of(&page, meeting)),
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

/// GET /coordination/committee/meetings/{id}
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let notice = query.notice(&Page::new(&state, &ctx));
    render_meeting(
        &state,
        &ctx,
        &user,
        &id,
        Typed::default(),
        FieldErrors::default(),
        notice,
    )
    .await
}

/// POST /coordination/committee/meetings/{id}: a new date, place or agenda.
pub async fn update(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageCommittee>,
    Path(id): Path<String>,
    Form(form): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let draft = match form.check(&page) {
        Ok(draft) => draft,
        Err(errors) => {
            let typed = Typed {
                details: Some(form),
                ..Typed::default()
            };
            return render_meeting(&state, &ctx, &user, &id, typed, errors, None).await;
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    found(committee::update_meeting(&mut tx, &can, &id, &draft).await)?;
    tx.commit().await?;
    Ok(Redirect::to(&meeting_url(&id, "committee-meeting-updated")).into_response())
}

/// POST /coordination/committee/meetings/{id}/record: attendance, minutes, held.
pub async fn record(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageCommittee>,
    Path(id): Path<String>,
    Form(form): Form<RecordForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let held = form.held == "true";
    let minutes = form.minutes.trim();
    let mut errors = FieldErrors::default();
    if held && minutes.is_empty() {
        errors.add("minutes", page.t("committee-error-minutes"));
    }
    if minutes.chars().count() > LONG_TEXT_MAX {
        errors.add("minutes", page.t("committee-error-too-long"));
    }
    if !errors.is_empty() {
        let typed = Typed {
            record: Some(form),
            ..Typed::default()
        };
        return render_meeting(&state, &ctx, &user, &id, typed, errors, None).await;
    }
    let record = MeetingRecord {
        minutes: minutes.to_owned(),
        held,
        present: form.present.clone(),
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    found(committee::record_meeting(&mut tx, &can, &id, &record).await)?;
    tx.commit().await?;
    let done = if held {
        "committee-meeting-held"
    } else {
        "committee-meeting-recorded"
    };
    Ok(Redirect::to(&meeting_url(&id, done)).into_response())
}

/// POST /coordination/committee/meetings/{id}/decisions
pub async fn add_decision(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageCommittee>,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let text = form.decision.trim();
    let mut errors = FieldErrors::default();
    if text.is_empty() {
        errors.add("decision", page.t("committee-error-decision"));
    } else if text.chars().count() > SHORT_TEXT_MAX {
        errors.add("decision", page.t("committee-error-too-long"));
    }
    if !errors.is_empty() {
        let typed = Typed {
            decision: Some(form),
            ..Typed::default()
        };
        return render_meeting(&state, &ctx, &user, &id, typed, errors, None).await;
    }
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    found(committee::add_decision(&mut tx, &can, &id, text).await)?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("{}#decisions", meeting_url(&id, "committee-decision-added"))).into_response())
}

fn check_action(page: &Page, form: &ActionForm) -> Result<NewActionItem, FieldErrors> {
    let mut errors = FieldErrors::default();
    let text = form.text.trim();
    if text.is_empty() {
        errors.add("action-text", page.t("committee-error-action"));
    } else if text.chars().count() > SHORT_TEXT_MAX {
        errors.add("action-text", page.t("committee-error-too-long"));
    }
    let owner = form.owner.trim();
    if owner.is_empty() {
        errors.add("action-owner", page.t("committee-error-owner"));
    } else if owner.chars().count() > NAME_MAX {
        errors.add("action-owner", page.t("committee-error-too-long"));
    }
    let due = rules::parse_day(&form.due);
    if due.is_none() {
        errors.add("action-due", page.t("committee-error-due"));
    }
    match due {
        Some(due) if errors.is_empty() => Ok(NewActionItem {
            text: text.to_owned(),
            owner: owner.to_owned(),
            due,
            measure_id: Some(form.measure.trim().to_owned()).filter(|m| !m.is_empty()),
        }),
        _ => Err(errors),
    }
}

/// POST /coordination/committee/meetings/{id}/action-items
pub async fn add_action(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageCommittee>,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let refused = |errors| {
        let typed = Typed {
            action: Some(form.clone()),
            ..Typed::default()
        };
        render_meeting(&state, &ctx, &user, &id, typed, errors, None)
    };
    let item = match check_action(&page, &form) {
        Ok(item) => item,
        Err(errors) => return refused(errors).await,
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match committee::add_action_item(&mut tx, &can, &id, &item).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("{}#actions", meeting_url(&id, "committee-action-added"))).into_response())
        }
        Err(StoreError::NotFound) if item.measure_id.is_some() => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("action-measure", page.t("committee-error-measure"));
            refused(errors).await
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(other) => Err(other.into()),
    }
}

/// POST /coordination/committee/meetings/{id}/action-items/{item}/done
pub async fn set_action_done(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, item)): Path<(String, String)>,
    Form(form): Form<DoneForm>,
) -> Result<Response, AppError> {
    let can = capability::<ManageCommittee>(&user, &ctx.path)?;
    let done = form.done == "true";
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    found(committee::set_action_item_done(&mut tx, &can, &id, &item, done).await)?;
    tx.commit().await?;
    let key = if done {
        "committee-action-done"
    } else {
        "committee-action-reopened"
    };
    Ok(Redirect::to(&format!("{}#actions", meeting_url(&id, key))).into_response())
}

/// The invitation e-mail to one member: French, as members have no
/// account (and so no language) in Relais.
fn invitation_mail(
    state: &AppState,
    meeting: &Meeting,
    organizer: &str,
    attendee: &str,
) -> (String, String, Attachment) {
    let tr = Tr::new(Locale::Fr, state.translations.clone());
    let zone = relais_domain::time::Zone::paris();
    let start = zone.local(meeting.times.start());
    let end = zone.local(meeting.times.end());
    let day = crate::dates::day(start.date, Locale::Fr);
    let hours = [
        ("day", day.clone()),
        ("start", format!("{:02}:{:02}", start.hour, start.minute)),
        ("end", format!("{:02}:{:02}", end.hour, end.minute)),
        ("place", meeting.place.clone()),
    ];
    let subject = tr.t1("committee-mail-subject", "day", &day);
    let body = format!(
        "{}\n\n{}\n\n{}\n",
        tr.tn("committee-mail-body", &hours),
        meeting.agenda,
        tr.t1(
            "committee-mail-link",
            "url",
            &format!(
                "{}/coordination/committee/meetings/{}",
                state.settings.public_url, meeting.id
            )
        ),
    );
    let uid = format!("committee-meeting-{}@relais", meeting.id);
    let summary = tr.t("committee-mail-summary");
    let ics = Invitation {
        uid: &uid,
        stamp: state.clock.now(),
        start: meeting.times.start(),
        end: meeting.times.end(),
        summary: &summary,
        location: &meeting.place,
        description: &meeting.agenda,
        organizer,
        attendee,
        sequence: u32::try_from(meeting.invitations_sent).unwrap_or(u32::MAX),
    }
    .to_ics();
    let attachment = Attachment {
        file_name: "invitation.ics".to_owned(),
        content_type: "text/calendar; method=REQUEST; charset=UTF-8".to_owned(),
        content: ics,
    };
    (subject, body, attachment)
}

/// POST /coordination/committee/meetings/{id}/invitations: one e-mail per
/// active member with the meeting's .ics, queued in the outbox in the same
/// transaction as the audit row, sent by the outbox job.
pub async fn invite(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageCommittee>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let (meeting, members) = found(committee::invitees(&mut tx, &can, &id).await)?;
    for member in &members {
        let (subject, body, attachment) = invitation_mail(&state, &meeting, &user.profile.email, &member.email);
        outbox::enqueue_with(&mut tx, &member.email, &subject, &body, Some(&attachment)).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&meeting_url(&id, "committee-invitations-sent")).into_response())
}
