//! Properties over random tables.

#![allow(clippy::unwrap_used, reason = "tests")]

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use proptest::prelude::*;
use relais_stats::{Dataset, MseError, Pair, all_pairs, check_existence, select_stepwise, wald_interval};

/// Tables over 3 or 4 lists with small counts, many zero cells among them.
fn tables() -> impl Strategy<Value = Dataset> {
    (3_usize..=4)
        .prop_flat_map(|t| prop::collection::vec(prop_oneof![Just(0_u64), 1_u64..12], (1 << t) - 1))
        .prop_filter_map("no case", |cells| {
            let t = (cells.len() + 1).trailing_zeros() as usize;
            let lists = (0..t).map(|i| format!("L{i}")).collect();
            let counts = std::iter::once(0).chain(cells).collect();
            Dataset::new(lists, counts).ok()
        })
}

/// Fienberg & Rinaldo's linear programme written directly over every kept cell and every
/// column, as an independent check of the library's null-space shortcut.
fn mle_exists_by_full_lp(data: &Dataset, pairs: &[Pair]) -> bool {
    let t = data.list_count();
    let mask = |&(i, j): &Pair| (1 << i) | (1 << j);
    let infinite: Vec<usize> = pairs.iter().filter(|p| data.overlap(p.0, p.1) == 0).map(mask).collect();
    let effects: Vec<usize> = std::iter::once(0)
        .chain((0..t).map(|i| 1 << i))
        .chain(pairs.iter().filter(|p| data.overlap(p.0, p.1) > 0).map(mask))
        .collect();
    let mut lp = Problem::new(OptimizationDirection::Maximize);
    // Bounded so that directions with no effect cannot make the programme unbounded; a
    // direction of recession can always be scaled into the box.
    let d: Vec<_> = effects.iter().map(|_| lp.add_var(0.0, (-100.0, 100.0))).collect();
    for (cell, &count) in data.counts().iter().enumerate().skip(1) {
        if !infinite.iter().all(|&m| cell & m != m) {
            continue;
        }
        let mut terms: Vec<_> = effects
            .iter()
            .zip(&d)
            .filter(|&(&e, _)| cell & e == e)
            .map(|(_, &v)| (v, 1.0))
            .collect();
        if count == 0 {
            terms.push((lp.add_var(1.0, (0.0, 1.0)), 1.0));
        }
        lp.add_constraint(terms, ComparisonOp::Eq, 0.0);
    }
    let solution = lp.solve().unwrap().into_solution().unwrap();
    solution.objective() < 1e-6
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn estimate_is_at_least_what_was_seen(data in tables(), threshold in 0.0..0.2_f64) {
        match select_stepwise(&data, threshold) {
            Ok(fit) => {
                let observed = data.observed() as f64;
                let estimate = fit.estimate();
                prop_assert!(estimate.is_finite() && estimate >= observed);
                let [low, high] = wald_interval(&fit, 0.95);
                prop_assert!(observed <= low && low <= estimate && estimate <= high);
            }
            Err(MseError::NoEstimate) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn existence_check_agrees_with_the_full_linear_programme(
        data in tables(),
        subset in 0_u64..64,
    ) {
        let pairs: Vec<Pair> = all_pairs(data.list_count())
            .into_iter()
            .enumerate()
            .filter(|(k, _)| subset & (1 << k) != 0)
            .map(|(_, p)| p)
            .collect();
        let check = check_existence(&data, &pairs).unwrap();
        prop_assert_eq!(check.mle_exists, mle_exists_by_full_lp(&data, &pairs));
    }
}
