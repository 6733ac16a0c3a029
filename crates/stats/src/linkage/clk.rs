//! Cryptographic long-term keys (CLK; Schnell, Richter & Borgs): one Bloom filter per person
//! into which the q-grams of every identifying attribute are hashed, keyed with HMAC-SHA-256
//! under a secret shared by the sources. Two encodings of the same person share most of their
//! bits, so the Dice coefficient of the filters approximates the similarity of the records.
//!
//! Hardening against the known attacks on Bloom-filter encodings (Christen, Ranbaduge &
//! Schnell 2020, ch. 9), and why:
//! - **keyed hashing** (HMAC with the secret): without the secret, an attacker cannot encode a
//!   dictionary of names and compare;
//! - **random hashing**: each q-gram's k positions are drawn independently from a generator
//!   seeded by its HMAC, not by double hashing, whose arithmetic pattern the
//!   Niedermeyer–Steinmetzer attack exploits to recover q-grams from bit patterns;
//! - **one filter for every attribute** (the CLK itself): the bits of a frequent name are
//!   mixed with those of the birth date, sex and nationality, which defeats the frequency
//!   alignment that works on one filter per attribute;
//! - **given and family names in one bag**: swapped names encode the same, and the filter does
//!   not say which q-gram came from which name.
//!
//! Names are normalised as in duplicate-person detection (case, accents, Cyrillic and Arabic
//! script) and their vowel-insensitive skeleton is hashed too, with fewer positions, so that
//! romanisation variants ("Mohammed", "Muhammad") stay close.

use hmac::{Hmac, Mac};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use relais_domain::intake::person_match::{BirthDate, normalise_name, skeleton};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use strum::EnumCount;

/// The shared secret: at least 16 bytes, never written to an output.
pub struct Secret {
    mac: Hmac<Sha256>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the secret must hold at least {MIN_SECRET_BYTES} bytes, found {0}")]
pub struct WeakSecret(usize);

pub const MIN_SECRET_BYTES: usize = 16;

impl Secret {
    pub fn new(bytes: &[u8]) -> Result<Self, WeakSecret> {
        if bytes.len() < MIN_SECRET_BYTES {
            return Err(WeakSecret(bytes.len()));
        }
        let mac = <Hmac<Sha256> as Mac>::new_from_slice(bytes).map_err(|_| WeakSecret(bytes.len()))?;
        Ok(Self { mac })
    }

    fn mac(&self) -> Hmac<Sha256> {
        self.mac.clone()
    }

    /// A check value that two sources can compare to know they used the same secret, from
    /// which the secret cannot be recovered.
    pub fn fingerprint(&self) -> String {
        let mut mac = self.mac();
        mac.update(b"relais-clk fingerprint");
        let tag = mac.finalize().into_bytes();
        tag.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

/// The encoding's parameters, recorded in every output so that the linker can check that the
/// sources encoded alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params {
    /// Length of the filter in bits, a multiple of 64.
    pub bits: usize,
    /// Length of the name q-grams.
    pub q: usize,
    /// Positions set per name q-gram.
    pub name_k: usize,
    /// Positions set per q-gram of the name skeleton.
    pub skeleton_k: usize,
    /// Positions set for the birth year, month and day.
    pub year_k: usize,
    pub month_k: usize,
    pub day_k: usize,
    pub sex_k: usize,
    pub nationality_k: usize,
    /// Attributes encoded beyond the issue's, when the sources have them (ADR 0058), each with
    /// its positions per token; empty (and absent from the file) for the attributes
    /// alone. Keys only compare with keys of the same list, as with every other parameter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub optional: Vec<OptionalField>,
}

/// An attribute a source may add to the (ADR 0058): read from the input column of the
/// same name when the header has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, EnumCount)]
#[serde(rename_all = "snake_case")]
pub enum Optional {
    /// The postal address in one line (number, street, locality), as the source writes it.
    Address,
    /// The postal code.
    Postcode,
}

impl Optional {
    pub const ALL: [Self; Self::COUNT] = [Self::Address, Self::Postcode];

    /// The input column, and the name in the encoded file's parameters.
    pub fn column(self) -> &'static str {
        match self {
            Self::Address => "address",
            Self::Postcode => "postcode",
        }
    }

