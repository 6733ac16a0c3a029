//! Name normalisation: one canonical Latin spelling per written name.

use super::transliterate;

/// Reduces a name to lowercase ASCII-ish words separated by single spaces.
///
/// Steps: lowercase; fold Latin diacritics and ligatures (é→e, ß→ss, œ→oe);
/// transliterate Cyrillic and Arabic script; drop combining marks and apostrophes
/// (so "O'Brien" and "OBrien" agree); turn any other punctuation, hyphen or space run
/// into one space; trim. Letters of other scripts are kept as they are.
///
/// The output is a fixed point: `normalise_name(&normalise_name(x)) == normalise_name(x)`.
pub fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        let piece: Option<&str> = transliterate::latin(c)
            .or_else(|| transliterate::cyrillic(c))
            .or_else(|| transliterate::arabic(c));
        if let Some(piece) = piece {
            push(&mut out, &mut pending_space, piece);
        } else if transliterate::is_silent_mark(c) || matches!(c, '\'' | '’' | 'ʼ' | '`' | '´') {
            continue;
        } else if c.is_ascii_alphanumeric() || (c.is_alphabetic() && !c.is_ascii()) {
            let mut buf = [0u8; 4];
            push(&mut out, &mut pending_space, c.encode_utf8(&mut buf));
        } else {
            pending_space = true;
        }
    }
    out
}

/// Appends a piece, emitting at most one separating space and never a leading one.
fn push(out: &mut String, pending_space: &mut bool, piece: &str) {
    if piece.is_empty() {
        return;
    }
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
    out.push_str(piece);
}
