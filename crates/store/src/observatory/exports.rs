//! What the partners' exports read of the cases (issue 14, part 7): the de-identified
//! extract's coarse variables, and one case's record for the HTCDS export. Both are audited
//! in the reading transaction: the extract as one act naming how many lines it produced (no
//! person, no case), the HTCDS record as a read of its case, which the case's access log shows.

use crate::audit::{Action, Object};
use crate::casework::case_people::open_row;
use crate::intake::referrals::open_details;
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, CaseAccess, ManageObservatory};
use relais_domain::casework::case_access::{CaseArea, CaseRelation, Mode};
use relais_domain::casework::case_people::Person;
use relais_domain::casework::case_status::Status;
use relais_domain::intake::person_match::BirthDate;
use relais_domain::intake::referral::{ExploitationForm, Sex};
use relais_domain::observatory::age_band::AgeBroad;
use relais_domain::time::{Date, Timestamp, Zone};

/// One victim registered in the year, as categories only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimFacts {
    /// The year the case was opened, in Paris.
    pub year: i32,
    pub sex: Option<Sex>,
    /// At the opening of the case; `None` when the birth date does not decide it.
    pub age: Option<AgeBroad>,
    /// ISO 3166-1 alpha-3.
    pub nationality: Option<String>,
    pub forms: Vec<ExploitationForm>,
}

/// The formal decision in force (a negative one once confirmed): the same rule as the
/// equal-access figures.
const FORMAL: &str = "(SELECT e.to_status FROM case_events e WHERE e.case_id = c.id AND e.pending = 0 \
     AND e.to_status IN ('identified', 'not-identified', 'insufficient-evidence') \
     ORDER BY e.at DESC, e.id DESC LIMIT 1)";

fn forms(stored: Option<&str>) -> Vec<ExploitationForm> {
    let mut forms: Vec<ExploitationForm> = stored
        .unwrap_or_default()
        .split(',')
        .filter_map(ExploitationForm::parse)
        .collect();
    forms.sort();
    forms.dedup();
    forms
}

/// The person's birth date and nationality: the case's record when saved, else the referral's.
fn birth_and_nationality(
    tx: &Tx,
    referral: (&str, &str),
    person: Option<(&str, &str)>,
    clear_nationality: Option<String>,
) -> Result<(Option<BirthDate>, Option<String>)> {
    let (birth, nationality) = match person {
        Some((row, sealed)) => {
            let person: Person = open_row(tx, row, sealed)?;
            (person.birth_date, Some(person.nationality))
        }
        None => (open_details(tx, referral.0, referral.1)?.birth_date, None),
    };
    let nationality = nationality
        .map(|n| n.trim().to_uppercase())
        .filter(|n| n.len() == 3 && n.bytes().all(|b| b.is_ascii_uppercase()))
        .or(clear_nationality);
    Ok((BirthDate::parse(&birth).ok(), nationality))
}

