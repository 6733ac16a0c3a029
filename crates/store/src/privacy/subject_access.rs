//! Everything held about a person, for a subject-access export (GDPR
//! art. 15): each case with its record, timeline, notes, documents, needs,
//! permits, shares, onward referrals and access log, and each referral
//! with its answers and thread. What the export policy withholds
//! (`relais_domain::privacy::withheld`) is listed with its reason instead
//! of its content. Only `privacy::export` calls this, after four eyes.

use crate::{Result, StoreError, Tx};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use relais_domain::casework::case_file::Sensitivity;
use relais_domain::ids::{CaseId, ReferralId};
use relais_domain::privacy::{Withheld, withheld};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Serialize)]
pub struct SubjectAccess {
    /// Unix seconds.
    pub generated_at: i64,
    pub cases: Vec<CaseRecord>,
    pub referrals: Vec<ReferralRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReferralRecord {
    pub reference: Option<String>,
    pub kind: String,
    pub status: String,
    pub submitted_at: Option<i64>,
    /// The form's answers as written by the referrer.
    pub answers: Value,
    pub decision_reason: Option<String>,
    pub messages: Vec<Message>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub at: i64,
    /// authority, referrer, reporter
    pub from: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseRecord {
    pub reference: String,
    pub status: String,
    pub departement: Option<String>,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    pub closure_outcome: Option<String>,
    pub closure_summary: Option<String>,
    pub person: Option<Value>,
    pub dependants: Vec<Value>,
    pub timeline: Vec<Event>,
    pub notes: Vec<Note>,
    pub documents: Vec<Document>,
    pub tasks: Vec<Task>,
    pub needs: Vec<Assessment>,
    pub permits: Vec<PermitRecord>,
    pub shares: Vec<Share>,
    pub onward_referrals: Vec<Onward>,
    pub access_log: Vec<AccessEntry>,
    /// Why the access log names organisations, not people.
    pub access_log_withheld: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub at: i64,
    pub event: String,
    pub from: String,
    pub to: String,
    pub reasons: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub at: i64,
    pub level: &'static str,
    pub text: Option<String>,
    /// Set instead of the text when the export policy withholds the level.
    pub withheld: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub at: i64,
    pub level: &'static str,
    pub kind: String,
    pub size_bytes: i64,
    pub name: Option<String>,
    pub content_base64: Option<String>,
    pub withheld: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub title: String,
    pub due_at: i64,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub assessed_on: String,
    pub needs: Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct PermitRecord {
    pub kind: String,
    pub outcome: String,
    pub applied_on: Option<String>,
    pub decided_on: Option<String>,
    pub expires_on: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Share {
    pub organisation: String,
    pub purpose: String,
    pub basis: String,
    pub granted_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Onward {
    pub organisation: String,
    pub service: String,
    pub kind: String,
    pub status: String,
    pub sent_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessEntry {
    pub at: i64,
    pub organisation: Option<String>,
    pub action: String,
}

fn text(tx: &Tx, sealed: &str, context: &str) -> Result<String> {
    Ok(String::from_utf8_lossy(&tx.keys().decrypt(sealed, context)?).into_owned())
}

fn json(tx: &Tx, sealed: &str, context: &str) -> Result<Value> {
    let plain = tx.keys().decrypt(sealed, context)?;
    serde_json::from_slice(&plain).map_err(|_| StoreError::Corrupt("encrypted document"))
}

fn level(raw: &str) -> Result<Sensitivity> {
    Sensitivity::parse(raw).ok_or(StoreError::Corrupt("sensitivity"))
}

fn reason_key(reason: Option<Withheld>) -> Option<&'static str> {
    reason.map(Withheld::key)
}

async fn case_record(tx: &mut Tx, id: &CaseId) -> Result<CaseRecord> {
    let case = crate::casework::cases::summary(tx, id).await?;
    let key = id.as_str().to_owned();
    let (closed_at, outcome, summary): (Option<i64>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT closed_at, closure_outcome, closure_summary FROM cases WHERE id = $1")
            .bind(key.clone())
            .fetch_one(tx.conn())
            .await?;
    let closure_summary = match summary {
        Some(sealed) => Some(text(tx, &sealed, &format!("case-closure:{key}"))?),
        None => None,
    };

    let people: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, role, details FROM case_people WHERE case_id = $1 ORDER BY created_at, id")
            .bind(key.clone())
            .fetch_all(tx.conn())
            .await?;
    let mut person = None;
    let mut dependants = vec![];
    for (row, role, sealed) in people {
        let value = json(tx, &sealed, &format!("case-person:{row}"))?;
        if role == "person" {
            person = Some(value);
        } else {
            dependants.push(value);
        }
    }

    let timeline = crate::casework::cases::events(tx, id)
        .await?
        .into_iter()
        .map(|e| Event {
            at: e.at.0,
            event: e.event.key().to_owned(),
            from: e.from.key().to_owned(),
            to: e.to.key().to_owned(),
            reasons: e.reasons,
            note: e.note,
        })
        .collect();

    let rows: Vec<(String, i64, String, String)> = sqlx::query_as(
        "SELECT id, created_at, sensitivity, body FROM case_notes WHERE case_id = $1 ORDER BY created_at, id",
    )
    .bind(key.clone())
    .fetch_all(tx.conn())
    .await?;
    let mut notes = vec![];
    for (note, at, sensitivity, body) in rows {
        let sensitivity = level(&sensitivity)?;
        let reason = withheld(sensitivity);
        notes.push(Note {
            at,
            level: sensitivity.key(),
            text: match reason {
                Some(_) => None,
                None => Some(text(tx, &body, &format!("case-note:{note}"))?),
            },
            withheld: reason_key(reason),
        });
    }

    let rows: Vec<(String, i64, String, String, i64, String, String)> = sqlx::query_as(
        "SELECT id, created_at, sensitivity, kind, size_bytes, file_name, content FROM case_documents \
         WHERE case_id = $1 ORDER BY created_at, id",
    )
    .bind(key.clone())
    .fetch_all(tx.conn())
    .await?;
    let mut documents = vec![];
    for (doc, at, sensitivity, kind, size, name, content) in rows {
        let sensitivity = level(&sensitivity)?;
        let reason = withheld(sensitivity);
        let (name, content) = match reason {
            Some(_) => (None, None),
            None => {
                let name = text(tx, &name, &format!("case-document:{doc}:name"))?;
                let content = tx.keys().decrypt(&content, &format!("case-document:{doc}:content"))?;
                (Some(name), Some(STANDARD.encode(content.as_slice())))
            }
        };
        documents.push(Document {
            at,
            level: sensitivity.key(),
            kind,
            size_bytes: size,
            name,
            content_base64: content,
            withheld: reason_key(reason),
        });
    }

    let rows: Vec<(String, Option<String>, i64, String)> =
        sqlx::query_as("SELECT id, title, due_at, status FROM tasks WHERE case_id = $1 ORDER BY due_at, id")
            .bind(key.clone())
            .fetch_all(tx.conn())
            .await?;
    let mut tasks = vec![];
    for (task, title, due_at, status) in rows {
        let title = match title {
            Some(sealed) => text(tx, &sealed, &format!("case-task:{task}"))?,
            None => String::new(),
        };
        tasks.push(Task { title, due_at, status });
    }

    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, assessed_on, needs FROM need_assessments WHERE case_id = $1 ORDER BY assessed_on, created_at, id",
    )
    .bind(key.clone())
    .fetch_all(tx.conn())
    .await?;
    let mut needs = vec![];
    for (assessment, on, sealed) in rows {
        needs.push(Assessment {
            assessed_on: on,
            needs: json(tx, &sealed, &format!("need-assessment:{assessment}"))?,
        });
    }

    type PermitRow = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<PermitRow> = sqlx::query_as(
        "SELECT id, kind, outcome, applied_on, decided_on, expires_on, note FROM permits \
         WHERE case_id = $1 ORDER BY created_at, id",
    )
    .bind(key.clone())
    .fetch_all(tx.conn())
    .await?;
    let mut permits = vec![];
    for (permit, kind, outcome, applied_on, decided_on, expires_on, note) in rows {
        let note = match note {
            Some(sealed) => Some(text(tx, &sealed, &format!("permit-note:{permit}"))?),
            None => None,
        };
        permits.push(PermitRecord {
            kind,
            outcome,
            applied_on,
            decided_on,
            expires_on,
            note,
        });
    }

    let shares = sqlx::query_as::<_, (String, String, String, i64, i64, Option<i64>)>(
        "SELECT o.name, s.purpose, s.basis, s.granted_at, s.expires_at, s.revoked_at FROM case_shares s \
         JOIN organisations o ON o.id = s.organisation_id WHERE s.case_id = $1 ORDER BY s.granted_at, s.id",
    )
    .bind(key.clone())
    .fetch_all(tx.conn())
    .await?
    .into_iter()
    .map(
        |(organisation, purpose, basis, granted_at, expires_at, revoked_at)| Share {
            organisation,
            purpose,
            basis,
            granted_at,
            expires_at,
            revoked_at,
        },
    )
    .collect();

    let onward_referrals = sqlx::query_as::<_, (String, String, String, String, i64)>(
        "SELECT o.name, s.name, r.kind, r.status, r.sent_at FROM onward_referrals r \
         JOIN organisations o ON o.id = r.receiving_organisation_id JOIN services s ON s.id = r.service_id \
         WHERE r.case_id = $1 ORDER BY r.sent_at, r.id",
    )
    .bind(key.clone())
    .fetch_all(tx.conn())
    .await?
    .into_iter()
    .map(|(organisation, service, kind, status, sent_at)| Onward {
        organisation,
        service,
        kind,
        status,
        sent_at,
    })
    .collect();

    let access_log = sqlx::query_as::<_, (i64, Option<String>, String)>(
        "SELECT a.at, o.name, a.action FROM audit_log a LEFT JOIN organisations o ON o.id = a.actor_organisation_id \
         WHERE a.object_type = 'case' AND a.object_id = $1 ORDER BY a.seq",
    )
    .bind(key)
    .fetch_all(tx.audit_conn().await?)
    .await?
    .into_iter()
    .map(|(at, organisation, action)| AccessEntry {
        at,
        organisation,
        action,
    })
    .collect();

    Ok(CaseRecord {
        reference: case.reference,
        status: case.case.status.key().to_owned(),
        departement: case.departement,
        opened_at: case.opened_at.0,
        closed_at,
        closure_outcome: outcome,
        closure_summary,
        person,
        dependants,
        timeline,
        notes,
        documents,
        tasks,
        needs,
        permits,
        shares,
        onward_referrals,
        access_log,
        access_log_withheld: Withheld::StaffIdentity.key(),
    })
}

async fn referral_record(tx: &mut Tx, id: &ReferralId) -> Result<ReferralRecord> {
    let referral = crate::intake::referrals::fetch(tx, id).await?;
    let messages = crate::intake::referrals::messages(tx, id)
        .await?
        .into_iter()
        .map(|m| Message {
            at: m.at.0,
            from: m.author.key().to_owned(),
            body: m.body,
        })
        .collect();
    Ok(ReferralRecord {
        reference: referral.summary.reference,
        kind: referral.summary.kind.key().to_owned(),
        status: referral.summary.status.key().to_owned(),
        submitted_at: referral.summary.submitted_at.map(|t| t.0),
        answers: serde_json::to_value(&referral.details).map_err(|_| StoreError::Corrupt("referral"))?,
        decision_reason: referral.decision_reason,
        messages,
    })
}

/// Everything about the person of `case` (every case and referral that
/// names them). The caller has checked the request and audits the export.
pub(crate) async fn collect(tx: &mut Tx, case: &CaseId) -> Result<SubjectAccess> {
    let (person, referral): (Option<String>, String) =
        sqlx::query_as("SELECT person_id, referral_id FROM cases WHERE id = $1")
            .bind(case.as_str().to_owned())
            .fetch_optional(tx.conn())
            .await?
            .ok_or(StoreError::NotFound)?;
    let (case_ids, mut referral_ids): (Vec<String>, Vec<String>) = match &person {
        Some(person) => {
            let cases: Vec<(String,)> =
                sqlx::query_as("SELECT id FROM cases WHERE person_id = $1 ORDER BY opened_at, id")
                    .bind(person.clone())
                    .fetch_all(tx.conn())
                    .await?;
            let referrals: Vec<(String,)> =
                sqlx::query_as("SELECT id FROM referrals WHERE person_id = $1 ORDER BY created_at, id")
                    .bind(person.clone())
                    .fetch_all(tx.conn())
                    .await?;
            (
                cases.into_iter().map(|(c,)| c).collect(),
                referrals.into_iter().map(|(r,)| r).collect(),
            )
        }
        None => (vec![case.as_str().to_owned()], vec![]),
    };
    if !referral_ids.contains(&referral) {
        referral_ids.push(referral);
    }
    let mut cases = vec![];
    for id in case_ids {
        let id = CaseId::parse(&id).ok_or(StoreError::Corrupt("case id"))?;
        cases.push(case_record(tx, &id).await?);
    }
    let mut referrals = vec![];
    for id in referral_ids {
        let id = ReferralId::parse(&id).ok_or(StoreError::Corrupt("referral id"))?;
        referrals.push(referral_record(tx, &id).await?);
    }
    Ok(SubjectAccess {
        generated_at: tx.now().0,
        cases,
        referrals,
    })
}
