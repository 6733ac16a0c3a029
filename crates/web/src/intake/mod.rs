//! How a situation comes in: referrals, catalogues, screening, person matching, public signalements, triage.

pub mod referral_form;
pub mod referral_view;
pub mod referrals;
mod routes;
pub mod screening_view;
pub mod signalement;
pub mod triage;

pub(crate) use routes::routes;
