//! The daily digest e-mail (issue 4, part 3): each identification officer
//! receives, in their language, the references in their territory that are
//! overdue, due today or due soon. The e-mail carries references, deadlines
//! and a link — never a name or any other personal detail of a victim.
//!
//! The run is claimed in the database (`job_runs`), so of several app
//! processes exactly one sends each day's digest, and a failed day is
//! attempted again instead of being lost.

use crate::AppState;
use crate::i18n::{Locale, Tr};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use relais_domain::casework::deadline::{self, Targets, Urgency};
use relais_domain::jobs::{AfterFailure, RetryPolicy, RunState};
use relais_domain::territory::Departement;
use relais_domain::time::{Date, Timestamp, Zone};
use relais_store::Actor;
use relais_store::audit::{Action, Object};
use relais_store::casework::deadlines::{self, Recipient, Waiting};
use relais_store::jobs::{self, Claimed};

/// Where and as whom digests are sent.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://host:port` (add `?tls=required` for STARTTLS) or `smtps://host:port`.
    pub smtp_url: String,
    /// The sender, e.g. `Relais <no-reply@relais.example.gouv.fr>`.
    pub from: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error(transparent)]
    Store(#[from] relais_store::StoreError),
    #[error("mail configuration: {0}")]
    Config(String),
    #[error("sending failed: {0}")]
    Send(String),
}

impl DigestError {
    /// What the run's record keeps of the error: its kind and the SMTP
    /// status, never a configuration value or an address.
    pub fn summary(&self) -> String {
        match self {
            Self::Store(_) => "database error".to_owned(),
            Self::Config(_) => "mail configuration".to_owned(),
            Self::Send(status) => status.clone(),
        }
    }
}

/// The job's name in `job_runs`.
pub const JOB: &str = "digest";

/// What one run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Another process (or an earlier run) already sent this day's digest,
    /// or is sending it.
    AlreadyDone,
    Sent {
        emails: usize,
        items: usize,
    },
    /// This attempt failed and was recorded; `next` says when another
    /// attempt is made, if one is.
    Failed {
        attempt: u32,
        next: AfterFailure,
        reason: String,
    },
    /// An earlier attempt failed; the next one is not due before `at`.
    RetryLater {
        at: Timestamp,
    },
    /// Every attempt allowed for the day failed.
    Abandoned,
}

/// One line of a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub reference: String,
    pub kind: &'static str,
    pub due: Date,
    pub urgency: Urgency,
    departement: Option<Departement>,
}

/// The kinds of item other than permits, in the order of `Waiting`'s variants
/// (a digest line shows the kind's `digest-kind-` words).
pub(crate) const TASK_KINDS: [&str; 3] = ["preliminary-decision", "child-protection-notification", "case-task"];

/// Deadlines of everything waiting at `now`, most pressing first; `Later`
/// items are left out. Days are those of each item's département.
pub fn due_items(waiting: &[Waiting], now: Timestamp, targets: &Targets) -> Vec<DueItem> {
    let mut items: Vec<DueItem> = waiting
        .iter()
        .map(|w| {
            let departement = w.departement().and_then(Departement::parse);
            let zone = Zone::of(departement);
            let today = Date::local(now, &zone);
            let (reference, kind, due) = match w {
                Waiting::PreliminaryDecision {
                    reference,
                    submitted_at,
                    ..
                } => (
                    reference.clone(),
                    TASK_KINDS[0],
                    deadline::due(
                        Date::local(*submitted_at, &zone),
                        targets.preliminary_decision,
                        departement,
                    ),
                ),
                Waiting::ChildProtectionNotification { reference, due_at, .. } => {
                    (reference.clone(), TASK_KINDS[1], Date::local(*due_at, &zone))
                }
                // A task's due date is stored as the UTC midnight of that date.
                Waiting::CaseTask { reference, due_at, .. } => (reference.clone(), TASK_KINDS[2], Date::utc(*due_at)),
                Waiting::Permit {
                    reference, kind, due, ..
                } => (reference.clone(), deadline::permit_key(*kind), *due),
            };
            DueItem {
                reference,
                kind,
                due,
                urgency: deadline::urgency(due, today, targets, departement),
                departement,
            }
        })
        .filter(|i| i.urgency != Urgency::Later)
        .collect();
    items.sort_by(|a, b| (a.urgency, a.due, &a.reference).cmp(&(b.urgency, b.due, &b.reference)));
    items
}

