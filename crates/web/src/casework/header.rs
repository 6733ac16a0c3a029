//! The header every page of a case opens with (issue 16, part 5): the
//! reference, the person's name where the reader's relation opens the
//! identity, the flags (child, urgent, next deadline) and the case's pages as
//! tabs — only those whose route the reader may open.

use crate::AppState;
use crate::badge;
use crate::casework::view::{next_deadline, stage_label};
use crate::error::AppError;
use crate::guard::Access;
use crate::page::Page;
use crate::session::SignedIn;
use relais_domain::access::authz::{self, CaseAccess};
use relais_domain::casework::deadline::{self, Targets};
use relais_domain::territory::Departement;
use relais_domain::time::{Date, Zone};
use relais_store::Tx;
use std::sync::LazyLock;

/// The case's pages, in the order of the tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tab {
    Decision,
    File,
    People,
    Support,
    Onward,
}

/// Each tab's route (as declared in the route table) and its label.
const TABS: [(Tab, &str, &str); 5] = [
    (Tab::Decision, "/cases/{id}", "case-tab-decision"),
    (Tab::File, "/cases/{id}/file", "case-tab-file"),
    (Tab::People, "/cases/{id}/file/people", "case-tab-people"),
    (Tab::Support, "/cases/{id}/support", "case-tab-support"),
    (Tab::Onward, "/cases/{id}/onward", "case-tab-onward"),
];

/// What the route table declares for each tab's page: a tab is offered
/// exactly where its page would open, so the two cannot disagree.
static TAB_ACCESS: LazyLock<Vec<(&'static str, Access)>> = LazyLock::new(|| {
    super::routes()
        .into_iter()
        .filter(|r| r.method == "GET" && TABS.iter().any(|(_, path, _)| *path == r.path))
        .map(|r| (r.path, r.access))
        .collect()
});

fn opens(user: &SignedIn, access: &CaseAccess, path: &str) -> bool {
    TAB_ACCESS
        .iter()
        .find(|(p, _)| *p == path)
        .is_some_and(|(_, declared)| match declared {
            Access::Case(permission, area, mode) => {
                authz::holds(&user.principal, *permission) && access.may(*area, *mode)
            }
            _ => false,
        })
}

pub struct TabLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

pub struct DeadlineFlag {
    pub label: String,
    pub badge: &'static str,
}

pub struct CaseHeader {
    pub reference: String,
    pub name: Option<String>,
    pub stage: String,
    pub child: bool,
    pub urgent: bool,
    pub deadline: Option<DeadlineFlag>,
    pub tabs: Vec<TabLink>,
    /// The confirmation of the action that led here, if any.
    pub notice: Option<String>,
}

/// Reads the header in the page's transaction (one query; the name's read
/// is audited there).
pub(crate) async fn read(
    tx: &mut Tx,
    state: &AppState,
    page: &Page,
    user: &SignedIn,
    access: &CaseAccess,
    current: Tab,
    notice: Option<String>,
) -> Result<CaseHeader, AppError> {
    let found = relais_store::casework::header::header(tx, access).await?;
    let targets = Targets::default();
    let departement = found.case.departement.as_deref().and_then(Departement::parse);
    let today = Date::local(state.clock.now(), &Zone::of(departement));
    let deadline = next_deadline(&found.case, &targets).map(|(kind, due)| {
        let urgency = deadline::urgency(due, today, &targets, departement);
        DeadlineFlag {
            label: page.tr.tn(
                "case-header-deadline",
                &[
                    ("what", page.t(&format!("case-deadline-{kind}"))),
                    ("day", page.day(due)),
                ],
            ),
            badge: badge::deadline(urgency),
        }
    });
    let id = access.case().to_string();
    Ok(CaseHeader {
        reference: found.case.reference.clone(),
        name: found.name,
        stage: stage_label(page, found.case.case.status),
        child: found.case.child,
        urgent: found.urgent,
        deadline,
        tabs: TABS
            .iter()
            .filter(|(_, path, _)| opens(user, access, path))
            .map(|(tab, path, label)| TabLink {
                href: path.replace("{id}", &id),
                label: page.t(label),
                current: *tab == current,
            })
            .collect(),
        notice,
    })
}
