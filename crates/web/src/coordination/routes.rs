//! Routes of this area, joined with the others in `crate::routes`.

use super::{annual, annual_measure, measure, plans, public};
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
        route("GET", "/coordination/plans/{code}/years/{year}", P(ViewPlans), get(annual::page)),
        route("GET", "/coordination/plans/{code}/years/{year}/export.csv", P(ViewPlans), get(annual::export_csv)),
        route("GET", "/coordination/plans/{code}/years/{year}/export.xlsx", P(ViewPlans), get(annual::export_xlsx)),
        route("GET", "/coordination/plans/{code}/years/{year}/measures/{number}", P(ViewPlans), get(annual_measure::page)),
        route("POST", "/coordination/plans/{code}/years/{year}/measures/{number}/money", P(ManagePlans), post(annual_measure::set_money)),
        route("POST", "/coordination/plans/{code}/years/{year}/measures/{number}/status", P(ManagePlans), post(annual_measure::report_status)),
        route("POST", "/coordination/plans/{code}/years/{year}/measures/{number}/milestones", P(ManagePlans), post(annual_measure::add_milestone)),
        route("POST", "/coordination/plans/{code}/years/{year}/measures/{number}/milestones/{id}/reached", P(ManagePlans), post(annual_measure::reach_milestone)),
        route("POST", "/coordination/plans/{code}/years/{year}/measures/{number}/indicators", P(ManagePlans), post(annual_measure::add_indicator)),
        route("POST", "/coordination/plans/{code}/years/{year}/measures/{number}/indicators/{id}/values", P(ManagePlans), post(annual_measure::report_value)),
    ]
}
