//! Amounts in euros, kept in cents so that sums are exact.

/// A non-negative amount of money, in euro cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Euros(i64);

/// Ten billion euros: more than any line of the State budget for this policy.
const MAX_CENTS: i64 = 1_000_000_000_000;

impl Euros {
    pub fn from_cents(cents: i64) -> Option<Self> {
        (0..=MAX_CENTS).contains(&cents).then_some(Self(cents))
    }

    pub fn cents(self) -> i64 {
        self.0
    }

    /// Reads `12500.50`, `12500` and the French `12 500,50` (spaces, also
    /// non-breaking, as thousands separators; a comma or a dot before at most
    /// two decimals). Refuses negative amounts and both separators at once.
    pub fn parse(raw: &str) -> Option<Self> {
        let compact: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        if compact.contains(',') && compact.contains('.') {
            return None;
        }
        let (units, decimals) = match compact.split_once([',', '.']) {
            Some((units, decimals)) => (units, decimals),
            None => (compact.as_str(), ""),
        };
        let digits = |text: &str| text.bytes().all(|b| b.is_ascii_digit());
        if units.is_empty() || units.len() > 11 || !digits(units) || decimals.len() > 2 || !digits(decimals) {
            return None;
        }
        if compact.ends_with([',', '.']) {
            return None;
        }
        let units: i64 = units.parse().ok()?;
        let cents: i64 = match decimals.len() {
            0 => 0,
            1 => decimals.parse::<i64>().ok()? * 10,
            _ => decimals.parse().ok()?,
        };
        Self::from_cents(units.checked_mul(100)?.checked_add(cents)?)
    }

    /// `12500.50`, the form [`Euros::parse`] reads back and spreadsheets take.
    pub fn to_text(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }

    /// `12 500,50 €` with narrow no-break spaces, as French pages write it;
    /// whole amounts without decimals.
    pub fn french(self) -> String {
        let units = (self.0 / 100).to_string();
        let mut grouped = String::new();
        for (i, digit) in units.chars().enumerate() {
            if i > 0 && (units.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(digit);
        }
        match self.0 % 100 {
            0 => format!("{grouped}\u{a0}€"),
            cents => format!("{grouped},{cents:02}\u{a0}€"),
        }
    }

    /// The euros as a number, for JSON reports and charts.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    pub fn saturating_add(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_and_french_forms_read_the_same() {
        for raw in [
            "12500.50",
            "12 500,50",
            "12\u{a0}500,5",
            "12\u{202f}500.50",
            " 12500,50 ",
        ] {
            assert_eq!(Euros::parse(raw), Some(Euros(1_250_050)), "{raw}");
        }
        assert_eq!(Euros::parse("0"), Some(Euros(0)));
        assert_eq!(Euros::parse("449709"), Some(Euros(44_970_900)));
    }

    #[test]
    fn wrong_amounts_are_refused() {
        for raw in [
            "",
            "-5",
            "12,500.50",
            "1.234",
            "12,",
            "abc",
            "1e6",
            ",5",
            "99999999999999",
        ] {
            assert_eq!(Euros::parse(raw), None, "{raw}");
        }
    }

    #[test]
    fn text_round_trips_and_french_groups_thousands() {
        let amount = Euros::parse("2600000").unwrap();
        assert_eq!(Euros::parse(&amount.to_text()), Some(amount));
        assert_eq!(amount.to_text(), "2600000.00");
        assert_eq!(amount.french(), "2\u{202f}600\u{202f}000\u{a0}€");
        assert_eq!(Euros(1_250_050).french(), "12\u{202f}500,50\u{a0}€");
        assert_eq!(Euros(99).french(), "0,99\u{a0}€");
    }
}
