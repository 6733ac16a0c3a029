//! The case queue read a page at a time in deadline order (issue 17): each
//! case keeps its next deadline (the domain's [`QueueDeadline`]), refreshed
//! whenever its stage, département or permits change, so a page is found by
//! an index however many cases are open; the overdue count sums counters
//! kept per département and due day (migration 0047) instead of reading
//! every overdue case.

use crate::audit::{Action, Object};
use crate::backend::Backend;
use crate::casework::cases::{self, CaseSummary, case_columns};
use crate::writes::Writes;
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, IdentifyVictims};
use relais_domain::casework::case_status::{Case, Status};
use relais_domain::casework::deadline::{self, QueueDeadline, Targets};
use relais_domain::casework::rights::DeadlineKind;
use relais_domain::ids::CaseId;
use relais_domain::territory::Departement;
use relais_domain::time::{Date, Timestamp, Zone};
use sqlx::AnyConnection;

/// `next_due_kind` of a case computed to have no deadline (NULL: not computed yet).
const NO_DEADLINE: &str = "none";

/// An open case with the deadline it is sorted on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedCase {
    pub case: CaseSummary,
    pub deadline: Option<QueueDeadline>,
}

/// Where a page of the queue starts: after this case, in the queue's order
/// (cases with a deadline by date then id, then those without by id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueKey {
    pub due: Option<Date>,
    pub id: CaseId,
}

impl QueueKey {
    /// The key as the next page's link carries it.
    pub fn encode(&self) -> String {
        match self.due {
            Some(due) => format!("d.{due}.{}", self.id.as_str()),
            None => format!("n.{}", self.id.as_str()),
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let (phase, rest) = raw.split_once('.')?;
        let (due, id) = match phase {
            "d" => {
                let (due, id) = rest.split_once('.')?;
                (Some(Date::parse(due)?), id)
            }
            "n" => (None, rest),
            _ => return None,
        };
        Some(Self {
            due,
            id: CaseId::parse(id)?,
        })
    }
}

/// One page of the queue, and where the next one starts.
#[derive(Debug, Clone)]
pub struct QueuePage {
    pub items: Vec<QueuedCase>,
    pub next: Option<QueueKey>,
}

/// What waits for the officer in their territory: open cases whose deadline
/// is past, and negative decisions waiting for a second decision-maker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attention {
    pub overdue: i64,
    pub second_decision: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(flatten)]
    case: cases::Row,
    next_due_kind: Option<String>,
    next_due_on: Option<String>,
}

fn queued(row: Row) -> Result<QueuedCase> {
    let deadline = match (
        row.next_due_kind.as_deref(),
        row.next_due_on.as_deref().and_then(Date::parse),
    ) {
        (Some(kind), Some(due)) => Some(QueueDeadline::parse(kind, due).ok_or(StoreError::Corrupt("case deadline"))?),
        _ => None,
    };
    Ok(QueuedCase {
        case: cases::parse(row.case)?,
        deadline,
    })
}

const SELECT: &str = concat!(
    "SELECT ",
    case_columns!(),
    ", c.next_due_kind, c.next_due_on FROM cases c JOIN referrals r ON r.id = c.referral_id"
);

