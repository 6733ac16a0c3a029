//! What the access pages share.

use crate::page::Page;
use relais_domain::access::password::PasswordError;

pub(crate) fn password_error(page: &Page, error: PasswordError) -> String {
    match error {
        PasswordError::TooShort(n) => page.tr.t1("password-too-short", "min", &n.to_string()),
        PasswordError::TooLong(n) => page.tr.t1("password-too-long", "max", &n.to_string()),
        PasswordError::Mismatch => page.t("password-mismatch"),
    }
}