/// The subject and plain-text body of one officer's digest.
pub fn compose(tr: &Tr, items: &[&DueItem], today: Date, public_url: &str) -> (String, String) {
    let overdue = items.iter().filter(|i| i.urgency == Urgency::Overdue).count();
    let subject = tr.tn(
        "digest-subject",
        &[
            ("date", crate::dates::day(today, tr.locale)),
            ("count", items.len().to_string()),
            ("overdue", overdue.to_string()),
        ],
    );
    let mut body = tr.t1("digest-intro", "date", &crate::dates::day(today, tr.locale));
    body.push_str("\n\n");
    for item in items {
        body.push_str(&format!(
            "- {} — {} — {} {} — {}\n",
            item.reference,
            tr.t(&format!("digest-kind-{}", item.kind)),
            tr.t("digest-due"),
            crate::dates::day(item.due, tr.locale),
            tr.t(&format!("digest-urgency-{}", item.urgency.key())),
        ));
    }
    body.push('\n');
    body.push_str(&tr.t1("digest-link", "url", &format!("{public_url}/triage")));
    body.push_str("\n\n");
    body.push_str(&tr.t("digest-footer"));
    body.push('\n');
    (subject, body)
}

fn locale_of(recipient: &Recipient) -> Locale {
    recipient
        .locale
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or(Locale::Fr)
}

/// Sends today's digest unless it was already sent, is being sent by another
/// process, or failed and its retry is not due yet. A failure (the relay is
/// down, refuses a message…) is recorded with the time of the next attempt,
/// which any process makes once it is due ([`RetryPolicy::STANDARD`]).
pub async fn run(state: &AppState, mail: &MailSettings, targets: &Targets) -> Result<Outcome, DigestError> {
    let policy = RetryPolicy::STANDARD;
    let now = state.clock.now();
    // The digest is national: its day is the one in Paris.
    let today = Date::local(now, &Zone::paris());
    let run_key = today.to_string();
    let claim = match jobs::claim(&state.store, JOB, &run_key, now, &policy).await? {
        Claimed::Yes(claim) => claim,
        Claimed::No(RunState::Failed { next_attempt_at }) => return Ok(Outcome::RetryLater { at: next_attempt_at }),
        Claimed::No(RunState::Abandoned) => return Ok(Outcome::Abandoned),
        Claimed::No(RunState::Done | RunState::Running { .. }) => return Ok(Outcome::AlreadyDone),
    };
    match send(state, mail, targets, now, today, &run_key).await {
        Ok((emails, items)) => {
            let summary = format!("{emails} e-mails, {items} items");
            jobs::finish(&state.store, &claim, state.clock.now(), &summary).await?;
            Ok(Outcome::Sent { emails, items })
        }
        Err(error) => {
            let reason = error.summary();
            let next = jobs::fail(&state.store, &claim, state.clock.now(), &reason, &policy).await?;
            Ok(Outcome::Failed {
                attempt: claim.attempt(),
                next,
                reason,
            })
        }
    }
}

/// Composes and sends one day's digest; returns the e-mails sent and the items due.
async fn send(
    state: &AppState,
    mail: &MailSettings,
    targets: &Targets,
    now: Timestamp,
    today: Date,
    run_key: &str,
) -> Result<(usize, usize), DigestError> {
    // Reading the officers' addresses and the waiting references is audited.
    let mut tx = state.store.begin(Actor::system(), "job-digest", now).await?;
    let waiting = deadlines::waiting(&mut tx).await?;
    let recipients = deadlines::recipients(&mut tx).await?;
    tx.audit(Action::DigestCompose, Object::Job, Some(run_key), None)
        .await?;
    tx.commit().await?;

    let items = due_items(&waiting, now, targets);
    let from: Mailbox = mail
        .from
        .parse()
        .map_err(|_| DigestError::Config("invalid sender address".into()))?;
    let mut messages = vec![];
    for recipient in &recipients {
        let mine: Vec<&DueItem> = items
            .iter()
            .filter(|i| recipient.territory.reaches(i.departement))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let tr = Tr::new(locale_of(recipient), state.translations.clone());
        let (subject, body) = compose(&tr, &mine, today, &state.settings.public_url);
        let Ok(to) = recipient.email.parse() else {
            continue;
        };
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|_| DigestError::Send("the message could not be built".to_owned()))?;
        messages.push(message);
    }
    if messages.is_empty() {
        return Ok((0, items.len()));
    }
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&mail.smtp_url)
        .map_err(|e| DigestError::Config(e.to_string()))?
        .build();
    // A relay that is down fails the run before anyone receives a message,
    // so the retry does not send anyone the same digest twice.
    if !transport.test_connection().await.map_err(|e| send_error(&e))? {
        return Err(DigestError::Send("the relay did not answer".to_owned()));
    }
    let emails = messages.len();
    for message in messages {
        transport.send(message).await.map_err(|e| send_error(&e))?;
    }
    Ok((emails, items.len()))
}

