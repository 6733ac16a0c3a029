//! Routes of this area, joined with the others in `crate::routes`.

use super::{access_requests, api_tokens, audit, audit_export, catalogues, organisations, sign_in, users};
use crate::guard::Access;
use crate::routes::{Route, route};
use axum::routing::{get, post};

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
pub(crate) fn routes() -> Vec<Route> {
    use Access::Permission as P;
    use relais_domain::access::role::Permission::{ManageApiTokens, ManageCatalogues, ManageOrganisations, ManageUsers, ViewAuditLog};
    vec![
        route("GET", "/admin/organisations", P(ManageOrganisations), get(organisations::list)),
        route("POST", "/admin/organisations", P(ManageOrganisations), post(organisations::create)),
        route("GET", "/admin/organisations/new", P(ManageOrganisations), get(organisations::new_form)),
        route("POST", "/admin/organisations/{id}/active", P(ManageOrganisations), post(organisations::set_active)),
        route("GET", "/admin/users", P(ManageUsers), get(users::list)),
        route("POST", "/admin/users", P(ManageUsers), post(users::create)),
        route("GET", "/admin/users/new", P(ManageUsers), get(users::new_form)),
        route("GET", "/admin/users/{id}", P(ManageUsers), get(users::detail)),
        route("POST", "/admin/users/{id}/roles", P(ManageUsers), post(users::set_roles)),
        route("POST", "/admin/users/{id}/active", P(ManageUsers), post(users::set_active)),
        route("POST", "/admin/users/{id}/reset", P(ManageUsers), post(users::reset_password)),
        route("GET", "/admin/access-requests", P(ManageUsers), get(access_requests::list)),
        route("POST", "/admin/access-requests/{id}/approve", P(ManageUsers), post(access_requests::approve)),
        route("POST", "/admin/access-requests/{id}/refuse", P(ManageUsers), post(access_requests::refuse)),
        route("GET", "/admin/sign-in", P(ManageUsers), get(sign_in::form)),
        route("POST", "/admin/sign-in", P(ManageUsers), post(sign_in::save)),
        route("GET", "/admin/audit", P(ViewAuditLog), get(audit::list)),
        route("GET", "/admin/audit.csv", P(ViewAuditLog), get(audit_export::export)),
        route("GET", "/admin/catalogues", P(ManageCatalogues), get(catalogues::list)),
        route("POST", "/admin/catalogues", P(ManageCatalogues), post(catalogues::import)),
        route("GET", "/admin/catalogues/{id}/{version}", P(ManageCatalogues), get(catalogues::detail)),
        route("GET", "/admin/api-tokens", P(ManageApiTokens), get(api_tokens::list)),
        route("POST", "/admin/api-tokens", P(ManageApiTokens), post(api_tokens::create)),
        route("POST", "/admin/api-tokens/{id}/revoke", P(ManageApiTokens), post(api_tokens::revoke)),
    ]
}
