//! Routes of this area, joined with the others in `crate::routes`.

use super::openid::flow;
use super::{account, login, mfa, setup};
use crate::guard::Access;
use crate::routes::{Route, route};
use axum::routing::{get, post};

const LOGIN: Access = Access::Public("signing in must be possible without a session");

const SETUP: Access = Access::Public("the one-time link is the credential");

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
pub(crate) fn routes() -> Vec<Route> {
    use Access::{AnySession, SignedIn};
    vec![
        route("GET", "/login", LOGIN, get(login::form)),
        route("POST", "/login", LOGIN, post(login::submit)),
        route("GET", "/login/oidc/callback", LOGIN, get(flow::callback)),
        route("GET", "/login/oidc/requested", LOGIN, get(flow::requested)),
        route("GET", "/login/oidc/{provider}", LOGIN, get(flow::start)),
        route("GET", "/setup/{token}", SETUP, get(setup::form)),
        route("POST", "/setup/{token}", SETUP, post(setup::submit)),
        route("GET", "/login/mfa", AnySession, get(mfa::challenge_form)),
        route("POST", "/login/mfa", AnySession, post(mfa::challenge_submit)),
        route("GET", "/account/mfa", AnySession, get(mfa::enrol_form)),
        route("POST", "/account/mfa", AnySession, post(mfa::enrol_submit)),
        route("POST", "/logout", AnySession, post(login::logout)),
        route("GET", "/reauth", SignedIn, get(mfa::reauth_form)),
        route("POST", "/reauth", SignedIn, post(mfa::reauth_submit)),
        route("GET", "/account", SignedIn, get(account::page)),
        route("POST", "/account/password", SignedIn, post(account::change_password)),
    ]
}
