//! `relais screening evaluate`: screens observations against a shipped catalogue and prints the
//! result as JSON — a stable interface for integrations and audits. The engine is
//! `relais_domain::screening`; this module reads the observations, names what it does not
//! know, and writes the report.
//!
//! Input: `{"profile": "adult", "act": "yes", "observations": [{"dimension": KEY, "indicator":
//! ENGLISH LABEL, "answer": "yes"|"no"|"unknown"}]}`. `act` and unlisted indicators default to
//! unknown; `profile` may be left out when the catalogue has a single set, and `dimension` for
//! a checklist. A checklist (`rule: none`) reports `overall: "not_applicable"`, no dimensions,
//! and the indicators observed under `checked`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use relais_domain::intake::catalogue::{Catalogue, IndicatorSet, Key, shipped};
use relais_domain::intake::screening::{self, Answer, DimensionOutcome, EntryRef, Observations, Screening};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Arguments of `relais screening evaluate`.
#[derive(clap::Args, Debug)]
pub struct EvaluateArgs {
    /// Shipped catalogue id, e.g. ilo-ec-delphi-2009-labour (its latest version is used).
    #[arg(long)]
    catalogue: String,
    /// JSON file: {"profile": "adult"|"child", "act": "yes"|"no"|"unknown", "observations":
    /// [{"dimension": KEY, "indicator": ENGLISH LABEL, "answer": "yes"|"no"|"unknown"}]}.
    file: PathBuf,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sheet {
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    act: Answer,
    #[serde(default)]
    observations: Vec<Observation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Observation {
    #[serde(default)]
    dimension: Option<String>,
    indicator: String,
    answer: Answer,
}

/// Prints the result on stdout; any error goes to stderr, naming the culprit, with exit code 2.
#[allow(clippy::print_stdout, reason = "the report is the command's output")]
pub fn evaluate(args: &EvaluateArgs) -> anyhow::Result<ExitCode> {
    match report(args) {
        Ok(report) => {
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            Ok(ExitCode::from(2))
        }
    }
}

fn report(args: &EvaluateArgs) -> anyhow::Result<serde_json::Value> {
    let shipped = shipped::latest(&args.catalogue).ok_or_else(|| {
        anyhow!(
            "unknown catalogue `{}` (shipped: {})",
            args.catalogue,
            shipped::ids().join(", ")
        )
    })?;
    let catalogue = shipped
        .parse()
        .with_context(|| format!("shipped catalogue {}", shipped.file))?;
    let file = args.file.display();
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {file}"))?;
    let sheet: Sheet = serde_json::from_str(&text).with_context(|| format!("{file}"))?;
    let set = match (&sheet.profile, catalogue.sets()) {
        (Some(profile), _) => catalogue.set(profile).ok_or_else(|| {
            let available: Vec<&str> = catalogue.sets().iter().map(|s| s.key.as_str()).collect();
            anyhow!(
                "{file}: unknown profile `{profile}` (expected {})",
                available.join(" or ")
            )
        })?,
        (None, [only]) => only,
        (None, _) => anyhow::bail!("{file}: `profile` is required for catalogue `{}`", catalogue.id()),
    };
    let mut observations = Observations::new(sheet.act);
    for observation in &sheet.observations {
        let entry = screening::find_by_label(
            &catalogue,
            set,
            observation.dimension.as_deref(),
            &observation.indicator,
        )
        .with_context(|| format!("{file}"))?;
        observations
            .record(entry, observation.answer)
            .with_context(|| format!("{file}"))?;
    }
    let screening = screening::evaluate(&catalogue, set.key.as_str(), &observations)?;
    Ok(render(&catalogue, set, &screening))
}

/// One indicator in the report: its key, English label, strength and verification status.
#[derive(Serialize)]
struct Indicator<'a> {
    key: &'a str,
    indicator: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dimension: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    strength: Option<relais_domain::intake::catalogue::Strength>,
    status: relais_domain::intake::catalogue::Verification,
}

fn indicator<'a>(set: &'a IndicatorSet, dimension: Option<&Key>, key: &Key) -> Option<Indicator<'a>> {
    let entry = set.entry(dimension, key)?;
    Some(Indicator {
        key: entry.key.as_str(),
        indicator: &entry.labels.en,
        dimension: entry.dimension.as_ref().map(Key::as_str),
        strength: entry.strength,
        status: entry.provenance.status,
    })
}

fn dimension_report(set: &IndicatorSet, outcome: &DimensionOutcome) -> serde_json::Value {
    // The dimension is the report's key: not repeated for each indicator.
    let list = |keys: &[Key]| -> Vec<Indicator<'_>> {
        keys.iter()
            .filter_map(|k| indicator(set, Some(&outcome.dimension), k))
            .map(|i| Indicator { dimension: None, ..i })
            .collect()
    };
    json!({
        "result": outcome.result,
        "clause": outcome.clause.as_ref().map(Key::as_str),
        "indicators": list(&outcome.indicators),
        "could_tip": list(&outcome.could_tip),
    })
}

fn render(catalogue: &Catalogue, set: &IndicatorSet, screening: &Screening) -> serde_json::Value {
    let dimensions: serde_json::Map<String, serde_json::Value> = screening
        .dimensions()
        .iter()
        .map(|outcome| (outcome.dimension.to_string(), dimension_report(set, outcome)))
        .collect();
    let checked: Vec<Indicator<'_>> = screening
        .checked()
        .iter()
        .filter_map(
            |EntryRef {
                 dimension,
                 indicator: key,
             }| indicator(set, dimension.as_ref(), key),
        )
        .collect();
    json!({
        "notice": screening.notice_en(),
        "notice_fr": screening.notice_fr(),
        "catalogue": { "id": catalogue.id(), "version": screening.version() },
        "profile": screening.set(),
        "act": screening.act(),
        "overall": screening.overall(),
        "dimensions": dimensions,
        "checked": checked,
    })
}
