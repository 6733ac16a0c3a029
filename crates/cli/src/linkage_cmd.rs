//! `relais linkage encode`: a source turns its records into cryptographic long-term keys with
//! the secret shared between sources; the output holds no name and not the secret.
//! `relais linkage link`: the observatory matches two encoded files one to one. The encoding
//! and the matching live in `relais_stats::linkage`; this module reads and writes the files.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use relais_stats::linkage::clk::{Clk, Params, Secret};
use relais_stats::linkage::input::{ClkFile, read_identities};
use relais_stats::linkage::link::{DEFAULT_THRESHOLD, one_to_one};

/// Arguments of `relais linkage encode`.
#[derive(clap::Args, Debug)]
pub struct EncodeArgs {
    /// UTF-8 CSV with the header id,given_name,family_name,birth_date,sex,nationality.
    pub input: PathBuf,
    /// File holding the secret shared between the sources (at least 16 bytes; its whole
    /// content is the secret, a final line break aside). Never give it to the observatory.
    #[arg(long)]
    pub secret_file: PathBuf,
    /// Where to write the encoded file (JSON); standard output when absent.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// Encodes every line, or lists every wrong line and exits with status 2.
pub fn encode(args: &EncodeArgs) -> anyhow::Result<ExitCode> {
    let name = args.input.display();
    let text = std::fs::read(&args.input).with_context(|| format!("cannot read {name}"))?;
    let secret_text = std::fs::read(&args.secret_file)
        .with_context(|| format!("cannot read the secret file {}", args.secret_file.display()))?;
    let secret_bytes = secret_text.strip_suffix(b"\n").unwrap_or(&secret_text);
    let secret_bytes = secret_bytes.strip_suffix(b"\r").unwrap_or(secret_bytes);
    let secret = match Secret::new(secret_bytes) {
        Ok(secret) => secret,
        Err(e) => {
            eprintln!("{}: {e}", args.secret_file.display());
            return Ok(ExitCode::from(2));
        }
    };
    let records = match read_identities(&text) {
        Ok(records) => records,
        Err(problems) => {
            eprintln!("{name}: nothing encoded, {} problem(s):", problems.len());
            for problem in problems {
                eprintln!("  {problem}");
            }
            return Ok(ExitCode::from(2));
        }
    };
    let file = ClkFile::encode(&Params::default(), &secret, &records);
    let json = serde_json::to_vec(&file)?;
    match &args.output {
        Some(path) => std::fs::write(path, &json).with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().lock().write_all(&json)?,
    }
    eprintln!("{name}: {} record(s) encoded", records.len());
    Ok(ExitCode::SUCCESS)
}

/// How matched pairs are printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkFormat {
    /// `a_id,b_id,score`, best first.
    Csv,
}

/// Arguments of `relais linkage link`.
#[derive(clap::Args, Debug)]
pub struct LinkArgs {
    /// The first source's encoded file.
    pub a: PathBuf,
    /// The second source's encoded file (same parameters and secret).
    pub b: PathBuf,
    /// Dice coefficient from which two keys are taken for the same person.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LinkFormat::Csv)]
    pub format: LinkFormat,
}

/// Prints the one-to-one matches between two encoded files; files that do not fit together
/// exit with status 2.
pub fn link(args: &LinkArgs) -> anyhow::Result<ExitCode> {
    let read = |path: &PathBuf| -> anyhow::Result<ClkFile> {
        let text = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        serde_json::from_slice(&text)
            .with_context(|| format!("{} is not an encoded file of relais linkage encode", path.display()))
    };
    let (a, b) = (read(&args.a)?, read(&args.b)?);
    if a.params != b.params || a.secret_fingerprint != b.secret_fingerprint {
        eprintln!("the two files were not encoded with the same parameters and secret: they cannot be linked");
        return Ok(ExitCode::from(2));
    }
    let keys = |file: &ClkFile, path: &PathBuf| -> Result<Vec<(String, Clk)>, ExitCode> {
        let mut keys = Vec::new();
        for (id, clk) in file.clks() {
            match clk {
                Some(clk) => keys.push((id, clk)),
                None => {
                    eprintln!("{}: the key of record {id:?} is damaged", path.display());
                    return Err(ExitCode::from(2));
                }
            }
        }
        Ok(keys)
    };
    let (ka, kb) = match (keys(&a, &args.a), keys(&b, &args.b)) {
        (Ok(ka), Ok(kb)) => (ka, kb),
        (Err(code), _) | (_, Err(code)) => return Ok(code),
    };
    let clks = |keys: &[(String, Clk)]| keys.iter().map(|(_, c)| c.clone()).collect::<Vec<_>>();
    let matches = one_to_one(&clks(&ka), &clks(&kb), args.threshold);
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    out.write_record(["a_id", "b_id", "score"])?;
    for m in &matches {
        out.write_record([ka[m.a].0.as_str(), kb[m.b].0.as_str(), &format!("{:.4}", m.score)])?;
    }
    out.flush()?;
    eprintln!("{} pair(s) at or above {}", matches.len(), args.threshold);
    Ok(ExitCode::SUCCESS)
}
