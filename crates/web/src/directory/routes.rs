//! Routes of this area, joined with the others in `crate::routes`.

use super::pages;
use crate::csrf;
use crate::guard::Access;
use crate::routes::{Route, route};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
pub(crate) fn routes() -> Vec<Route> {
    use Access::Permission as P;
    use relais_domain::access::role::Permission::{ImportDirectory, ManageServices, ViewDirectory};
    vec![
        route("GET", "/directory", P(ViewDirectory), get(pages::list)),
        route("GET", "/directory/services/{id}", P(ViewDirectory), get(pages::service)),
        route("POST", "/directory/services/{id}/places", P(ManageServices), post(pages::update_places)),
        route("GET", "/directory/prefectures", P(ViewDirectory), get(pages::prefectures)),
        route("GET", "/directory/import", P(ImportDirectory), get(pages::import_form)),
        route("POST", "/directory/import", P(ImportDirectory), post(pages::import).layer(DefaultBodyLimit::max(csrf::UPLOAD_LIMIT_BYTES))),
    ]
}