type VictimRow = (
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The victims whose case was opened in `year` (in Paris), oldest first, without those the
/// authority found not to be victims (no reasonable grounds, or a negative formal decision in
/// force). One query; audited as one extract of that many lines, naming nobody.
pub async fn victims(tx: &mut Tx, _can: &Capability<ManageObservatory>, year: i32) -> Result<Vec<VictimFacts>> {
    read_victims(tx, year).await
}

/// [`victims`] for the command line, which runs as the system with the server's credentials.
pub async fn victims_as_system(tx: &mut Tx, year: i32) -> Result<Vec<VictimFacts>> {
    read_victims(tx, year).await
}

async fn read_victims(tx: &mut Tx, year: i32) -> Result<Vec<VictimFacts>> {
    let paris = Zone::paris();
    let start = Date { year, month: 1, day: 1 }.start_in(&paris);
    let end = Date {
        year: year + 1,
        month: 1,
        day: 1,
    }
    .start_in(&paris);
    let query = format!(
        "SELECT r.id, r.details, c.opened_at, r.sex, r.nationality, r.forms, p.id, p.details \
         FROM cases c JOIN referrals r ON r.id = c.referral_id \
         LEFT JOIN case_people p ON p.case_id = c.id AND p.role = 'person' \
         WHERE c.opened_at >= $1 AND c.opened_at < $2 AND c.status <> 'negative-preliminary' \
         AND COALESCE({FORMAL}, '') <> 'not-identified' ORDER BY c.opened_at, c.id"
    );
    let rows: Vec<VictimRow> = sqlx::query_as(&query)
        .bind(start.0)
        .bind(end.0)
        .fetch_all(tx.conn())
        .await?;
    let mut victims = Vec::with_capacity(rows.len());
    for (referral, sealed, opened_at, sex, nationality, stored_forms, person, person_sealed) in rows {
        let person = person.as_deref().zip(person_sealed.as_deref());
        let (birth, nationality) = birth_and_nationality(tx, (&referral, &sealed), person, nationality)?;
        let opened = Date::local(Timestamp(opened_at), &paris);
        victims.push(VictimFacts {
            year: opened.year,
            sex: sex.as_deref().and_then(Sex::parse),
            age: birth.and_then(|b| AgeBroad::at(b, opened)),
            nationality,
            forms: forms(stored_forms.as_deref()),
        });
    }
    Ok(victims)
}

/// Records that a de-identified extract of `lines` lines of `year` was produced under `k`.
pub async fn extract_produced(
    tx: &mut Tx,
    _can: &Capability<ManageObservatory>,
    year: i32,
    lines: usize,
    k: usize,
) -> Result<()> {
    record_extract(tx, year, lines, k).await
}

/// [`extract_produced`] for the command line.
pub async fn extract_produced_as_system(tx: &mut Tx, year: i32, lines: usize, k: usize) -> Result<()> {
    record_extract(tx, year, lines, k).await
}

async fn record_extract(tx: &mut Tx, year: i32, lines: usize, k: usize) -> Result<()> {
    let note = format!("{year}: {lines} lines, k = {k}");
    tx.audit(Action::ObservatoryExportCtdc, Object::Case, None, Some(&note))
        .await
}

/// Records that the Eurostat table of `year` was produced (its rows were read, and audited,
/// through `current_rows`).
pub async fn eurostat_produced(tx: &mut Tx, _can: &Capability<ManageObservatory>, year: i32) -> Result<()> {
    record_eurostat(tx, year).await
}

/// [`eurostat_produced`] for the command line.
pub async fn eurostat_produced_as_system(tx: &mut Tx, year: i32) -> Result<()> {
    record_eurostat(tx, year).await
}

async fn record_eurostat(tx: &mut Tx, year: i32) -> Result<()> {
    tx.audit(
        Action::ObservatoryExportEurostat,
        Object::ObservatorySource,
        None,
        Some(&year.to_string()),
    )
    .await
}

/// What the HTCDS export of a case holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub given_names: String,
    pub family_name: String,
    /// As typed: `YYYY` or `YYYY-MM-DD`.
    pub birth_date: String,
    pub sex: Option<Sex>,
    pub nationality: Option<String>,
    /// Stored language codes (ISO 639-3).
    pub languages: String,
    pub forms: Vec<ExploitationForm>,
    pub status: Status,
    /// The formal decision in force.
    pub formal: Option<Status>,
    /// The name of the organisation that referred, when a professional did.
    pub referring_organisation: Option<String>,
    /// The day the case was opened, in Paris.
    pub opened_on: Date,
}

type CaseRow = (
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The case's record for an HTCDS export: its person, identity included, so only for the
/// identification authority of the case's territory (not a lead organisation or a share, who
/// work from the case file), audited as an export of that case.
pub async fn case_record(tx: &mut Tx, access: &CaseAccess) -> Result<CaseRecord> {
    if !matches!(access.relation(), CaseRelation::Authority) {
        return Err(StoreError::NotFound);
    }
    access.check(CaseArea::Identity, Mode::Read)?;
    let id = access.case();
    let query = format!(
        "SELECT c.status, c.opened_at, r.id, r.details, r.sex, r.nationality, r.forms, o.name, {FORMAL}, \
         p.id, p.details FROM cases c JOIN referrals r ON r.id = c.referral_id \
         LEFT JOIN organisations o ON o.id = r.organisation_id \
         LEFT JOIN case_people p ON p.case_id = c.id AND p.role = 'person' WHERE c.id = $1"
    );
    let row: Option<CaseRow> = sqlx::query_as(&query)
        .bind(id.as_str().to_owned())
        .fetch_optional(tx.conn())
        .await?;
    let (
        status,
        opened_at,
        referral,
        sealed,
        sex,
        nationality,
        stored_forms,
        organisation,
        formal,
        person,
        person_sealed,
    ) = row.ok_or(StoreError::NotFound)?;
    tx.audit(Action::CaseExportHtcds, Object::Case, Some(id.as_str()), None)
        .await?;
    let details = open_details(tx, &referral, &sealed)?;
    let saved: Option<Person> = match person.as_deref().zip(person_sealed.as_deref()) {
        Some((row, sealed)) => Some(open_row(tx, row, sealed)?),
        None => None,
    };
    let (given_names, family_name, birth_date, languages, typed_nationality) = match saved {
        Some(p) => (p.given_names, p.family_name, p.birth_date, p.languages, p.nationality),
        None => (
            details.given_names,
            details.family_name,
            details.birth_date,
            details.languages,
            details.nationality,
        ),
    };
    let typed_nationality = typed_nationality.trim().to_uppercase();
    Ok(CaseRecord {
        given_names: given_names.trim().to_owned(),
        family_name: family_name.trim().to_owned(),
        birth_date: birth_date.trim().to_owned(),
        sex: sex.as_deref().and_then(Sex::parse),
        nationality: relais_domain::reference::country(&typed_nationality)
            .map(|c| c.code.to_owned())
            .or(nationality),
        languages,
        forms: forms(stored_forms.as_deref()),
        status: Status::parse(&status).ok_or(StoreError::Corrupt("case status"))?,
        formal: formal.as_deref().and_then(Status::parse),
        referring_organisation: organisation,
        opened_on: Date::local(Timestamp(opened_at), &Zone::paris()),
    })
}
