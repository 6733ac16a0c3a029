//! Script-to-Latin tables used by [`super::normalise::normalise_name`].
//!
//! Intake officers type names as they hear them or copy them from documents in the
//! original script, so the same person can be recorded as "Олена" and "Olena". Both
//! must reduce to one Latin form before they can be compared. The tables are
//! deliberately simple and lossy: they exist to compare names, never to display them.

/// Folds a lowercase Latin letter with a diacritic (or a ligature) to plain ASCII.
///
/// Precomposed characters only; decomposed combining marks are dropped by the caller.
pub(super) fn latin(c: char) -> Option<&'static str> {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        _ => return None,
    };
    Some(s)
}

/// Transliterates a lowercase Cyrillic letter (Russian, Ukrainian, Belarusian basics).
///
/// A simplified BGN/PCGN scheme: close to what appears in passports and what officers
/// type by ear. Ukrainian `г` is rendered `g` (not the official `h`) so that Russian and
/// Ukrainian spellings of the same name meet; soft and hard signs vanish.
pub(super) fn cyrillic(c: char) -> Option<&'static str> {
    let s = match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' => "i",
        'й' | 'ы' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ў' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ю' => "yu",
        'я' => "ya",
        'ї' => "yi",
        'є' => "ye",
        _ => return None,
    };
    Some(s)
}

/// Transliterates an Arabic-script letter (Arabic plus the common Persian/Urdu additions).
///
/// Arabic script normally omits short vowels, so this yields a consonant skeleton
/// ("محمد" → "mhmd") that will rarely equal a Latin spelling ("mohamed") exactly.
/// Matching across scripts therefore relies on the vowel-insensitive key of
/// [`super::skeleton::skeleton`]. `ع` and hamza are dropped: Latin spellings usually
/// omit them ("Ali", not "'Ali"). `و` and `ي` are written `w` and `y`; the skeleton
/// treats those as vowels because they often stand for long `u`/`i`.
pub(super) fn arabic(c: char) -> Option<&'static str> {
    let s = match c {
        'ا' | 'آ' | 'أ' | 'إ' | 'ى' | 'ة' | 'ٱ' => "a",
        'ب' => "b",
        'ت' => "t",
        'ث' => "th",
        'ج' => "j",
        'ح' | 'ه' | 'ھ' => "h",
        'خ' => "kh",
        'د' => "d",
        'ذ' => "dh",
        'ر' => "r",
        'ز' => "z",
        'س' | 'ص' => "s",
        'ش' => "sh",
        'ض' => "d",
        'ط' => "t",
        'ظ' => "z",
        'ع' | 'ء' => "",
        'غ' => "gh",
        'ف' => "f",
        'ق' => "q",
        'ك' | 'ک' => "k",
        'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'و' | 'ؤ' => "w",
        'ي' | 'ی' | 'ئ' => "y",
        'پ' => "p",
        'چ' => "ch",
        'ژ' => "zh",
        'گ' => "g",
        _ => return None,
    };
    Some(s)
}

/// Marks that carry no letter of their own: Latin combining diacritics, Arabic
/// harakat (short-vowel signs), the superscript alef and the tatweel (kashida).
pub(super) fn is_silent_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}
