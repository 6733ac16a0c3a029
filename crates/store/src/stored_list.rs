//! Lists kept in one text column, comma-separated (a referral's forms of
//! exploitation, a decision's reasons): their items are keys, never text
//! anyone typed, so no item holds a comma.

/// The items of a stored list; none for an empty or absent column.
pub(crate) fn items(stored: Option<&str>) -> Vec<String> {
    stored
        .unwrap_or_default()
        .split(',')
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::items;

    #[test]
    fn empty_items_are_left_out() {
        assert_eq!(items(Some("labour,,sexual")), ["labour", "sexual"]);
        assert!(items(Some("")).is_empty());
        assert!(items(None).is_empty());
    }
}
