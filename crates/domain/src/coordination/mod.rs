//! Coordination of the national action plan (issue 13): plans, their axes,
//! actions and measures, what each measure lacks (the CNCDH's fourth
//! recommendation asks for a pilot, deadline, indicator, target, cost and
//! funding for every measure), how the government's status compares with
//! the independent rapporteur's rating and the evaluation report
//! (`evaluation`), the annual strategic plan of each
//! year of a plan (`annual`, `funding`), the reporting rounds that keep the
//! measures up to date, the coordination committee with its meetings and
//! their calendar invitations, and the plan's budget, its execution rates
//! and the planned cost of measures against their funding.

pub mod annual;
pub mod budget;
pub mod committee;
pub mod completeness;
pub mod coverage;
pub mod deadline;
pub mod evaluation;
pub mod execution;
pub mod funding;
pub mod invitation;
pub mod measure;
pub mod money;
pub mod round;
pub mod status;
