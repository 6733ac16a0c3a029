//! Coordination of the national action plan (issue 13): the plans and their
//! measures for the coordinator and the rapporteur, each plan's budget, and
//! the public page of what the coordinator publishes.

mod budget;
mod budget_forms;
mod measure;
mod plans;
mod public;
mod routes;
mod view;

pub(crate) use routes::routes;
