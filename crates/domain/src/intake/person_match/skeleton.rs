//! A vowel-insensitive comparison key for transliteration variants.
//!
//! Different romanisations of one name ("Mohammed", "Muhammad", "Mohamed", "محمد")
//! disagree mostly on vowels, doubled letters and a few digraphs. The skeleton erases
//! exactly those differences and nothing else, so it is a hint for a human, never proof.

use super::normalise::normalise_name;

/// Digraph and letter equivalences, applied left to right, longest first.
///
/// `dzh`/`dj`/`zh` → `j` (Джамиля, Djamila, Jamila); `sch` → `sh`; `tch` → `ch`;
/// `ph` → `f`; `kh` → `h`; `gh` → `g`; `th` → `t`; `dh` → `d`; `ck`/`q`/`c` → `k`
/// (a `c` not followed by `h`); `x` → `ks`; `tz` → `ts`.
const EQUIVALENTS: &[(&str, &str)] = &[
    ("dzh", "j"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("dj", "j"),
    ("zh", "j"),
    ("ph", "f"),
    ("kh", "h"),
    ("gh", "g"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("ch", "ch"),
    ("tz", "ts"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
];

/// Vowels and the semi-vowels `w`/`y`, which Arabic and Cyrillic romanisations use
/// interchangeably with `u`/`i`.
fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'w')
}

/// Skeleton of a name: normalise, then per word apply [`EQUIVALENTS`], drop a final
/// `h` after a vowel ("Fatimah" = "Fatima" = "فاطمة"), drop every vowel (including the
/// first, because Arabic drops `ع` before "Ali"), and collapse doubled letters.
/// A word that would vanish entirely (e.g. "Aya") is kept as normalised.
pub fn skeleton(name: &str) -> String {
    normalise_name(name)
        .split(' ')
        .map(word_skeleton)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Order-insensitive skeleton key: the sorted skeleton words, so swapped given and
/// family names compare equal.
pub(super) fn skeleton_key(name: &str) -> Vec<String> {
    let mut words: Vec<String> = skeleton(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    words.sort();
    words
}

fn word_skeleton(word: &str) -> String {
    let mut mapped = String::with_capacity(word.len());
    let mut rest = word;
    'outer: while let Some(c) = rest.chars().next() {
        for (from, to) in EQUIVALENTS {
            if let Some(after) = rest.strip_prefix(from) {
                mapped.push_str(to);
                rest = after;
                continue 'outer;
            }
        }
        mapped.push(c);
        rest = &rest[c.len_utf8()..];
    }
    let chars: Vec<char> = mapped.chars().collect();
    let len = chars.len();
    let drop_final_h = len >= 2 && chars[len - 1] == 'h' && is_vowel(chars[len - 2]);
    let kept = if drop_final_h { &chars[..len - 1] } else { &chars[..] };
    let mut out = String::with_capacity(len);
    let mut last: Option<char> = None;
    for &c in kept.iter().filter(|c| !is_vowel(**c)) {
        if last != Some(c) {
            out.push(c);
        }
        last = Some(c);
    }
    if out.is_empty() { word.to_owned() } else { out }
}
