//! The people of a case file: the person's record and their dependants,
//! each one encrypted document bound to its row. Who reads and changes
//! which part follows the case-access policy (identity, safe contact,
//! dependants); every read and change is audited on the case, so it
//! appears in the case's access log.

use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::CaseAccess;
use relais_domain::casework::case_access::{CaseArea, Mode};
use relais_domain::casework::case_people::{Dependant, Person, SafeContact};
use relais_domain::ids::{CaseId, UserId};

pub(crate) const PERSON: &str = "person";
const DEPENDANT: &str = "dependant";

/// The people of the case as the reader may see them: the safe contact is
/// empty and the dependants are left out where the policy does not open them.
pub struct People {
    /// The record as saved, or `None` before anyone saved it.
    pub person: Option<Person>,
    /// What the referral said, to start the record from.
    pub from_referral: Person,
    /// Dependants with their row id, oldest first.
    pub dependants: Vec<(String, Dependant)>,
}

fn context(id: &str) -> String {
    format!("case-person:{id}")
}

fn seal<T: serde::Serialize>(tx: &Tx, id: &str, value: &T) -> Result<String> {
    let json = serde_json::to_vec(value).map_err(|_| StoreError::Corrupt("case person"))?;
    tx.keys().encrypt(&json, &context(id))
}

pub(crate) fn open_row<T: serde::de::DeserializeOwned>(tx: &Tx, id: &str, sealed: &str) -> Result<T> {
    let plain = tx.keys().decrypt(sealed, &context(id))?;
    serde_json::from_slice(&plain).map_err(|_| StoreError::Corrupt("case person"))
}

/// The people of the case (the read is audited).
pub async fn people(tx: &mut Tx, access: &CaseAccess) -> Result<People> {
    access.check(CaseArea::Identity, Mode::Read)?;
    let id = access.case();
    let case = crate::casework::cases::summary(tx, id).await?;
    tx.audit(Action::CasePeopleRead, Object::Case, Some(id.as_str()), None)
        .await?;
    let safe_contact = access.may(CaseArea::SafeContact, Mode::Read);
    let with_dependants = access.may(CaseArea::Dependants, Mode::Read);
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, role, details FROM case_people WHERE case_id = $1 ORDER BY created_at, id")
            .bind(id.as_str().to_owned())
            .fetch_all(tx.conn())
            .await?;
    let mut person = None;
    let mut dependants = vec![];
    for (row, role, sealed) in rows {
        if role == PERSON {
            let mut saved: Person = open_row(tx, &row, &sealed)?;
            if !safe_contact {
                saved.safe_contact = SafeContact::default();
            }
            person = Some(saved);
        } else if with_dependants {
            dependants.push((row.clone(), open_row(tx, &row, &sealed)?));
        }
    }
    let details = crate::intake::referrals::fetch(tx, &case.referral_id).await?.details;
    let from_referral = Person {
        family_name: details.family_name.trim().to_owned(),
        given_names: details.given_names.trim().to_owned(),
        aliases: details
            .aliases
            .iter()
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())
            .collect(),
        birth_date: details.birth_date.trim().to_owned(),
        nationality: details.nationality.trim().to_uppercase(),
        languages: details.languages.trim().to_owned(),
        safe_contact: SafeContact {
            do_not_call: false,
            safe_times: String::new(),
            through_whom: if safe_contact {
                details.safe_contact.trim().to_owned()
            } else {
                String::new()
            },
        },
    };
    Ok(People {
        person,
        from_referral,
        dependants,
    })
}

/// Saves the person's record (replacing the previous version, so the
/// writer must also be allowed the safe contact it carries).
pub async fn save_person(tx: &mut Tx, access: &CaseAccess, person: &Person) -> Result<()> {
    access.check(CaseArea::Identity, Mode::Write)?;
    access.check(CaseArea::SafeContact, Mode::Write)?;
    let id = access.case();
    let now = tx.now().0;
    let existing: Option<(String,)> = sqlx::query_as("SELECT id FROM case_people WHERE case_id = $1 AND role = $2")
        .bind(id.as_str().to_owned())
        .bind(PERSON)
        .fetch_optional(tx.conn())
        .await?;
    match existing {
        Some((row,)) => {
            let sealed = seal(tx, &row, person)?;
            sqlx::query("UPDATE case_people SET details = $1, updated_at = $2, updated_by = $3 WHERE id = $4")
                .bind(sealed)
                .bind(now)
                .bind(access.actor().as_str().to_owned())
                .bind(row)
                .execute(tx.conn())
                .await?;
        }
        None => insert(tx, access.actor(), id, PERSON, person).await?,
    }
    tx.audit(Action::CasePersonSave, Object::Case, Some(id.as_str()), None)
        .await
}

async fn insert<T: serde::Serialize>(tx: &mut Tx, actor: &UserId, id: &CaseId, role: &str, value: &T) -> Result<()> {
    let row = crate::record_id_hex();
    let sealed = seal(tx, &row, value)?;
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO case_people (id, case_id, role, details, created_at, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(row)
    .bind(id.as_str().to_owned())
    .bind(role.to_owned())
    .bind(sealed)
    .bind(now)
    .bind(actor.as_str().to_owned())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// How many dependants the case has (to enforce the domain's maximum when adding one).
pub async fn dependant_count(tx: &mut Tx, access: &CaseAccess) -> Result<usize> {
    access.check(CaseArea::Dependants, Mode::Write)?;
    let id = access.case();
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_people WHERE case_id = $1 AND role = $2")
        .bind(id.as_str().to_owned())
        .bind(DEPENDANT)
        .fetch_one(tx.conn())
        .await?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

pub async fn add_dependant(tx: &mut Tx, access: &CaseAccess, dependant: &Dependant) -> Result<()> {
    access.check(CaseArea::Dependants, Mode::Write)?;
    let id = access.case();
    insert(tx, access.actor(), id, DEPENDANT, dependant).await?;
    tx.audit(Action::CaseDependantAdd, Object::Case, Some(id.as_str()), None)
        .await
}

pub async fn remove_dependant(tx: &mut Tx, access: &CaseAccess, row: &str) -> Result<()> {
    access.check(CaseArea::Dependants, Mode::Write)?;
    let id = access.case();
    let removed = sqlx::query("DELETE FROM case_people WHERE id = $1 AND case_id = $2 AND role = $3")
        .bind(row.to_owned())
        .bind(id.as_str().to_owned())
        .bind(DEPENDANT)
        .execute(tx.conn())
        .await?;
    if removed.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    tx.audit(Action::CaseDependantRemove, Object::Case, Some(id.as_str()), None)
        .await
}
