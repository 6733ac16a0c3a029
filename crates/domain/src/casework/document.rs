//! Documents attached to a case (issue 4, part 4): which files are
//! accepted, recognised by their content rather than by their name or the
//! type the browser claims, and how large they may be.

use strum::EnumCount;
/// Largest document accepted, in bytes.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum Kind {
    Pdf,
    Jpeg,
    Png,
    Text,
}

impl Kind {
    pub const ALL: [Self; Self::COUNT] = [Self::Pdf, Self::Jpeg, Self::Png, Self::Text];

    pub fn key(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::Text => "text",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Text => "text/plain; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Text => "txt",
        }
    }
}

/// Why a file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge,
    /// Not a PDF, JPEG, PNG or UTF-8 text file, whatever its name says.
    UnsupportedType,
}

/// The kind of an uploaded file, from its first bytes.
pub fn accept(bytes: &[u8]) -> Result<Kind, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refusal::TooLarge);
    }
    if bytes.starts_with(b"%PDF-") {
        Ok(Kind::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(Kind::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Ok(Kind::Png)
    } else if std::str::from_utf8(bytes).is_ok_and(|t| !t.contains('\0')) {
        Ok(Kind::Text)
    } else {
        Err(Refusal::UnsupportedType)
    }
}

/// A file name safe in a download header: ASCII letters, digits, `-` and
/// `_` kept, spaces and dots turned into `_`, anything else dropped, with
/// the extension of the detected kind.
pub fn download_name(original: &str, kind: Kind) -> String {
    let stem = original.rsplit_once('.').map_or(original, |(s, _)| s);
    let cleaned: String = stem
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' => Some(c),
            ' ' | '.' => Some('_'),
            _ => None,
        })
        .take(80)
        .collect();
    let stem = if cleaned.is_empty() {
        "document".to_owned()
    } else {
        cleaned
    };
    format!("{stem}.{}", kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_content_not_names() {
        assert_eq!(accept(b"%PDF-1.7\n..."), Ok(Kind::Pdf));
        assert_eq!(accept(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok(Kind::Jpeg));
        assert_eq!(
            accept(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Ok(Kind::Png)
        );
        assert_eq!(accept("Compte rendu d’entretien".as_bytes()), Ok(Kind::Text));
        assert_eq!(accept(&[0x4D, 0x5A, 0x90, 0x00, 0xFF]), Err(Refusal::UnsupportedType));
        assert_eq!(accept(b""), Err(Refusal::Empty));
        assert_eq!(accept(&vec![b'a'; MAX_BYTES + 1]), Err(Refusal::TooLarge));
    }

    #[test]
    fn download_names_are_header_safe() {
        assert_eq!(download_name("passeport Anna.exe", Kind::Pdf), "passeport_Anna.pdf");
        assert_eq!(download_name("\"; evil\r\n.pdf", Kind::Pdf), "_evil.pdf");
        assert_eq!(download_name("", Kind::Png), "document.png");
    }
}
