//! k-anonymity of a de-identified extract: every combination of quasi-identifier values that
//! a line shows (its equivalence class) is shared by at least k lines, so nobody who knows a
//! person's quasi-identifiers can tell which of k lines is theirs.
//!
//! [`anonymise`] generalises first — a value held by fewer than k lines in the whole extract
//! is emptied wherever it appears (the top of its hierarchy: "not said") — then suppresses:
//! the lines of every class still smaller than k lose every quasi-identifier that may be
//! suppressed, and if those lines are too few to be a class of their own, the smallest other
//! classes join them whole. [`check`] then counts every class of the result, and only a
//! [`Checked`] extract can be written.

use std::collections::{BTreeMap, HashMap};

/// One line's quasi-identifiers, in the extract's declared order; `None` is empty.
pub type Key = Vec<Option<String>>;

/// A class smaller than k, or an extract with fewer than k lines in all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnonymityError {
    #[error("an equivalence class holds {size} lines, fewer than k = {k}")]
    SmallClass { size: usize, k: usize },
    #[error("the extract holds {lines} lines, fewer than k = {k}: it cannot be k-anonymous")]
    TooFew { lines: usize, k: usize },
    #[error("k must be at least 1")]
    ZeroK,
}

/// The lines' keys made k-anonymous. Positions listed in `fixed` are never emptied (a value
/// common to every line, such as the year of a one-year extract, never needs to be).
pub fn anonymise(keys: &[Key], k: usize, fixed: &[usize]) -> Result<Vec<Key>, AnonymityError> {
    if k == 0 {
        return Err(AnonymityError::ZeroK);
    }
    if keys.len() < k && !keys.is_empty() {
        return Err(AnonymityError::TooFew { lines: keys.len(), k });
    }
    let mut keys = keys.to_vec();
    let width = keys.first().map_or(0, Vec::len);
    let free: Vec<usize> = (0..width).filter(|i| !fixed.contains(i)).collect();
    // Generalisation: rare values say "not said".
    for &i in &free {
        let mut frequency: HashMap<Option<String>, usize> = HashMap::new();
        for key in &keys {
            *frequency.entry(key[i].clone()).or_default() += 1;
        }
        for key in &mut keys {
            if frequency.get(&key[i]).is_some_and(|&n| n < k) {
                key[i] = None;
            }
        }
    }
    // Suppression of what is left in small classes.
    let small: Vec<Key> = classes(&keys)
        .into_iter()
        .filter(|(_, size)| *size < k)
        .map(|(key, _)| key)
        .collect();
    let suppress = |key: &mut Key| {
        for &i in &free {
            key[i] = None;
        }
    };
    for key in &mut keys {
        if small.contains(key) {
            suppress(key);
        }
    }
    // Suppressed lines may still be too few: the smallest classes join them whole.
    loop {
        let sizes = classes(&keys);
        let Some((short, size)) = sizes
            .iter()
            .find(|&(_, &size)| size < k)
            .map(|(key, &size)| (key.clone(), size))
        else {
            return Ok(keys);
        };
        let smallest_other = sizes
            .iter()
            .filter(|(key, _)| **key != short)
            .min_by_key(|(key, size)| (*size, (*key).clone()))
            .map(|(key, _)| key.clone());
        let Some(joining) = smallest_other else {
            return Err(AnonymityError::TooFew { lines: size, k });
        };
        let before = keys.clone();
        for key in &mut keys {
            if *key == joining || *key == short {
                suppress(key);
            }
        }
        // Lines that differ in a fixed value can never share a class.
        if keys == before {
            return Err(AnonymityError::SmallClass { size, k });
        }
    }
}

/// Every equivalence class and its size.
fn classes(keys: &[Key]) -> BTreeMap<Key, usize> {
    let mut sizes = BTreeMap::new();
    for key in keys {
        *sizes.entry(key.clone()).or_default() += 1;
    }
    sizes
}

