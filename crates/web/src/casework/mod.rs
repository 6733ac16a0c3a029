//! The case once identified: status, case file, people, documents, deadlines, needs, rights, closure, sharing, onward referrals, placement.

pub mod case_file;
pub mod case_people;
pub mod cases;
pub mod header;
pub mod htcds;
pub mod letter;
pub mod onward;
mod routes;
pub mod support;
pub mod view;

pub(crate) use routes::routes;
