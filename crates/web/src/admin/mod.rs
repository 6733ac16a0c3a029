//! Administration pages: organisations, users, access requests, catalogues, API tokens, audit.

pub mod access_requests;
pub mod api_tokens;
pub mod audit;
pub mod audit_export;
mod audit_filter;
pub mod catalogues;
pub mod organisations;
mod routes;
pub mod sign_in;
pub mod users;

pub(crate) use routes::routes;
