//! Routes of this area, joined with the others in `crate::routes`.

use super::{case_file, case_people, cases, htcds, letter, onward, support};
use crate::csrf;
use crate::guard::Access;
use crate::routes::{Route, route};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
pub(crate) fn routes() -> Vec<Route> {
    use Access::{Case as C, Permission as P};
    use relais_domain::casework::case_access::CaseArea::{Closure, Decision, Dependants, Documents, Identity, Needs, Notes, OnwardReferrals, Permits, Placement, Reconsideration, Sharing, Summary, Tasks};
    use relais_domain::casework::case_access::Mode::{Read, Write};
    use relais_domain::access::role::Permission::{IdentifyVictims, ViewCaseFile};
    vec![
        route("GET", "/cases", P(IdentifyVictims), get(cases::queue)),
        route("GET", "/cases/{id}", C(IdentifyVictims, Decision, Read), get(cases::detail)),
        route("POST", "/cases/{id}/events", C(IdentifyVictims, Decision, Write), post(cases::transition)),
        route("GET", "/cases/{id}/letter", C(IdentifyVictims, Decision, Read), get(letter::letter)),
        route("GET", "/cases/{id}/htcds.json", C(IdentifyVictims, Identity, Read), get(htcds::export)),
        route("POST", "/cases/{id}/cooperation", C(IdentifyVictims, Decision, Write), post(cases::cooperation)),
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
    ]
}
