//! Public pages of the site: landing, dashboard, health, language, assets,
//! the footer's legal pages.

pub mod health;
pub mod home;
pub mod language;
pub mod legal;
mod routes;

pub(crate) use routes::routes;
