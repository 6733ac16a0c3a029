//! relais-observatory: the observatory of trafficking in human beings (CNCDH recommendation 7).
//! It brings the sources together (imports of administrative tables and pseudonymised records,
//! the associations' annual survey, the NRM's own cases), consolidates them into statistics,
//! and publishes them, every figure through the one disclosure-control policy of `relais-stats`.
//!
//! - [`table`]: a two-way table counted from microdata, as it may be published.
//! - [`consolidate`]: every source's people per year by each published dimension.

pub mod consolidate;
pub mod table;
