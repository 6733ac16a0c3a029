//! What equal-access monitoring needs of each case in the scope: category
//! codes and dates, never a name or a reference. The figures are computed
//! by `relais_stats::equal_access`.

use crate::audit::{Action, Object};
use crate::{Result, Tx};
use relais_domain::access::authz::{Capability, ViewStatistics};
use relais_domain::casework::case_status::Status;
use relais_domain::casework::rights::{Outcome, PermitKind};
use relais_domain::time::Timestamp;

/// The formal decisions, whatever their outcome.
const FORMAL: [Status; 3] = [Status::Identified, Status::NotIdentified, Status::InsufficientEvidence];

/// Stored keys as an SQL list (`'a', 'b'`). The keys are the domain's own
/// constants (lower-case words and hyphens), never input, so quoting is enough.
fn sql_list(keys: impl IntoIterator<Item = &'static str>) -> String {
    keys.into_iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One case, as categories and outcomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub departement: Option<String>,
    pub forms: Vec<String>,
    pub sex: Option<String>,
    /// ISO 3166-1 alpha-3.
    pub nationality: Option<String>,
    pub child: bool,
    pub submitted_at: Timestamp,
    /// The formal decision in force, one of [`FORMAL`] (a negative decision
    /// counts once confirmed).
    pub formal: Option<Status>,
    pub formal_at: Option<Timestamp>,
    /// From the latest needs assessment: `None` when never assessed.
    pub accommodation_need: Option<bool>,
    pub accommodation_met: Option<bool>,
    /// A residence permit (the reflection receipt apart) was applied for.
    pub permit_applied: bool,
    /// The first permit granted: its application and decision days (YYYY-MM-DD).
    pub permit_granted: Option<(String, String)>,
}

/// A case's columns as the database hands them over, in the order [`facts`] reads them.
#[derive(serde::Deserialize)]
struct Row {
    _id: serde::de::IgnoredAny,
    departement: Option<String>,
    forms: Option<String>,
    sex: Option<String>,
    nationality: Option<String>,
    child: i64,
    submitted_at: Option<i64>,
    opened_at: i64,
    formal_at: Option<i64>,
    formal: Option<String>,
    accommodation_need: Option<i64>,
    accommodation_met: Option<i64>,
    permits_applied: i64,
    permit_granted: Option<String>,
}

/// Every case in the scope, closed ones included, handed to `take` one at a
/// time, read by chunks in the order of their ids; the latest formal
/// decision, assessment and permits come through their case indexes. The
/// reflection receipt (R.425-2) is not counted as a residence permit: it
/// follows from the reasonable-grounds decision, nobody applies for it.
pub async fn facts(tx: &mut Tx, can: &Capability<ViewStatistics>, mut take: impl FnMut(CaseFacts)) -> Result<()> {
    let (clause, bound) = crate::scope::departement_clause(can.scope(), "c.departement", 1);
    let formal = sql_list(FORMAL.map(Status::key));
    let receipt = sql_list([PermitKind::ReflectionReceipt.key()]);
    let granted = sql_list([Outcome::Granted.key()]);
    // Its terms as migration 0050's partial index names them, so that it is read alone.
    let latest_formal = format!(
        "(SELECT e.to_status FROM case_events e WHERE e.case_id = c.id AND e.pending = 0 \
         AND e.to_status IN ({formal}) ORDER BY e.at DESC, e.id DESC LIMIT 1)"
    );
    let latest_assessment = |column: &str| {
        format!(
            "(SELECT a.{column} FROM need_assessments a WHERE a.case_id = c.id \
             ORDER BY a.assessed_on DESC, a.created_at DESC LIMIT 1)"
        )
    };
    let permits_applied = format!(
        "(SELECT COUNT(*) FROM permits p WHERE p.case_id = c.id AND p.kind NOT IN ({receipt}) \
         AND p.applied_on IS NOT NULL)"
    );
    let permit_granted = format!(
        "(SELECT p.applied_on || ' ' || p.decided_on FROM permits p WHERE p.case_id = c.id \
         AND p.kind NOT IN ({receipt}) AND p.outcome IN ({granted}) AND p.applied_on IS NOT NULL \
         AND p.decided_on IS NOT NULL ORDER BY p.decided_on LIMIT 1)"
    );
    let (need, met) = (
        latest_assessment("has_accommodation_need"),
        latest_assessment("accommodation_met"),
    );
    let columns = [
        "c.id",
        "c.departement",
        "r.forms",
        "r.sex",
        "r.nationality",
        "r.child",
        "r.submitted_at",
        "c.opened_at",
        "c.formal_at",
        &latest_formal,
        &need,
        &met,
        &permits_applied,
        &permit_granted,
    ];
    let from_where = format!("FROM cases c JOIN referrals r ON r.id = c.referral_id WHERE {clause}");
    let binds: Vec<String> = bound.into_iter().collect();
    crate::chunked::Chunked {
        columns: &columns,
        from_where: &from_where,
        binds: &binds,
        rows_per_chunk: crate::chunked::CHUNK,
    }
    .each(tx, |row: Row| take(case_facts(row)))
    .await?;
    tx.audit(Action::CaseStatisticsEqualAccess, Object::Case, None, None)
        .await
}

fn case_facts(row: Row) -> CaseFacts {
    CaseFacts {
        departement: row.departement,
        forms: crate::stored_list::items(row.forms.as_deref()),
        sex: row.sex,
        nationality: row.nationality,
        child: row.child != 0,
        submitted_at: Timestamp(row.submitted_at.unwrap_or(row.opened_at)),
        formal: row.formal.as_deref().and_then(Status::parse),
        formal_at: row.formal_at.map(Timestamp),
        accommodation_need: row.accommodation_need.map(|n| n != 0),
        accommodation_met: row.accommodation_met.map(|m| m != 0),
        permit_applied: row.permits_applied > 0,
        permit_granted: row
            .permit_granted
            .and_then(|both| both.split_once(' ').map(|(a, d)| (a.to_owned(), d.to_owned()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_the_domain_quoted_once() {
        assert_eq!(
            sql_list(FORMAL.map(Status::key)),
            "'identified', 'not-identified', 'insufficient-evidence'"
        );
        assert_eq!(sql_list([]), "");
    }
}
