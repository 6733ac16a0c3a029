//! Form field errors, shown next to the field and summarised at the top, in
//! the user's language. Values typed by the user are sent back with them.

/// One field error: the field's name and the translated message.
#[derive(Debug, Clone)]
pub struct FieldError {
    /// Owned when built from a repeated row (e.g. `need-medical-urgency`).
    pub field: std::borrow::Cow<'static, str>,
    pub message: String,
}

#[derive(Debug, Default, Clone)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<std::borrow::Cow<'static, str>>, message: String) {
        self.0.push(FieldError {
            field: field.into(),
            message,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn all(&self) -> &[FieldError] {
        &self.0
    }

    /// The message for `field`, if it has one (for templates).
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

/// An uploaded CSV file as text, or an error on the `file` field: not UTF-8,
/// or missing or blank.
pub fn uploaded_text(page: &crate::page::Page, file: Option<Vec<u8>>, errors: &mut FieldErrors) -> Option<String> {
    match file.map(String::from_utf8) {
        Some(Ok(text)) if !text.trim().is_empty() => Some(text),
        Some(Err(_)) => {
            errors.add("file", page.t("directory-error-utf8"));
            None
        }
        _ => {
            errors.add("file", page.t("directory-error-file-required"));
            None
        }
    }
}
