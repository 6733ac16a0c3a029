//! Official figures computed from the cases, under the one disclosure-control policy.

pub mod equal_access;
pub(crate) mod kept;
mod routes;
pub mod timeliness;

pub(crate) use routes::routes;
