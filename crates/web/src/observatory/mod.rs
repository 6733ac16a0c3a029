//! The observatory (issue 14): sources, their imports and versions, the consolidated
//! statistics, the linkage of sources and its estimate, the estimate page with the methods side by side, the associations' annual survey, the library of studies, the training records,
//! the releases published without login and the partners' exports.

mod estimate;
mod estimate_view;
mod exports;
mod forest;
mod library;
mod library_public;
mod library_view;
mod linkage;
mod linkage_view;
pub mod pages;
mod publications;
mod release_view;
mod releases;
mod routes;
mod statistics;
mod statistics_view;
mod survey_answer;
mod survey_campaigns;
pub mod survey_mail;
mod survey_sheet;
mod survey_view;
mod training;
mod training_totals;
pub(crate) mod training_view;
mod view;

pub(crate) use routes::routes;
