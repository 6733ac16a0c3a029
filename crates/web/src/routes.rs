//! The route table: every route of Relais with the access it requires. The
//! router is built only from this table, and a test walks it.

use crate::access::{self, Access};
use crate::error::AppError;
use crate::handlers::{
    account, admin_api_tokens, admin_audit, admin_catalogues, admin_organisations, admin_users, api, case_file,
    case_people, cases, directory, emergency, equal_access, health, home, language, login, mfa, onward, privacy,
    referral_form, referrals, setup, signalement, support, timeliness, triage,
};
use crate::{AppState, assets, csrf, metrics, security, session};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{MethodRouter, get, post};
use relais_domain::case_access::{CaseArea, Mode};
use relais_domain::role::Permission;
use tower::ServiceBuilder;

/// One row of the table.
pub struct Route {
    pub path: &'static str,
    pub method: &'static str,
    pub access: Access,
    handler: MethodRouter<AppState>,
}

fn route(method: &'static str, path: &'static str, access: Access, handler: MethodRouter<AppState>) -> Route {
    Route {
        path,
        method,
        access,
        handler,
    }
}

const LOGIN: Access = Access::Public("signing in must be possible without a session");
const SETUP: Access = Access::Public("the one-time link is the credential");
const SIGNALEMENT: Access =
    Access::Public("anyone may report a situation without an account; rate-limited per address, honeypot");
