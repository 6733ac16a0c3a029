//! Coordination of the national action plan (issue 13): plans, their axes,
//! actions and measures, what each measure lacks (the CNCDH's fourth
//! recommendation asks for a pilot, deadline, indicator, target, cost and
//! funding for every measure) and how the government's status compares with
//! the independent rapporteur's rating; the plan's budget, its execution
//! rates and the planned cost of measures against their funding.

pub mod budget;
pub mod completeness;
pub mod coverage;
pub mod deadline;
pub mod execution;
pub mod measure;
pub mod money;
pub mod status;
