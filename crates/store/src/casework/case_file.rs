//! The case file (issue 4, parts 4–5): notes whose sensitivity decides who
//! reads them, shares that open a case to another organisation for a
//! purpose and a time (with consent recorded, or an audited override), and
//! the access log the owning authority sees.

use crate::audit::log::Line;
use crate::audit::{Action, Object};
use crate::casework::cases::{self, CaseSummary};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, CaseAccess, IdentifyVictims, ViewCaseFile};
use relais_domain::casework::case_access::{CaseArea, Mode, SharePurpose};
use relais_domain::casework::case_file::Sensitivity;
use relais_domain::casework::case_status::{Event, Policy};
use relais_domain::casework::document::Kind;
use relais_domain::casework::sharing::{Justification, ShareDuration};
use relais_domain::casework::statement::{Draft, Statement};
use relais_domain::ids::{CaseId, OrganisationId};
use relais_domain::time::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub at: Timestamp,
    pub author: Option<String>,
    pub sensitivity: Sensitivity,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub id: String,
    pub organisation: String,
    pub purpose: SharePurpose,
    /// `consent` or `override`.
    pub basis: String,
    pub granted_at: Timestamp,
    pub expires_at: Timestamp,
    pub active: bool,
}

pub struct CaseFile {
    pub case: CaseSummary,
    /// The organisation leading the follow-up, once a transfer named one.
    pub lead_organisation: Option<String>,
    /// The notes at the levels the reader may read.
    pub notes: Vec<Note>,
    /// Empty unless the reader may see the case's sharing (the authority).
    pub shares: Vec<Share>,
    /// Who read or changed the case, one line per request, newest first.
    pub access_log: Vec<Line>,
}

fn note_context(id: &str) -> String {
    format!("case-note:{id}")
}

