//! Routes of this area, joined with the others in `crate::routes`.

use super::{
    annual, annual_measure, bodies, budget, budget_forms, committee, evaluation, measure, meeting, plans, public,
    round_update, rounds,
};
use crate::csrf;
use crate::guard::Access;
use crate::routes::{Route, route};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
pub(crate) fn routes() -> Vec<Route> {
    use Access::Permission as P;
    use relais_domain::access::role::Permission::{
        EvaluatePlans, ManageCommittee, ManagePlans, RatePlans, ReportOnMeasures, ViewCommittee, ViewPlans,
    };
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
        route("GET", "/coordination/plans/{code}/evaluation", P(EvaluatePlans), get(evaluation::page)),
        route("GET", "/coordination/plans/{code}/evaluation.csv", P(EvaluatePlans), get(evaluation::export_csv)),
        route("GET", "/coordination/plans/{code}/evaluation.xlsx", P(EvaluatePlans), get(evaluation::export_xlsx)),
        route("GET", "/coordination/plans/{code}/rounds", P(ViewPlans), get(rounds::list)),
        route("POST", "/coordination/plans/{code}/rounds", P(ManagePlans), post(rounds::open)),
        route("GET", "/coordination/rounds/{id}", P(ViewPlans), get(rounds::round)),
        route("POST", "/coordination/rounds/{id}/close", P(ManagePlans), post(rounds::close)),
        route("GET", "/coordination/rounds/{id}/measures/{number}", P(ViewPlans), get(round_update::page)),
        route("POST", "/coordination/rounds/{id}/measures/{number}", P(ReportOnMeasures), post(round_update::submit)),
        route("POST", "/coordination/rounds/{id}/measures/{number}/decision", P(ManagePlans), post(round_update::decide)),
        route("GET", "/coordination/asked", P(ReportOnMeasures), get(rounds::asked)),
        route("GET", "/coordination/bodies", P(ViewPlans), get(bodies::list)),
        route("POST", "/coordination/bodies", P(ManagePlans), post(bodies::link)),
        route("GET", "/coordination/committee", P(ViewCommittee), get(committee::page)),
        route("POST", "/coordination/committee/members", P(ManageCommittee), post(committee::add_member)),
        route("POST", "/coordination/committee/members/{id}/active", P(ManageCommittee), post(committee::set_member_active)),
        route("POST", "/coordination/committee/meetings", P(ManageCommittee), post(committee::add_meeting)),
        route("GET", "/coordination/committee/meetings/{id}", P(ViewCommittee), get(meeting::page)),
        route("POST", "/coordination/committee/meetings/{id}", P(ManageCommittee), post(meeting::update)),
        route("POST", "/coordination/committee/meetings/{id}/record", P(ManageCommittee), post(meeting::record)),
        route("POST", "/coordination/committee/meetings/{id}/decisions", P(ManageCommittee), post(meeting::add_decision)),
        route("POST", "/coordination/committee/meetings/{id}/action-items", P(ManageCommittee), post(meeting::add_action)),
        route("POST", "/coordination/committee/meetings/{id}/action-items/{item}/done", P(ManageCommittee), post(meeting::set_action_done)),
        route("POST", "/coordination/committee/meetings/{id}/invitations", P(ManageCommittee), post(meeting::invite)),
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
