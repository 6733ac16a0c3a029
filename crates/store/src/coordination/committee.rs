//! The national coordination committee: members, meetings with attendance,
//! minutes, decisions and action items, and the list an invitation goes to.
//! Members' names and e-mail addresses are personal data: every read and
//! write is in an audited transaction; the public page reads only the days
//! of held meetings.

use crate::audit::{Action, Object};
use crate::{Result, Store, StoreError, Tx};
use relais_domain::access::authz::{Capability, ManageCommittee, ViewCommittee};
use relais_domain::coordination::committee::{MeetingTimes, MemberCategory};
use relais_domain::time::{Date, Timestamp};
use std::collections::HashMap;

/// A member of the committee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub category: MemberCategory,
    pub organisation_label: String,
    pub email: String,
    pub active: bool,
}

/// A member to add (checked by the caller).
#[derive(Debug, Clone)]
pub struct NewMember {
    pub name: String,
    pub category: MemberCategory,
    pub organisation_label: String,
    pub email: String,
}

/// A meeting, planned or held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: String,
    pub times: MeetingTimes,
    pub place: String,
    pub agenda: String,
    pub minutes: String,
    pub held: bool,
    /// How many times its invitations were sent.
    pub invitations_sent: i64,
}

/// A meeting's date, place and agenda, to plan it or change them.
#[derive(Debug, Clone)]
pub struct MeetingDraft {
    pub times: MeetingTimes,
    pub place: String,
    pub agenda: String,
}

/// What the coordinator records of a meeting: who came, the minutes, and
/// whether it was held.
#[derive(Debug, Clone)]
pub struct MeetingRecord {
    pub minutes: String,
    pub held: bool,
    /// Member ids present; ids of no member are ignored.
    pub present: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub id: String,
    pub text: String,
    pub created_at: Timestamp,
}

/// A plan measure an action item may point at (also the picker's choices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureRef {
    pub id: String,
    pub plan_code: String,
    pub number: u32,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    pub id: String,
    pub text: String,
    pub owner: String,
    pub due: Date,
    pub done: bool,
    pub measure: Option<MeasureRef>,
}

/// An action item to add; `measure_id` must name a measure.
#[derive(Debug, Clone)]
pub struct NewActionItem {
    pub text: String,
    pub owner: String,
    pub due: Date,
    pub measure_id: Option<String>,
}

/// A meeting with everything recorded about it.
#[derive(Debug, Clone)]
pub struct MeetingFile {
    pub meeting: Meeting,
    /// Ids of the members recorded present.
    pub present: Vec<String>,
    pub decisions: Vec<Decision>,
    pub action_items: Vec<ActionItem>,
}

const MEMBER_COLUMNS: &str = "id, name, category, organisation_label, email, active";
type MemberRow = (String, String, String, String, String, i64);

fn to_member((id, name, category, organisation_label, email, active): MemberRow) -> Result<Member> {
    Ok(Member {
        id,
        name,
        category: MemberCategory::parse(&category).ok_or(StoreError::Corrupt("member category"))?,
        organisation_label,
        email,
        active: active != 0,
    })
}

const MEETING_COLUMNS: &str = "id, starts_at, ends_at, place, agenda, minutes, held, invitations_sent";
type MeetingRow = (String, i64, i64, String, String, String, i64, i64);

fn to_meeting((id, start, end, place, agenda, minutes, held, invitations_sent): MeetingRow) -> Result<Meeting> {
    Ok(Meeting {
        id,
        times: MeetingTimes::new(Timestamp(start), Timestamp(end)).ok_or(StoreError::Corrupt("meeting times"))?,
        place,
        agenda,
        minutes,
        held: held != 0,
        invitations_sent,
    })
}

async fn all_members(tx: &mut Tx) -> Result<Vec<Member>> {
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM committee_members ORDER BY category, lower(name), id"
    ))
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter().map(to_member).collect()
}

/// Every member (active or not) and every meeting, earliest first: two
/// queries whatever their number.
pub async fn committee(tx: &mut Tx, _can: &Capability<ViewCommittee>) -> Result<(Vec<Member>, Vec<Meeting>)> {
    let members = all_members(tx).await?;
    let rows: Vec<MeetingRow> = sqlx::query_as(&format!(
        "SELECT {MEETING_COLUMNS} FROM committee_meetings ORDER BY starts_at, id"
    ))
    .fetch_all(tx.conn())
    .await?;
    let meetings = rows.into_iter().map(to_meeting).collect::<Result<Vec<_>>>()?;
    tx.audit(Action::CommitteeView, Object::Committee, None, None).await?;
    Ok((members, meetings))
}

