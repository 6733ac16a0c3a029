//! A committee meeting as an iCalendar invitation (RFC 5545, `METHOD:REQUEST`
//! of iTIP, RFC 5546): one `VEVENT` with its times in UTC, text escaped and
//! lines folded at 75 octets. A few lines written here rather than a crate:
//! only this one shape is ever produced.

use crate::time::{Date, Timestamp};

/// What an invitation says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation<'a> {
    /// Stable for a meeting, so that a new sending updates the calendar entry.
    pub uid: &'a str,
    /// When the invitation was made (`DTSTAMP`).
    pub stamp: Timestamp,
    pub start: Timestamp,
    pub end: Timestamp,
    pub summary: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    /// `mailto:` address of the organiser, as iTIP requires for a request.
    pub organizer: &'a str,
    /// The member invited.
    pub attendee: &'a str,
    /// Incremented each time the meeting's invitation is sent again.
    pub sequence: u32,
}

impl Invitation<'_> {
    /// The `.ics` file, lines ending in CRLF.
    pub fn to_ics(&self) -> String {
        let lines = [
            "BEGIN:VCALENDAR".to_owned(),
            "VERSION:2.0".to_owned(),
            "PRODID:-//Relais//Comite de coordination//FR".to_owned(),
            "CALSCALE:GREGORIAN".to_owned(),
            "METHOD:REQUEST".to_owned(),
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", escape(self.uid)),
            format!("SEQUENCE:{}", self.sequence),
            format!("DTSTAMP:{}", utc(self.stamp)),
            format!("DTSTART:{}", utc(self.start)),
            format!("DTEND:{}", utc(self.end)),
            format!("SUMMARY:{}", escape(self.summary)),
            format!("LOCATION:{}", escape(self.location)),
            format!("DESCRIPTION:{}", escape(self.description)),
            format!("ORGANIZER:mailto:{}", self.organizer),
            format!(
                "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{}",
                self.attendee
            ),
            "STATUS:CONFIRMED".to_owned(),
            "END:VEVENT".to_owned(),
            "END:VCALENDAR".to_owned(),
        ];
        lines.iter().map(|l| fold(l)).collect()
    }
}

/// `20250612T120000Z`.
pub fn utc(at: Timestamp) -> String {
    let day = Date::utc(at);
    let seconds = at.0.rem_euclid(86_400);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        day.year,
        day.month,
        day.day,
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// TEXT values (RFC 5545 §3.3.11): backslash, semicolon and comma escaped,
/// line breaks as `\n`, other control characters dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line folded (RFC 5545 §3.1): at most 75 octets per line,
/// never inside a UTF-8 character, continuations starting with a space;
/// ends in CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += width;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> Timestamp {
        Timestamp::parse_rfc3339(rfc3339).unwrap()
    }

    #[test]
    fn times_are_written_in_utc() {
        assert_eq!(utc(at("2025-06-12T12:05:09Z")), "20250612T120509Z");
        assert_eq!(utc(at("1999-12-31T23:59:59Z")), "19991231T235959Z");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("Salle 1, bât. A; 2e étage\\B\r\nPoint 2\nfin\u{7}"),
            "Salle 1\\, bât. A\\; 2e étage\\\\B\\nPoint 2\\nfin"
        );
    }

    #[test]
    fn long_lines_are_folded_at_75_octets_between_characters() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&line);
        assert!(folded.ends_with("\r\n"));
        let physical: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 1);
        for part in &physical {
            assert!(part.len() <= 75, "{part:?} is {} octets", part.len());
        }
        for part in &physical[1..] {
            assert!(part.starts_with(' '));
        }
        let unfolded: String = physical
            .iter()
            .enumerate()
            .map(|(i, p)| if i == 0 { *p } else { &p[1..] })
            .collect();
        assert_eq!(unfolded, line);
        assert_eq!(fold("SHORT:x"), "SHORT:x\r\n");
    }

    #[test]
    fn an_invitation_is_a_request_with_one_event() {
        let ics = Invitation {
            uid: "meeting-1@relais",
            stamp: at("2025-05-01T08:00:00Z"),
            start: at("2025-06-12T12:00:00Z"),
            end: at("2025-06-12T14:30:00Z"),
            summary: "Comité de coordination",
            location: "Paris, salle 2",
            description: "Ordre du jour",
            organizer: "no-reply@relais.test",
            attendee: "membre@relais.test",
            sequence: 0,
        }
        .to_ics();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("\r\nMETHOD:REQUEST\r\n"));
        assert!(ics.contains("\r\nUID:meeting-1@relais\r\n"));
        assert!(ics.contains("\r\nDTSTAMP:20250501T080000Z\r\n"));
        assert!(ics.contains("\r\nDTSTART:20250612T120000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20250612T143000Z\r\n"));
        assert!(ics.contains("\r\nLOCATION:Paris\\, salle 2\r\n"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        assert!(!ics.replace("\r\n", "").contains('\n'), "only CRLF line ends");
    }
}