/// A page of at most `size` open cases in the officer's territory, after `after`.
pub async fn page(
    tx: &mut Tx,
    can: &Capability<IdentifyVictims>,
    after: Option<&QueueKey>,
    size: usize,
) -> Result<QueuePage> {
    let (scope, bound) = crate::scope::departement_clause(can.scope(), "c.departement", 1);
    let first = usize::from(bound.is_some()) + 1;
    let limit = i64::try_from(size).unwrap_or(i64::MAX).saturating_add(1);
    let mut found = Vec::new();
    // Cases with a deadline first, earliest first; then those without one.
    if after.is_none_or(|key| key.due.is_some()) {
        let resume = match after {
            Some(_) => format!("AND (c.next_due_on, c.id) > (${first}, ${})", first + 1),
            None => String::new(),
        };
        let query = format!(
            "{SELECT} WHERE {scope} AND c.status <> 'closed' AND c.next_due_on IS NOT NULL {resume} \
             ORDER BY c.next_due_on, c.id LIMIT {limit}"
        );
        let mut q = sqlx::query_as::<_, Row>(&query);
        if let Some(value) = &bound {
            q = q.bind(value.clone());
        }
        if let Some(key) = after {
            q = q.bind(key.due.map(|d| d.to_string())).bind(key.id.as_str().to_owned());
        }
        found = q.fetch_all(tx.conn()).await?;
    }
    if found.len() <= size {
        let resume = match after {
            Some(key) if key.due.is_none() => format!("AND c.id > ${first}"),
            _ => String::new(),
        };
        let rest = i64::try_from(size - found.len()).unwrap_or(0).saturating_add(1);
        let query = format!(
            "{SELECT} WHERE {scope} AND c.status <> 'closed' AND c.next_due_on IS NULL {resume} \
             ORDER BY c.id LIMIT {rest}"
        );
        let mut q = sqlx::query_as::<_, Row>(&query);
        if let Some(value) = &bound {
            q = q.bind(value.clone());
        }
        if let Some(key) = after.filter(|key| key.due.is_none()) {
            q = q.bind(key.id.as_str().to_owned());
        }
        found.extend(q.fetch_all(tx.conn()).await?);
    }
    let mut items = found.into_iter().map(queued).collect::<Result<Vec<_>>>()?;
    let next = if items.len() > size {
        items.truncate(size);
        items.last().map(|last| QueueKey {
            due: last.deadline.map(QueueDeadline::date),
            id: last.case.id.clone(),
        })
    } else {
        None
    };
    tx.audit(Action::CaseList, Object::Case, None, None).await?;
    Ok(QueuePage { items, next })
}

/// What waits in the officer's territory at `now`, each deadline judged in
/// the local day of its case's département.
pub async fn attention(tx: &mut Tx, can: &Capability<IdentifyVictims>, now: Timestamp) -> Result<Attention> {
    let (scope, bound) = crate::scope::departement_clause(can.scope(), "c.departement", 1);
    let (everywhere, nowhere) = deadline::overdue_window(now);
    let (counted, counted_bound) = crate::scope::departement_clause(can.scope(), "departement", 1);
    let next = usize::from(counted_bound.is_some()) + 1;
    let query = format!(
        "SELECT CAST(COALESCE(SUM(cases), 0) AS BIGINT) FROM case_due_counts WHERE {counted} AND due_on < ${next}"
    );
    let mut q = sqlx::query_as::<_, (i64,)>(&query);
    if let Some(value) = &counted_bound {
        q = q.bind(value.clone());
    }
    let (mut overdue,) = q.bind(everywhere.to_string()).fetch_one(tx.conn()).await?;
    // The day or two whose verdict depends on the zone: their counters by département, each
    // judged in its local day (reading the cases themselves took thousands of rows at a
    // million cases, issue 17).
    let query = format!(
        "SELECT departement, due_on, cases FROM case_due_counts WHERE {counted} \
         AND due_on >= ${next} AND due_on < ${}",
        next + 1
    );
    let mut q = sqlx::query_as::<_, (String, String, i64)>(&query);
    if let Some(value) = counted_bound {
        q = q.bind(value);
    }
    let between = q
        .bind(everywhere.to_string())
        .bind(nowhere.to_string())
        .fetch_all(tx.conn())
        .await?;
    for (departement, due, cases) in between {
        let today = Date::local(now, &Zone::of_code(Some(&departement)));
        if Date::parse(&due).is_some_and(|due| due < today) {
            overdue += cases;
        }
    }
    let query =
        format!("SELECT COUNT(*) FROM cases c WHERE {scope} AND c.status <> 'closed' AND c.pending_event IS NOT NULL");
    let mut q = sqlx::query_as::<_, (i64,)>(&query);
    if let Some(value) = bound {
        q = q.bind(value);
    }
    let (second_decision,) = q.fetch_one(tx.conn()).await?;
    tx.audit(Action::CaseList, Object::Case, None, None).await?;
    Ok(Attention {
        overdue,
        second_decision,
    })
}

