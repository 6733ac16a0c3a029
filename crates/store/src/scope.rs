//! The SQL form of a territorial scope, so that queues are filtered in the
//! database with the same rule as `Scope::reaches_departement`.

use relais_domain::access::authz::Scope;
use relais_domain::territory::Territory;

/// The condition on `column` (a département code) for `scope`, and the value
/// to bind as `$next_bind` when there is one.
pub(crate) fn departement_clause(scope: &Scope, column: &str, next_bind: usize) -> (String, Option<String>) {
    match scope {
        Scope::National | Scope::Territory(Territory::National) => ("1 = 1".into(), None),
        Scope::Territory(Territory::Departement(d)) => (format!("{column} = ${next_bind}"), Some(d.code().to_owned())),
        Scope::Organisation(_) | Scope::Own(_) => ("1 = 0".into(), None),
    }
}
