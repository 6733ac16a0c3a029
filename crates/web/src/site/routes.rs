//! Routes of this area, joined with the others in `crate::routes`.

use super::{health, home, language, legal};
use crate::assets;
use crate::guard::Access;
use crate::routes::{Route, route};
use axum::routing::{get, post};

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
pub(crate) fn routes() -> Vec<Route> {
    use Access::SignedIn;
    vec![
        route("GET", "/", Access::Public("landing page"), get(home::landing)),
        route("GET", "/healthz", Access::Public("load-balancer health check"), get(health::healthz)),
        route("GET", "/metrics", Access::Public("monitoring scrape: the handler checks the metrics_token bearer (404 when none is set); route templates and counts only"), get(health::metrics)),
        route("GET", "/assets/{*path}", Access::Public("static assets"), get(assets::serve)),
        route("POST", "/language", Access::Public("anyone may choose the language"), post(language::switch)),
        route("GET", "/dashboard", SignedIn, get(home::dashboard)),
        route("GET", "/accessibilite", Access::Public("accessibility statement"), get(legal::accessibility)),
        route("GET", "/mentions-legales", Access::Public("legal notice"), get(legal::legal_notice)),
        route("GET", "/donnees-personnelles", Access::Public("personal data notice"), get(legal::personal_data)),
        route("GET", "/cookies", Access::Public("cookies notice"), get(legal::cookies)),
    ]
}
