//! Routes of this area, joined with the others in `crate::routes`.

use super::{equal_access, timeliness};
use crate::guard::Access;
use crate::routes::{Route, route};
use axum::routing::get;

// One line per route, so the table reads at a glance.
#[rustfmt::skip]
pub(crate) fn routes() -> Vec<Route> {
    use Access::Permission as P;
    use relais_domain::access::role::Permission::{ViewStatistics};
    vec![
        route("GET", "/statistics/timeliness", P(ViewStatistics), get(timeliness::dashboard)),
        route("GET", "/statistics/equal-access", P(ViewStatistics), get(equal_access::dashboard)),
    ]
}