const FOLLOW_UP: Access = Access::Public("the follow-up code and passphrase are the credential; rate-limited");

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
fn table() -> Vec<Route> {
    use Access::{AnySession, Case as C, Permission as P, SignedIn};
    use CaseArea::{
        Closure, Decision, Dependants, Documents, Identity, Needs, Notes, OnwardReferrals, Permits, Placement,
        Reconsideration, Sharing, Summary, Tasks,
    };
    use Mode::{Read, Write};
    use Permission::{
        ConfirmDataRights, EmergencyAccess, IdentifyVictims, ImportDirectory, ManageApiTokens, ManageCatalogues,
        ManageOrganisations, ManageServices, ManageUsers, RequestDataRights, SubmitReferrals, TriageReferrals,
        ViewAuditLog, ViewCaseFile, ViewDataProtection, ViewDirectory, ViewStatistics,
    };
    vec![
        route("GET", "/", Access::Public("landing page"), get(home::landing)),
        route("GET", "/healthz", Access::Public("load-balancer health check"), get(health::healthz)),
        route("GET", "/metrics", Access::Public("monitoring scrape: the handler checks the metrics_token bearer (404 when none is set); route templates and counts only"), get(health::metrics)),
        route("GET", "/assets/{*path}", Access::Public("static assets"), get(assets::serve)),
        route("POST", "/language", Access::Public("anyone may choose the language"), post(language::switch)),
        route("GET", "/login", LOGIN, get(login::form)),
        route("POST", "/login", LOGIN, post(login::submit)),
        route("GET", "/signalement", SIGNALEMENT, get(signalement::form)),
        route("POST", "/signalement", SIGNALEMENT, post(signalement::submit)),
        route("GET", "/signalement/envoye", SIGNALEMENT, get(signalement::confirmation)),
        route("GET", "/signalement/suivi", FOLLOW_UP, get(signalement::follow_up_form)),
        route("POST", "/signalement/suivi", FOLLOW_UP, post(signalement::follow_up_submit)),
        route("POST", "/signalement/suivi/complement", FOLLOW_UP, post(signalement::add_information)),
        route("GET", "/setup/{token}", SETUP, get(setup::form)),
        route("POST", "/setup/{token}", SETUP, post(setup::submit)),
        route("GET", "/login/mfa", AnySession, get(mfa::challenge_form)),
        route("POST", "/login/mfa", AnySession, post(mfa::challenge_submit)),
        route("GET", "/account/mfa", AnySession, get(mfa::enrol_form)),
        route("POST", "/account/mfa", AnySession, post(mfa::enrol_submit)),
        route("POST", "/logout", AnySession, post(login::logout)),
        route("GET", "/reauth", SignedIn, get(mfa::reauth_form)),
        route("POST", "/reauth", SignedIn, post(mfa::reauth_submit)),
        route("GET", "/dashboard", SignedIn, get(home::dashboard)),
        route("GET", "/account", SignedIn, get(account::page)),
        route("POST", "/account/password", SignedIn, post(account::change_password)),
        route("GET", "/admin/organisations", P(ManageOrganisations), get(admin_organisations::list)),
        route("POST", "/admin/organisations", P(ManageOrganisations), post(admin_organisations::create)),
        route("GET", "/admin/organisations/new", P(ManageOrganisations), get(admin_organisations::new_form)),
        route("POST", "/admin/organisations/{id}/active", P(ManageOrganisations), post(admin_organisations::set_active)),
        route("GET", "/admin/users", P(ManageUsers), get(admin_users::list)),
        route("POST", "/admin/users", P(ManageUsers), post(admin_users::create)),
        route("GET", "/admin/users/new", P(ManageUsers), get(admin_users::new_form)),
        route("GET", "/admin/users/{id}", P(ManageUsers), get(admin_users::detail)),
        route("POST", "/admin/users/{id}/roles", P(ManageUsers), post(admin_users::set_roles)),
        route("POST", "/admin/users/{id}/active", P(ManageUsers), post(admin_users::set_active)),
        route("POST", "/admin/users/{id}/reset", P(ManageUsers), post(admin_users::reset_password)),
        route("GET", "/admin/audit", P(ViewAuditLog), get(admin_audit::list)),
        route("GET", "/admin/catalogues", P(ManageCatalogues), get(admin_catalogues::list)),
        route("POST", "/admin/catalogues", P(ManageCatalogues), post(admin_catalogues::import)),
        route("GET", "/admin/catalogues/{id}/{version}", P(ManageCatalogues), get(admin_catalogues::detail)),
        route("GET", "/referrals", P(SubmitReferrals), get(referrals::list)),
        route("POST", "/referrals", P(SubmitReferrals), post(referral_form::create)),
        route("GET", "/referrals/{id}", P(SubmitReferrals), get(referrals::status)),
        route("POST", "/referrals/{id}/reply", P(SubmitReferrals), post(referrals::reply)),
        route("POST", "/referrals/{id}/reconsideration", P(SubmitReferrals), post(referrals::reconsideration)),
        route("GET", "/referrals/{id}/steps/{step}", P(SubmitReferrals), get(referral_form::step_form)),
        route("POST", "/referrals/{id}/steps/{step}", P(SubmitReferrals), post(referral_form::step_submit)),
        route("POST", "/referrals/{id}/screening", P(SubmitReferrals), post(referral_form::live_screening)),
        route("GET", "/referrals/{id}/check", P(SubmitReferrals), get(referral_form::check)),
        route("POST", "/referrals/{id}/submit", P(SubmitReferrals), post(referral_form::submit)),
        route("GET", "/admin/api-tokens", P(ManageApiTokens), get(admin_api_tokens::list)),
        route("POST", "/admin/api-tokens", P(ManageApiTokens), post(admin_api_tokens::create)),
        route("POST", "/admin/api-tokens/{id}/revoke", P(ManageApiTokens), post(admin_api_tokens::revoke)),
        route("GET", "/api/v1/openapi.json", Access::Public("API description"), get(api::openapi)),
        route("POST", "/api/v1/referrals", Access::ApiToken, post(api::submit)),
        route("GET", "/api/v1/referrals/{reference}", Access::ApiToken, get(api::status)),
        route("GET", "/triage", P(TriageReferrals), get(triage::queue)),
        route("GET", "/triage/{id}", P(TriageReferrals), get(triage::item)),
        route("POST", "/triage/{id}/request-information", P(TriageReferrals), post(triage::request_information)),
        route("POST", "/triage/{id}/accept", P(TriageReferrals), post(triage::accept)),
        route("POST", "/triage/{id}/reject", P(TriageReferrals), post(triage::reject)),
        route("POST", "/triage/{id}/duplicate", P(TriageReferrals), post(triage::duplicate)),
        route("POST", "/triage/{id}/record", P(TriageReferrals), post(triage::record)),
        route("POST", "/triage/tasks/{id}/done", P(TriageReferrals), post(triage::task_done)),
        route("GET", "/cases", P(IdentifyVictims), get(cases::queue)),
        route("GET", "/cases/{id}", C(IdentifyVictims, Decision, Read), get(cases::detail)),
        route("POST", "/cases/{id}/events", C(IdentifyVictims, Decision, Write), post(cases::transition)),
        route("GET", "/cases/{id}/letter", C(IdentifyVictims, Decision, Read), get(cases::letter)),
        route("POST", "/cases/{id}/cooperation", C(IdentifyVictims, Decision, Write), post(cases::cooperation)),
        route("GET", "/statistics/timeliness", P(ViewStatistics), get(timeliness::dashboard)),
        route("GET", "/statistics/equal-access", P(ViewStatistics), get(equal_access::dashboard)),
        route("GET", "/cases/{id}/file", C(ViewCaseFile, Summary, Read), get(case_file::file)),
        route("POST", "/cases/{id}/file/notes", C(ViewCaseFile, Notes, Write), post(case_file::add_note)),
        route("POST", "/cases/{id}/file/documents", C(ViewCaseFile, Documents, Write), post(case_file::upload).layer(DefaultBodyLimit::max(csrf::UPLOAD_LIMIT_BYTES))),
        route("GET", "/cases/{id}/file/documents/{document}", C(ViewCaseFile, Documents, Read), get(case_file::download)),
        route("POST", "/cases/{id}/file/tasks", C(ViewCaseFile, Tasks, Write), post(case_file::add_task)),
        route("POST", "/cases/{id}/file/reconsideration", C(ViewCaseFile, Reconsideration, Write), post(case_file::request_reconsideration)),
        route("GET", "/cases/{id}/file/people", C(ViewCaseFile, Identity, Read), get(case_people::people)),
        route("POST", "/cases/{id}/file/people/person", C(ViewCaseFile, Identity, Write), post(case_people::save_person)),
        route("POST", "/cases/{id}/file/people/dependants", C(ViewCaseFile, Dependants, Write), post(case_people::add_dependant)),
        route("POST", "/cases/{id}/file/people/dependants/{row}/remove", C(ViewCaseFile, Dependants, Write), post(case_people::remove_dependant)),
        route("POST", "/cases/{id}/file/tasks/{task}/done", C(ViewCaseFile, Tasks, Write), post(case_file::task_done)),
        route("POST", "/cases/{id}/file/shares", C(IdentifyVictims, Sharing, Write), post(case_file::share)),
        route("POST", "/cases/{id}/file/shares/{share}/revoke", C(IdentifyVictims, Sharing, Write), post(case_file::revoke)),
        route("GET", "/cases/{id}/onward", C(ViewCaseFile, OnwardReferrals, Read), get(onward::case_referrals)),
        route("POST", "/cases/{id}/onward", C(ViewCaseFile, OnwardReferrals, Write), post(onward::send_to_service)),
        route("POST", "/cases/{id}/onward/{referral}/withdraw", C(ViewCaseFile, OnwardReferrals, Write), post(onward::withdraw)),
        route("GET", "/cases/{id}/onward/placement", C(ViewCaseFile, Placement, Read), get(onward::placement_form)),
        route("POST", "/cases/{id}/onward/placement", C(ViewCaseFile, Placement, Write), post(onward::placement_match)),
        route("POST", "/cases/{id}/onward/placement/send", C(ViewCaseFile, Placement, Write), post(onward::placement_send)),
        route("GET", "/onward", P(ViewCaseFile), get(onward::inbox)),
        route("GET", "/onward/{id}", P(ViewCaseFile), get(onward::received)),
        route("POST", "/onward/{id}/answer", P(ViewCaseFile), post(onward::answer)),
        route("GET", "/shared-cases", P(ViewCaseFile), get(case_file::shared)),
        route("GET", "/cases/{id}/support", C(ViewCaseFile, Needs, Read), get(support::show)),
        route("POST", "/cases/{id}/support/needs", C(ViewCaseFile, Needs, Write), post(support::assess)),
        route("POST", "/cases/{id}/support/permits", C(ViewCaseFile, Permits, Write), post(support::save_permit)),
        route("POST", "/cases/{id}/support/close", C(IdentifyVictims, Closure, Write), post(support::close)),
        route("POST", "/cases/{id}/support/reopen", C(IdentifyVictims, Closure, Write), post(support::reopen)),
        route("GET", "/directory", P(ViewDirectory), get(directory::list)),
        route("GET", "/directory/services/{id}", P(ViewDirectory), get(directory::service)),
        route("POST", "/directory/services/{id}/places", P(ManageServices), post(directory::update_places)),
        route("GET", "/directory/prefectures", P(ViewDirectory), get(directory::prefectures)),
        route("GET", "/directory/import", P(ImportDirectory), get(directory::import_form)),
        route("POST", "/directory/import", P(ImportDirectory), post(directory::import).layer(DefaultBodyLimit::max(csrf::UPLOAD_LIMIT_BYTES))),
        // Data protection (issue 11, part 2): docs/adr/0020-data-protection-lifecycle.md.
        route("GET", "/privacy", P(RequestDataRights), get(privacy::hub)),
        route("POST", "/privacy/lookup", P(RequestDataRights), post(privacy::lookup)),
        route("GET", "/privacy/cases/{id}", P(RequestDataRights), get(privacy::case)),
        route("POST", "/privacy/cases/{id}/hold", P(RequestDataRights), post(privacy::place_hold)),
        route("POST", "/privacy/cases/{id}/hold/lift", P(RequestDataRights), post(privacy::lift_hold)),
        route("POST", "/privacy/cases/{id}/requests", P(RequestDataRights), post(privacy::file_request)),
        route("GET", "/privacy/requests", P(RequestDataRights), get(privacy::requests)),
        route("GET", "/privacy/requests/{id}", P(RequestDataRights), get(privacy::request)),
        route("POST", "/privacy/requests/{id}/confirm", P(ConfirmDataRights), post(privacy::confirm)),
        route("POST", "/privacy/requests/{id}/refuse", P(ConfirmDataRights), post(privacy::refuse)),
        route("GET", "/privacy/requests/{id}/export", P(RequestDataRights), get(privacy::export_page)),
        route("GET", "/privacy/requests/{id}/export/json", P(RequestDataRights), get(privacy::export_json)),
        route("GET", "/privacy/break-glass", P(ViewDataProtection), get(privacy::break_glass)),
        route("POST", "/privacy/break-glass/{id}/review", P(ViewDataProtection), post(privacy::review)),
        route("GET", "/privacy/retention", P(ViewDataProtection), get(privacy::retention_report)),
        route("GET", "/privacy/retention/confirm", P(ViewDataProtection), get(privacy::retention_confirm)),
        route("POST", "/privacy/retention/run", P(ViewDataProtection), post(privacy::retention_run)),
        route("GET", "/privacy/register", P(ViewDataProtection), get(privacy::register_page)),
        route("GET", "/privacy/alerts", P(ViewCaseFile), get(emergency::alerts)),
        route("POST", "/privacy/alerts/{id}/acknowledge", P(ViewCaseFile), post(emergency::acknowledge)),
        route("GET", "/emergency-access", P(EmergencyAccess), get(emergency::form)),
        route("POST", "/emergency-access", P(EmergencyAccess), post(emergency::open)),
        route("GET", "/emergency-access/{id}", P(EmergencyAccess), get(emergency::view)),
    ]
}

/// (method, path, access) of every route, for tests and documentation.
pub fn route_table() -> Vec<(&'static str, &'static str, Access)> {
    table().into_iter().map(|r| (r.method, r.path, r.access)).collect()
}

async fn not_found() -> AppError {
    AppError::NotFound
}

pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for r in table() {
        let guarded = r
            .handler
            .route_layer(from_fn_with_state((state.clone(), r.access), access::guard));
        router = router.route(r.path, guarded);
    }
    router
        .fallback(not_found)
        .layer(
            ServiceBuilder::new()
                .layer(from_fn(security::headers))
                .layer(from_fn_with_state(state.clone(), metrics::record))
                .layer(from_fn_with_state(state.clone(), session::context))
                .layer(from_fn_with_state(state.clone(), csrf::verify))
                .layer(DefaultBodyLimit::max(csrf::FORM_LIMIT_BYTES)),
        )
        .with_state(state)
}
