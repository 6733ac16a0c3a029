//! Routes of this area, joined with the others in `crate::routes`.

use super::{emergency, pages};
use crate::guard::Access;
use crate::routes::{Route, route};
use axum::routing::{get, post};

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
pub(crate) fn routes() -> Vec<Route> {
    use Access::Permission as P;
    use relais_domain::access::role::Permission::{ConfirmDataRights, EmergencyAccess, RequestDataRights, ViewCaseFile, ViewDataProtection};
    vec![
        route("GET", "/privacy", P(RequestDataRights), get(pages::hub)),
        route("POST", "/privacy/lookup", P(RequestDataRights), post(pages::lookup)),
        route("GET", "/privacy/cases/{id}", P(RequestDataRights), get(pages::case)),
        route("POST", "/privacy/cases/{id}/hold", P(RequestDataRights), post(pages::place_hold)),
        route("POST", "/privacy/cases/{id}/hold/lift", P(RequestDataRights), post(pages::lift_hold)),
        route("POST", "/privacy/cases/{id}/requests", P(RequestDataRights), post(pages::file_request)),
        route("GET", "/privacy/requests", P(RequestDataRights), get(pages::requests)),
        route("GET", "/privacy/requests/{id}", P(RequestDataRights), get(pages::request)),
        route("POST", "/privacy/requests/{id}/confirm", P(ConfirmDataRights), post(pages::confirm)),
        route("POST", "/privacy/requests/{id}/refuse", P(ConfirmDataRights), post(pages::refuse)),
        route("GET", "/privacy/requests/{id}/export", P(RequestDataRights), get(pages::export_page)),
        route("GET", "/privacy/requests/{id}/export/json", P(RequestDataRights), get(pages::export_json)),
        route("GET", "/privacy/break-glass", P(ViewDataProtection), get(pages::break_glass)),
        route("POST", "/privacy/break-glass/{id}/review", P(ViewDataProtection), post(pages::review)),
        route("GET", "/privacy/retention", P(ViewDataProtection), get(pages::retention_report)),
        route("GET", "/privacy/retention/confirm", P(ViewDataProtection), get(pages::retention_confirm)),
        route("POST", "/privacy/retention/run", P(ViewDataProtection), post(pages::retention_run)),
        route("GET", "/privacy/register", P(ViewDataProtection), get(pages::register_page)),
        route("GET", "/privacy/alerts", P(ViewCaseFile), get(emergency::alerts)),
        route("POST", "/privacy/alerts/{id}/acknowledge", P(ViewCaseFile), post(emergency::acknowledge)),
        route("GET", "/emergency-access", P(EmergencyAccess), get(emergency::form)),
        route("POST", "/emergency-access", P(EmergencyAccess), post(emergency::open)),
        route("GET", "/emergency-access/{id}", P(EmergencyAccess), get(emergency::view)),
    ]
}
