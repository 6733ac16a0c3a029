//! What is waiting, and since when: the raw material of deadline queues and
//! of the daily digest. Only references, codes and dates — no names.

use crate::{Result, Tx};
use relais_domain::casework::rights::DeadlineKind;
use relais_domain::territory::Territory;
use relais_domain::time::{Date, Timestamp};

/// Something someone must act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Waiting {
    /// A referral (in triage, or accepted and awaiting the preliminary decision).
    PreliminaryDecision {
        reference: String,
        submitted_at: Timestamp,
        departement: Option<String>,
    },
    /// A child's referral whose child-protection unit must be notified.
    ChildProtectionNotification {
        reference: String,
        due_at: Timestamp,
        departement: Option<String>,
    },
    /// A task of a case file (its title stays in the case: the digest names the reference only).
    CaseTask {
        reference: String,
        due_at: Timestamp,
        departement: Option<String>,
    },
    /// A residence permit to renew, or ending, on an open case (the permit's kind stays in the case).
    Permit {
        reference: String,
        kind: DeadlineKind,
        due: Date,
        departement: Option<String>,
    },
}

impl Waiting {
    pub fn departement(&self) -> Option<&str> {
        match self {
            Self::PreliminaryDecision { departement, .. }
            | Self::ChildProtectionNotification { departement, .. }
            | Self::CaseTask { departement, .. }
            | Self::Permit { departement, .. } => departement.as_deref(),
        }
    }
}

/// A person who receives the digest: an active identification officer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub email: String,
    pub locale: Option<String>,
    pub territory: Territory,
}

/// Everything waiting, oldest first. Read by the system (audited by the caller's transaction).
pub async fn waiting(tx: &mut Tx) -> Result<Vec<Waiting>> {
    let referrals: Vec<(String, i64, Option<String>)> = sqlx::query_as(
        "SELECT r.reference, r.submitted_at, r.departement FROM referrals r \
         LEFT JOIN cases c ON c.id = r.case_id \
         WHERE r.reference IS NOT NULL AND r.submitted_at IS NOT NULL \
         AND (r.status IN ('submitted', 'information-requested') \
              OR (r.status = 'accepted' AND c.status IN ('referred', 'information-requested'))) \
         ORDER BY r.submitted_at",
    )
    .fetch_all(tx.conn())
    .await?;
    let tasks: Vec<(String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT t.kind, r.reference, t.due_at, t.departement FROM tasks t JOIN referrals r ON r.id = t.referral_id \
         WHERE t.kind IN ('child-protection-notification', 'case-task') AND t.status = 'open' \
         AND r.reference IS NOT NULL ORDER BY t.due_at",
    )
    .fetch_all(tx.conn())
    .await?;
    let mut out: Vec<Waiting> = referrals
        .into_iter()
        .map(|(reference, at, departement)| Waiting::PreliminaryDecision {
            reference,
            submitted_at: Timestamp(at),
            departement,
        })
        .collect();
    out.extend(tasks.into_iter().map(|(kind, reference, at, departement)| {
        let due_at = Timestamp(at);
        if kind == "case-task" {
            Waiting::CaseTask {
                reference,
                due_at,
                departement,
            }
        } else {
            Waiting::ChildProtectionNotification {
                reference,
                due_at,
                departement,
            }
        }
    }));
    let permits: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT r.reference, p.next_deadline_kind, p.next_deadline_on, c.departement FROM permits p \
         JOIN cases c ON c.id = p.case_id JOIN referrals r ON r.id = c.referral_id \
         WHERE p.next_deadline_on IS NOT NULL AND c.status <> 'closed' AND r.reference IS NOT NULL \
         ORDER BY p.next_deadline_on",
    )
    .fetch_all(tx.conn())
    .await?;
    out.extend(permits.into_iter().filter_map(|(reference, kind, due, departement)| {
        Some(Waiting::Permit {
            reference,
            kind: DeadlineKind::parse(&kind)?,
            due: Date::parse(&due)?,
            departement,
        })
    }));
    Ok(out)
}

/// Active identification officers with their territory.
pub async fn recipients(tx: &mut Tx) -> Result<Vec<Recipient>> {
    let rows: Vec<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT u.email, u.locale, o.territory FROM users u \
         JOIN organisations o ON o.id = u.organisation_id \
         JOIN user_roles ur ON ur.user_id = u.id \
         WHERE ur.role = 'identification-officer' AND u.active = 1 AND o.active = 1 ORDER BY u.email",
    )
    .fetch_all(tx.conn())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(email, locale, territory)| {
            Territory::parse(&territory).map(|territory| Recipient {
                email,
                locale,
                territory,
            })
        })
        .collect())
}
