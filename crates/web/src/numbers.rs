//! Numbers as each language writes them: "1 234,5" in French (narrow
//! no-break space between thousands, decimal comma), "1,234.5" in English.

use crate::i18n::Locale;

/// `value` rounded to `decimals` places, in `locale`'s notation.
pub fn decimal(value: f64, decimals: usize, locale: Locale) -> String {
    let plain = format!("{:.decimals$}", value.abs());
    let (whole, fraction) = plain.split_once('.').unwrap_or((plain.as_str(), ""));
    let (group, point) = match locale {
        Locale::Fr => ('\u{202f}', ','),
        Locale::En => (',', '.'),
    };
    let digits: Vec<char> = whole.chars().collect();
    let mut out = String::new();
    if value < 0.0 && plain.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    for (i, digit) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(*digit);
    }
    if !fraction.is_empty() {
        out.push(point);
        out.push_str(fraction);
    }
    out
}

/// A share (0.74) as a whole percentage: "74 %" in French (no-break
/// space), "74%" in English.
pub fn percent(share: f64, locale: Locale) -> String {
    let number = decimal(share * 100.0, 0, locale);
    match locale {
        Locale::Fr => format!("{number}\u{a0}%"),
        Locale::En => format!("{number}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::{decimal, percent};
    use crate::i18n::Locale::{En, Fr};

    #[test]
    fn french_and_english_notation() {
        assert_eq!(decimal(15.24, 1, Fr), "15,2");
        assert_eq!(decimal(15.24, 1, En), "15.2");
        assert_eq!(decimal(1234.56, 1, Fr), "1\u{202f}234,6");
        assert_eq!(decimal(1234.56, 1, En), "1,234.6");
        assert_eq!(decimal(1_234_567.0, 0, Fr), "1\u{202f}234\u{202f}567");
        assert_eq!(decimal(999.0, 0, En), "999");
        assert_eq!(decimal(-2.5, 1, Fr), "-2,5");
        assert_eq!(decimal(-0.01, 1, Fr), "0,0");
        assert_eq!(decimal(0.0, 0, En), "0");
        assert_eq!(percent(0.736, Fr), "74\u{a0}%");
        assert_eq!(percent(0.736, En), "74%");
    }
}
