//! What the observatory's pages share: a source's definitions beside a
//! figure, and an uploaded file's own name.

use crate::page::Page;
use relais_domain::observatory::source::Definition;

/// A source's definitions as shown next to a figure that uses it
/// (`observatory/source_note.html`; statistics pages include it too).
pub struct SourceNote {
    pub code: String,
    pub name: String,
    pub producer: String,
    pub unit: String,
    pub data_kind: String,
    pub counting_rule: String,
    pub period: String,
    pub territory: String,
    pub contact: String,
    pub quality_notes: String,
}

impl SourceNote {
    pub fn of(page: &Page, d: &Definition) -> Self {
        Self {
            code: d.code.as_str().to_owned(),
            name: d.name.clone(),
            producer: d.producer.clone(),
            unit: page.t(&format!("observatory-unit-{}", d.unit.key())),
            data_kind: page.t(&format!("observatory-kind-{}", d.data_kind.key())),
            counting_rule: d.counting_rule.clone(),
            period: d.period.clone(),
            territory: d.territory.clone(),
            contact: d.contact.clone(),
            quality_notes: d.quality_notes.clone(),
        }
    }
}

/// The longest file name kept with a version or an entry.
const MAX_FILE_NAME: usize = 200;

/// The file's own name, without any folder a browser may send.
pub(super) fn file_name(raw: Option<&str>) -> String {
    let name = raw.unwrap_or_default();
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    base.chars().filter(|c| !c.is_control()).take(MAX_FILE_NAME).collect()
}