    /// Positions per token by default: chosen on FEBRL 4 (ADR 0058).
    pub fn default_k(self) -> usize {
        match self {
            Self::Address => 3,
            Self::Postcode => 20,
        }
    }
}

/// One optional attribute of the encoding and the positions each of its tokens sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionalField {
    pub field: Optional,
    pub k: usize,
}

impl Params {
    /// The default parameters with the given optional attributes, at their default weights, in
    /// a fixed order (so that two sources naming the same columns encode alike).
    pub fn with_optional(fields: &[Optional]) -> Self {
        let mut fields = fields.to_vec();
        fields.sort_unstable();
        fields.dedup();
        Self {
            optional: fields
                .into_iter()
                .map(|field| OptionalField {
                    field,
                    k: field.default_k(),
                })
                .collect(),
            ..Self::default()
        }
    }
}

impl Default for Params {
    fn default() -> Self {
        Self {
            bits: 1024,
            q: 2,
            name_k: 6,
            skeleton_k: 2,
            year_k: 30,
            month_k: 26,
            day_k: 26,
            sex_k: 6,
            nationality_k: 8,
            optional: Vec::new(),
        }
    }
}

/// What a source knows of a person, before encoding.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    pub given_name: String,
    pub family_name: String,
    pub birth: Option<BirthDate>,
    pub sex: Option<String>,
    /// ISO 3166-1 alpha-3, compared case-insensitively.
    pub nationality: Option<String>,
    /// Optional attributes (ADR 0058), encoded only when the parameters list them.
    pub address: Option<String>,
    pub postcode: Option<String>,
}

/// A CLK: the filter's bits, 64 to a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clk(pub Vec<u64>);

impl Clk {
    pub fn ones(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    /// The Dice coefficient, 2|A∩B| / (|A| + |B|): 1 for identical filters.
    pub fn dice(&self, other: &Self) -> f64 {
        let common: u32 = self.0.iter().zip(&other.0).map(|(a, b)| (a & b).count_ones()).sum();
        let total = self.ones() + other.ones();
        if total == 0 {
            0.0
        } else {
            2.0 * f64::from(common) / f64::from(total)
        }
    }

    /// Little-endian bytes, for the output file.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    /// `None` unless `bytes` holds whole 64-bit words.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if !bytes.len().is_multiple_of(8) {
            return None;
        }
        let words = bytes
            .chunks_exact(8)
            .map(|c| c.try_into().map(u64::from_le_bytes))
            .collect::<Result<Vec<u64>, _>>()
            .ok()?;
        Some(Self(words))
    }
}

/// Encodes one person.
pub fn encode(params: &Params, secret: &Secret, person: &Identity) -> Clk {
    let words = params.bits.div_ceil(64).max(1);
    let mut filter = Filter {
        words: vec![0u64; words],
        bits: words * 64,
        mac: secret.mac(),
    };
    let names = format!("{} {}", person.given_name, person.family_name);
    for gram in qgrams(&normalise_name(&names), params.q) {
        filter.add("name", &gram, params.name_k);
    }
    for gram in qgrams(&skeleton(&names), params.q) {
        filter.add("skeleton", &gram, params.skeleton_k);
    }
    match person.birth {
        Some(BirthDate::Full(y, m, d)) => {
            filter.add("year", &y.to_string(), params.year_k);
            filter.add("month", &m.to_string(), params.month_k);
            filter.add("day", &d.to_string(), params.day_k);
        }
        Some(BirthDate::Year(y)) => filter.add("year", &y.to_string(), params.year_k),
        None => {}
    }
    if let Some(sex) = person.sex.as_deref().filter(|s| !s.is_empty()) {
        filter.add("sex", &sex.to_lowercase(), params.sex_k);
    }
    if let Some(nationality) = person.nationality.as_deref().filter(|s| !s.is_empty()) {
        filter.add("nationality", &nationality.to_uppercase(), params.nationality_k);
    }
    for optional in &params.optional {
        match optional.field {
            // Words in any order (qgrams sorts them): sources split and order address lines
            // differently.
            Optional::Address => {
                if let Some(address) = person.address.as_deref() {
                    for gram in qgrams(&normalise_name(address), params.q) {
                        filter.add("address", &gram, optional.k);
                    }
                }
            }
            Optional::Postcode => {
                let code: String = person
                    .postcode
                    .as_deref()
                    .unwrap_or_default()
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_uppercase())
                    .collect();
                if !code.is_empty() {
                    filter.add("postcode", &code, optional.k);
                }
            }
        }
    }
    Clk(filter.words)
}

