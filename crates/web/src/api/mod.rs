//! The machine-to-machine API (v1) and its OpenAPI description, generated from its types.

mod bodies;
mod document;
mod request;
mod routes;
mod schema;
pub mod v1;

pub(crate) use routes::routes;
