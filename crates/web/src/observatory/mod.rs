//! The observatory (issue 14): sources, their imports and versions, the consolidated
//! statistics, and the associations' annual survey.

pub mod pages;
mod routes;
mod statistics;
mod statistics_view;
mod survey_answer;
mod survey_campaigns;
pub mod survey_mail;
mod survey_sheet;

pub(crate) use routes::routes;