/// Recomputes the deadline the queue sorts `id` on, after its stage,
/// département or permits changed (within the change's transaction).
pub(crate) async fn refresh(tx: &mut Tx, id: &CaseId) -> Result<()> {
    let summary = cases::summary(tx, id).await?;
    let backend = tx.backend();
    store(tx.conn(), backend, &summary, "").await
}

/// Writes the queue's deadline of `summary`, and moves the case to the
/// overdue counters' bucket of its deadline (none once closed or without
/// one); `only` narrows the update, and a case it leaves alone keeps its
/// bucket. What is stored and the permits' earliest deadline are read in one
/// statement, and nothing is written when neither changed (most events leave
/// the deadline where it was).
async fn store(conn: &mut AnyConnection, backend: Backend, summary: &CaseSummary, only: &str) -> Result<()> {
    let Some(stored) = stored(conn, &summary.id).await? else {
        return Ok(());
    };
    let Some(change) = DueChange::of(summary, stored) else {
        return Ok(());
    };
    let updated = sqlx::query(&format!(
        "UPDATE cases SET next_due_kind = $1, next_due_on = $2, due_counted_departement = $3, due_counted_on = $4 \
         WHERE id = $5 {only}"
    ))
    .bind(change.kind)
    .bind(change.on.clone())
    .bind(change.counted.as_ref().map(|c| c.0.clone()))
    .bind(change.counted.as_ref().map(|c| c.1.clone()))
    .bind(summary.id.as_str().to_owned())
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 1 {
        let mut writes = Writes::default();
        change.move_count(&mut writes)?;
        writes.execute(conn, backend).await?;
    }
    Ok(())
}

/// The columns of [`Stored`], for a query that reads them with the case `c`.
macro_rules! stored_columns {
    () => {
        "c.next_due_kind, c.next_due_on, c.due_counted_departement, c.due_counted_on, \
         (SELECT p.next_deadline_kind FROM permits p WHERE p.case_id = c.id AND p.next_deadline_on IS NOT NULL \
          ORDER BY p.next_deadline_on, p.id LIMIT 1) AS permit_due_kind, \
         (SELECT p.next_deadline_on FROM permits p WHERE p.case_id = c.id AND p.next_deadline_on IS NOT NULL \
          ORDER BY p.next_deadline_on, p.id LIMIT 1) AS permit_due_on"
    };
}
pub(crate) use stored_columns;

/// What [`stored`] reads of a case: its queue deadline (kind and day), the
/// overdue counters' bucket it is counted in (département and day), and the
/// earliest deadline of its permits (kind and day).
#[derive(sqlx::FromRow)]
pub(crate) struct Stored {
    next_due_kind: Option<String>,
    next_due_on: Option<String>,
    due_counted_departement: Option<String>,
    due_counted_on: Option<String>,
    permit_due_kind: Option<String>,
    permit_due_on: Option<String>,
}

