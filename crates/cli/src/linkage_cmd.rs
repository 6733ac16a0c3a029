//! `relais linkage encode`: a source turns its records into cryptographic long-term keys with
//! the secret shared between sources; the output holds no name and not the secret.
//! `relais linkage link`: the observatory matches two encoded files one to one.
//! `relais linkage estimate`: it links any number of sources into persons and estimates how
//! many no source counted. Encoding and matching live in `relais_stats`, the run (the same as
//! the observatory's pages) in `relais_observatory::linkage`; this module reads and writes the
//! files.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use relais_observatory::linkage::{self, FileProblem, Settings, Source, files};
use relais_stats::linkage::clk::{Params, Secret};
use relais_stats::linkage::input::{ClkFile, read_identities};
use relais_stats::linkage::link::{DEFAULT_THRESHOLD, one_to_one};
use serde_json::{Value, json};

/// Arguments of `relais linkage encode`.
#[derive(clap::Args, Debug)]
pub struct EncodeArgs {
    /// UTF-8 CSV with the header id,given_name,family_name,birth_date,sex,nationality;
    /// optionally year,exploitation (strata in clear) and address,postcode (in the keys; every
    /// source of a linkage must then give them).
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

/// The sources of the encoded files, named by their file names, or the exit status after
/// saying why they cannot be linked together (unreadable, damaged, or encoded with other
/// parameters or secret).
fn read_sources(paths: &[PathBuf]) -> anyhow::Result<Result<Vec<Source>, ExitCode>> {
    let mut files = Vec::new();
    for (position, path) in paths.iter().enumerate() {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        match files::read(position, &bytes) {
            Ok(file) => files.push(file),
            Err(_) => anyhow::bail!("{} is not an encoded file of relais linkage encode", path.display()),
        }
    }
    let names: Vec<String> = paths
        .iter()
        .map(|f| {
            f.file_stem()
                .map_or_else(|| f.display().to_string(), |s| s.to_string_lossy().into_owned())
        })
        .collect();
    match files::sources(&names, &files) {
        Ok(sources) => Ok(Ok(sources)),
        Err(FileProblem::Damaged(position)) => {
            eprintln!("{}: the key of a record is damaged", paths[position].display());
            Ok(Err(ExitCode::from(2)))
        }
        Err(problem) => {
            eprintln!("{problem}: they cannot be linked");
            Ok(Err(ExitCode::from(2)))
        }
    }
}

/// Prints the one-to-one matches between two encoded files; files that do not fit together
/// exit with status 2.
pub fn link(args: &LinkArgs) -> anyhow::Result<ExitCode> {
    let sources = match read_sources(&[args.a.clone(), args.b.clone()])? {
        Ok(sources) => sources,
        Err(code) => return Ok(code),
    };
    let [a, b] = sources.as_slice() else {
        return Ok(ExitCode::from(2));
    };
    let matches = one_to_one(&a.keys, &b.keys, args.threshold);
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    out.write_record(["a_id", "b_id", "score"])?;
    for m in &matches {
        out.write_record([a.ids[m.a].as_str(), b.ids[m.b].as_str(), &format!("{:.4}", m.score)])?;
    }
    out.flush()?;
    eprintln!("{} pair(s) at or above {}", matches.len(), args.threshold);
    Ok(ExitCode::SUCCESS)
}

/// How the estimate is printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EstimateFormat {
    /// Aligned text for a person.
    Table,
    /// One JSON object for a program.
    Json,
}

/// Arguments of `relais linkage estimate`.
#[derive(clap::Args, Debug)]
pub struct EstimateArgs {
    /// The encoded files of the sources (two to sixteen), encoded with the same secret.
    #[arg(required = true, num_args = 2..)]
    pub files: Vec<PathBuf>,
    /// Dice coefficient from which two keys are taken for the same person; when absent, read
    /// from the distribution of the scores (where a pair becomes more likely one person than
    /// two), or 0.6 when too few scores allow it.
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Bootstrap replicates for the BCa interval; 0 skips the bootstrap.
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
    /// Seed of the bootstrap: the same seed gives the same interval.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EstimateFormat::Table)]
    pub format: EstimateFormat,
}

/// Links the sources into persons, counts their capture histories and estimates how many
/// persons no source counted (stepwise log-linear model, as `relais stats mse`).
pub fn estimate(args: &EstimateArgs) -> anyhow::Result<ExitCode> {
    let sources = match read_sources(&args.files)? {
        Ok(sources) => sources,
        Err(code) => return Ok(code),
    };
    let settings = Settings {
        threshold: args.threshold,
        bootstrap: args.bootstrap,
        seed: args.seed,
    };
    let (outcome, report) = linkage::run(&sources, &settings, &|_| {})?;
    let mut out = std::io::stdout().lock();
    match args.format {
        EstimateFormat::Json => {
            let mut value = serde_json::to_value(&report)?;
            let histories: serde_json::Map<String, Value> = outcome
                .histories
                .iter()
                .map(|h| (h.pattern.clone(), json!(h.persons)))
                .collect();
            let q = &outcome.quality;
            let linkage_quality = json!({
                "threshold": q.threshold,
                "score_histogram": q.histogram,
                "pairs_kept": q.pairs_kept,
                "links_dropped_for_one_to_one": q.links_dropped,
                "near_threshold": {"above": q.near_above, "below": q.near_below, "within": q.within},
                "near_pairs": q.near_pairs,
                "automatic_threshold": q.automatic_threshold,
                "estimated_precision": q.estimated_precision,
                "estimated_recall": q.estimated_recall,
            });
            if let Value::Object(fields) = &mut value {
                fields.insert("sources".into(), json!(outcome.sources));
                fields.insert("persons".into(), json!(outcome.persons));
                fields.insert("histories".into(), Value::Object(histories));
                fields.insert("linkage_threshold".into(), json!(outcome.threshold));
                fields.insert("sensitivity".into(), json!(outcome.sensitivity));
                fields.insert("linkage_quality".into(), linkage_quality);
                fields.insert("strata".into(), json!(outcome.strata));
            }
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        }
        EstimateFormat::Table => {
            writeln!(
                out,
                "Linkage of {} sources at Dice ≥ {:.3}",
                outcome.sources.len(),
                outcome.threshold
            )?;
            writeln!(out, "{:<24}{}", "sources", outcome.sources.join(", "))?;
            writeln!(out, "{:<24}{}", "persons seen", outcome.persons)?;
            writeln!(
                out,
                "{:<24}{} (two records of one source would have been one person)",
                "links dropped", outcome.quality.links_dropped
            )?;
            writeln!(out, "{:<24}{:.0}", "estimate", report.estimate)?;
            writeln!(
                out,
                "{:<24}{:.0} – {:.0}",
                "95 % interval (Wald)", report.wald_ci[0], report.wald_ci[1]
            )?;
            for s in &outcome.sensitivity {
                writeln!(
                    out,
                    "{:<24}{} persons, estimate {:.0}",
                    format!("at Dice ≥ {:.2}", s.threshold),
                    s.persons,
                    s.estimate
                )?;
            }
            for strata in &outcome.strata {
                for v in &strata.values {
                    let estimate = v
                        .estimate
                        .map_or_else(|| "too few to estimate".to_owned(), |e| format!("{e:.0}"));
                    writeln!(
                        out,
                        "{:<24}{} persons, estimate {estimate}",
                        format!("{:?} {}", strata.variable, v.value),
                        v.persons
                    )?;
                }
            }
            for warning in &report.warnings {
                writeln!(out, "warning: {warning}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
