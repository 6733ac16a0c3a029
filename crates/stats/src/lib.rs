//! relais-stats
