//! Administration pages: organisations, users, catalogues, API tokens, audit.

pub mod api_tokens;
pub mod audit;
pub mod audit_export;
mod audit_filter;
pub mod catalogues;
pub mod organisations;
mod routes;
pub mod users;

pub(crate) use routes::routes;
