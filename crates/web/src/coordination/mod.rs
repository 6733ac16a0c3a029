//! Coordination of the national action plan (issue 13): the plans and their
//! measures for the coordinator and the rapporteur, the coordination
//! committee and its meetings, and the public page of what the coordinator
//! publishes.

mod committee;
mod measure;
mod meeting;
mod plans;
mod public;
mod routes;
mod view;

pub(crate) use routes::routes;
