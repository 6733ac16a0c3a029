//! The directory of child-protection units (one CRIP per département) and
//! the urgent notification task created when a referral concerns a child.

use crate::audit::{Action, Object};
use crate::{Result, Tx};
use relais_domain::ids::ReferralId;
use relais_domain::territory::Departement;

/// How long the identification authority has to notify the unit: a child
/// in danger is notified within the day.
pub const NOTIFICATION_DUE_SECONDS: i64 = 24 * 60 * 60;

/// A task kind: tell the département's child-protection unit about a child.
pub const TASK_KIND: &str = "child-protection-notification";

/// A child-protection unit. Not personal data: an office's public contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub departement: String,
    pub name: String,
    pub email: String,
    pub phone: String,
}

/// Adds or replaces the unit of a département.
pub async fn upsert(tx: &mut Tx, unit: &Unit) -> Result<()> {
    sqlx::query("DELETE FROM child_protection_units WHERE departement = $1")
        .bind(unit.departement.clone())
        .execute(tx.conn())
        .await?;
    sqlx::query("INSERT INTO child_protection_units (departement, name, email, phone) VALUES ($1, $2, $3, $4)")
        .bind(unit.departement.clone())
        .bind(unit.name.clone())
        .bind(unit.email.clone())
        .bind(unit.phone.clone())
        .execute(tx.conn())
        .await?;
    tx.audit(
        Action::DirectoryChildProtectionUpdate,
        Object::ChildProtectionUnit,
        Some(&unit.departement),
        None,
    )
    .await
}

/// Creates the urgent notification task for a child's referral. Returns the
/// unit's name, or `None` when the directory has none for the département
/// (the task is still created, addressed to nobody, so it shows as a gap).
pub(crate) async fn notify(
    tx: &mut Tx,
    referral: &ReferralId,
    departement: Option<Departement>,
) -> Result<Option<String>> {
    let code = departement.map(|d| d.code().to_owned());
    let recipient: Option<(String,)> = match &code {
        Some(code) => {
            sqlx::query_as("SELECT name FROM child_protection_units WHERE departement = $1")
                .bind(code.clone())
                .fetch_optional(tx.conn())
                .await?
        }
        None => None,
    };
    let recipient = recipient.map(|(name,)| name);
    let now = tx.now().0;
    let task_id = crate::record_id_hex();
    sqlx::query(
        "INSERT INTO tasks (id, kind, referral_id, departement, recipient, due_at, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7)",
    )
    .bind(task_id.clone())
    .bind(TASK_KIND)
    .bind(referral.as_str().to_owned())
    .bind(code)
    .bind(recipient.clone())
    .bind(now + NOTIFICATION_DUE_SECONDS)
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.audit(Action::TaskCreate, Object::Task, Some(&task_id), Some(TASK_KIND))
        .await?;
    Ok(recipient)
}
