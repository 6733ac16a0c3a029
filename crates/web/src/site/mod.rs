//! Public pages of the site: landing, dashboard, health, language, assets.

pub mod health;
pub mod home;
pub mod language;
mod routes;

pub(crate) use routes::routes;
