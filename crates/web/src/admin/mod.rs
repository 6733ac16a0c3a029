//! Administration pages: organisations, users, catalogues, API tokens, audit.

pub mod api_tokens;
pub mod audit;
pub mod catalogues;
pub mod organisations;
mod routes;
pub mod users;

pub(crate) use routes::routes;
