//! The service directory: services, places, prefectures, imports.

pub mod pages;
mod routes;

pub(crate) use routes::routes;
