//! Coordination of the national action plan (issue 13): the plans and their
//! measures for the coordinator and the rapporteur, and the public page of
//! what the coordinator publishes.

mod annual;
mod annual_measure;
mod measure;
mod plans;
mod public;
mod routes;
mod view;

pub(crate) use routes::routes;