async fn notes(tx: &mut Tx, id: &CaseId, levels: &[Sensitivity]) -> Result<Vec<Note>> {
    if levels.is_empty() {
        return Ok(vec![]);
    }
    // Levels are a closed list of keys: the filter is built from them, not from user text.
    let list = level_list(levels);
    let query = format!(
        "SELECT n.id, n.created_at, u.display_name, n.sensitivity, n.body FROM case_notes n \
         LEFT JOIN users u ON u.id = n.author_user_id WHERE n.case_id = $1 AND n.sensitivity IN ({list}) \
         ORDER BY n.created_at, n.id"
    );
    let rows: Vec<(String, i64, Option<String>, String, String)> = sqlx::query_as(&query)
        .bind(id.as_str().to_owned())
        .fetch_all(tx.conn())
        .await?;
    rows.into_iter()
        .map(|(note_id, at, author, sensitivity, body)| {
            let plain = tx.keys().decrypt(&body, &note_context(&note_id))?;
            Ok(Note {
                at: Timestamp(at),
                author,
                sensitivity: Sensitivity::parse(&sensitivity).ok_or(StoreError::Corrupt("note sensitivity"))?,
                body: String::from_utf8_lossy(&plain).into_owned(),
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct ShareRow {
    id: String,
    name: String,
    purpose: String,
    basis: String,
    granted_at: i64,
    expires_at: i64,
    revoked_at: Option<i64>,
}

async fn shares(tx: &mut Tx, id: &CaseId) -> Result<Vec<Share>> {
    let now = tx.now().0;
    let rows: Vec<ShareRow> = sqlx::query_as(
        "SELECT s.id, o.name, s.purpose, s.basis, s.granted_at, s.expires_at, s.revoked_at FROM case_shares s \
         JOIN organisations o ON o.id = s.organisation_id WHERE s.case_id = $1 ORDER BY s.granted_at, s.id",
    )
    .bind(id.as_str().to_owned())
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Share {
                purpose: SharePurpose::parse(&row.purpose).ok_or(StoreError::Corrupt("share purpose"))?,
                id: row.id,
                organisation: row.name,
                basis: row.basis,
                granted_at: Timestamp(row.granted_at),
                expires_at: Timestamp(row.expires_at),
                active: row.revoked_at.is_none() && row.expires_at > now,
            })
        })
        .collect()
}

/// Opens the case file with the notes the reader may read.
pub async fn open(tx: &mut Tx, access: &CaseAccess) -> Result<CaseFile> {
    access.check(CaseArea::Summary, Mode::Read)?;
    let id = access.case();
    let case = cases::summary(tx, id).await?;
    // The read is logged before the log is read, so the reader sees themself.
    tx.audit(Action::CaseFileRead, Object::Case, Some(id.as_str()), None)
        .await?;
    let notes = if access.may(CaseArea::Notes, Mode::Read) {
        notes(tx, id, &access.levels()).await?
    } else {
        vec![]
    };
    let lead: Option<(String,)> = sqlx::query_as(
        "SELECT o.name FROM cases c JOIN organisations o ON o.id = c.owner_organisation_id WHERE c.id = $1",
    )
    .bind(id.as_str().to_owned())
    .fetch_optional(tx.conn())
    .await?;
    let (shares, access_log) = if access.may(CaseArea::Sharing, Mode::Read) {
        (
            shares(tx, id).await?,
            crate::audit::log::of_object(tx, Object::Case, id.as_str(), 200).await?,
        )
    } else {
        (vec![], vec![])
    };
    Ok(CaseFile {
        case,
        lead_organisation: lead.map(|(name,)| name),
        notes,
        shares,
        access_log,
    })
}

/// Adds a note at a level the author may read (so nobody writes what they cannot see).
pub async fn add_note(tx: &mut Tx, access: &CaseAccess, sensitivity: Sensitivity, body: &str) -> Result<()> {
    access.check(CaseArea::Notes, Mode::Write)?;
    if !access.levels().contains(&sensitivity) {
        return Err(StoreError::Denied(relais_domain::access::authz::Denied::NotPermitted));
    }
    let id = access.case();
    let note_id = crate::record_id_hex();
    let sealed = tx.keys().encrypt(body.as_bytes(), &note_context(&note_id))?;
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO case_notes (id, case_id, author_user_id, sensitivity, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(note_id)
    .bind(id.as_str().to_owned())
    .bind(access.actor().as_str().to_owned())
    .bind(sensitivity.key())
    .bind(sealed)
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.audit(
        Action::CaseNoteAdd,
        Object::Case,
        Some(id.as_str()),
        Some(sensitivity.key()),
    )
    .await
}

/// Gives an organisation access to the case for a purpose, for `duration` from now.
pub async fn share(
    tx: &mut Tx,
    can: &Capability<IdentifyVictims>,
    id: &CaseId,
    organisation: &OrganisationId,
    purpose: SharePurpose,
    basis: &Justification,
    duration: ShareDuration,
) -> Result<String> {
    cases::in_scope(tx, can, id).await?;
    let share_id = crate::record_id_hex();
    // An override's reason is kept encrypted and audited.
    let reason = match &basis.override_reason {
        Some(reason) => Some(
            tx.keys()
                .encrypt(reason.as_bytes(), &format!("case-share:{share_id}"))?,
        ),
        None => None,
    };
    let basis_key = basis.basis.key();
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO case_shares (id, case_id, organisation_id, purpose, basis, override_reason, granted_by, granted_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(share_id.clone())
    .bind(id.as_str().to_owned())
    .bind(organisation.as_str().to_owned())
    .bind(purpose.as_str())
    .bind(basis_key)
    .bind(reason)
    .bind(can.actor().as_str().to_owned())
    .bind(now)
    .bind(duration.until(Timestamp(now)).0)
    .execute(tx.conn())
    .await?;
    tx.audit(
        Action::share(basis.basis),
        Object::Case,
        Some(id.as_str()),
        Some(organisation.as_str()),
    )
    .await?;
    Ok(share_id)
}

/// Ends a share at once.
pub async fn revoke(tx: &mut Tx, can: &Capability<IdentifyVictims>, id: &CaseId, share_id: &str) -> Result<()> {
    cases::in_scope(tx, can, id).await?;
    let now = tx.now().0;
    let done =
        sqlx::query("UPDATE case_shares SET revoked_at = $1 WHERE id = $2 AND case_id = $3 AND revoked_at IS NULL")
            .bind(now)
            .bind(share_id.to_owned())
            .bind(id.as_str().to_owned())
            .execute(tx.conn())
            .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    tx.audit(Action::CaseShareRevoke, Object::Case, Some(id.as_str()), None)
        .await
}

/// Cases currently shared with the actor's organisation: (case, reference, purpose, expiry).
pub async fn shared_with_me(
    tx: &mut Tx,
    can: &Capability<ViewCaseFile>,
) -> Result<Vec<(CaseId, String, SharePurpose, Timestamp)>> {
    let now = tx.now().0;
    let rows: Vec<(String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT s.case_id, r.reference, s.purpose, s.expires_at FROM case_shares s \
         JOIN cases c ON c.id = s.case_id JOIN referrals r ON r.id = c.referral_id \
         WHERE s.organisation_id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 ORDER BY s.expires_at",
    )
    .bind(can.actor_organisation().as_str().to_owned())
    .bind(now)
    .fetch_all(tx.conn())
    .await?;
    tx.audit(Action::CaseListShared, Object::Case, None, None).await?;
    rows.into_iter()
        .map(|(case, reference, purpose, expires)| {
            Ok((
                CaseId::parse(&case).ok_or(StoreError::Corrupt("case id"))?,
                reference.unwrap_or_default(),
                SharePurpose::parse(&purpose).ok_or(StoreError::Corrupt("share purpose"))?,
                Timestamp(expires),
            ))
        })
        .collect()
}

/// A document as listed (its content is only read on download).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentEntry {
    pub id: String,
    pub file_name: String,
    pub kind: Kind,
    pub size_bytes: i64,
    pub sensitivity: Sensitivity,
    pub at: Timestamp,
}

fn document_context(id: &str, part: &str) -> String {
    format!("case-document:{id}:{part}")
}

fn level_list(levels: &[Sensitivity]) -> String {
    levels
        .iter()
        .map(|l| format!("'{}'", l.key()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The documents at the levels the reader may read, oldest first.
pub async fn documents(tx: &mut Tx, access: &CaseAccess) -> Result<Vec<DocumentEntry>> {
    access.check(CaseArea::Documents, Mode::Read)?;
    let id = access.case();
    let levels = access.levels();
    // Levels are a closed list of keys, not user text.
    let query = format!(
        "SELECT id, file_name, kind, size_bytes, sensitivity, created_at FROM case_documents \
         WHERE case_id = $1 AND sensitivity IN ({}) ORDER BY created_at, id",
        level_list(&levels)
    );
    let rows: Vec<(String, String, String, i64, String, i64)> = sqlx::query_as(&query)
        .bind(id.as_str().to_owned())
        .fetch_all(tx.conn())
        .await?;
    rows.into_iter()
        .map(|(doc, name, kind, size, sensitivity, at)| {
            let plain = tx.keys().decrypt(&name, &document_context(&doc, "name"))?;
            Ok(DocumentEntry {
                file_name: String::from_utf8_lossy(&plain).into_owned(),
                kind: Kind::parse(&kind).ok_or(StoreError::Corrupt("document kind"))?,
                size_bytes: size,
                sensitivity: Sensitivity::parse(&sensitivity).ok_or(StoreError::Corrupt("document sensitivity"))?,
                at: Timestamp(at),
                id: doc,
            })
        })
        .collect()
}

/// Stores a document, encrypted, at a level the uploader may read.
pub async fn add_document(
    tx: &mut Tx,
    access: &CaseAccess,
    sensitivity: Sensitivity,
    file_name: &str,
    kind: Kind,
    content: &[u8],
) -> Result<()> {
    access.check(CaseArea::Documents, Mode::Write)?;
    if !access.levels().contains(&sensitivity) {
        return Err(StoreError::Denied(relais_domain::access::authz::Denied::NotPermitted));
    }
    let id = access.case();
    let doc = crate::record_id_hex();
    let sealed_name = tx
        .keys()
        .encrypt(file_name.as_bytes(), &document_context(&doc, "name"))?;
    let sealed = tx.keys().encrypt(content, &document_context(&doc, "content"))?;
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO case_documents (id, case_id, uploaded_by, sensitivity, kind, size_bytes, file_name, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(doc.clone())
    .bind(id.as_str().to_owned())
    .bind(access.actor().as_str().to_owned())
    .bind(sensitivity.key())
    .bind(kind.key())
    .bind(i64::try_from(content.len()).unwrap_or(i64::MAX))
    .bind(sealed_name)
    .bind(sealed)
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.audit(Action::CaseDocumentUpload, Object::Case, Some(id.as_str()), Some(&doc))
        .await
}

/// One document's name, kind and content; every download is audited.
pub async fn download(tx: &mut Tx, access: &CaseAccess, doc: &str) -> Result<(String, Kind, Vec<u8>)> {
    access.check(CaseArea::Documents, Mode::Read)?;
    let id = access.case();
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT file_name, kind, sensitivity, content FROM case_documents WHERE id = $1 AND case_id = $2",
    )
    .bind(doc.to_owned())
    .bind(id.as_str().to_owned())
    .fetch_optional(tx.conn())
    .await?;
    let (name, kind, sensitivity, content) = row.ok_or(StoreError::NotFound)?;
    let sensitivity = Sensitivity::parse(&sensitivity).ok_or(StoreError::Corrupt("document sensitivity"))?;
    // A level the actor may not read does not exist for them.
    if !access.levels().contains(&sensitivity) {
        return Err(StoreError::NotFound);
    }
    let name = tx.keys().decrypt(&name, &document_context(doc, "name"))?;
    let content = tx.keys().decrypt(&content, &document_context(doc, "content"))?;
    tx.audit(Action::CaseDocumentDownload, Object::Case, Some(id.as_str()), Some(doc))
        .await?;
    Ok((
        String::from_utf8_lossy(&name).into_owned(),
        Kind::parse(&kind).ok_or(StoreError::Corrupt("document kind"))?,
        content.to_vec(),
    ))
}

/// A task kind: work on a case, with a due date.
pub const CASE_TASK: &str = "case-task";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: String,
    pub title: String,
    pub due: relais_domain::time::Date,
    pub done: bool,
}

fn task_context(id: &str) -> String {
    format!("case-task:{id}")
}

/// The case's tasks, open ones first by due date.
pub async fn tasks(tx: &mut Tx, access: &CaseAccess) -> Result<Vec<Task>> {
    access.check(CaseArea::Tasks, Mode::Read)?;
    let id = access.case();
    let rows: Vec<(String, Option<String>, i64, String)> = sqlx::query_as(
        "SELECT id, title, due_at, status FROM tasks WHERE case_id = $1 AND kind = $2 ORDER BY status DESC, due_at, id",
    )
    .bind(id.as_str().to_owned())
    .bind(CASE_TASK)
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(|(task, title, due, status)| {
            let title = match title {
                Some(sealed) => {
                    String::from_utf8_lossy(&tx.keys().decrypt(&sealed, &task_context(&task))?).into_owned()
                }
                None => String::new(),
            };
            Ok(Task {
                title,
                // The due date is stored as the UTC midnight of that date.
                due: relais_domain::time::Date::utc(Timestamp(due)),
                done: status == "done",
                id: task,
            })
        })
        .collect()
}

/// Adds a task due on `due`.
pub async fn add_task(tx: &mut Tx, access: &CaseAccess, title: &str, due: relais_domain::time::Date) -> Result<()> {
    access.check(CaseArea::Tasks, Mode::Write)?;
    let id = access.case();
    let case = cases::summary(tx, id).await?;
    let task = crate::record_id_hex();
    let sealed = tx.keys().encrypt(title.as_bytes(), &task_context(&task))?;
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO tasks (id, kind, referral_id, case_id, departement, title, due_at, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)",
    )
    .bind(task.clone())
    .bind(CASE_TASK)
    .bind(case.referral_id.as_str().to_owned())
    .bind(id.as_str().to_owned())
    .bind(case.departement.clone())
    .bind(sealed)
    .bind(due.start_utc().0)
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.audit(Action::CaseTaskAdd, Object::Case, Some(id.as_str()), Some(&task))
        .await
}

/// Marks a task done.
pub async fn complete_task(tx: &mut Tx, access: &CaseAccess, task: &str) -> Result<()> {
    access.check(CaseArea::Tasks, Mode::Write)?;
    let id = access.case();
    let now = tx.now().0;
    let done = sqlx::query(
        "UPDATE tasks SET status = 'done', done_at = $1, done_by = $2 WHERE id = $3 AND case_id = $4 AND status = 'open'",
    )
    .bind(now)
    .bind(access.actor().as_str().to_owned())
    .bind(task.to_owned())
    .bind(id.as_str().to_owned())
    .execute(tx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    tx.audit(Action::CaseTaskDone, Object::Case, Some(id.as_str()), Some(task))
        .await
}

/// The support organisation asks for a negative decision to be
/// reconsidered, with new information (recorded in the timeline as theirs).
/// Only the lead organisation and shares whose purpose allows it do this
/// here: the authority itself decides on the decision page.
pub async fn request_reconsideration(tx: &mut Tx, access: &CaseAccess, information: &str) -> Result<()> {
    access.check(CaseArea::Reconsideration, Mode::Write)?;
    let case = cases::summary(tx, access.case()).await?;
    let draft = Draft {
        note: information.to_owned(),
        ..Draft::default()
    };
    let statement = Statement::new(Event::RequestReconsideration, &draft).map_err(StoreError::Statement)?;
    cases::record(tx, access.actor(), (case, None), &statement, &Policy::default()).await?;
    Ok(())
}
