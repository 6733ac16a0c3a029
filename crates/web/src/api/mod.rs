//! The machine-to-machine API (v1) and its OpenAPI description.

mod routes;
pub mod v1;

pub(crate) use routes::routes;
