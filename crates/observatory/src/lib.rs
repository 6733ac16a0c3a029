//! relais-observatory: the observatory of trafficking in human beings (CNCDH recommendation 7).
//! It brings the sources together (imports of administrative tables and pseudonymised records,
//! the associations' annual survey, the NRM's own cases), consolidates them into statistics,
//! and publishes them, every figure through the one disclosure-control policy of `relais-stats`.

pub mod import;
pub mod sources;
