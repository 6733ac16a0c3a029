//! Routes of this area, joined with the others in `crate::routes`.

use super::{exports, pages, statistics, survey_answer, survey_campaigns, survey_sheet};
use crate::csrf;
use crate::guard::Access;
use crate::routes::{Route, route};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
pub(crate) fn routes() -> Vec<Route> {
    use Access::Permission as P;
    use relais_domain::access::role::Permission::{AnswerSurvey, ManageObservatory};
    vec![
        route("GET", "/observatory", P(ManageObservatory), get(pages::home)),
        route("GET", "/observatory/statistics", P(ManageObservatory), get(statistics::statistics)),
        route("GET", "/observatory/exports", P(ManageObservatory), get(exports::page)),
        route("GET", "/observatory/exports/eurostat.csv", P(ManageObservatory), get(exports::eurostat)),
        route("GET", "/observatory/exports/ctdc.csv", P(ManageObservatory), get(exports::ctdc)),
        route("GET", "/observatory/sources", P(ManageObservatory), get(pages::list)),
        route("POST", "/observatory/sources", P(ManageObservatory), post(pages::create)),
        route("GET", "/observatory/sources/new", P(ManageObservatory), get(pages::new_form)),
        route("GET", "/observatory/sources/{code}", P(ManageObservatory), get(pages::source)),
        route("POST", "/observatory/sources/{code}", P(ManageObservatory), post(pages::update)),
        route("GET", "/observatory/sources/{code}/schema.json", P(ManageObservatory), get(pages::schema)),
        route("POST", "/observatory/sources/{code}/imports", P(ManageObservatory), post(pages::import).layer(DefaultBodyLimit::max(csrf::UPLOAD_LIMIT_BYTES))),
        route("POST", "/observatory/sources/{code}/versions/{number}/restore", P(ManageObservatory), post(pages::restore)),
        route("GET", "/observatory/survey", P(ManageObservatory), get(survey_campaigns::list)),
        route("POST", "/observatory/survey", P(ManageObservatory), post(survey_campaigns::open)),
        route("GET", "/observatory/survey/{year}", P(ManageObservatory), get(survey_campaigns::completion)),
        route("GET", "/survey", P(AnswerSurvey), get(survey_answer::list)),
        route("GET", "/survey/{id}", P(AnswerSurvey), get(survey_answer::questionnaire)),
        route("POST", "/survey/{id}/totals", P(AnswerSurvey), post(survey_answer::save_totals)),
        route("POST", "/survey/{id}/profiles", P(AnswerSurvey), post(survey_answer::add_profile)),
        route("POST", "/survey/{id}/profiles/{profile}/remove", P(AnswerSurvey), post(survey_answer::remove_profile)),
        route("GET", "/survey/{id}/template.xlsx", P(AnswerSurvey), get(survey_sheet::template)),
        route("POST", "/survey/{id}/profiles/upload", P(AnswerSurvey), post(survey_sheet::upload).layer(DefaultBodyLimit::max(csrf::UPLOAD_LIMIT_BYTES))),
        route("GET", "/survey/{id}/check", P(AnswerSurvey), get(survey_answer::check)),
        route("POST", "/survey/{id}/submit", P(AnswerSurvey), post(survey_answer::submit)),
    ]
}
