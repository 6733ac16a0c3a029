//! What the header of every case page shows (issue 16, part 5): the
//! reference, the stage and its deadline, the child and urgency flags, and
//! the person's name where the reader's relation opens the identity — read
//! in one query, whatever page carries it.

use crate::audit::{Action, Object};
use crate::casework::case_people::{PERSON, open_row};
use crate::casework::cases::{self, CaseSummary};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::CaseAccess;
use relais_domain::casework::case_access::{CaseArea, Mode};
use relais_domain::casework::case_people::Person;

/// The case as its header shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub case: CaseSummary,
    /// Some need of the referral was urgent (safety, medical, shelter tonight).
    pub urgent: bool,
    /// "Given names FAMILY NAME", from the saved record or else the referral:
    /// `None` where the identity is not open to the reader, or no name is known.
    pub name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(flatten)]
    case: cases::Row,
    urgent: i64,
    referral_details: String,
    person_row: Option<String>,
    person_details: Option<String>,
}

fn full_name(given: &str, family: &str) -> Option<String> {
    let name = format!("{} {}", given.trim(), family.trim().to_uppercase());
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// The header of the case the reader opened. The name is decrypted only
/// where the relation opens the identity, and that read is audited.
pub async fn header(tx: &mut Tx, access: &CaseAccess) -> Result<Header> {
    access.check(CaseArea::Summary, Mode::Read)?;
    let id = access.case();
    const QUERY: &str = concat!(
        "SELECT ",
        crate::casework::cases::case_columns!(),
        ", r.urgent, r.details AS referral_details, p.id AS person_row, p.details AS person_details \
         FROM cases c JOIN referrals r ON r.id = c.referral_id \
         LEFT JOIN case_people p ON p.case_id = c.id AND p.role = $2 WHERE c.id = $1"
    );
    let row: Row = sqlx::query_as(QUERY)
        .bind(id.as_str().to_owned())
        .bind(PERSON)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let urgent = row.urgent != 0;
    let name = if access.may(CaseArea::Identity, Mode::Read) {
        // The saved record first; the referral's name where the record names no one.
        let saved = match (&row.person_row, &row.person_details) {
            (Some(person_row), Some(sealed)) => {
                let person: Person = open_row(tx, person_row, sealed)?;
                full_name(&person.given_names, &person.family_name)
            }
            _ => None,
        };
        let name = match saved {
            Some(name) => Some(name),
            None => {
                let details = crate::intake::referrals::open_details(tx, &row.case.referral_id, &row.referral_details)?;
                full_name(&details.given_names, &details.family_name)
            }
        };
        tx.audit(Action::CaseHeaderRead, Object::Case, Some(id.as_str()), None)
            .await?;
        name
    } else {
        None
    };
    Ok(Header {
        case: cases::parse(row.case)?,
        urgent,
        name,
    })
}
