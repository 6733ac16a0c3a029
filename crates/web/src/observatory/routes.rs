//! Routes of this area, joined with the others in `crate::routes`.

use super::{
    estimate, exports, library, library_public, linkage, pages, publications, releases, statistics, survey_answer,
    survey_campaigns, survey_sheet, training, training_totals,
};
use crate::csrf;
use crate::guard::Access;
use crate::routes::{Route, route};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

const PUBLISHED: Access = Access::Public(
    "the observatory's published releases: figures frozen after the disclosure policy, never a row of a source",
);

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
pub(crate) fn routes() -> Vec<Route> {
    use Access::Permission as P;
    use relais_domain::access::role::Permission::{AnswerSurvey, ManageObservatory, RecordTraining, ViewStatistics};
    vec![
        route("GET", "/observatory", P(ManageObservatory), get(pages::home)),
        route("GET", "/observatory/statistics", P(ManageObservatory), get(statistics::statistics)),
        route("GET", "/observatory/releases", P(ManageObservatory), get(releases::list)),
        route("POST", "/observatory/releases", P(ManageObservatory), post(releases::create)),
        route("GET", "/observatory/releases/new", P(ManageObservatory), get(releases::new_form)),
        route("GET", "/observatory/releases/{id}", P(ManageObservatory), get(releases::show)),
        route("POST", "/observatory/releases/{id}/publish", P(ManageObservatory), post(releases::publish)),
        route("POST", "/observatory/releases/{id}/discard", P(ManageObservatory), post(releases::discard)),
        route("GET", "/publications", PUBLISHED, get(publications::list)),
        route("GET", "/publications/{year}/{version}", PUBLISHED, get(publications::report)),
        route("GET", "/publications/{year}/{version}/tableaux.csv", PUBLISHED, get(publications::csv)),
        route("GET", "/publications/{year}/{version}/tableaux.xlsx", PUBLISHED, get(publications::workbook)),
        route("GET", "/publications/{year}/{version}/datapackage.json", PUBLISHED, get(publications::datapackage)),
        route("GET", "/observatory/linkage", P(ManageObservatory), get(linkage::list)),
        route("POST", "/observatory/linkage", P(ManageObservatory), post(linkage::create).layer(DefaultBodyLimit::max(csrf::UPLOAD_LIMIT_BYTES))),
        route("GET", "/observatory/linkage/new", P(ManageObservatory), get(linkage::new_form)),
        route("GET", "/observatory/linkage/{id}", P(ManageObservatory), get(linkage::show)),
        route("GET", "/observatory/linkage/{id}/progress", P(ManageObservatory), get(linkage::progress)),
        route("GET", "/observatory/estimates", P(ManageObservatory), get(estimate::list)),
        route("POST", "/observatory/estimates", P(ManageObservatory), post(estimate::create).layer(DefaultBodyLimit::max(csrf::UPLOAD_LIMIT_BYTES))),
        route("GET", "/observatory/estimates/new", P(ManageObservatory), get(estimate::new_form)),
        route("GET", "/observatory/estimates/{id}", P(ManageObservatory), get(estimate::show)),
        route("GET", "/observatory/estimates/{id}/progress", P(ManageObservatory), get(estimate::progress)),
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
        route("GET", "/observatory/library", P(ManageObservatory), get(library::list)),
        route("POST", "/observatory/library", P(ManageObservatory), post(library::create).layer(DefaultBodyLimit::max(csrf::UPLOAD_LIMIT_BYTES))),
        route("GET", "/observatory/library/new", P(ManageObservatory), get(library::new_form)),
        route("GET", "/observatory/library/{id}", P(ManageObservatory), get(library::entry)),
        route("GET", "/observatory/library/{id}/file", P(ManageObservatory), get(library::file)),
        route("POST", "/observatory/library/{id}/publish", P(ManageObservatory), post(library::publish)),
        route("POST", "/observatory/library/{id}/withdraw", P(ManageObservatory), post(library::withdraw)),
        route("GET", "/library", Access::Public("the published studies and awareness material: publications, never a person"), get(library_public::list)),
        route("GET", "/library/{id}/file", Access::Public("a published study's PDF: drafts and withdrawn entries answer 404"), get(library_public::file)),
        route("GET", "/training", P(RecordTraining), get(training::list)),
        route("POST", "/training", P(RecordTraining), post(training::record)),
        route("POST", "/training/{id}/cancel", P(RecordTraining), post(training::cancel)),
        route("GET", "/statistics/training", P(ViewStatistics), get(training_totals::totals)),
    ]
}