/// Adds a member; returns its id.
pub async fn add_member(tx: &mut Tx, _can: &Capability<ManageCommittee>, member: &NewMember) -> Result<String> {
    let id = crate::record_id_hex();
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO committee_members (id, name, category, organisation_label, email, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
    )
    .bind(id.clone())
    .bind(member.name.clone())
    .bind(member.category.key().to_owned())
    .bind(member.organisation_label.clone())
    .bind(member.email.clone())
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.audit(Action::CommitteeMemberAdd, Object::CommitteeMember, Some(&id), None)
        .await?;
    Ok(id)
}

/// Marks a member as active again, or as having left (kept for the
/// attendance of past meetings).
pub async fn set_member_active(
    tx: &mut Tx,
    _can: &Capability<ManageCommittee>,
    member_id: &str,
    active: bool,
) -> Result<()> {
    let changed = sqlx::query("UPDATE committee_members SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(active))
        .bind(tx.now().0)
        .bind(member_id.to_owned())
        .execute(tx.conn())
        .await?;
    if changed.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    let action = if active {
        Action::CommitteeMemberActivate
    } else {
        Action::CommitteeMemberDeactivate
    };
    tx.audit(action, Object::CommitteeMember, Some(member_id), None).await
}

/// Plans a meeting; returns its id.
pub async fn add_meeting(tx: &mut Tx, _can: &Capability<ManageCommittee>, draft: &MeetingDraft) -> Result<String> {
    let id = crate::record_id_hex();
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO committee_meetings (id, starts_at, ends_at, place, agenda, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(id.clone())
    .bind(draft.times.start().0)
    .bind(draft.times.end().0)
    .bind(draft.place.clone())
    .bind(draft.agenda.clone())
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.audit(Action::CommitteeMeetingAdd, Object::CommitteeMeeting, Some(&id), None)
        .await?;
    Ok(id)
}

/// Changes a meeting's times, place and agenda.
pub async fn update_meeting(
    tx: &mut Tx,
    _can: &Capability<ManageCommittee>,
    meeting_id: &str,
    draft: &MeetingDraft,
) -> Result<()> {
    let changed = sqlx::query(
        "UPDATE committee_meetings SET starts_at = $1, ends_at = $2, place = $3, agenda = $4, updated_at = $5 \
         WHERE id = $6",
    )
    .bind(draft.times.start().0)
    .bind(draft.times.end().0)
    .bind(draft.place.clone())
    .bind(draft.agenda.clone())
    .bind(tx.now().0)
    .bind(meeting_id.to_owned())
    .execute(tx.conn())
    .await?;
    if changed.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    tx.audit(
        Action::CommitteeMeetingUpdate,
        Object::CommitteeMeeting,
        Some(meeting_id),
        None,
    )
    .await
}

async fn meeting_row(tx: &mut Tx, meeting_id: &str) -> Result<Meeting> {
    let row: Option<MeetingRow> = sqlx::query_as(&format!(
        "SELECT {MEETING_COLUMNS} FROM committee_meetings WHERE id = $1"
    ))
    .bind(meeting_id.to_owned())
    .fetch_optional(tx.conn())
    .await?;
    to_meeting(row.ok_or(StoreError::NotFound)?)
}

type ActionRow = (
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
);

/// A meeting, who was present, its decisions and action items (with the
/// measures they point at): four queries.
pub async fn meeting(tx: &mut Tx, _can: &Capability<ViewCommittee>, meeting_id: &str) -> Result<MeetingFile> {
    let meeting = meeting_row(tx, meeting_id).await?;
    let present: Vec<(String,)> =
        sqlx::query_as("SELECT member_id FROM committee_attendance WHERE meeting_id = $1 ORDER BY member_id")
            .bind(meeting_id.to_owned())
            .fetch_all(tx.conn())
            .await?;
    let decisions: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, text, created_at FROM committee_decisions WHERE meeting_id = $1 ORDER BY created_at, id",
    )
    .bind(meeting_id.to_owned())
    .fetch_all(tx.conn())
    .await?;
    let actions: Vec<ActionRow> = sqlx::query_as(
        "SELECT a.id, a.text, a.owner, a.due_on, a.done, a.measure_id, p.code, m.number, m.title \
         FROM committee_action_items a \
         LEFT JOIN plan_measures m ON m.id = a.measure_id \
         LEFT JOIN plans p ON p.id = m.plan_id \
         WHERE a.meeting_id = $1 ORDER BY a.due_on, a.created_at, a.id",
    )
    .bind(meeting_id.to_owned())
    .fetch_all(tx.conn())
    .await?;
    tx.audit(
        Action::CommitteeMeetingView,
        Object::CommitteeMeeting,
        Some(meeting_id),
        None,
    )
    .await?;
    let action_items = actions
        .into_iter()
        .map(|(id, text, owner, due, done, measure_id, code, number, title)| {
            let measure = match (measure_id, code, number, title) {
                (Some(id), Some(plan_code), Some(number), Some(title)) => Some(MeasureRef {
                    id,
                    plan_code,
                    number: u32::try_from(number).map_err(|_| StoreError::Corrupt("measure number"))?,
                    title,
                }),
                _ => None,
            };
            Ok(ActionItem {
                id,
                text,
                owner,
                due: Date::parse(&due).ok_or(StoreError::Corrupt("action item due day"))?,
                done: done != 0,
                measure,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(MeetingFile {
        meeting,
        present: present.into_iter().map(|(id,)| id).collect(),
        decisions: decisions
            .into_iter()
            .map(|(id, text, at)| Decision {
                id,
                text,
                created_at: Timestamp(at),
            })
            .collect(),
        action_items,
    })
}

/// Records the attendance, the minutes and whether the meeting was held.
pub async fn record_meeting(
    tx: &mut Tx,
    _can: &Capability<ManageCommittee>,
    meeting_id: &str,
    record: &MeetingRecord,
) -> Result<()> {
    let changed = sqlx::query("UPDATE committee_meetings SET minutes = $1, held = $2, updated_at = $3 WHERE id = $4")
        .bind(record.minutes.clone())
        .bind(i64::from(record.held))
        .bind(tx.now().0)
        .bind(meeting_id.to_owned())
        .execute(tx.conn())
        .await?;
    if changed.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    sqlx::query("DELETE FROM committee_attendance WHERE meeting_id = $1")
        .bind(meeting_id.to_owned())
        .execute(tx.conn())
        .await?;
    let members: Vec<(String,)> = sqlx::query_as("SELECT id FROM committee_members")
        .fetch_all(tx.conn())
        .await?;
    let known: std::collections::HashSet<String> = members.into_iter().map(|(id,)| id).collect();
    let mut present: Vec<&String> = record.present.iter().filter(|id| known.contains(*id)).collect();
    present.sort();
    present.dedup();
    for member in present {
        sqlx::query("INSERT INTO committee_attendance (meeting_id, member_id) VALUES ($1, $2)")
            .bind(meeting_id.to_owned())
            .bind(member.clone())
            .execute(tx.conn())
            .await?;
    }
    let action = if record.held {
        Action::CommitteeMeetingRecordHeld
    } else {
        Action::CommitteeMeetingRecord
    };
    tx.audit(action, Object::CommitteeMeeting, Some(meeting_id), None).await
}

/// Adds a decision to a meeting.
pub async fn add_decision(tx: &mut Tx, _can: &Capability<ManageCommittee>, meeting_id: &str, text: &str) -> Result<()> {
    meeting_row(tx, meeting_id).await?;
    let id = crate::record_id_hex();
    sqlx::query("INSERT INTO committee_decisions (id, meeting_id, text, created_at) VALUES ($1, $2, $3, $4)")
        .bind(id.clone())
        .bind(meeting_id.to_owned())
        .bind(text.to_owned())
        .bind(tx.now().0)
        .execute(tx.conn())
        .await?;
    tx.audit(
        Action::CommitteeDecisionAdd,
        Object::CommitteeMeeting,
        Some(meeting_id),
        None,
    )
    .await
}

/// Adds an action item to a meeting. A `measure_id` that names no measure
/// is refused with [`StoreError::NotFound`].
pub async fn add_action_item(
    tx: &mut Tx,
    _can: &Capability<ManageCommittee>,
    meeting_id: &str,
    item: &NewActionItem,
) -> Result<()> {
    meeting_row(tx, meeting_id).await?;
    if let Some(measure) = &item.measure_id {
        let found: Option<(String,)> = sqlx::query_as("SELECT id FROM plan_measures WHERE id = $1")
            .bind(measure.clone())
            .fetch_optional(tx.conn())
            .await?;
        found.ok_or(StoreError::NotFound)?;
    }
    let id = crate::record_id_hex();
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO committee_action_items (id, meeting_id, text, owner, due_on, measure_id, done, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7)",
    )
    .bind(id.clone())
    .bind(meeting_id.to_owned())
    .bind(item.text.clone())
    .bind(item.owner.clone())
    .bind(item.due.to_string())
    .bind(item.measure_id.clone())
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.audit(Action::CommitteeActionAdd, Object::CommitteeActionItem, Some(&id), None)
        .await
}

/// Marks an action item of a meeting done, or not done.
pub async fn set_action_item_done(
    tx: &mut Tx,
    _can: &Capability<ManageCommittee>,
    meeting_id: &str,
    item_id: &str,
    done: bool,
) -> Result<()> {
    let changed =
        sqlx::query("UPDATE committee_action_items SET done = $1, updated_at = $2 WHERE id = $3 AND meeting_id = $4")
            .bind(i64::from(done))
            .bind(tx.now().0)
            .bind(item_id.to_owned())
            .bind(meeting_id.to_owned())
            .execute(tx.conn())
            .await?;
    if changed.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    tx.audit(
        Action::CommitteeActionDone,
        Object::CommitteeActionItem,
        Some(item_id),
        None,
    )
    .await
}

/// Every measure of every plan, for the action item picker, by plan and number.
pub async fn measure_choices(tx: &mut Tx, _can: &Capability<ViewCommittee>) -> Result<Vec<MeasureRef>> {
    let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
        "SELECT m.id, p.code, m.number, m.title FROM plan_measures m JOIN plans p ON p.id = m.plan_id \
         ORDER BY p.start_year DESC, p.code, m.number",
    )
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(|(id, plan_code, number, title)| {
            Ok(MeasureRef {
                id,
                plan_code,
                number: u32::try_from(number).map_err(|_| StoreError::Corrupt("measure number"))?,
                title,
            })
        })
        .collect()
}

/// The meeting and its active members, to invite them; counts the sending
/// (the invitation's sequence is the count before it).
pub async fn invitees(
    tx: &mut Tx,
    _can: &Capability<ManageCommittee>,
    meeting_id: &str,
) -> Result<(Meeting, Vec<Member>)> {
    let meeting = meeting_row(tx, meeting_id).await?;
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM committee_members WHERE active = 1 ORDER BY category, lower(name), id"
    ))
    .fetch_all(tx.conn())
    .await?;
    let members = rows.into_iter().map(to_member).collect::<Result<Vec<_>>>()?;
    sqlx::query("UPDATE committee_meetings SET invitations_sent = invitations_sent + 1 WHERE id = $1")
        .bind(meeting_id.to_owned())
        .execute(tx.conn())
        .await?;
    tx.audit(
        Action::CommitteeMeetingInvite,
        Object::CommitteeMeeting,
        Some(meeting_id),
        None,
    )
    .await?;
    Ok((meeting, members))
}

/// How many members were present at each meeting, by meeting id (one query).
pub async fn attendance_counts(tx: &mut Tx, _can: &Capability<ViewCommittee>) -> Result<HashMap<String, usize>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT meeting_id, COUNT(*) FROM committee_attendance GROUP BY meeting_id")
            .fetch_all(tx.conn())
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, usize::try_from(n).unwrap_or(0)))
        .collect())
}

/// When each held meeting started, for the public page. Only instants: no
/// name, place or minutes, so, like the published plans, it is read
/// outside an audited transaction.
pub async fn held_meeting_starts(store: &Store) -> Result<Vec<Timestamp>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT starts_at FROM committee_meetings WHERE held = 1 ORDER BY starts_at")
            .fetch_all(store.pool())
            .await?;
    Ok(rows.into_iter().map(|(at,)| Timestamp(at)).collect())
}