/// Lines whose every equivalence class has been counted and holds at least k lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked<T> {
    lines: Vec<T>,
    k: usize,
}

impl<T> Checked<T> {
    pub fn lines(&self) -> &[T] {
        &self.lines
    }

    pub fn k(&self) -> usize {
        self.k
    }
}

/// Counts every equivalence class of `lines` (by `key`) and refuses them if one holds fewer
/// than k lines. An empty extract is k-anonymous: it shows nobody.
pub fn check<T>(lines: Vec<T>, k: usize, key: impl Fn(&T) -> Key) -> Result<Checked<T>, AnonymityError> {
    if k == 0 {
        return Err(AnonymityError::ZeroK);
    }
    let keys: Vec<Key> = lines.iter().map(key).collect();
    if let Some(size) = classes(&keys).into_values().find(|&size| size < k) {
        return Err(AnonymityError::SmallClass { size, k });
    }
    Ok(Checked { lines, k })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(values: &[&str]) -> Key {
        values
            .iter()
            .map(|v| (!v.is_empty()).then(|| (*v).to_owned()))
            .collect()
    }

    #[test]
    fn rare_values_are_generalised_then_small_classes_suppressed() {
        let mut keys = vec![key(&["2026", "Woman", "NGA"]); 6];
        keys.extend(vec![key(&["2026", "Man", "NGA"]); 4]);
        keys.push(key(&["2026", "Woman", "ISL"]));
        let out = anonymise(&keys, 3, &[0]).unwrap();
        assert!(check(out.clone(), 3, Clone::clone).is_ok());
        // Iceland is rare: emptied; the line, still alone, joined the smallest class, suppressed.
        assert_eq!(out[10], key(&["2026", "", ""]));
        assert_eq!(out.iter().filter(|k| **k == key(&["2026", "", ""])).count(), 5);
        assert_eq!(out.iter().filter(|k| **k == key(&["2026", "Woman", "NGA"])).count(), 6);
    }

    #[test]
    fn the_check_counts_every_class() {
        let keys = vec![key(&["a"]), key(&["a"]), key(&["b"])];
        assert_eq!(
            check(keys.clone(), 2, Clone::clone),
            Err(AnonymityError::SmallClass { size: 1, k: 2 })
        );
        assert!(check(keys.clone(), 1, Clone::clone).is_ok());
        assert_eq!(check(keys, 0, Clone::clone), Err(AnonymityError::ZeroK));
        assert!(check(Vec::<Key>::new(), 5, Clone::clone).is_ok());
        assert_eq!(
            anonymise(&[key(&["a"])], 2, &[]),
            Err(AnonymityError::TooFew { lines: 1, k: 2 })
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn the_anonymised_extract_always_passes_the_check(
            lines in proptest::collection::vec(
                (prop_oneof![Just(None), (0u8..3).prop_map(Some)], prop_oneof![Just(None), (0u8..9).prop_map(Some)], prop_oneof![Just(None), (0u8..12).prop_map(Some)]),
                0..80,
            ),
            k in 1usize..8,
        ) {
            let keys: Vec<Key> = lines
                .iter()
                .map(|(a, b, c)| vec![Some("2026".to_owned()), a.map(|v| v.to_string()), b.map(|v| v.to_string()), c.map(|v| v.to_string())])
                .collect();
            match anonymise(&keys, k, &[0]) {
                Ok(out) => {
                    prop_assert_eq!(out.len(), keys.len());
                    prop_assert!(check(out.clone(), k, Clone::clone).is_ok());
                    // Only emptied, never changed.
                    for (before, after) in keys.iter().zip(&out) {
                        for (b, a) in before.iter().zip(after) {
                            prop_assert!(a.is_none() || a == b);
                        }
                    }
                }
                Err(e) => prop_assert_eq!(e, AnonymityError::TooFew { lines: keys.len(), k }),
            }
        }
    }
}
