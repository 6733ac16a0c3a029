//! Coordination of the national action plan (issue 13): plans, their axes,
//! actions and measures, what each measure lacks (the CNCDH's fourth
//! recommendation asks for a pilot, deadline, indicator, target, cost and
//! funding for every measure) and how the government's status compares with
//! the independent rapporteur's rating; the annual strategic plan of each
//! year of a plan (`annual`, `funding`).

pub mod annual;
pub mod completeness;
pub mod deadline;
pub mod funding;
pub mod measure;
pub mod money;
pub mod status;
