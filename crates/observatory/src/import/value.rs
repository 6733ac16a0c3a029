//! The field types a schema may declare and how a cell is read as each.

use std::cmp::Ordering;
use strum::EnumCount;

/// A Table Schema field type Relais checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum FieldType {
    String,
    Integer,
    Number,
    Date,
    Year,
    Boolean,
}

impl FieldType {
    pub const ALL: [Self; Self::COUNT] = [
        Self::String,
        Self::Integer,
        Self::Number,
        Self::Date,
        Self::Year,
        Self::Boolean,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Date => "date",
            Self::Year => "year",
            Self::Boolean => "boolean",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }

    /// Whether `minimum` and `maximum` apply.
    pub fn is_ordered(self) -> bool {
        matches!(self, Self::Integer | Self::Number | Self::Date | Self::Year)
    }

    /// Reads a (trimmed) cell as this type, as the specification's default
    /// formats say: integers and years in decimal digits, numbers with a `.`
    /// decimal point, dates as `YYYY-MM-DD`, booleans as true/false/1/0.
    pub fn read(self, cell: &str) -> Option<Value> {
        match self {
            Self::String => Some(Value::String(cell.to_owned())),
            Self::Integer => integer(cell).map(Value::Integer),
            Self::Number => number(cell).map(Value::Number),
            Self::Year => year(cell).map(Value::Year),
            Self::Date => date(cell).map(Value::Date),
            Self::Boolean => match cell {
                "true" | "True" | "TRUE" | "1" => Some(Value::Boolean(true)),
                "false" | "False" | "FALSE" | "0" => Some(Value::Boolean(false)),
                _ => None,
            },
        }
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn integer(cell: &str) -> Option<i64> {
    let unsigned = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    if !digits(unsigned) {
        return None;
    }
    cell.parse().ok()
}

fn number(cell: &str) -> Option<f64> {
    let unsigned = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let ok = digits(whole) && (fraction.is_empty() || digits(fraction)) && !unsigned.ends_with('.');
    if !ok {
        return None;
    }
    cell.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn year(cell: &str) -> Option<i32> {
    (cell.len() == 4 && digits(cell)).then(|| cell.parse().ok()).flatten()
}

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn date(cell: &str) -> Option<Date> {
    let mut parts = cell.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 || !(digits(y) && digits(m) && digits(d))
    {
        return None;
    }
    let (year, month, day): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
}

/// The day of a spreadsheet's serial number (days since 1899-12-30, the
/// 1900 date system that XLSX files use).
pub fn date_from_serial(serial: f64) -> Option<Date> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    // Whole days only: the time of day is dropped.
    #[allow(clippy::cast_possible_truncation, reason = "bounded above")]
    let days = serial.floor() as i64 - 25_569; // days from 1970-01-01
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(Date {
        year: i32::try_from(year).ok()?,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
    })
}

/// A cell read as its field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Integer(i64),
    Number(f64),
    Date(Date),
    Year(i32),
    Boolean(bool),
}

impl Value {
    /// The order of two values of one type (`None` across types).
    pub fn compare(&self, other: &Self) -> Option<Ordering> {
        match (self, other) {
            (Self::Integer(a), Self::Integer(b)) => Some(a.cmp(b)),
            (Self::Number(a), Self::Number(b)) => a.partial_cmp(b),
            (Self::Date(a), Self::Date(b)) => Some(a.cmp(b)),
            (Self::Year(a), Self::Year(b)) => Some(a.cmp(b)),
            (Self::String(a), Self::String(b)) => Some(a.cmp(b)),
            (Self::Boolean(a), Self::Boolean(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// As stored: JSON of the value's own kind, so a consolidation reads
    /// numbers as numbers without parsing the file again.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::String(s) => serde_json::Value::String(s.clone()),
            Self::Integer(n) => serde_json::Value::from(*n),
            Self::Number(n) => {
                serde_json::Number::from_f64(*n).map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
            Self::Date(d) => serde_json::Value::String(d.to_string()),
            Self::Year(y) => serde_json::Value::from(*y),
            Self::Boolean(b) => serde_json::Value::Bool(*b),
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::String(s) => f.write_str(s),
            Self::Integer(n) => write!(f, "{n}"),
            Self::Number(n) => write!(f, "{n}"),
            Self::Date(d) => write!(f, "{d}"),
            Self::Year(y) => write!(f, "{y}"),
            Self::Boolean(b) => write!(f, "{b}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_read_by_type() {
        use FieldType::*;
        assert_eq!(Integer.read("-12"), Some(Value::Integer(-12)));
        assert_eq!(Integer.read("+3"), Some(Value::Integer(3)));
        for bad in ["1.0", "1 000", "", "x", "--1", "99999999999999999999"] {
            assert!(Integer.read(bad).is_none(), "{bad}");
        }
        assert_eq!(Number.read("12.50"), Some(Value::Number(12.5)));
        assert_eq!(Number.read("7"), Some(Value::Number(7.0)));
        for bad in ["12,5", "1e3", "NaN", "inf", ".5", "5.", ""] {
            assert!(Number.read(bad).is_none(), "{bad}");
        }
        assert_eq!(Year.read("2024"), Some(Value::Year(2024)));
        for bad in ["24", "20245", "2024.0"] {
            assert!(Year.read(bad).is_none(), "{bad}");
        }
        assert_eq!(
            Date.read("2024-02-29"),
            Some(Value::Date(super::Date {
                year: 2024,
                month: 2,
                day: 29
            }))
        );
        for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "29/02/2024", "2024-04-31"] {
            assert!(Date.read(bad).is_none(), "{bad}");
        }
        assert_eq!(Boolean.read("TRUE"), Some(Value::Boolean(true)));
        assert_eq!(Boolean.read("0"), Some(Value::Boolean(false)));
        assert!(Boolean.read("oui").is_none());
        assert_eq!(String.read("2A"), Some(Value::String("2A".into())));
    }

    #[test]
    fn spreadsheet_serials_are_days() {
        assert_eq!(date_from_serial(45_292.0).unwrap().to_string(), "2024-01-01");
        assert_eq!(date_from_serial(45_351.75).unwrap().to_string(), "2024-02-29");
        assert_eq!(date_from_serial(25_569.0).unwrap().to_string(), "1970-01-01");
        assert!(date_from_serial(-1.0).is_none());
    }

    #[test]
    fn values_compare_within_a_type() {
        assert_eq!(Value::Integer(1).compare(&Value::Integer(2)), Some(Ordering::Less));
        assert_eq!(Value::Integer(1).compare(&Value::Year(2)), None);
        assert_eq!(Value::Number(2.5).to_json(), serde_json::json!(2.5));
        assert_eq!(Value::Year(2024).to_json(), serde_json::json!(2024));
    }
}
