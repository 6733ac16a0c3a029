//! Routes of this area, joined with the others in `crate::routes`.

use super::{budget, budget_forms, measure, plans, public};
use crate::csrf;
use crate::guard::Access;
use crate::routes::{Route, route};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
pub(crate) fn routes() -> Vec<Route> {
    use Access::Permission as P;
    use relais_domain::access::role::Permission::{ManagePlans, RatePlans, ViewPlans};
    vec![
        route("GET", "/plans", Access::Public("the published progress of the national action plans: measures, never a person"), get(public::page)),
        route("GET", "/coordination/plans", P(ViewPlans), get(plans::list)),
        route("GET", "/coordination/import", P(ManagePlans), get(plans::import_form)),
        route("POST", "/coordination/import", P(ManagePlans), post(plans::import).layer(DefaultBodyLimit::max(csrf::UPLOAD_LIMIT_BYTES))),
        route("GET", "/coordination/plans/{code}", P(ViewPlans), get(plans::plan)),
        route("GET", "/coordination/plans/{code}/export.csv", P(ViewPlans), get(plans::export_csv)),
        route("GET", "/coordination/plans/{code}/export.xlsx", P(ViewPlans), get(plans::export_xlsx)),
        route("POST", "/coordination/plans/{code}/publication", P(ManagePlans), post(plans::publish)),
        route("GET", "/coordination/plans/{code}/measures/{number}", P(ViewPlans), get(measure::page)),
        route("POST", "/coordination/plans/{code}/measures/{number}", P(ManagePlans), post(measure::update)),
        route("POST", "/coordination/plans/{code}/measures/{number}/rating", P(RatePlans), post(measure::rate)),
        route("GET", "/coordination/plans/{code}/budget", P(ViewPlans), get(budget::page)),
        route("GET", "/coordination/plans/{code}/budget/lines.csv", P(ViewPlans), get(budget::export_lines)),
        route("GET", "/coordination/plans/{code}/budget/grants.csv", P(ViewPlans), get(budget::export_grants)),
        route("GET", "/coordination/plans/{code}/budget/lines/new", P(ManagePlans), get(budget_forms::new_line)),
        route("POST", "/coordination/plans/{code}/budget/lines", P(ManagePlans), post(budget_forms::create_line)),
        route("GET", "/coordination/plans/{code}/budget/lines/{id}", P(ManagePlans), get(budget_forms::edit_line)),
        route("POST", "/coordination/plans/{code}/budget/lines/{id}", P(ManagePlans), post(budget_forms::update_line)),
        route("POST", "/coordination/plans/{code}/budget/lines/{id}/measures", P(ManagePlans), post(budget_forms::link_measures)),
        route("GET", "/coordination/plans/{code}/budget/grants/new", P(ManagePlans), get(budget_forms::new_grant)),
        route("POST", "/coordination/plans/{code}/budget/grants", P(ManagePlans), post(budget_forms::create_grant)),
    ]
}
