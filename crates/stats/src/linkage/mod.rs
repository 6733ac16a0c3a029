//! Privacy-preserving record linkage (issue 15): each source turns its records into
//! cryptographic long-term keys ([`clk`]) with a secret shared between sources and never given
//! to the observatory, which links the keys without seeing a name.

pub mod blocking;
pub mod clk;
pub mod cluster;
pub mod input;
pub mod link;
pub mod mixture;
pub mod popcount;
pub mod quality;
pub mod strata;
