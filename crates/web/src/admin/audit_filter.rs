//! The audit log's filters as a GET form: read from the query string, checked
//! (each error names its question), turned into the store's filter, and
//! written back into the pagination and export links.

use crate::audit_words;
use crate::forms::FieldErrors;
use crate::page::Page;
use relais_domain::time::Date;
use relais_store::audit::log::Filter;
use relais_store::audit::{Action, Object};
use serde::Deserialize;

/// The form's values as typed (kept on error and in the links).
#[derive(Deserialize, Default, Debug, Clone)]
pub struct FilterForm {
    /// The page's keyset position (the pages only; not a filter).
    pub before: Option<i64>,
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub object: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

impl FilterForm {
    /// The store's filter from the valid parts, with an error for each part
    /// that is not (the rows are then filtered by the valid parts only).
    pub fn check(&self, page: &Page) -> (Filter, FieldErrors) {
        let mut errors = FieldErrors::default();
        let mut filter = Filter::default();
        let person = self.person.trim();
        if !person.is_empty() {
            filter.actor_user_id = Some(person.to_owned());
        }
        let action = self.action.trim();
        if !action.is_empty() {
            match Action::parse(action) {
                Some(a) => filter.action = Some(a),
                None => errors.add("action", page.t("audit-filter-action-unknown")),
            }
        }
        let object = self.object.trim();
        if !object.is_empty() {
            match Object::parse(object) {
                Some(o) => filter.object_type = Some(o),
                None => errors.add("object", page.t("audit-filter-object-unknown")),
            }
        }
        // `Err` for a day typed but not a day; each message is a literal key,
        // which the static check of translations reads.
        let day = |raw: &str| {
            let raw = raw.trim();
            if raw.is_empty() {
                Ok(None)
            } else {
                Date::parse(raw).map(Some).ok_or(())
            }
        };
        let from = day(&self.from).unwrap_or_else(|()| {
            errors.add("from", page.t("audit-filter-from-invalid"));
            None
        });
        let to = day(&self.to).unwrap_or_else(|()| {
            errors.add("to", page.t("audit-filter-to-invalid"));
            None
        });
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            errors.add("to", page.t("audit-filter-to-before-from"));
        } else {
            filter.from = from.map(|d| d.start_in(&page.zone));
            // The "to" day is included: the filter ends when the next day starts.
            filter.until = to.map(|d| d.plus_days(1).start_in(&page.zone));
        }
        (filter, errors)
    }

    /// The query string of these values (without `before`), `&`-separated,
    /// empty parts left out.
    pub fn query(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("person", &self.person),
            ("action", &self.action),
            ("object", &self.object),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !value.trim().is_empty() {
                out.append_pair(name, value.trim());
            }
        }
        out.finish()
    }
}

/// A choice of a select: its value, its label, and whether it is chosen.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Every action, by label, for the action select.
pub fn action_choices(page: &Page, chosen: &str) -> Vec<Choice> {
    let mut choices: Vec<Choice> = Action::ALL
        .iter()
        .map(|a| Choice {
            value: a.code().to_owned(),
            label: page.t(&audit_words::action_key(*a)),
            selected: a.code() == chosen,
        })
        .collect();
    choices.sort_by(|a, b| a.label.cmp(&b.label));
    choices
}

/// Every object type, by label, for the object select.
pub fn object_choices(page: &Page, chosen: &str) -> Vec<Choice> {
    let mut choices: Vec<Choice> = Object::ALL
        .iter()
        .map(|o| Choice {
            value: o.code().to_owned(),
            label: page.t(&audit_words::object_key(*o)),
            selected: o.code() == chosen,
        })
        .collect();
    choices.sort_by(|a, b| a.label.cmp(&b.label));
    choices
}
