//! The people of a case file: the person's record and their dependants,
//! each one encrypted document bound to its row. Whoever may open the case
//! file may read and update them; every read and change is audited on the
//! case, so it appears in the case's access log.

use crate::case_file::access;
use crate::{Result, StoreError, Tx};
use relais_domain::authz::{Capability, ViewCaseFile};
use relais_domain::case_people::{Dependant, Person};
use relais_domain::ids::CaseId;

const PERSON: &str = "person";
const DEPENDANT: &str = "dependant";

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

fn open_row<T: serde::de::DeserializeOwned>(tx: &Tx, id: &str, sealed: &str) -> Result<T> {
    let plain = tx.keys().decrypt(sealed, &context(id))?;
    serde_json::from_slice(&plain).map_err(|_| StoreError::Corrupt("case person"))
}

/// The people of the case (the read is audited).
pub async fn people(tx: &mut Tx, can: &Capability<ViewCaseFile>, id: &CaseId) -> Result<People> {
    let (case, _) = access(tx, can.scope(), can.actor_organisation(), id).await?;
    tx.audit("case.people-read", "case", Some(id.as_str()), None).await?;
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, role, details FROM case_people WHERE case_id = $1 ORDER BY created_at, id")
            .bind(id.as_str().to_owned())
            .fetch_all(tx.conn())
            .await?;
    let mut person = None;
    let mut dependants = vec![];
    for (row, role, sealed) in rows {
        if role == PERSON {
            person = Some(open_row(tx, &row, &sealed)?);
        } else {
            dependants.push((row.clone(), open_row(tx, &row, &sealed)?));
        }
    }
    let details = crate::referrals::fetch(tx, &case.referral_id).await?.details;
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
        safe_contact: relais_domain::case_people::SafeContact {
            do_not_call: false,
            safe_times: String::new(),
            through_whom: details.safe_contact.trim().to_owned(),
        },
    };
    Ok(People {
        person,
        from_referral,
        dependants,
    })
}

/// Saves the person's record (replacing the previous version).
pub async fn save_person(tx: &mut Tx, can: &Capability<ViewCaseFile>, id: &CaseId, person: &Person) -> Result<()> {
    access(tx, can.scope(), can.actor_organisation(), id).await?;
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
                .bind(can.actor().as_str().to_owned())
                .bind(row)
                .execute(tx.conn())
                .await?;
        }
        None => insert(tx, can, id, PERSON, person).await?,
    }
    tx.audit("case.person-save", "case", Some(id.as_str()), None).await
}

async fn insert<T: serde::Serialize>(
    tx: &mut Tx,
    can: &Capability<ViewCaseFile>,
    id: &CaseId,
    role: &str,
    value: &T,
) -> Result<()> {
    let row = hex::encode(crate::random_bytes::<16>());
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
    .bind(can.actor().as_str().to_owned())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// How many dependants the case has (to enforce the domain's maximum).
pub async fn dependant_count(tx: &mut Tx, can: &Capability<ViewCaseFile>, id: &CaseId) -> Result<usize> {
    access(tx, can.scope(), can.actor_organisation(), id).await?;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_people WHERE case_id = $1 AND role = $2")
        .bind(id.as_str().to_owned())
        .bind(DEPENDANT)
        .fetch_one(tx.conn())
        .await?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

pub async fn add_dependant(
    tx: &mut Tx,
    can: &Capability<ViewCaseFile>,
    id: &CaseId,
    dependant: &Dependant,
) -> Result<()> {
    access(tx, can.scope(), can.actor_organisation(), id).await?;
    insert(tx, can, id, DEPENDANT, dependant).await?;
    tx.audit("case.dependant-add", "case", Some(id.as_str()), None).await
}

pub async fn remove_dependant(tx: &mut Tx, can: &Capability<ViewCaseFile>, id: &CaseId, row: &str) -> Result<()> {
    access(tx, can.scope(), can.actor_organisation(), id).await?;
    let removed = sqlx::query("DELETE FROM case_people WHERE id = $1 AND case_id = $2 AND role = $3")
        .bind(row.to_owned())
        .bind(id.as_str().to_owned())
        .bind(DEPENDANT)
        .execute(tx.conn())
        .await?;
    if removed.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    tx.audit("case.dependant-remove", "case", Some(id.as_str()), None).await
}