/// The q-grams of each word of a normalised name, padded with `_` so that first and last
/// letters count; the words in sorted order so that their order does not matter.
fn qgrams(name: &str, q: usize) -> Vec<String> {
    let mut words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    let mut grams = Vec::new();
    for word in words {
        let padded: Vec<char> = format!("_{word}_").chars().collect();
        if padded.len() < q.max(1) {
            continue;
        }
        grams.extend(padded.windows(q.max(1)).map(|w| w.iter().collect::<String>()));
    }
    grams
}

struct Filter {
    words: Vec<u64>,
    bits: usize,
    mac: Hmac<Sha256>,
}

impl Filter {
    /// Sets `k` positions drawn from a generator seeded by the keyed hash of the attribute's
    /// label and the token (random hashing).
    fn add(&mut self, label: &str, token: &str, k: usize) {
        let mut mac = self.mac.clone();
        mac.update(label.as_bytes());
        mac.update(&[0]);
        mac.update(token.as_bytes());
        let seed: [u8; 32] = mac.finalize().into_bytes().into();
        let mut positions = ChaCha8Rng::from_seed(seed);
        for _ in 0..k {
            let bit = positions.random_range(0..self.bits);
            self.words[bit / 64] |= 1 << (bit % 64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(text: &str) -> Secret {
        Secret::new(text.as_bytes()).unwrap()
    }

    fn person(given: &str, family: &str, birth: &str) -> Identity {
        Identity {
            given_name: given.into(),
            family_name: family.into(),
            birth: BirthDate::parse(birth).ok(),
            sex: Some("F".into()),
            nationality: Some("nga".into()),
            ..Identity::default()
        }
    }

    #[test]
    fn the_same_secret_encodes_alike_and_another_differently() {
        let params = Params::default();
        let amina = person("Amina", "Okafor", "1998-04-12");
        let a = encode(&params, &secret("a shared secret of sources"), &amina);
        let b = encode(&params, &secret("a shared secret of sources"), &amina);
        let c = encode(&params, &secret("another secret, not shared"), &amina);
        assert_eq!(a, b);
        assert!(a.dice(&c) < 0.5, "{}", a.dice(&c));
        assert_eq!(a.0.len(), 16);
        assert!(a.ones() > 100 && a.ones() < 512, "{}", a.ones());
    }

    #[test]
    fn variants_and_swapped_names_stay_close_and_strangers_far() {
        let params = Params::default();
        let key = secret("a shared secret of sources");
        let encode = |p: &Identity| encode(&params, &key, p);
        let base = encode(&person("Mohammed", "Al-Hassan", "1990-02-03"));
        let variant = encode(&person("Muhammad", "Alhassan", "1990-02-03"));
        let swapped = encode(&person("Al-Hassan", "Mohammed", "1990-02-03"));
        let arabic = encode(&person("محمد", "الحسن", "1990-02-03"));
        let year_only = encode(&person("Mohammed", "Al-Hassan", "1990"));
        let stranger = encode(&person("Olena", "Kovalenko", "1985-11-20"));
        assert_eq!(base.dice(&swapped), 1.0);
        assert!(base.dice(&variant) > 0.75, "{}", base.dice(&variant));
        assert!(base.dice(&arabic) > 0.6, "{}", base.dice(&arabic));
        assert!(base.dice(&year_only) > 0.8, "{}", base.dice(&year_only));
        assert!(base.dice(&stranger) < 0.45, "{}", base.dice(&stranger));
    }

    #[test]
    fn bytes_round_trip_and_weak_secrets_are_refused() {
        let clk = encode(
            &Params::default(),
            &secret("a shared secret of sources"),
            &person("A", "B", ""),
        );
        assert_eq!(Clk::from_bytes(&clk.to_bytes()), Some(clk));
        assert_eq!(Clk::from_bytes(&[1, 2, 3]), None);
        assert!(Secret::new(b"short").is_err());
        assert_eq!(secret("a shared secret of sources").fingerprint().len(), 16);
        assert_ne!(
            secret("a shared secret of sources").fingerprint(),
            secret("another secret, not shared").fingerprint()
        );
    }
}
