//! Coordination of the national action plan (issue 13): the plans and their
//! measures for the coordinator and the rapporteur, the evaluation report,
//! the reporting rounds
//! that ask each pilot body's focal point for an update, the coordination
//! committee and its meetings, each plan's budget, and the public page of
//! what the coordinator publishes.

mod annual;
mod annual_measure;
mod bodies;
mod budget;
mod budget_forms;
mod committee;
mod committee_view;
mod evaluation;
mod measure;
mod meeting;
mod plans;
mod public;
pub(crate) mod round_mail;
mod round_update;
mod rounds;
mod routes;
mod view;

pub(crate) use routes::routes;
