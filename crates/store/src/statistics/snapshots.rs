//! Figures of the statistics pages kept between requests (issue 17): each
//! page's figures, computed under the disclosure policy for one territory,
//! stored with the time they were computed. The page shows that time, and
//! a view that finds the figures older than its stated freshness has them
//! computed again in the background, so no view reads every case in its
//! territory while its reader waits (but the first).

use crate::audit::{Action, Object};
use crate::{Result, Tx};
use relais_domain::access::authz::{Capability, Scope, ViewStatistics};
use relais_domain::territory::Territory;
use relais_domain::time::Timestamp;

/// The pages whose figures are kept, each read under its own audit action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dashboard {
    Timeliness,
    EqualAccess,
}

impl Dashboard {
    fn key(self) -> &'static str {
        match self {
            Self::Timeliness => "timeliness",
            Self::EqualAccess => "equal-access",
        }
    }

    /// The action of viewing the page, whether its figures were kept or computed.
    pub(crate) fn viewed(self) -> Action {
        match self {
            Self::Timeliness => Action::CaseStatistics,
            Self::EqualAccess => Action::CaseStatisticsEqualAccess,
        }
    }
}

/// Figures as kept: `figures` is what the page wrote (JSON), under `policy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub computed_at: Timestamp,
    pub figures: String,
}

/// The territory the figures cover; none for a scope that reaches no
/// territory (its figures are empty, and not worth keeping).
fn scope_key(scope: &Scope) -> Option<String> {
    match scope {
        Scope::National | Scope::Territory(Territory::National) => Some("national".to_owned()),
        Scope::Territory(Territory::Departement(d)) => Some(d.code().to_owned()),
        Scope::Organisation(_) | Scope::Own(_) => None,
    }
}

fn page_key(dashboard: Dashboard, policy: &str) -> String {
    format!("{}:{policy}", dashboard.key())
}

/// The figures kept for the holder's territory under `policy` (the
/// disclosure settings they were computed with), if any. Audited as a view
/// of the page.
pub async fn read(
    tx: &mut Tx,
    can: &Capability<ViewStatistics>,
    dashboard: Dashboard,
    policy: &str,
) -> Result<Option<Snapshot>> {
    let found = match scope_key(can.scope()) {
        Some(scope) => {
            let row: Option<(i64, String)> =
                sqlx::query_as("SELECT computed_at, figures FROM statistics_snapshots WHERE page = $1 AND scope = $2")
                    .bind(page_key(dashboard, policy))
                    .bind(scope)
                    .fetch_optional(tx.conn())
                    .await?;
            row.map(|(at, figures)| Snapshot {
                computed_at: Timestamp(at),
                figures,
            })
        }
        None => None,
    };
    tx.audit(dashboard.viewed(), Object::Case, None, None).await?;
    Ok(found)
}

/// Keeps `figures`, computed at `computed_at` for the holder's territory,
/// in place of what was kept (unless that is newer: two processes may
/// recompute at once).
pub async fn save(
    tx: &mut Tx,
    can: &Capability<ViewStatistics>,
    dashboard: Dashboard,
    policy: &str,
    computed_at: Timestamp,
    figures: &str,
) -> Result<()> {
    let Some(scope) = scope_key(can.scope()) else {
        return Ok(());
    };
    sqlx::query(
        "INSERT INTO statistics_snapshots (page, scope, computed_at, figures) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (page, scope) DO UPDATE SET computed_at = excluded.computed_at, figures = excluded.figures \
         WHERE statistics_snapshots.computed_at <= excluded.computed_at",
    )
    .bind(page_key(dashboard, policy))
    .bind(scope.clone())
    .bind(computed_at.0)
    .bind(figures.to_owned())
    .execute(tx.conn())
    .await?;
    tx.audit(
        Action::StatisticsSnapshotSave,
        Object::Case,
        None,
        Some(dashboard.key()),
    )
    .await
}