/// Only the SMTP status goes into the error: a server's message can quote the address.
fn send_error(error: &lettre::transport::smtp::Error) -> DigestError {
    DigestError::Send(error.status().map_or_else(
        || "connection or protocol error".to_owned(),
        |code| format!("SMTP {code}"),
    ))
}

/// Connects to the relay and greets it (EHLO, STARTTLS when the URL asks for
/// it, NOOP), sending no message: `relais doctor`'s check.
pub async fn check_relay(mail: &MailSettings) -> Result<(), DigestError> {
    let transport: AsyncSmtpTransport<Tokio1Executor> = AsyncSmtpTransport::<Tokio1Executor>::from_url(&mail.smtp_url)
        .map_err(|e| DigestError::Config(e.to_string()))?
        .timeout(Some(std::time::Duration::from_secs(10)))
        .build();
    if transport.test_connection().await.map_err(|e| send_error(&e))? {
        Ok(())
    } else {
        Err(DigestError::Send("the relay did not answer".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use relais_domain::territory::Territory;
    use relais_domain::time::Timestamp;

    #[test]
    fn only_pressing_items_most_pressing_first() {
        let now = Date::parse("2026-12-04").unwrap().start_utc().plus_seconds(12 * 3600);
        let at = |s: &str| Date::parse(s).unwrap().start_utc();
        let waiting = vec![
            Waiting::PreliminaryDecision {
                reference: "RL-LATE".into(),
                submitted_at: at("2026-11-20"),
                departement: Some("93".into()),
            },
            Waiting::PreliminaryDecision {
                reference: "RL-TODAY".into(),
                submitted_at: at("2026-11-27"),
                departement: Some("75".into()),
            },
            Waiting::PreliminaryDecision {
                reference: "RL-LATER".into(),
                submitted_at: at("2026-12-03"),
                departement: None,
            },
            Waiting::ChildProtectionNotification {
                reference: "RL-CHILD".into(),
                due_at: Timestamp(at("2026-12-03").0 + 3600),
                departement: Some("93".into()),
            },
            Waiting::CaseTask {
                reference: "RL-TASK".into(),
                due_at: at("2026-12-08"),
                departement: Some("93".into()),
            },
        ];
        let items = due_items(&waiting, now, &Targets::default());
        let refs: Vec<_> = items.iter().map(|i| (i.reference.as_str(), i.urgency)).collect();
        assert_eq!(
            refs,
            vec![
                ("RL-LATE", Urgency::Overdue),
                ("RL-CHILD", Urgency::Overdue),
                ("RL-TODAY", Urgency::DueToday),
                ("RL-TASK", Urgency::DueSoon)
            ]
        );
        let seine_saint_denis = Territory::Departement(Departement::parse("93").unwrap());
        assert_eq!(
            items
                .iter()
                .filter(|i| seine_saint_denis.reaches(i.departement))
                .count(),
            3
        );
    }

    #[test]
    fn due_today_is_the_local_day_of_the_departement() {
        let instant = |s: &str| Timestamp::parse_rfc3339(s).unwrap();
        let child = |reference: &str, due_at: &str, departement: &str| Waiting::ChildProtectionNotification {
            reference: reference.into(),
            due_at: instant(due_at),
            departement: Some(departement.into()),
        };
        let waiting = vec![
            // 00:30 on 4 December in Paris (23:30 UTC the day before).
            child("RL-PARIS", "2026-12-03T23:30:00Z", "75"),
            // 22:30 on 3 December in Guadeloupe (02:30 UTC on the 4th).
            child("RL-GUADELOUPE", "2026-12-04T02:30:00Z", "971"),
        ];
        // 10:00 UTC on 4 December: 11:00 in Paris, 06:00 in Guadeloupe.
        let items = due_items(&waiting, instant("2026-12-04T10:00:00Z"), &Targets::default());
        let seen: Vec<_> = items
            .iter()
            .map(|i| (i.reference.as_str(), i.due.to_string(), i.urgency))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("RL-GUADELOUPE", "2026-12-03".to_owned(), Urgency::Overdue),
                ("RL-PARIS", "2026-12-04".to_owned(), Urgency::DueToday),
            ]
        );
    }
}
