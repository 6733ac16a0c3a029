//! The encoded files a linkage run reads: each source's file from `relais linkage encode`,
//! checked to be whole and to fit with the others (same parameters, same secret) before any
//! comparison.

use relais_stats::linkage::clk::Clk;
use relais_stats::linkage::input::ClkFile;
use relais_stats::linkage::strata::Stratum;
use sha2::{Digest, Sha256};

/// Why encoded files cannot be linked; names a file by its position, never a record's content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    #[error("file {0}: not an encoded file of relais linkage encode")]
    NotEncoded(usize),
    #[error("file {0}: holds no record")]
    Empty(usize),
    #[error("file {0}: the key of one record or more is damaged")]
    Damaged(usize),
    #[error("the files were not all encoded with the same parameters and secret")]
    NotTogether,
}

/// One source's records: their identifiers in the source and their keys, in the file's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub ids: Vec<String>,
    pub keys: Vec<Clk>,
    /// Each record's year, sex, age group and form of exploitation, where the source gave them.
    pub strata: Vec<Stratum>,
}

/// What identifies an input of a run so that it can be run again: the file's SHA-256 and its
/// number of records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    pub sha256: String,
    pub records: usize,
}

/// One input of a run as recorded: the source's name, the file's name and its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Input {
    pub name: String,
    pub file_name: String,
    #[serde(flatten)]
    pub fingerprint: Fingerprint,
}

/// Reads one encoded file (the `position`-th, for messages).
pub fn read(position: usize, bytes: &[u8]) -> Result<ClkFile, FileProblem> {
    let file: ClkFile = serde_json::from_slice(bytes).map_err(|_| FileProblem::NotEncoded(position))?;
    if file.records.is_empty() {
        return Err(FileProblem::Empty(position));
    }
    Ok(file)
}

/// The SHA-256 of a file's bytes and its record count.
pub fn fingerprint(bytes: &[u8], file: &ClkFile) -> Fingerprint {
    Fingerprint {
        sha256: hex::encode(Sha256::digest(bytes)),
        records: file.records.len(),
    }
}

/// The sources of `files` named `names`, once they are known to fit together.
pub fn sources(names: &[String], files: &[ClkFile]) -> Result<Vec<Source>, FileProblem> {
    if let Some(first) = files.first()
        && files
            .iter()
            .any(|f| f.params != first.params || f.secret_fingerprint != first.secret_fingerprint)
    {
        return Err(FileProblem::NotTogether);
    }
    names
        .iter()
        .zip(files)
        .enumerate()
        .map(|(position, (name, file))| {
            let (mut ids, mut keys) = (Vec::new(), Vec::new());
            for (id, clk) in file.clks() {
                ids.push(id);
                keys.push(clk.ok_or(FileProblem::Damaged(position))?);
            }
            Ok(Source {
                name: name.clone(),
                ids,
                keys,
                strata: file.strata(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use relais_stats::linkage::clk::{Params, Secret};
    use relais_stats::linkage::input::read_identities;

    fn encoded(secret: &[u8]) -> ClkFile {
        let text = "id,given_name,family_name,birth_date,sex,nationality\n1,Ana,Popescu,1990-04-02,F,ROU\n";
        let records = read_identities(text.as_bytes()).unwrap();
        ClkFile::encode(&Params::default(), &Secret::new(secret).unwrap(), &records)
    }

    #[test]
    fn files_of_one_secret_fit_together_and_others_are_refused() {
        let a = encoded(b"a secret shared by every source");
        let b = encoded(b"a secret shared by every source");
        let names = vec!["A".to_owned(), "B".to_owned()];
        let found = sources(&names, &[a.clone(), b]).unwrap();
        assert_eq!(found[1].ids, ["1"]);
        let other = encoded(b"another secret entirely, not shared");
        assert_eq!(sources(&names, &[a.clone(), other]), Err(FileProblem::NotTogether));
        let mut damaged = a.clone();
        damaged.records[0].clk = "not base64!".into();
        assert_eq!(sources(&names, &[a, damaged]), Err(FileProblem::Damaged(1)));
    }

    #[test]
    fn a_file_that_is_not_encoded_or_empty_is_named() {
        assert_eq!(read(2, b"id,given_name\n1,Ana\n"), Err(FileProblem::NotEncoded(2)));
        let mut empty = encoded(b"a secret shared by every source");
        empty.records.clear();
        let bytes = serde_json::to_vec(&empty).unwrap();
        assert_eq!(read(0, &bytes), Err(FileProblem::Empty(0)));
        let whole = serde_json::to_vec(&encoded(b"a secret shared by every source")).unwrap();
        let print = fingerprint(&whole, &read(0, &whole).unwrap());
        assert_eq!((print.records, print.sha256.len()), (1, 64));
    }
}
