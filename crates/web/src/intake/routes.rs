//! Routes of this area, joined with the others in `crate::routes`.

use super::{referral_form, referrals, signalement, triage};
use crate::guard::Access;
use crate::routes::{Route, route};
use axum::routing::{get, post};

const SIGNALEMENT: Access =
    Access::Public("anyone may report a situation without an account; rate-limited per address, honeypot");

const FOLLOW_UP: Access = Access::Public("the follow-up code and passphrase are the credential; rate-limited");

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
pub(crate) fn routes() -> Vec<Route> {
    use Access::Permission as P;
    use relais_domain::access::role::Permission::{SubmitReferrals, TriageReferrals};
    vec![
        route("GET", "/signalement", SIGNALEMENT, get(signalement::form)),
        route("POST", "/signalement", SIGNALEMENT, post(signalement::submit)),
        route("GET", "/signalement/envoye", SIGNALEMENT, get(signalement::confirmation)),
        route("GET", "/signalement/suivi", FOLLOW_UP, get(signalement::follow_up_form)),
        route("POST", "/signalement/suivi", FOLLOW_UP, post(signalement::follow_up_submit)),
        route("POST", "/signalement/suivi/complement", FOLLOW_UP, post(signalement::add_information)),
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
        route("GET", "/triage", P(TriageReferrals), get(triage::queue)),
        route("GET", "/triage/{id}", P(TriageReferrals), get(triage::item)),
        route("POST", "/triage/{id}/request-information", P(TriageReferrals), post(triage::request_information)),
        route("POST", "/triage/{id}/accept", P(TriageReferrals), post(triage::accept)),
        route("POST", "/triage/{id}/reject", P(TriageReferrals), post(triage::reject)),
        route("POST", "/triage/{id}/duplicate", P(TriageReferrals), post(triage::duplicate)),
        route("POST", "/triage/{id}/record", P(TriageReferrals), post(triage::record)),
        route("POST", "/triage/tasks/{id}/done", P(TriageReferrals), post(triage::task_done)),
    ]
}