/// What is stored of a case's queue deadline and the permits' earliest deadline, read
/// before a change that may move them (`None`: no such case).
pub(crate) async fn stored(conn: &mut AnyConnection, id: &CaseId) -> Result<Option<Stored>> {
    Ok(
        sqlx::query_as(concat!("SELECT ", stored_columns!(), " FROM cases c WHERE c.id = $1"))
            .bind(id.as_str().to_owned())
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// A case's queue deadline and overdue bucket to write, when they differ from what is stored.
pub(crate) struct DueChange {
    pub(crate) kind: &'static str,
    pub(crate) on: Option<String>,
    /// The overdue counters' bucket the case moves to (département, day), if any.
    pub(crate) counted: Option<(String, String)>,
    /// The bucket it was counted in, if any.
    was: Option<(String, String)>,
}

impl DueChange {
    /// The deadline and bucket of the case as `summary` states it, against what is stored
    /// (`None`: nothing to write).
    pub(crate) fn of(summary: &CaseSummary, stored: Stored) -> Option<Self> {
        let permit = stored
            .permit_due_kind
            .as_deref()
            .and_then(DeadlineKind::parse)
            .zip(stored.permit_due_on.as_deref().and_then(Date::parse));
        let was = stored.due_counted_departement.zip(stored.due_counted_on);
        let change = Self::wanted(
            &summary.case,
            summary.submitted_at,
            summary.departement.as_deref(),
            permit,
            was,
        );
        let unchanged = stored.next_due_kind.as_deref() == Some(change.kind)
            && stored.next_due_on == change.on
            && change.was == change.counted;
        (!unchanged).then_some(change)
    }

    /// The deadline and bucket of a case just opened from a referral submitted at
    /// `submitted_at`: no permit yet, counted in no bucket yet.
    pub(crate) fn of_new_case(submitted_at: Timestamp, departement: Option<&str>) -> Self {
        Self::wanted(&Case::referred(), submitted_at, departement, None, None)
    }

    fn wanted(
        case: &Case,
        submitted_at: Timestamp,
        departement: Option<&str>,
        permit: Option<(DeadlineKind, Date)>,
        was: Option<(String, String)>,
    ) -> Self {
        let stage = deadline::next_for_case_submitted(
            case,
            submitted_at,
            departement.and_then(Departement::parse),
            &Targets::default(),
        );
        let next = QueueDeadline::earliest(stage, permit);
        let counted = next
            .filter(|_| case.status != Status::Closed)
            .map(|next| (departement.unwrap_or_default().to_owned(), next.date().to_string()));
        Self {
            kind: next.map_or(NO_DEADLINE, QueueDeadline::key),
            on: next.map(|n| n.date().to_string()),
            counted,
            was,
        }
    }

    /// Moves the case from its former overdue bucket to its new one, in one write: each
    /// bucket's count changes by its row's `cases`, and a new bucket starts at one. Nothing
    /// when the bucket stays.
    pub(crate) fn move_count(&self, writes: &mut Writes) -> Result<()> {
        if self.was == self.counted {
            return Ok(());
        }
        let moves: Vec<(&(String, String), i64)> = self
            .was
            .iter()
            .map(|bucket| (bucket, -1))
            .chain(self.counted.iter().map(|bucket| (bucket, 1)))
            .collect();
        // The former bucket exists (the case is counted in it), so its row is always updated.
        writes.push(if moves.len() == 1 {
            "INSERT INTO case_due_counts (departement, due_on, cases) VALUES ($1, $2, $3) \
             ON CONFLICT (departement, due_on) DO UPDATE SET cases = case_due_counts.cases + excluded.cases"
        } else {
            "INSERT INTO case_due_counts (departement, due_on, cases) VALUES ($1, $2, $3), ($4, $5, $6) \
             ON CONFLICT (departement, due_on) DO UPDATE SET cases = case_due_counts.cases + excluded.cases"
        });
        for ((departement, due), change) in moves {
            writes.bind(departement.clone())?.bind(due.clone())?.bind(change)?;
        }
        Ok(())
    }
}

/// Computes the queue's deadline of up to a batch of the cases that have
/// none yet (those opened before migration 0045); returns how many. Part of
/// migrating: it derives a column from what is stored, reads nothing personal
/// and changes nothing anyone wrote, so, like the SQL migrations, it is not
/// audited. A case another process changes meanwhile keeps that process's value.
pub(crate) async fn compute_missing(conn: &mut AnyConnection, backend: Backend) -> Result<usize> {
    let query = format!(
        "SELECT {} FROM cases c JOIN referrals r ON r.id = c.referral_id \
         WHERE c.next_due_kind IS NULL ORDER BY c.id LIMIT 500",
        case_columns!()
    );
    let rows: Vec<cases::Row> = sqlx::query_as(&query).fetch_all(&mut *conn).await?;
    let count = rows.len();
    for row in rows {
        store(conn, backend, &cases::parse(row)?, "AND next_due_kind IS NULL").await?;
    }
    Ok(count)
}
