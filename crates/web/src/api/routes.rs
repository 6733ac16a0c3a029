//! Routes of this area, joined with the others in `crate::routes`.

use super::v1;
use crate::guard::Access;
use crate::routes::{Route, route};
use axum::routing::{get, post};

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
pub(crate) fn routes() -> Vec<Route> {
    vec![
        route("GET", "/api/v1/openapi.json", Access::Public("API description"), get(v1::openapi)),
        route("POST", "/api/v1/referrals", Access::ApiToken, post(v1::submit)),
        route("GET", "/api/v1/referrals/{reference}", Access::ApiToken, get(v1::status)),
    ]
}
