//! What the committee's page and a meeting's page share: the labels of
//! member categories, a meeting's times in words, and the meeting form.

use crate::forms::FieldErrors;
use crate::page::Page;
use relais_domain::coordination::committee::{self as rules, MeetingTimes, MemberCategory, NAME_MAX};
use relais_store::coordination::committee::{Meeting, MeetingDraft};
use serde::Deserialize;

/// A category's label (`committee-category-<key>`).
pub(super) fn category_label(page: &Page, category: MemberCategory) -> String {
    page.t(&format!("committee-category-{}", category.key()))
}

/// "12 juin 2025, de 14:00 à 16:30" in the viewer's zone and language.
pub(super) fn when(page: &Page, times: MeetingTimes) -> String {
    let start = page.zone.local(times.start());
    let end = page.zone.local(times.end());
    page.tr.tn(
        "committee-meeting-when",
        &[
            ("day", page.day(start.date)),
            ("start", format!("{:02}:{:02}", start.hour, start.minute)),
            ("end", format!("{:02}:{:02}", end.hour, end.minute)),
        ],
    )
}

/// The meeting form as typed (also the meeting page's edit form).
#[derive(Deserialize, Default, Clone)]
pub struct MeetingForm {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub agenda: String,
}

impl MeetingForm {
    /// The form filled from a stored meeting, in the viewer's zone.
    pub fn of(page: &Page, meeting: &Meeting) -> Self {
        let start = page.zone.local(meeting.times.start());
        let end = page.zone.local(meeting.times.end());
        Self {
            // The date field's value is ISO by HTML's rule; browsers show it the local way.
            date: start.date.to_string(),
            start: format!("{:02}:{:02}", start.hour, start.minute),
            end: format!("{:02}:{:02}", end.hour, end.minute),
            place: meeting.place.clone(),
            agenda: meeting.agenda.clone(),
        }
    }

    /// The draft, or each question's error.
    pub fn check(&self, page: &Page) -> Result<MeetingDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let times = match rules::parse_day(&self.date) {
            None => {
                errors.add("date", page.t("committee-error-date"));
                None
            }
            Some(_) => {
                let times = MeetingTimes::parse_local(&self.date, &self.start, &self.end, &page.zone);
                if times.is_none() {
                    errors.add("start", page.t("committee-error-times"));
                }
                times
            }
        };
        let place = self.place.trim();
        if place.is_empty() {
            errors.add("place", page.t("committee-error-place"));
        } else if place.chars().count() > NAME_MAX {
            errors.add("place", page.t("committee-error-too-long"));
        }
        let agenda = self.agenda.trim();
        if agenda.chars().count() > rules::LONG_TEXT_MAX {
            errors.add("agenda", page.t("committee-error-too-long"));
        }
        match times {
            Some(times) if errors.is_empty() => Ok(MeetingDraft {
                times,
                place: place.to_owned(),
                agenda: agenda.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}
