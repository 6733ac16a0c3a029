//! The route table: every route of Relais with the access it requires. The
//! router is built only from this table, and a test walks it.

use crate::error::AppError;
use crate::guard::{self, Access};
use crate::{AppState, csrf, metrics, security, session};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::MethodRouter;
use tower::ServiceBuilder;

/// One row of the table.
pub(crate) struct Route {
    pub path: &'static str,
    pub method: &'static str,
    pub access: Access,
    handler: MethodRouter<AppState>,
}

pub(crate) fn route(
    method: &'static str,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        path,
        method,
        access,
        handler,
    }
}

/// Every route: the areas' tables joined.
fn table() -> Vec<Route> {
    [
        crate::site::routes(),
        crate::access::routes(),
        crate::intake::routes(),
        crate::casework::routes(),
        crate::directory::routes(),
        crate::coordination::routes(),
        crate::statistics::routes(),
        crate::observatory::routes(),
        crate::privacy::routes(),
        crate::admin::routes(),
        crate::api::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
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
            .route_layer(from_fn_with_state((state.clone(), r.access), guard::guard));
        router = router.route(r.path, guarded);
    }
    router
        .fallback(not_found)
        .layer(
            ServiceBuilder::new()
                .layer(from_fn_with_state(state.clone(), security::headers))
                .layer(from_fn_with_state(state.clone(), metrics::record))
                .layer(from_fn_with_state(state.clone(), session::context))
                .layer(from_fn_with_state(state.clone(), csrf::verify))
                .layer(DefaultBodyLimit::max(csrf::FORM_LIMIT_BYTES)),
        )
        .with_state(state)
}
