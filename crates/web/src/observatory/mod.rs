//! The observatory (issue 14): sources, their imports and versions, and the consolidated
//! statistics.

pub mod pages;
mod routes;
mod statistics;
mod statistics_view;

pub(crate) use routes::routes;
